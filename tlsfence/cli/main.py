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

#: Sub-command → module providing it (``add_parser(subparsers)`` and ``run(args) -> int``), in help order.
#: Modules are imported only when their command runs (or for ``--help``): ``check`` pulls in the Pulumi SDK,
#: which would otherwise cost every ``tlsfence verify`` a second of start-up.
COMMANDS: dict[str, str] = {
    "profiles": "tlsfence.cli.profiles_cmd",
    "catalog": "tlsfence.cli.catalog_cmd",
    "check": "tlsfence.check.cli",
    "verify": "tlsfence.probe.cli",
    "audit": "tlsfence.audit.cli",
}
COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its one-line style for our own errors too."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every sub-command registered (or just ``only``, when it names one)."""
    parser = _Parser(prog="tlsfence", description="TLS guardrails for Pulumi stacks and live endpoints.")
    parser.add_argument("--version", action="version", version=f"tlsfence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command, name in COMMANDS.items():
        if only in COMMANDS and command != only:
            continue
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first)
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
