"""SARIF that GitHub code scanning shows correctly: repository-relative URIs, severities, tags, fingerprints.

``tlsfence check`` runs on a program inside a temporary git repository, invoked from outside it; the log is
validated against the OASIS SARIF 2.1.0 schema kept in tests/check/data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.policy.harness import PROGRAMS, ROOT
from tlsfence.errors import InputError
from tlsfence.sarif import artifact_uri, fingerprint, repository_root

SCHEMA = json.loads((ROOT / "tests" / "check" / "data" / "sarif-schema-2.1.0.json").read_text())
STATE = ROOT / "tests" / "check" / "data" / "state.json"


def _tlsfence(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tlsfence", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A git repository holding a nonconforming program at infra/."""
    top = tmp_path_factory.mktemp("sarif") / "repo"
    shutil.copytree(PROGRAMS / "aws_mix", top / "infra")
    subprocess.run(["git", "init", "-q", str(top)], check=True, timeout=30)
    return top


def _assert_code_scanning_ready(log):
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        props = rule["properties"]
        assert 0.0 <= float(props["security-severity"]) <= 10.0 and isinstance(props["security-severity"], str)
        assert "security" in props["tags"] and "tls" in props["tags"]
    for result in run["results"]:
        assert len(result["partialFingerprints"]["tlsfenceFinding/v1"]) == 32
        for loc in result["locations"]:
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
            if uri is not None:
                assert not uri.startswith("/") and ":" not in uri, uri


def test_check_uris_relative_to_the_git_top_level(repo):
    out = _tlsfence("check", str(repo / "infra"), "--format", "sarif", cwd=repo.parent)  # run from outside
    assert out.returncode == 1, out.stderr
    log = json.loads(out.stdout)
    _assert_code_scanning_ready(log)
    results = log["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == \
        {"infra/__main__.py"}
    severities = {r["id"]: r["properties"]["security-severity"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert severities["tlsfence-elbv2-listener"] == "7.5" and severities["tlsfence-elbv2-listener-advisory"] == "4.0"
    again = json.loads(_tlsfence("check", "infra", "--format", "sarif", cwd=repo).stdout)
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == \
        [r["partialFingerprints"] for r in results]
    assert len({r["partialFingerprints"]["tlsfenceFinding/v1"] for r in results}) == len(results)


def test_sarif_root_option(repo):
    out = _tlsfence("check", "repo/infra", "--format", "sarif", "--sarif-root", ".", cwd=repo.parent)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out.stdout)["runs"][0]["results"]}
    assert uris == {"repo/infra/__main__.py"}
    bad = _tlsfence("check", "repo/infra", "--format", "sarif", "--sarif-root", "nope", cwd=repo.parent)
    assert bad.returncode == 2 and bad.stderr.strip() == "tlsfence: error: --sarif-root nope: not a directory"


def test_state_positions_are_project_relative(repo):
    """``project:///__main__.py#N`` from a state file resolves against the project directory (DIR)."""
    out = _tlsfence("check", "infra", "--from-state", str(STATE), "--format", "sarif", cwd=repo)
    assert out.returncode == 1, out.stderr
    log = json.loads(out.stdout)
    _assert_code_scanning_ready(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert uris and all(u == "infra/__main__.py" for u in uris if u.endswith("__main__.py"))


def test_verify_and_audit_rules_are_ranked():
    from tlsfence.audit.aws_audit import AuditReport
    from tlsfence.audit.report import to_sarif
    from tlsfence.probe.output import sarif

    for log in (sarif([]), to_sarif(AuditReport(account="1", regions=["us-east-1"]))):
        _assert_code_scanning_ready(log)
        assert log["runs"][0]["tool"]["driver"]["rules"]


@pytest.mark.parametrize(("location", "expected"), [
    ("file:///r/infra/__main__.py", "infra/__main__.py"),
    ("project:///__main__.py", "infra/__main__.py"),
    ("/r/infra/a%20b.py", "infra/a%2520b.py"),
    ("/r/infra/a b.py", "infra/a%20b.py"),
    ("/elsewhere/x.py", "../elsewhere/x.py"),
    ("r/infra/__main__.py", "infra/__main__.py"),  # a relative path is relative to the working directory
])
def test_artifact_uri_is_never_absolute(location, expected, monkeypatch):
    monkeypatch.chdir("/")
    assert artifact_uri(location, Path("/r"), base="/r/infra") == expected


def test_artifact_uri_rejects_urls():
    with pytest.raises(ValueError):
        artifact_uri("https://example.test/", Path("/r"))


def test_repository_root(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert repository_root(start=tmp_path / "a" / "b") == (tmp_path / "a" / "b").resolve()  # no git: start
    (tmp_path / "a" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    assert repository_root(start=tmp_path / "a" / "b") == (tmp_path / "a").resolve()
    assert repository_root(tmp_path, start=tmp_path / "a" / "b") == tmp_path.resolve()
    with pytest.raises(InputError, match="not a directory"):
        repository_root(tmp_path / "missing")


def test_fingerprint_depends_on_what_not_where():
    assert fingerprint("r", "urn", "m") == fingerprint("r", "urn", "m")
    assert fingerprint("r", "urn", "m") != fingerprint("r", "urn2", "m")
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
