"""tlsfence as users install it: a wheel built from this checkout, in fresh virtualenvs, run from outside the repo.

* **The wheel**: ``pip install tlsfence`` (no requirements.txt, no extras) into a venv without system
  packages; every command runs from an empty directory: it works, or (``audit`` without boto3) exits 2 with
  one line naming the extra.
* **The published pack**: ``policies/`` copied alone into an empty directory (what ``pulumi policy publish``
  uploads), its venv created and its ``requirements.txt`` installed there against the wheel (``--find-links``),
  then launched exactly as the Pulumi CLI does (``python -u -m pulumi.policy ENGINE PACK_DIR``, cwd the pack
  directory) and called over gRPC: ``GetAnalyzerInfo`` and ``Analyze``.

Dependencies come from the pip configuration already on the machine (no network); both venvs install only the
base dependencies, about 15 s each.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc

import tlsfence
from tests.policy import harness as h
from tlsfence.policy.engine import analyze_request, configure_request, diagnostics
from tlsfence.policy.rules import policy_names

INSTALL_TIMEOUT = 600
#: The environment of a user's shell: nothing pointing at this checkout.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120, env=ENV)
    return path / "bin" / "python"


def _pip(python: Path, *args: str, cwd: Path) -> None:
    out = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args],
                         cwd=cwd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, env=ENV)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (the build writes no files into the worktree)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md"):
        shutil.copy(h.ROOT / name, src / name)
    shutil.copytree(h.ROOT / "tlsfence", src / "tlsfence", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheels")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                            "-w", str(out), str(src)], capture_output=True, text=True, timeout=300, env=ENV)
    assert built.returncode == 0, built.stderr[-2000:]
    return out


def test_wheel_contents(wheelhouse):
    import zipfile

    (wheel,) = wheelhouse.glob("tlsfence-*.whl")
    assert wheel.name.startswith(f"tlsfence-{tlsfence.__version__}-py3-none-any")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tlsfence/py.typed" in names and "tlsfence/catalogs/profiles.json" in names
    data_in_tree = {p.relative_to(h.ROOT).as_posix() for p in (h.ROOT / "tlsfence").rglob("*.json")}
    assert data_in_tree <= names, data_in_tree - names
    meta = zipfile.ZipFile(wheel).read(f"tlsfence-{tlsfence.__version__}.dist-info/METADATA").decode()
    requires = [line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    base = {r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip() for r in requires if "extra ==" not in r}
    assert {"pulumi", "pulumi-policy", "jsonschema", "cryptography", "pyyaml", "certifi"} <= base
    assert "boto3" not in base and "pulumi-aws" not in base


@pytest.fixture(scope="session")
def user_venv(wheelhouse, tmp_path_factory) -> Path:
    """``pip install tlsfence`` into a venv without system site-packages; returns its bin directory."""
    home = tmp_path_factory.mktemp("user")
    python = _venv(home / "venv")
    _pip(python, "--find-links", str(wheelhouse), f"tlsfence=={tlsfence.__version__}", cwd=home)
    return python.parent


def _cli(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "tlsfence"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env=ENV)


def test_every_command_after_pip_install(user_venv, tmp_path):
    where = subprocess.run([str(user_venv / "python"), "-c", "import tlsfence, sys; print(tlsfence.__file__); "
                            "import importlib.util as u; print(u.find_spec('boto3'))"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60, env=ENV)
    assert where.stdout.splitlines() == [f"{user_venv.parent}/lib/python3.11/site-packages/tlsfence/__init__.py",
                                         "None"], where.stderr
    assert _cli(user_venv, "--version", cwd=tmp_path).stdout.strip() == f"tlsfence {tlsfence.__version__}"
    helped = _cli(user_venv, "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "check" in helped.stdout and helped.stderr == ""
    assert _cli(user_venv, "nope", cwd=tmp_path).returncode == 2
    profiles = _cli(user_venv, "profiles", cwd=tmp_path)
    assert profiles.returncode == 0 and "partner-tls-2024-12-03" in profiles.stdout
    catalog = _cli(user_venv, "catalog", "aws", "--format", "json", cwd=tmp_path)
    assert catalog.returncode == 0 and json.loads(catalog.stdout)[0]["platform"].startswith("aws-")
    packed = _cli(user_venv, "pack", "pack", cwd=tmp_path)
    assert packed.returncode == 0 and (tmp_path / "pack" / "requirements.txt").read_text().endswith(
        f"tlsfence=={tlsfence.__version__}\n")
    shutil.copy(h.ROOT / "tests" / "check" / "data" / "state.json", tmp_path / "state.json")
    checked = _cli(user_venv, "check", "--from-state", "state.json", "--format", "json", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert json.loads(checked.stdout)["summary"]["mandatory"] >= 1
    verified = _cli(user_venv, "verify", "t.test:1", "--ip", "127.0.0.1", "--timeout", "1", "--no-revocation",
                    "--format", "json", cwd=tmp_path)
    assert verified.returncode == 1 and json.loads(verified.stdout)[0]["verdict"] == "unverifiable"
    audit = _cli(user_venv, "audit", "aws", "--region", "us-east-1", cwd=tmp_path)
    assert audit.returncode == 2 and audit.stdout == ""
    assert audit.stderr == "tlsfence: error: the AWS audit needs boto3: pip install 'tlsfence[aws]'\n"


def test_published_pack_installs_and_answers_over_grpc(wheelhouse, tmp_path):
    pack = tmp_path / "package"  # what `pulumi policy publish` tars and Pulumi unpacks: the pack directory only
    shutil.copytree(h.ROOT / "policies", pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    python = _venv(pack / "venv")  # PulumiPolicy.yaml: runtime.options.virtualenv = venv
    _pip(python, "-r", "requirements.txt", "--find-links", str(wheelhouse), cwd=pack)
    proc = subprocess.Popen([str(python), "-u", "-m", "pulumi.policy", "127.0.0.1:1", str(pack)], cwd=pack,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout=120), "the pack printed no port in time"
        port = int(proc.stdout.readline().decode().strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=60)
        stub = analyzer_pb2_grpc.AnalyzerStub(channel)
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
        assert info.name == "tlsfence" and [p.name for p in info.policies] == policy_names()
        stub.Configure(configure_request({"all": "mandatory"}), timeout=30)  # the advisory twin stays advisory
        weak = h.wire(h.LISTENER, "weak", {"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-2016-08"})
        res = h.wire(h.LISTENER, "res", {"protocol": "HTTPS", "port": 443, "sslPolicy": h.RES})
        got = [(d.policy, d.level) for r in (weak, res)
               for d in diagnostics(stub.Analyze(analyze_request(r), timeout=30), r.urn)]
        assert got == [("tlsfence-elbv2-listener", "mandatory"), ("tlsfence-elbv2-listener-advisory", "advisory")]
        channel.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
