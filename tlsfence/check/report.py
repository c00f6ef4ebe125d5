"""``tlsfence check`` results: the exposures the pack judged and the diagnostics it returned, as text/JSON/SARIF.

Exposures are recomputed with the pack's own rule functions (``resource_findings`` on each resource's
inputs, ``stack_findings`` on the outputs, with each policy's settings), so that the table can list
conforming exposures too; the violations are the servicer's diagnostics verbatim.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tlsfence.analyzers import handles
from tlsfence.policy.config import Settings
from tlsfence.policy.convert import SENTINELS, from_wire
from tlsfence.policy.engine import STACK_ROUTE, Diagnostic, WireResource
from tlsfence.policy.metadata import FAMILIES, STACK
from tlsfence.policy.rules import (
    ADVISORY,
    MANDATORY,
    Finding,
    failure_finding,
    guard,
    policy_name,
    resource_findings,
    stack_findings,
)
from tlsfence.program.recorder import SIG_KEY
from tlsfence.resources import UNKNOWN, Resource, Stack
from tlsfence.sarif import artifact_uri, fingerprint, repository_root, rule_properties, sarif_log


def findings(resources: Sequence[WireResource], settings: Mapping[str, Settings]
             ) -> tuple[list[Finding], dict[str, set[tuple[str, str]] | None]]:
    """Every exposure the pack evaluates, in resource order, each with the level its policy reports; and, per
    URN, the (family, level) policies that report on it (None when the analysis failed: ask the whole pack).

    Both passes go through the pack's own guard (``rules.guard``): a resource whose analysis raises is a
    mandatory unverifiable row here and the same mandatory violation from the pack.
    """
    groups: dict[Settings, set[str]] = {}
    for info in FAMILIES:
        groups.setdefault(settings[info.id], set()).add(info.family)
    by_urn: dict[str, list[Finding]] = {}
    families: dict[str, set[tuple[str, str]] | None] = {}
    for w in resources:
        if not handles(w.type):
            continue
        found, failure = guard(f"{w.type} '{w.name}'", functools.partial(_alone, w, groups))
        if failure is not None:  # the pack fails closed on it; let the whole pack report it
            res = Resource(type=w.type, name=w.name, urn=w.urn, props={}, parent=w.parent)
            by_urn[w.urn] = [failure_finding(res, failure)]
            families[w.urn] = None
            continue
        by_urn[w.urn] = found
        families[w.urn] = {(f.exposure.family, f.level) for f in found if f.level in (MANDATORY, ADVISORY)}
    # The stack as the servicer hands it to the stack policy: references to resources outside the request (the
    # root stack, providers) resolve to nothing, so the stack policies and this table share one analysis.
    urns = {w.urn for w in resources}
    stack = Stack(Resource(type=w.type, name=w.name, urn=w.urn, props=_engine(w.outputs),
                           parent=w.parent if w.parent in urns else None,
                           dependencies=tuple(u for u in w.dependencies if u in urns),
                           property_dependencies={k: tuple(u for u in v if u in urns)
                                                  for k, v in w.property_dependencies.items()})
                  for w in resources)
    levels: set[str] = set()
    for f in stack_findings(stack, settings[STACK.id]):
        by_urn.setdefault(f.exposure.urn, []).append(f)
        if f.level in (MANDATORY, ADVISORY):
            levels.add(f.level)
    families[STACK_ROUTE] = levels  # type: ignore[assignment]  # the stack policy's levels that report
    return [f for w in resources for f in by_urn.get(w.urn, [])], families


def _numbers(value: Any) -> Any:
    kind = type(value)
    if kind is int:
        return float(value)
    if kind is dict:
        return {k: _numbers(v) for k, v in value.items()}
    if kind is list:
        return [_numbers(v) for v in value]
    return value


class _Special(Exception):
    """A signature envelope (secret, asset, archive): the fast path leaves it to the servicer's own conversion."""


def _fast(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return UNKNOWN if value in SENTINELS else value
    if kind is int:
        return float(value)
    if kind is dict:
        if SIG_KEY in value:
            raise _Special
        items = [(k, _fast(v)) for k, v in value.items()]  # "__" keys too: the servicer reads them, then drops
        return {k: v for k, v in items if not k.startswith("__")}
    if kind is list:
        return [_fast(v) for v in value]
    if kind is float or kind is bool or value is None:
        return value
    raise _Special


def _engine(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties as the pack receives them: the servicer's conversion, numbers as float64 (protobuf Struct).

    One pass over plain values (what nearly every resource holds) gives what ``from_wire`` then float64 give;
    anything else (a secret envelope, an asset, an unexpected type) takes that slower path itself.
    """
    if type(props) is dict:
        try:
            return _fast(props)
        except _Special:
            pass
    return _numbers(from_wire(props))


def _alone(w: WireResource, groups: Mapping[Settings, set[str]]) -> list[Finding]:
    res = Resource(type=w.type, name=w.name, urn=w.urn, props=_engine(w.inputs), parent=w.parent)
    return [f for s, fams in groups.items() for f in resource_findings(res, s) if f.exposure.family in fams]


def build(resources: Sequence[WireResource], found: Sequence[Finding], diagnostics: Sequence[Diagnostic],
          settings: Settings, source: str) -> dict[str, Any]:
    """The JSON report: ``exposures``, ``violations`` and ``summary``."""
    levels = Counter(d.level for d in diagnostics)
    return {
        "exposures": [f.to_dict(settings.strict) for f in found],
        "violations": [d.to_dict() for d in diagnostics],
        "summary": {
            "source": source,
            "profile": settings.profile.name,
            "strict": settings.strict,
            "resources": len(resources),
            "exposures": len(found),
            "verdicts": dict(sorted(Counter(f.exposure.decision.verdict.value for f in found).items())),
            "mandatory": levels.get(MANDATORY, 0),
            "advisory": levels.get(ADVISORY, 0),
            "exempted": sum(1 for f in found if f.exemption is not None),
            "passed": levels.get(MANDATORY, 0) == 0,
        },
    }


def render_text(report: Mapping[str, Any]) -> str:
    """A table of exposures, the violations, and one summary line."""
    rows = [("LEVEL", "VERDICT", "RESOURCE", "EXPOSURE", "SETTING")]
    for e in report["exposures"]:
        rows.append((e["level"], e["verdict"], f"{e['type']} {e['name']}", e["exposure"], e["setting"]))
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] for r in rows]
    if len(rows) == 1:
        lines.append("(no TLS exposure found)")
    if report["violations"]:
        lines.append("")
        lines.extend(f"[{v['level']}] {v['policy']}: {v['message']}" for v in report["violations"])
    s = report["summary"]
    verdicts = ", ".join(f"{n} {v}" for v, n in s["verdicts"].items()) or "none"
    lines.append("")
    lines.append(f"{s['resources']} resources, {s['exposures']} exposures ({verdicts}); {s['mandatory']} mandatory, "
                 f"{s['advisory']} advisory violation(s) under profile {s['profile']}"
                 f"{' (strict)' if s['strict'] else ''}: {'PASS' if s['passed'] else 'FAIL'}")
    return "\n".join(lines) + "\n"


def _stable_urn(urn: str) -> str:
    """The URN without the mock root-stack prefix, so that check, preview and state fingerprint alike."""
    return urn.replace("pulumi:pulumi:Stack$", "")


def _rules() -> list[dict[str, Any]]:
    out = []
    for info in (*FAMILIES, STACK):
        for level in (MANDATORY, ADVISORY):
            out.append({
                "id": policy_name(info, level),
                "name": info.title + ("" if level == MANDATORY else " (advisory)"),
                "shortDescription": {"text": info.title},
                "fullDescription": {"text": info.description},
                "help": {"text": info.remediation},
                "helpUri": info.url,
                "defaultConfiguration": {"level": "error" if level == MANDATORY else "warning"},
                "properties": rule_properties("error" if level == MANDATORY else "warning", info.family),
            })
    return out


def render_sarif(report: Mapping[str, Any], sources: Mapping[str, Any], fallback: str, *,
                 root: Path | None = None, base: str | Path = ".") -> dict[str, Any]:
    """SARIF 2.1.0: one rule per policy, one result per violation, located at the code that declared it.

    File URIs are relative to ``root`` (the repository root, :func:`tlsfence.sarif.repository_root`) so that
    code scanning maps them to files; ``project://`` positions (preview/state files) are relative to ``base``,
    the Pulumi project directory. A resource without a position points at ``fallback`` (the program's main
    file or the input file), line 1.
    """
    root = root if root is not None else repository_root()
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for v in report["violations"]:
        uri, line = sources.get(v["urn"], (fallback, 1))
        try:
            artifact = artifact_uri(uri, root, base)
        except ValueError:
            artifact = artifact_uri(fallback, root, base)
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": artifact}, "region": {"startLine": max(line, 1)}},
            "logicalLocations": [{"fullyQualifiedName": v["urn"], "kind": "resource"}],
        }
        results.append({
            "ruleId": v["policy"], "ruleIndex": index.get(v["policy"], 0),
            "level": "error" if v["level"] == MANDATORY else "warning",
            "message": {"text": v["message"]}, "locations": [location],
            "partialFingerprints": fingerprint(v["policy"], _stable_urn(v["urn"]), v["message"]),
        })
    return sarif_log("tlsfence check", rules, results, properties={"summary": dict(report["summary"])})


@dataclass(frozen=True)
class StackRun:
    """One stack's check, when a run covers several stacks of a project.

    Attributes:
        stack: the stack name.
        result: its report (:func:`build`).
        sources: URN → (file URI, line) of the resources, for SARIF.
        fallback: the SARIF location of a resource without a source position.
    """

    stack: str | None
    result: Mapping[str, Any]
    sources: Mapping[str, Any]
    fallback: str


def combine(runs: Sequence[StackRun]) -> dict[str, Any]:
    """The JSON report of several stacks: each stack's own report, and a summary over all of them."""
    return {
        "stacks": [{"stack": r.stack, **r.result} for r in runs],
        "summary": {
            "stacks": [r.stack for r in runs],
            "mandatory": sum(r.result["summary"]["mandatory"] for r in runs),
            "advisory": sum(r.result["summary"]["advisory"] for r in runs),
            "passed": all(r.result["summary"]["passed"] for r in runs),
        },
    }


def render_text_stacks(runs: Sequence[StackRun]) -> str:
    """Each stack's table under a heading, then one line over all stacks."""
    parts = [f"== stack {r.stack} ==\n{render_text(r.result)}" for r in runs]
    failed = [str(r.stack) for r in runs if not r.result["summary"]["passed"]]
    verdict = f"FAIL ({', '.join(failed)})" if failed else "PASS"
    return "\n".join(parts) + f"\n{len(runs)} stacks checked: {verdict}\n"


def render_sarif_stacks(runs: Sequence[StackRun], *, root: Path | None = None,
                        base: str | Path = ".") -> dict[str, Any]:
    """One SARIF run holding every stack's results (code scanning wants one run per tool and category).

    ``root`` and ``base`` are :func:`render_sarif`'s: every stack's URIs are relative to the same root.
    """
    logs = [render_sarif(r.result, r.sources, r.fallback, root=root, base=base) for r in runs]
    merged = logs[0]
    run = merged["runs"][0]
    for log in logs[1:]:
        run["results"].extend(log["runs"][0]["results"])
    run.setdefault("properties", {})["summary"] = combine(runs)["summary"]
    return merged
