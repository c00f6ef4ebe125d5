"""tlsfence-partner: stand up a conforming front door for a partner environment (``pulumi up`` here).

Configuration and the step-by-step ``pulumi up`` are in docs/components.md; the logic lives in
``tlsfence.components.partner`` so that it is importable, tested and linted with the library. This file is
only run by Pulumi (or ``tlsfence check``); pytest (testpaths = tests) and ``pip install -e .`` (packages
``tlsfence*``) never import it.
"""

from tlsfence.components.partner import main

main()
