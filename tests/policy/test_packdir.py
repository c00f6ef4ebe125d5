"""One version number, and ``policies/`` is exactly the pack ``tlsfence pack`` writes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

import tlsfence
from tests.policy.harness import ROOT
from tlsfence.policy.packdir import pack_files


def test_one_version_number():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["dynamic"]["version"] == {"attr": "tlsfence.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", tlsfence.__version__)
    pack = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())
    assert pack["version"] == tlsfence.__version__
    reqs = [line for line in (ROOT / "policies" / "requirements.txt").read_text().splitlines()
            if line and not line.startswith("#")]
    assert reqs == [f"tlsfence=={tlsfence.__version__}"]
    assert f"## {tlsfence.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_policies_dir_is_the_written_pack():
    files = pack_files()
    assert {p.name: p.read_text() for p in (ROOT / "policies").iterdir() if p.is_file()} == files
    runtime = yaml.safe_load(files["PulumiPolicy.yaml"])["runtime"]
    assert runtime == {"name": "python", "options": {"virtualenv": "venv"}}
    assert ".." not in files["requirements.txt"] and "-e" not in files["requirements.txt"]


def _pack(*args, cwd):
    return subprocess.run([sys.executable, "-m", "tlsfence", "pack", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_pack_command_writes_refuses_and_forces(tmp_path):
    out = _pack("mypack", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert {p.name: p.read_text() for p in (tmp_path / "mypack").iterdir()} == pack_files()
    assert "pulumi policy publish" in out.stdout
    assert _pack("mypack", cwd=tmp_path).returncode == 0  # same content: nothing to refuse
    (tmp_path / "mypack" / "requirements.txt").write_text("tlsfence==0.0.0\n")
    out = _pack("mypack", cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.strip() == (
        "tlsfence: error: mypack: would overwrite requirements.txt (different content); pass --force")
    assert _pack("mypack", "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "mypack" / "requirements.txt").read_text() == pack_files()["requirements.txt"]
    (tmp_path / "file").write_text("x")
    out = _pack("file", cwd=tmp_path)
    assert out.returncode == 2 and "exists and is not a directory" in out.stderr
    assert _pack(cwd=tmp_path).returncode == 0 and (tmp_path / "tlsfence-policy" / "__main__.py").exists()
