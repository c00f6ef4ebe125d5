"""Writers: the text block for an undetermined version, and SARIF levels for each verdict."""

from __future__ import annotations

from tlsfence.probe.output import render, sarif, text
from tlsfence.probe.report import TargetResult, VersionResult


def result(verdict: str, **kw) -> TargetResult:
    versions = (VersionResult("TLSv1.0", "unknown", error="timeout: no complete answer within 1 s"),
                VersionResult("TLSv1.2", "accepted", (0xC02F, 0x002F)), VersionResult("TLSv1.3", "refused"))
    base = dict(target="x.test:443", ip="192.0.2.1", port=443, sni="x.test", versions=versions, certificates=(),
                verdict=verdict, excess=("AES128-SHA",), reasons=("cannot determine whether TLSv1.0 is accepted",),
                warnings=(), handshakes=9, elapsed_s=1.234,
                errors=("TLSv1.0: could not determine (timeout)", "certificate: no handshake completed"),
                profile="p")
    base.update(kw)
    return TargetResult(**base)


def test_text_shows_unknown_versions_and_non_version_errors_once():
    assert text(result("unverifiable")).splitlines() == [
        "x.test:443 (192.0.2.1:443, SNI x.test): unverifiable  [profile p]",
        "  TLSv1.0  UNKNOWN: timeout: no complete answer within 1 s",
        "  TLSv1.2  ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA",
        "  refused  TLSv1.3",
        "  excess   AES128-SHA",
        "  why      cannot determine whether TLSv1.0 is accepted",
        "  error    certificate: no handshake completed",
        "  9 connections in 1.23 s",
    ]


def test_sarif_levels_follow_verdict_and_strict():
    warn = ("RSA certificate is self-signed (allowed)",)
    results = [result("unverifiable"), result("conforming-with-excess", warnings=warn), result("conforming")]
    runs = sarif(results)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in runs] == [
        ("TLSF-VERIFY-002", "error"), ("TLSF-VERIFY-003", "warning"), ("TLSF-VERIFY-004", "note")]
    strict = sarif(results, strict=True)["runs"][0]["results"]
    assert strict[1]["level"] == "error"
    assert render([], "json") == "[]"
