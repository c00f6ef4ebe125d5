"""``tlsfence`` entry point: one sub-command per module, each exposing ``add_parser`` and ``run``.

Exit codes everywhere (:data:`EXIT_CODES`): 0 pass, 1 violations found, 2 usage or input error, 3 internal
error. A usage error (argparse) or any :class:`~tlsfence.errors.TlsfenceError` becomes one line
``tlsfence: error: ...`` and exit 2; anything else is a bug and becomes one line ``tlsfence: internal error:
...`` and exit 3, so a pipeline never mistakes a crash for "violations" (Python's own exit code for an
uncaught exception is 1). ``--debug``, anywhere before ``--``, prints the traceback as well.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

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
    "pack": "tlsfence.cli.pack_cmd",
}
COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())

PASS, VIOLATIONS, INPUT_ERROR, INTERNAL_ERROR = 0, 1, 2, 3
#: The epilog of every command's ``--help``.
EXIT_CODES = ("exit codes: 0 pass; 1 violations found; 2 usage or input error (one line naming what and "
              "where); 3 internal error (a bug: one line, rerun with --debug for the traceback)")
_MAX_MESSAGE = 400


def one_line(text: object, limit: int = _MAX_MESSAGE) -> str:
    """``text`` on one line, at most ``limit`` characters (a 5,000-character argument stays readable)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


class _Parser(argparse.ArgumentParser):
    """argparse already exits 2 on usage errors; make its message one line too (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(INPUT_ERROR, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def _with_exit_codes(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` and every sub-command parser below it the exit-code epilog."""
    parser.epilog = parser.epilog or EXIT_CODES
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _with_exit_codes(child)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every sub-command registered (or just ``only``, when it names one)."""
    parser = _Parser(prog="tlsfence", description="TLS guardrails for Pulumi stacks and live endpoints.")
    parser.add_argument("--version", action="version", version=f"tlsfence {__version__}")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command, name in COMMANDS.items():
        if only in COMMANDS and command != only:
            continue
        importlib.import_module(name).add_parser(sub)
    _with_exit_codes(parser)
    return parser


def _split_debug(argv: list[str]) -> tuple[list[str], bool]:
    """``--debug`` is global: accepted anywhere before a ``--`` terminator."""
    end = argv.index("--") if "--" in argv else len(argv)
    rest = [a for a in argv[:end] if a != "--debug"] + argv[end:]
    return rest, len(rest) != len(argv)


#: Allocations between two young-generation collections in the CLI's own process (CPython's default: 700).
YOUNG_GC_THRESHOLD = 50_000


def _tune_collector() -> None:
    """The cyclic collector set for a process that imports a lot, runs one command and exits (not a library caller).

    Start-up allocates tens of thousands of long-lived objects (modules, classes, catalogs): with CPython's
    default threshold a ``verify`` runs ~40 young collections over them that find next to nothing to free
    (~4 ms). Once the command has returned, the interpreter's shutdown runs it over everything left and frees
    that object by object (~13 ms, a tenth of a whole ``verify`` at 0 ms RTT) for memory the OS takes back
    anyway: ``gc.freeze`` in an atexit call skips it. Registered before the command's modules are imported, that
    call runs after their atexit handlers; thread joins and the flushing of stdout/stderr happen as before. Only
    finalizers of objects still in reference cycles at exit do not run (Python does not promise them either).
    """
    gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    if argv is None:  # the process's own command line: it ends when we return (library callers pass argv)
        _tune_collector()
    argv, debug = _split_debug(list(sys.argv[1:] if argv is None else argv))
    try:
        first = next((a for a in argv if not a.startswith("-")), None)
        parser = build_parser(first)
        args = parser.parse_args(argv)
        return int(args.run(args))
    except TlsfenceError as e:
        if debug:
            traceback.print_exc()
        print(f"tlsfence: error: {one_line(e)}", file=sys.stderr)
        return INPUT_ERROR
    except KeyboardInterrupt:
        print("tlsfence: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return PASS
    except SystemExit as e:  # argparse (--help, --version, usage errors) and commands that exit themselves
        return e.code if isinstance(e.code, int) else (PASS if e.code is None else INPUT_ERROR)
    except Exception as e:  # a bug: one line and exit 3, never 1 (which means "violations found")
        if debug:
            traceback.print_exc()
        print(f"tlsfence: internal error: {one_line(f'{type(e).__name__}: {e}', 300)}, rerun with --debug for "
              "details", file=sys.stderr)
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
