"""Fixtures: a moto server per module (started and stopped here) and a helper that runs the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from tests.audit.moto_server import CREDS, moto_server
from tests.audit.scenario import build

CLI_TIMEOUT = 60


@dataclass(frozen=True)
class CliRun:
    """One ``tlsfence audit aws`` subprocess run."""

    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)


def run_cli(*args: str, env: Mapping[str, str] | None = None, creds: bool = True) -> CliRun:
    """Run ``python -m tlsfence.cli.main audit aws ARGS`` with dummy credentials (unless ``creds`` is False)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base.update({"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                 "AWS_EC2_METADATA_DISABLED": "true"})
    if creds:
        base.update(CREDS)
    proc = subprocess.run([sys.executable, "-m", "tlsfence.cli.main", "audit", "aws", *args],
                          env={**base, **(env or {})}, capture_output=True, text=True, timeout=CLI_TIMEOUT)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def account() -> Iterator[tuple[str, dict[str, Any]]]:
    """A moto server holding the scenario account: (endpoint URL, identifiers)."""
    with moto_server() as url:
        yield url, build(url)


@pytest.fixture(scope="module")
def audit_json(account: tuple[str, dict[str, Any]]) -> CliRun:
    """The JSON audit of the scenario account (run once per module)."""
    return run_cli("--endpoint-url", account[0], "--format", "json")
