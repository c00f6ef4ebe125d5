"""Writers for ``tlsfence verify --from-state`` and friends: each endpoint's wire report next to its configuration.

Rendering only (STYLE.md §5); the per-target block is :func:`tlsfence.probe.output.text`, the SARIF results of
the wire are :func:`tlsfence.probe.output.sarif`'s, plus one result per drift and per exposure not probed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from tlsfence.probe import output
from tlsfence.probe.stack import NotProbed, Probed
from tlsfence.sarif import fingerprint

#: Rule indexes in :data:`tlsfence.probe.output.RULES`.
_DRIFT = next(i for i, r in enumerate(output.RULES) if r[0] == "TLSF-VERIFY-005")
_UNVERIFIABLE = next(i for i, r in enumerate(output.RULES) if r[0] == "TLSF-VERIFY-002")


def render(probed: Sequence[Probed], not_probed: Sequence[NotProbed], fmt: str, *, strict: bool = False) -> str:
    """The whole report in ``fmt`` (``text``, ``json`` or ``sarif``)."""
    if fmt == "json":
        return json.dumps({"endpoints": [p.to_dict() for p in probed],
                           "not_probed": [n.to_dict() for n in not_probed],
                           "summary": summary(probed, not_probed)}, indent=2)
    if fmt == "sarif":
        return json.dumps(sarif(probed, not_probed, strict=strict), indent=2)
    return text(probed, not_probed)


def summary(probed: Sequence[Probed], not_probed: Sequence[NotProbed]) -> dict[str, Any]:
    """Counts for the report's last line and the JSON ``summary``."""
    return {"endpoints": len(probed), "wire": dict(sorted(Counter(p.wire.verdict for p in probed).items())),
            "drift": sum(1 for p in probed if p.drift), "not_probed": len(not_probed),
            "not_probed_failing": sum(1 for n in not_probed if n.fails)}


def text(probed: Sequence[Probed], not_probed: Sequence[NotProbed]) -> str:
    """One block per endpoint (configuration, then the wire), the exposures not probed, a summary line."""
    blocks = []
    for p in probed:
        drift = f"DRIFT: {p.drift}" if p.drift else ("no drift" if p.config_verdict else "no configuration")
        lines = [f"== {p.host}:{p.port}  wire {p.wire.verdict}; configuration {p.config_verdict or '-'}; {drift}"]
        for c in p.exposures:
            lines.append(f"  config   {c.verdict} ({c.level}): {c.exposure} of {c.type} '{c.name}': {c.setting}")
        for origin in p.origins:
            lines.append(f"  named by {origin}")
        lines.append(output.text(p.wire))
        blocks.append("\n".join(lines))
    if not_probed:
        lines = ["== not probed"]
        for n in not_probed:
            mark = "FAILS" if n.fails else "info "
            e = n.exposure
            lines.append(f"  {mark}    {e.exposure} of {e.type} '{e.name}' ({e.verdict}): {n.why}")
        blocks.append("\n".join(lines))
    s = summary(probed, not_probed)
    wire = ", ".join(f"{n} {v}" for v, n in s["wire"].items()) or "none"
    blocks.append(f"{s['endpoints']} endpoints probed ({wire}); {s['drift']} with drift; {s['not_probed']} "
                  f"exposures not probed ({s['not_probed_failing']} failing)")
    return "\n".join(blocks)


def _logical(urn: str) -> dict[str, Any]:
    return {"logicalLocations": [{"name": urn, "kind": "resource"}]}


def sarif(probed: Sequence[Probed], not_probed: Sequence[NotProbed], *, strict: bool = False) -> dict[str, Any]:
    """The wire's SARIF log, plus a drift result per disagreement and an unverifiable one per failing gap."""
    log = output.sarif([p.wire for p in probed], strict=strict)
    results = log["runs"][0]["results"]
    for p in probed:
        if p.drift:
            rule = output.RULES[_DRIFT]
            urns = ", ".join(sorted({c.urn for c in p.exposures}))
            results.append({"ruleId": rule[0], "ruleIndex": _DRIFT, "level": rule[3],
                            "message": {"text": f"{p.host}:{p.port}: {p.drift}; resources: {urns}"},
                            "locations": [{**output.location(p.wire), **_logical(urns)}],
                            "partialFingerprints": fingerprint(rule[0], f"{p.host}:{p.port}", urns)})
    for n in not_probed:
        if n.fails:
            rule = output.RULES[_UNVERIFIABLE]
            e = n.exposure
            results.append({"ruleId": rule[0], "ruleIndex": _UNVERIFIABLE, "level": rule[3],
                            "message": {"text": f"{e.exposure} of {e.type} '{e.name}': not probed: {n.why}"},
                            "locations": [_logical(e.urn)],
                            "partialFingerprints": fingerprint(rule[0], e.urn, e.exposure)})
    return log
