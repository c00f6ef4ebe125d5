"""``python -m tlsfence.probe verify ...``: the verify command alone, without loading the other commands.

Same arguments, output and exit codes as ``tlsfence verify``; useful where the console script is not installed.
Start-up is about the same since the main CLI imports only the module of the command it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tlsfence.errors import TlsfenceError
from tlsfence.probe import cli


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``verify ...`` and run it; ``TlsfenceError`` becomes a one-line message and exit 2."""
    parser = argparse.ArgumentParser(prog="tlsfence")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except TlsfenceError as e:
        print(f"tlsfence: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tlsfence: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
