"""``python -m tlsfence`` runs the CLI."""

import sys

from tlsfence.cli.main import main

sys.exit(main())
