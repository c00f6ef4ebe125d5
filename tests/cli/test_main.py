"""``tlsfence.cli.main``: exit codes 0/1/2/3, one line per error, a traceback only with ``--debug``."""

import subprocess
import sys

import pytest

from tlsfence.cli import main as cli
from tlsfence.cli import profiles_cmd
from tlsfence.errors import InputError


def _boom(args):
    raise KeyError("surprise")


def _bad_input(args):
    raise InputError("x.json: at steps[0].urn: expected a URN")


def test_a_bug_is_exit_3_one_line_without_traceback(monkeypatch, capsys):
    monkeypatch.setattr(profiles_cmd, "run", _boom)
    assert cli.main(["profiles"]) == 3
    err = capsys.readouterr().err
    assert err == "tlsfence: internal error: KeyError: 'surprise', rerun with --debug for details\n"


@pytest.mark.parametrize("argv", [["--debug", "profiles"], ["profiles", "--debug"]])
def test_debug_anywhere_adds_the_traceback(monkeypatch, capsys, argv):
    monkeypatch.setattr(profiles_cmd, "run", _boom)
    assert cli.main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "KeyError: 'surprise'" in err
    assert err.endswith("rerun with --debug for details\n")


def test_input_error_is_exit_2_one_line(monkeypatch, capsys):
    monkeypatch.setattr(profiles_cmd, "run", _bad_input)
    assert cli.main(["profiles"]) == 2
    assert capsys.readouterr().err == "tlsfence: error: x.json: at steps[0].urn: expected a URN\n"


@pytest.mark.parametrize(("argv", "start"), [
    (["nope"], "tlsfence: error: argument COMMAND: invalid choice: 'nope'"),
    (["check", "--format", "xml"], "tlsfence check: error: argument --format: invalid choice: 'xml'"),
    (["audit", "aws", "--bogus"], "tlsfence: error: unrecognized arguments: --bogus"),
    (["verify", "--concurrency", "x"], "tlsfence verify: error: argument --concurrency: invalid int value: 'x'"),
    (["verify", "a.test", "--concurrency", "1025"],
     "tlsfence: error: --concurrency must be between 1 and 1024, not 1025"),
    (["verify", "a.test", "--concurrency", "0"], "tlsfence: error: --concurrency must be between 1 and 1024, not 0"),
    ([], "tlsfence: error: the following arguments are required: COMMAND"),
])
def test_usage_errors_are_exit_2_one_line(capsys, argv, start):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(start) and err.count("\n") == 1, err


def test_a_5000_character_argument_is_cut_in_the_message(capsys):
    assert cli.main(["check", "--format", "x" * 5000]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 500 and err.startswith("tlsfence check: error: argument --format")


@pytest.mark.parametrize("argv", [[], ["profiles"], ["catalog"], ["check"], ["verify"], ["audit"], ["audit", "aws"]])
def test_every_help_documents_the_exit_codes(capsys, argv):
    with pytest.raises(SystemExit) as done:
        cli.build_parser(argv[0] if argv else None).parse_args([*argv, "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 pass; 1 violations found; 2 usage or input error" in out and "3 internal error" in out


def test_help_and_version_exit_0(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("tlsfence ")
    assert cli.main(["check", "--help"]) == 0


def test_console_entry_exit_code_is_the_process_status(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [{"newState": {"urn": 5, "type": "t"}}]}')
    out = subprocess.run([sys.executable, "-m", "tlsfence", "check", "--from-preview", str(bad)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr == (f"tlsfence: error: {bad}: steps[0].newState.urn: expected a URN "
                          "'urn:pulumi:STACK::PROJECT::TYPE::NAME', got 5\n")


def test_the_collector_is_tuned_for_the_own_command_line_only():
    """A library caller (``main(argv)``) keeps its collector as it was; the CLI process's own run tunes it."""
    code = ("import gc, sys\nfrom tlsfence.cli.main import YOUNG_GC_THRESHOLD, main\n"
            "default = gc.get_threshold()\nmain(['--version'])\nlibrary = gc.get_threshold()\n"
            "sys.argv = ['tlsfence', '--version']\nmain()\n"
            "print(default == library, gc.get_threshold() == (YOUNG_GC_THRESHOLD, *default[1:]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "True True"
