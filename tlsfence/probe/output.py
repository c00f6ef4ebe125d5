"""Writers for ``tlsfence verify``: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs.

Rendering only; every fact comes from :class:`~tlsfence.probe.report.TargetResult` (STYLE.md §5).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tlsfence.probe.report import TargetResult
from tlsfence.suites import PROTOCOLS

#: SARIF rules: (id, name, short description, default level).
RULES: tuple[tuple[str, str, str, str], ...] = (
    ("TLSF-VERIFY-001", "EndpointNonconforming", "The live endpoint breaks the TLS requirement", "error"),
    ("TLSF-VERIFY-002", "EndpointUnverifiable", "What the endpoint accepts could not be fully determined", "error"),
    ("TLSF-VERIFY-003", "EndpointExcessSuites", "The endpoint offers TLS <= 1.2 suites outside the allowed set",
     "warning"),
    ("TLSF-VERIFY-004", "EndpointCertificateWarning",
     "Certificate is self-signed or not Mozilla-trusted, or its revocation status is unknown", "note"),
    ("TLSF-VERIFY-005", "ConfigurationWireDrift",
     "The stack's setting and what the live endpoint offers disagree (verify --from-state)", "error"),
)
_RULE_FOR = {"nonconforming": 0, "unverifiable": 1, "conforming-with-excess": 2}


def render(results: Sequence[TargetResult], fmt: str, *, strict: bool = False,
           positions: Mapping[str, tuple[str, int]] | None = None, root: Path | None = None) -> str:
    """The whole report in ``fmt`` (``text``, ``json`` or ``sarif``); ``positions`` and ``root`` only matter
    for SARIF (see :func:`sarif`)."""
    if fmt == "json":
        return json.dumps([r.to_dict() for r in results], indent=2)
    if fmt == "sarif":
        return json.dumps(sarif(results, strict=strict, positions=positions, root=root), indent=2)
    return "\n".join(text(r) for r in results)


def text(result: TargetResult) -> str:
    """A block of lines for one target."""
    sni = f", SNI {result.sni}" if result.sni else ""
    lines = [f"{result.target} ({result.ip}:{result.port}{sni}): {result.verdict}  [profile {result.profile}]"]
    refused = []
    for v in sorted(result.versions, key=lambda v: PROTOCOLS.index(v.protocol)):
        if v.status == "accepted":
            lines.append(f"  {v.protocol:<8} {', '.join(result.accepted_names(v.protocol))}")
        elif v.status == "refused":
            refused.append(v.protocol)
        else:
            lines.append(f"  {v.protocol:<8} UNKNOWN: {v.error}")
    if refused:
        lines.append(f"  refused  {', '.join(refused)}")
    if result.excess:
        lines.append(f"  excess   {', '.join(result.excess)}")
    for c in result.certificates:
        ocsp = {None: "not observable", True: str(c.ocsp_status), False: "none"}[c.ocsp_stapled]
        lines.append(f"  cert     {c.key_type} {c.key_bits}: {', '.join(c.names) or c.subject}; issuer {c.issuer}; "
                     f"not after {c.not_after}")
        lines.append(f"           name match {'yes' if c.name_match else 'NO'}; trust {c.trust}; "
                     f"expired {'YES' if c.expired else 'no'}; stapled OCSP {ocsp}")
        why = f" ({c.revocation_detail})" if c.revocation_detail else ""
        status = c.revocation.upper() if c.revocation == "revoked" else c.revocation
        lines.append(f"           revocation {status}{why}")
    for reason in result.reasons:
        lines.append(f"  why      {reason}")
    for warning in result.warnings:
        lines.append(f"  warning  {warning}")
    for error in result.errors:
        if error.split(":", 1)[0] in PROTOCOLS:
            continue  # already said by the version line and the reasons
        lines.append(f"  error    {error}")
    lines.append(f"  {result.handshakes} connections in {result.elapsed_s:.2f} s")
    return "\n".join(lines)


def location(result: TargetResult, positions: Mapping[str, tuple[str, int]] | None = None,
             root: Path | None = None) -> dict[str, Any]:
    """The endpoint as a logical location; plus the targets-file line that named it, relative to ``root``."""
    from tlsfence.sarif import artifact_uri, repository_root  # SARIF only: text and JSON reports never load it

    host = result.sni or result.ip
    host = f"[{host}]" if ":" in host else host
    location: dict[str, Any] = {"logicalLocations": [{"name": result.target, "kind": "resource",
                                                      "fullyQualifiedName": f"https://{host}:{result.port}/"}]}
    if positions and result.target in positions:
        path, line = positions[result.target]
        root = root if root is not None else repository_root(start=Path(path).parent)
        location["physicalLocation"] = {"artifactLocation": {"uri": artifact_uri(path, root)},
                                        "region": {"startLine": line}}
    return location


def sarif(results: Sequence[TargetResult], *, strict: bool = False,
          positions: Mapping[str, tuple[str, int]] | None = None, root: Path | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one result per finding (verdict below ``conforming``, certificate warnings).

    A target read from ``--targets-file`` is located at its line there (relative to ``root``, the repository
    root); a target from the command line has no file, only its URL as a logical location.
    """
    from tlsfence.sarif import fingerprint, repository_root, rule_properties, sarif_log

    positions = positions or {}
    root = root if root is not None else repository_root()
    out: list[dict[str, Any]] = []
    for r in results:
        index = _RULE_FOR.get(r.verdict)
        if index is not None:
            level = RULES[index][3]
            if index == 2 and strict:
                level = "error"
            message = f"{r.target}: {r.verdict}: " + "; ".join(r.reasons + r.errors)
            out.append({"ruleId": RULES[index][0], "ruleIndex": index, "level": level,
                        "message": {"text": message}, "locations": [location(r, positions, root)],
                        "partialFingerprints": fingerprint(RULES[index][0], r.target, r.verdict),
                        "properties": {"verdict": r.verdict, "excess": list(r.excess),
                                       "protocols": list(r.protocols)}})
        for warning in r.warnings:
            out.append({"ruleId": RULES[3][0], "ruleIndex": 3, "level": "note",
                        "message": {"text": f"{r.target}: {warning}"}, "locations": [location(r, positions, root)],
                        "partialFingerprints": fingerprint(RULES[3][0], r.target, warning)})
    rules = [{"id": rid, "name": name, "shortDescription": {"text": desc},
              "defaultConfiguration": {"level": level}, "properties": rule_properties(level, "endpoint"),
              "helpUri": "https://github.com/tlsfence/tlsfence/blob/main/docs/verify.md"}
             for rid, name, desc, level in RULES]
    return sarif_log("tlsfence verify", rules, out)
