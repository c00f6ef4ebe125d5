"""Run components under mocks and judge what they registered three ways: the analyzers, the policy pack's
servicer (the engine's own protocol, no CLI) and ``tlsfence check`` as a subprocess."""

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tlsfence.analyzers import analyze_stack
from tlsfence.check.inputs import from_registrations
from tlsfence.policy.engine import analyze_request, analyze_stack_request, configure_request, diagnostics, make_servicer
from tlsfence.profiles import load_profile
from tlsfence.program.recorder import run_under_mocks, to_stack

PROFILE = load_profile()
REPO = Path(__file__).resolve().parents[2]
GCP_CONFIG = {"gcp:project": "partner-project"}

ELBV2_EXCESS = ("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384")
ELBV2_EXCESS_RSA = ("ECDHE-RSA-AES256-GCM-SHA384",)
V2_EXCESS = ("AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256",
             "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
             "ECDHE-RSA-AES256-SHA384")
CUSTOM = ("CUSTOM/TLS_1_2[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]")


def build(factory: Callable[[], Any], config: dict[str, str] | None = None) -> tuple[Any, list]:
    """Run ``factory`` as a program under mocks: (what it returned, the registrations)."""
    box: dict[str, Any] = {}

    def program() -> None:
        box["made"] = factory()

    regs = run_under_mocks(program, config=config or {})
    return box.get("made"), regs


def exposures(regs: list, profile: Any = PROFILE) -> list:
    """Every exposure the analyzers find in the registrations (joins through the whole stack)."""
    return analyze_stack(to_stack(regs), profile)


def verdicts(regs: list) -> dict[tuple[str, str], tuple[str, tuple[str, ...], str]]:
    """(type, name) → (verdict, excess, level) for every exposure."""
    return {(e.type, e.name): (e.decision.verdict.value, e.decision.excess, e.level()) for e in exposures(regs)}


def pack(regs: list, *, strict: bool = False) -> list:
    """Diagnostics of the policy pack's servicer over the registrations (Analyze per resource, then the stack)."""
    servicer = make_servicer()
    servicer.Configure(configure_request(None, {"strict": True} if strict else None), None)
    resources, _ = from_registrations(regs)
    out = []
    for res in resources:  # what the engine does: Analyze every resource, then AnalyzeStack once
        out.extend(diagnostics(servicer.Analyze(analyze_request(res), None), res.urn))
    return out + diagnostics(servicer.AnalyzeStack(analyze_stack_request(resources), None))


def mandatory(diagnostics: list) -> list:
    """The mandatory diagnostics only."""
    return [d for d in diagnostics if d.level == "mandatory"]


def children_of(regs: list, component_type: str) -> list:
    """Registrations whose parent is a component of ``component_type``."""
    return [r for r in regs if r.parent and r.parent.split("::")[-2].endswith(component_type)]


def check(directory: Path, *args: str) -> tuple[int, dict]:
    """``tlsfence check DIR --format json`` as a subprocess: (exit code, parsed report)."""
    proc = subprocess.run([sys.executable, "-m", "tlsfence", "check", str(directory), "--format", "json", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def write_project(directory: Path, program: str, name: str = "components-under-check") -> Path:
    """A Pulumi project (Pulumi.yaml + __main__.py) for ``tlsfence check``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(program))
    return directory


def value(output: Any) -> Any:
    """The resolved value of an Output after a mock run."""
    from pulumi.runtime.sync_await import _sync_await

    return _sync_await(output.future())


def outputs(component: Any) -> dict[str, Any]:
    """The exported front-door outputs of a component, resolved."""
    keys = ("endpoint", "setting", "protocols", "suites", "verdict", "excess")
    return {k: value(getattr(component, k)) for k in keys}
