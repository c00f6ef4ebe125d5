"""``tlsfence --help`` is built without the Pulumi SDK (or any other heavy dependency) in the process."""

import subprocess
import sys

HEAVY = ("pulumi", "pulumi_policy", "google", "grpc", "boto3", "botocore", "jsonschema", "cryptography")


def test_help_imports_no_pulumi():
    code = ("import sys\nfrom tlsfence.cli.main import build_parser\nhelp = build_parser().format_help()\n"
            "assert 'check' in help and 'audit' in help, help\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_help_exits_zero_and_lists_every_command():
    from tlsfence.cli.main import COMMANDS

    out = subprocess.run([sys.executable, "-m", "tlsfence", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert all(name in out.stdout for name in COMMANDS)
