"""Where a judging command's report goes: stdout (coloured only on a terminal), ``--output-file``, ``--quiet``.

``--output-file`` is written atomically (a temporary file in the same directory, then ``os.replace``), so a CI
step that uploads it never sees half a report, and a failed run leaves the previous file intact. Colour
follows https://no-color.org: only when stdout is a terminal, never when ``NO_COLOR`` is set (to anything
but the empty string), never in JSON, SARIF or files.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from tlsfence.errors import InputError

_RED, _YELLOW, _GREEN, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[0m"
#: Words a text report uses for verdicts and levels, longest first so that ``conforming`` does not eat
#: ``conforming-with-excess``.
_COLOURS = {
    "conforming-with-excess": _YELLOW, "nonconforming": _RED, "unverifiable": _RED, "not-terminated": _YELLOW,
    "conforming": _GREEN, "mandatory": _RED, "advisory": _YELLOW, "FAIL": _RED, "PASS": _GREEN,
}
_WORDS = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(_COLOURS, key=len, reverse=True))) + r")(?![\w-])")


def add_output_options(p: argparse.ArgumentParser) -> None:
    """Add ``--output-file`` and ``--quiet``."""
    p.add_argument("--output-file", metavar="FILE",
                   help="write the report (in --format) to FILE, atomically, instead of stdout")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print no report on stdout (errors still go to stderr; the exit code tells the verdict)")


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set."""
    if os.environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colourize(text: str) -> str:
    """Verdict and level words in ANSI colours."""
    return _WORDS.sub(lambda m: f"{_COLOURS[m.group(1)]}{m.group(1)}{_RESET}", text)


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, nothing between."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"--output-file {path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"--output-file {path}: cannot write: {e.strerror or e}") from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(args: argparse.Namespace, text: str, *, fmt: str = "text", out: TextIO | None = None) -> None:
    """Deliver one report: to ``--output-file`` if given, else to ``out`` (stdout) unless ``--quiet``."""
    if not text.endswith("\n"):
        text += "\n"
    path = getattr(args, "output_file", None)
    if path:
        write_atomically(path, text)
        return
    if getattr(args, "quiet", False):
        return
    stream = out or sys.stdout
    stream.write(colourize(text) if fmt == "text" and use_colour(stream) else text)
