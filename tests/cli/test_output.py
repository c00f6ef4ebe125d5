"""``--output-file`` (atomic), ``--quiet`` and colour (a terminal only, never with NO_COLOR) on check, verify, audit."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.policy.harness import ROOT
from tlsfence.cli.output import colourize, use_colour, write_atomically
from tlsfence.errors import InputError

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("NO_COLOR", None)
CHECK = ["check", "--from-state", str(ROOT / "tests" / "check" / "data" / "state.json")]  # no program run: fast
VERIFY = ["verify", "t.test:1", "--ip", "127.0.0.1", "--timeout", "1", "--no-revocation"]  # refused: unverifiable
AUDIT = ["audit", "aws", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1"]


def _run(*args, env=ENV, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tlsfence", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=cwd)


@pytest.mark.parametrize(("args", "code"), [(CHECK, 1), (VERIFY, 1)])
def test_output_file_and_quiet(tmp_path, args, code):
    target = tmp_path / "report.json"
    out = _run(*args, "--format", "json", "--output-file", str(target))
    assert out.returncode == code, out.stderr
    assert out.stdout == "" and json.loads(target.read_text())
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind
    quiet = _run(*args, "--quiet")
    assert quiet.returncode == code and quiet.stdout == ""


def test_audit_accepts_output_file_and_writes_nothing_on_error(tmp_path):
    env = {**ENV, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_CONFIG_FILE": os.devnull,
           "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1"}
    target = tmp_path / "audit.sarif"
    out = _run(*AUDIT, "--format", "sarif", "--output-file", str(target), "--quiet", env=env)
    assert out.returncode == 2 and out.stderr.startswith("tlsfence: error: ")
    assert not target.exists()


def test_output_file_in_a_missing_directory_is_a_usage_error(tmp_path):
    out = _run(*CHECK, "--output-file", str(tmp_path / "no" / "r.txt"))
    assert out.returncode == 2 and out.stderr.strip() == (
        f"tlsfence: error: --output-file {tmp_path / 'no' / 'r.txt'}: directory {tmp_path / 'no'} does not exist")


def test_atomic_write_keeps_the_old_file_when_the_new_one_fails(tmp_path):
    target = tmp_path / "r.txt"
    write_atomically(target, "old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "half \ud800 written")  # fails while writing
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["r.txt"]
    with pytest.raises(InputError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "r.txt", "x")


class _Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("stream", "no_color", "expected"), [
    (_Tty(), None, True), (_Tty(), "1", False), (_Tty(), "", True), (io.StringIO(), None, False),
])
def test_use_colour(monkeypatch, stream, no_color, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert use_colour(stream) is expected


def test_colourize_words_not_parts_of_words():
    text = colourize("conforming-with-excess nonconforming conforming PASS tlsfence-x-advisory")
    assert text.startswith("\x1b[33mconforming-with-excess\x1b[0m \x1b[31mnonconforming\x1b[0m "
                           "\x1b[32mconforming\x1b[0m \x1b[32mPASS\x1b[0m")
    assert text.endswith(" tlsfence-x-advisory")


def _on_a_terminal(args, env):
    """Run with stdout on a pseudo-terminal, reading it while the command runs (a full pty would block it)."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO once the child side is closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "tlsfence", *args], stdout=slave, stderr=subprocess.PIPE,
                              timeout=120, env=env, cwd=ROOT)
    finally:
        os.close(slave)
        reader.join(timeout=30)
        os.close(master)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_on_a_terminal_only_and_never_with_no_color():
    code, text = _on_a_terminal(CHECK, ENV)
    assert code == 1 and "\x1b[31mFAIL\x1b[0m" in text
    code, text = _on_a_terminal(CHECK, {**ENV, "NO_COLOR": "1"})
    assert code == 1 and "\x1b[" not in text and "FAIL" in text
    code, text = _on_a_terminal([*CHECK, "--format", "json"], ENV)
    assert "\x1b[" not in text and json.loads(text)
    piped = _run(*CHECK)
    assert "\x1b[" not in piped.stdout and "FAIL" in piped.stdout


def test_every_judging_command_has_the_options():
    for command in (["check"], ["verify"], ["audit", "aws"]):
        out = _run(*command, "--help")
        assert out.returncode == 0
        for flag in ("--output-file", "--quiet", "--sarif-root", "--format"):
            assert flag in out.stdout, (command, flag)
    assert "--output-file" not in _run("catalog", "--help").stdout
    assert Path(ROOT / "tlsfence" / "cli" / "output.py").exists()
