"""Text, JSON and SARIF renderings of an :class:`AuditReport` (rendering kept apart from the results).

JSON exposures are exactly ``Exposure.to_dict()`` (the fields ``tlsfence check`` prints) plus ``arn``,
``region`` and ``drift``. SARIF 2.1.0 uses one rule per verdict and the resource ARN as a logical location,
since audited resources have no source file.
"""

from __future__ import annotations

import json
from typing import Any

from tlsfence.audit.aws_audit import AuditReport
from tlsfence.sarif import fingerprint, rule_properties, sarif_log
from tlsfence.verdicts import Verdict

_SARIF_LEVEL = {"mandatory": "error", "advisory": "warning", "none": "none"}
#: The severity each verdict's rule is ranked with (its level without --strict).
_RULE_LEVEL = {Verdict.NONCONFORMING: "error", Verdict.UNVERIFIABLE: "error", Verdict.EXCESS: "warning",
               Verdict.NOT_TERMINATED: "note"}
_RULES = {
    Verdict.NONCONFORMING: "accepts TLS below 1.2 or offers none of the required suites",
    Verdict.UNVERIFIABLE: "a deciding value is unknown or not in the catalog (fails closed)",
    Verdict.EXCESS: "meets the MUST but offers suites outside the allowed set",
    Verdict.NOT_TERMINATED: "TLS passes through to the targets; verify them live",
    Verdict.CONFORMING: "only TLS >= 1.2 and only allowed suites",
}


def to_json(report: AuditReport, *, strict: bool = False) -> dict[str, Any]:
    """The JSON document: exposures, errors, drift, summary."""
    return {
        "exposures": [e.to_dict(strict=strict) for e in report.exposures],
        "errors": [e.to_dict() for e in report.errors],
        "drift": list(report.drift),
        "summary": report.summary(strict=strict),
    }


def to_text(report: AuditReport, *, strict: bool = False) -> str:
    """One line per exposure (worst first), then drift, errors and a summary line."""
    order = [Verdict.NONCONFORMING, Verdict.UNVERIFIABLE, Verdict.EXCESS, Verdict.NOT_TERMINATED,
             Verdict.CONFORMING]
    lines = []
    for exp in sorted(report.exposures, key=lambda e: (order.index(e.decision.verdict), e.urn)):
        extra = dict(exp.extra)
        lines.append(f"{exp.decision.verdict.value:<23} {extra.get('region') or '-':<10} {exp.message()}")
        lines.append(f"{'':<34}{extra.get('arn')}")
    for rec in report.drift:
        detail = ", ".join(f"{k}={v}" for k, v in rec.items() if k not in ("policy", "region", "kind") and v)
        lines.append(f"drift: {rec['policy']} in {rec['region']}: {rec['kind']}" + (f" ({detail})" if detail else ""))
    for err in report.errors:
        lines.append(f"error: {err.service} {err.region} {err.operation}: {err.kind} ({err.code}: {err.message})")
    s = report.summary(strict=strict)
    counts = ", ".join(f"{v} {k}" for k, v in s["by_verdict"].items()) or "none"
    lines.append(f"summary: account {s['account']}, regions {', '.join(s['regions'])}: {s['exposures']} exposures "
                 f"({counts}); {s['failing']} failing, {s['errors']} unreadable, {s['drift']} drifted "
                 f"polic{'y' if s['drift'] == 1 else 'ies'}, {s['skipped_internal']} internal skipped, "
                 f"{s['api_calls']} API calls")
    return "\n".join(lines)


def to_sarif(report: AuditReport, *, strict: bool = False) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; conforming exposures appear as ``kind: pass``."""
    rule_ids = [v.value for v in _RULES]
    rules = [{"id": f"tlsfence/{v.value}", "name": v.value.title().replace("-", ""),
              "shortDescription": {"text": text},
              "properties": rule_properties(_RULE_LEVEL.get(v, "none"), "cloud-audit")}
             for v, text in _RULES.items()]
    results = []
    for exp in report.exposures:
        extra = dict(exp.extra)
        level = exp.level(strict=strict)
        result: dict[str, Any] = {
            "ruleId": f"tlsfence/{exp.decision.verdict.value}",
            "ruleIndex": rule_ids.index(exp.decision.verdict.value),
            "kind": "pass" if exp.decision.verdict is Verdict.CONFORMING else "fail",
            "level": _SARIF_LEVEL[level] if exp.decision.verdict is not Verdict.CONFORMING else "none",
            "message": {"text": exp.message()},
            "locations": [{"logicalLocations": [{"fullyQualifiedName": str(extra.get("arn")), "name": exp.name,
                                                 "kind": "resource"}]}],
            "partialFingerprints": fingerprint(exp.decision.verdict.value, str(extra.get("arn")), exp.exposure),
            "properties": {"type": exp.type, "region": extra.get("region"), "setting": exp.setting.describe(),
                           "excess": list(exp.decision.excess), "drift": extra.get("drift")},
        }
        results.append(result)
    notifications = [{"level": "error", "message": {"text": f"{e.service} {e.region} {e.operation}: {e.kind} "
                                                            f"({e.code}: {e.message})"}} for e in report.errors]
    return sarif_log("tlsfence audit", rules, results,
                     invocations=[{"executionSuccessful": not report.errors,
                                   "toolExecutionNotifications": notifications}],
                     properties={"summary": report.summary(strict=strict), "drift": list(report.drift)})


def render(report: AuditReport, fmt: str, *, strict: bool = False) -> str:
    """The report in ``fmt`` (``text``, ``json`` or ``sarif``)."""
    if fmt == "json":
        return json.dumps(to_json(report, strict=strict), indent=2, default=str)
    if fmt == "sarif":
        return json.dumps(to_sarif(report, strict=strict), indent=2, default=str)
    return to_text(report, strict=strict)
