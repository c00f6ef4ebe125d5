"""Fixtures: a moto server per module (started and stopped here) and a helper that runs the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.audit.moto_server import CREDS, MotoProcess
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


#: The installed entry point's module; ``tlsfence.audit.cli`` is the same parser and ``run`` without the other
#: sub-commands (whose imports, Pulumi among them, cost about a second per process).
MAIN, STANDALONE = ("tlsfence.cli.main", "audit"), ("tlsfence.audit.cli",)


def run_cli(*args: str, env: Mapping[str, str] | None = None, creds: bool = True,
            entry: tuple[str, ...] = STANDALONE, timeout: float = CLI_TIMEOUT) -> CliRun:
    """Run ``python -m <entry> aws ARGS`` with dummy credentials (unless ``creds`` is False)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base.update({"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                 "AWS_EC2_METADATA_DISABLED": "true"})
    if creds:
        base.update(CREDS)
    proc = subprocess.run([sys.executable, "-m", *entry, "aws", *args],
                          env={**base, **(env or {})}, capture_output=True, text=True, timeout=timeout)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


#: Environment of the server that enforces IAM after its first six requests (the set-up of two users).
AUTH_ENV = {"INITIAL_NO_AUTH_ACTION_COUNT": "6"}


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, MotoProcess]]:
    """Three moto servers booted in parallel (boot time dominates): the scenario, a spare, and one enforcing IAM."""
    procs: dict[str, MotoProcess] = {}
    try:
        for name, env in (("scenario", None), ("spare", None), ("auth", AUTH_ENV)):
            procs[name] = MotoProcess(env)
        yield procs
    finally:
        for proc in procs.values():
            proc.proc.terminate()
        for proc in procs.values():
            proc.stop()


@pytest.fixture(scope="session")
def account(servers: dict[str, MotoProcess]) -> tuple[str, dict[str, Any]]:
    """The scenario account: (endpoint URL, identifiers)."""
    url = servers["scenario"].wait_ready()
    return url, build(url)


@pytest.fixture(scope="session")
def spare_server(servers: dict[str, MotoProcess]) -> str:
    """An empty moto server shared by tests that each use their own region of it (CloudFront stays empty)."""
    return servers["spare"].wait_ready()


@pytest.fixture(scope="session")
def auth_server(servers: dict[str, MotoProcess]) -> str:
    """A moto server that enforces IAM after the first six requests."""
    return servers["auth"].wait_ready()


def run_many(*runs: tuple[str, ...]) -> list[CliRun]:
    """Several CLI runs at once (each is mostly interpreter start-up)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda a: run_cli(*a), runs))


@pytest.fixture(scope="session")
def audit_json(account: tuple[str, dict[str, Any]]) -> CliRun:
    """The JSON audit of the scenario account (run once per module)."""
    return run_cli("--endpoint-url", account[0], "--format", "json", entry=MAIN)
