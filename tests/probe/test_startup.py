"""What ``tlsfence verify`` loads before it probes and for its report: the start-up that is not probing.

At 0 ms RTT most of a ``verify`` is interpreter start-up and imports (issue 13), so the heavy or unneeded modules
stay out of the path before :func:`~tlsfence.probe.verify.verify_target` starts: ``cryptography`` is imported on
the certificate thread while the enumeration runs, SARIF only for ``--format sarif``, TOML/YAML/jsonschema only
when such a file is read. Each case runs in a fresh interpreter and looks at ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Never loaded before the probing starts (top-level packages, or exact module names).
NOT_BEFORE_PROBING = ("cryptography", "certifi", "jsonschema", "yaml", "tomllib", "pulumi", "boto3", "botocore",
                      "email", "http", "urllib.request", "tlsfence.sarif", "tlsfence.probe.certificate",
                      "tlsfence.probe.revocation", "tlsfence.probe.stack", "tlsfence.probe.output",
                      "tlsfence.catalog", "tlsfence.analyzers")

# Modules the interpreter had before tlsfence ran (site hooks of the environment: the sandbox's .pth files import
# certifi, for one) are left out: only what tlsfence imports is judged.
_STOPPED = """
import json, sys
before = set(sys.modules)
import tlsfence.probe.verify as verify
seen = []
def stop(*args):
    seen.extend(sorted(set(sys.modules) - before))
    raise RuntimeError("stopped before probing")
verify.verify_target = stop
from tlsfence.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": seen}))
"""


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted({n for n in names for m in modules if m == n or m.startswith(n + ".")})


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_nothing_heavy_is_imported_before_probing(pki, fmt):
    argv = ["verify", "server.test:443", "--ip", "127.0.0.1", "--ca-file", pki.ca, "--format", fmt]
    out = subprocess.run([sys.executable, "-c", _STOPPED, *argv], capture_output=True, text=True, timeout=60)
    report = json.loads(out.stdout)
    assert report["code"] == 3 and "stopped before probing" in out.stderr  # the stub ran: probing was next
    assert "tlsfence.probe.enumerate" in report["modules"]
    assert _loaded(report["modules"], NOT_BEFORE_PROBING) == []


_WHOLE_RUN = """
import json, sys
before = set(sys.modules)
from tlsfence.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(set(sys.modules) - before)}))
"""


@pytest.mark.parametrize(("fmt", "absent"), [
    ("json", ("tlsfence.sarif", "tomllib", "yaml", "jsonschema")),
    ("text", ("tlsfence.sarif", "tomllib", "yaml", "jsonschema")),
    ("sarif", ("tomllib", "yaml", "jsonschema")),
])
def test_a_whole_run_loads_only_the_writer_it_uses(nginx, pki, tmp_path, fmt, absent):
    report_file = tmp_path / "report.out"
    argv = ["verify", f"server.test:{nginx['allowed6']}", "--ip", "127.0.0.1", "--ca-file", pki.ca, "--format", fmt,
            "--no-revocation", "--output-file", str(report_file)]
    out = subprocess.run([sys.executable, "-c", _WHOLE_RUN, *argv], capture_output=True, text=True, timeout=120)
    result = json.loads(out.stdout)
    assert result["code"] == 0, out.stderr
    assert "cryptography.x509" in result["modules"]  # the certificates were judged: a real run, not a stub
    assert _loaded(result["modules"], absent) == []
    written = report_file.read_text()
    if fmt == "json":
        assert json.loads(written)[0]["verdict"] == "conforming"
    elif fmt == "sarif":
        assert "tlsfence.sarif" in result["modules"]
        assert json.loads(written)["runs"][0]["tool"]["driver"]["name"] == "tlsfence verify"
    else:
        assert ": conforming  [profile " in written
