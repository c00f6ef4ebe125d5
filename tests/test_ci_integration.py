"""CI integration as users wire it: the pre-commit hook through ``pre-commit try-repo``, the GitHub Action's step.

The hook runs for real: a temporary copy of this project (the hook repository, committed) is tried on two
temporary git repositories holding a Pulumi program each; pre-commit builds its own environment from the hook
repository (``language: python``) and runs ``tlsfence check``. A nonconforming program fails the hook, a
conforming one passes. The programs register resources by type token (``pulumi.CustomResource``), so the hook
environment needs no provider SDK. The action's ``tlsfence check`` step is run as bash, as the runner does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.policy import harness as h

RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
PROGRAM = '''import pulumi

pulumi.CustomResource("aws:lb/listener:Listener", "edge", {{
    "loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1",
    "port": 443, "protocol": "HTTPS", "sslPolicy": "{policy}",
    "certificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
    "defaultActions": [{{"type": "fixed-response", "fixedResponse": {{"contentType": "text/plain",
                                                                   "statusCode": "200"}}}}],
}})
'''
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60,
                   env={**ENV, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


def _project(root: Path, policy: str, subdir: str = "") -> Path:
    """A git repository with a Pulumi program at ``subdir`` (try-repo runs the hook without args: the root)."""
    (root / subdir).mkdir(parents=True)
    (root / subdir / "Pulumi.yaml").write_text("name: edge\nruntime: python\n")
    (root / subdir / "__main__.py").write_text(PROGRAM.format(policy=policy))
    _git("init", "-q", cwd=root)
    _git("add", "-A", cwd=root)
    _git("commit", "-qm", "program", cwd=root)
    return root


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This project as a hook repository: what `repo:` in .pre-commit-config.yaml points at."""
    repo = tmp_path_factory.mktemp("hookrepo")
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md", ".pre-commit-hooks.yaml"):
        shutil.copy(h.ROOT / name, repo / name)
    shutil.copytree(h.ROOT / "tlsfence", repo / "tlsfence", ignore=shutil.ignore_patterns("__pycache__"))
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "hook", cwd=repo)
    return repo


def _try_repo(hook_repo: Path, project: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "tlsfence-check",
                           "--all-files", "--verbose"], cwd=project, capture_output=True, text=True, timeout=600,
                          env={**ENV, "PRE_COMMIT_HOME": str(home)})


def test_hook_definition():
    (hook,) = yaml.safe_load((h.ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "tlsfence-check" and hook["entry"] == "tlsfence check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def test_pre_commit_try_repo_fails_nonconforming_and_passes_conforming(hook_repo, tmp_path):
    home = tmp_path / "pre-commit-home"
    bad = _project(tmp_path / "bad", "ELBSecurityPolicy-2016-08")
    out = _try_repo(hook_repo, bad, home)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "tlsfence check" in out.stdout and "Failed" in out.stdout
    assert "[mandatory] tlsfence-elbv2-listener" in out.stdout and "ELBSecurityPolicy-2016-08" in out.stdout
    good = _project(tmp_path / "good", RES)
    out = _try_repo(hook_repo, good, home)  # the same hook environment, reused
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Passed" in out.stdout


def test_action_check_step_writes_sarif_and_reports_the_exit_code(tmp_path):
    action = yaml.safe_load((h.ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {s.get("id") or s.get("name"): s for s in action["runs"]["steps"]}
    assert steps["Upload SARIF to code scanning"]["uses"].startswith("github/codeql-action/upload-sarif@")
    project = _project(tmp_path / "ws", "ELBSecurityPolicy-2016-08", "infra")
    output = tmp_path / "github_output"
    env = {**os.environ, "PYTHONPATH": str(h.ROOT), "DIRECTORY": "infra", "STACK": "", "ARGS": "",
           "SARIF": "tlsfence.sarif", "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(project),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = subprocess.run(["bash", "-e", "-c", steps["check"]["run"]], cwd=project, capture_output=True, text=True,
                         timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    assert output.read_text() == "exit-code=1\n"
    log = json.loads((project / "tlsfence.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"infra/__main__.py"}
    assert "error: infra/__main__.py:" in run.stdout
