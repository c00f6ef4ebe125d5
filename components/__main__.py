"""Host of the tlsfence component package, for ``pulumi package add ./components`` from any language.

The Python language host runs this file; ``component_provider_host`` serves the components' schema and
constructs them. The repository root goes on ``sys.path`` so that the host works from a checkout even when
the ``tlsfence`` library is not installed in the plugin's virtualenv (requirements.txt installs it).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tlsfence.components.package import host  # noqa: E402

if __name__ == "__main__":
    host()
