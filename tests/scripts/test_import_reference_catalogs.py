"""scripts/import_reference_catalogs.py rebuilds the shipped provider catalogs from catalogs-src/ alone."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "import_reference_catalogs.py"
CATALOGS = ROOT / "tlsfence" / "catalogs"


def _module():
    spec = importlib.util.spec_from_file_location("import_reference_catalogs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rebuild_reproduces_the_shipped_catalogs_byte_for_byte():
    built = _module().build()
    assert sorted(built) == sorted(_module().BUILT)
    for name, text in built.items():
        assert (CATALOGS / name).read_text(encoding="utf-8") == text, f"{name}: rerun the import script"
        assert json.loads(text)["reference"].startswith("catalogs-src/"), name


def test_rebuild_needs_nothing_outside_the_repository(tmp_path):
    """A copy holding only scripts/ and catalogs-src/ (no ../shared) rebuilds the same files; --check agrees."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / "scripts")
    shutil.copytree(ROOT / "catalogs-src", repo / "catalogs-src")
    out = repo / "tlsfence" / "catalogs"
    out.mkdir(parents=True)
    run = subprocess.run([sys.executable, str(repo / "scripts" / SCRIPT.name)], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in _module().BUILT:
        assert (out / name).read_bytes() == (CATALOGS / name).read_bytes(), name
    check = [sys.executable, str(repo / "scripts" / SCRIPT.name), "--check"]
    assert subprocess.run(check, capture_output=True, timeout=60).returncode == 0
    (out / "aws_cloudfront.json").write_text("{}\n")
    stale = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert stale.returncode == 1 and "aws_cloudfront.json differs" in stale.stderr
