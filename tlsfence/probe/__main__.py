"""``python -m tlsfence.probe verify ...``: the verify command where the console script is not installed.

Same arguments, output and exit codes as ``tlsfence verify``: it is the main CLI, which imports only the module
of the command it runs.
"""

from __future__ import annotations

import sys

from tlsfence.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
