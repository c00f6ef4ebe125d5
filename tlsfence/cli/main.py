"""``tlsfence`` entry point: one sub-command per module, each exposing ``add_parser`` and ``run``.

Exit codes everywhere: 0 success / pass, 1 violations found, 2 usage or input error. Any
:class:`~tlsfence.errors.TlsfenceError` becomes a one-line ``tlsfence: error: ...`` and exit 2; a traceback
means a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tlsfence import __version__
from tlsfence.errors import TlsfenceError

#: Modules that provide a sub-command (``add_parser(subparsers)`` and ``run(args) -> int``), in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "tlsfence.cli.profiles_cmd",
    "tlsfence.cli.catalog_cmd",
    "tlsfence.probe.cli",
    "tlsfence.audit.cli",
    "tlsfence.check.cli",
)


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its one-line style for our own errors too."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every sub-command registered."""
    parser = _Parser(prog="tlsfence", description="TLS guardrails for Pulumi stacks and live endpoints.")
    parser.add_argument("--version", action="version", version=f"tlsfence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except TlsfenceError as e:
        print(f"tlsfence: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tlsfence: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
