"""Catalog drift: compare live ``describe_ssl_policies`` answers with the ELBv2 catalog; the live values decide.

Why: the catalog is a dated snapshot of AWS documentation (some entries are copied from a twin and marked
uncertain), while ``describe_ssl_policies`` is what the load balancer actually offers today. When both are
available and differ, the difference is reported and the live protocols and ciphers are judged with the same
``judge`` the catalog uses, so the verdict stays on the one decision path. A policy the API does not return
keeps its catalog verdict and is reported as drift of kind ``not-returned``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tlsfence.catalog import CatalogEntry, platform
from tlsfence.errors import TlsfenceError
from tlsfence.exposure import Exposure
from tlsfence.profiles import Profile
from tlsfence.suites import normalize_protocol, suite
from tlsfence.verdicts import Decision, TlsOffer, judge, unverifiable

PLATFORM = "aws-elbv2"
FAMILY = "elbv2-listener"


@dataclass(frozen=True)
class LivePolicy:
    """One policy as ``describe_ssl_policies`` returns it (names as AWS spells them)."""

    name: str
    protocols: tuple[str, ...]
    ciphers: tuple[str, ...]

    @classmethod
    def from_api(cls, raw: Mapping[str, Any]) -> LivePolicy:
        """From one ``SslPolicies[]`` item; ciphers keep AWS's priority order."""
        ciphers = sorted(raw.get("Ciphers") or [], key=lambda c: c.get("Priority", 0))
        return cls(str(raw["Name"]), tuple(raw.get("SslProtocols") or ()), tuple(c["Name"] for c in ciphers))

    def offer(self) -> TlsOffer:
        """The live values as an offer (TLS 1.3 suites are recognised by name inside ``TlsOffer.of``)."""
        return TlsOffer.of(self.protocols, self.ciphers)


def _norm_ciphers(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        try:
            s = suite(name)
            out.add(s.iana if s.tls13 else s.openssl)
        except TlsfenceError:
            out.add(name)
    return out


def _norm_protocols(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        try:
            out.add(normalize_protocol(name))
        except TlsfenceError:
            out.add(name)
    return out


def compare(live: LivePolicy, entry: CatalogEntry | None, region: str) -> dict[str, Any] | None:
    """A drift record when the live policy differs from (or is missing in) the catalog, else None."""
    live_p, live_c = _norm_protocols(live.protocols), _norm_ciphers(live.ciphers)
    if entry is None:
        return {"policy": live.name, "region": region, "kind": "not-in-catalog",
                "protocols": sorted(live_p), "ciphers": sorted(live_c)}
    if entry.protocols is None or entry.ciphers is None:
        return {"policy": live.name, "region": region, "kind": "catalog-has-no-data",
                "protocols": sorted(live_p), "ciphers": sorted(live_c)}
    cat_p = _norm_protocols(entry.protocols)
    cat_c = _norm_ciphers(entry.ciphers) | _norm_ciphers(entry.tls13_ciphers)
    if live_p == cat_p and live_c == cat_c:
        return None
    return {"policy": live.name, "region": region, "kind": "differs",
            "protocols_added": sorted(live_p - cat_p), "protocols_removed": sorted(cat_p - live_p),
            "ciphers_added": sorted(live_c - cat_c), "ciphers_removed": sorted(cat_c - live_c)}


def live_decision(live: LivePolicy, profile: Profile) -> Decision:
    """Judge the live values; a cipher name the suite registry does not know fails closed."""
    try:
        decision = judge(live.offer(), profile)
    except TlsfenceError as e:
        return unverifiable(f"the live ciphers of {live.name} ({e})")
    return replace(decision, reasons=(*decision.reasons, "decided from the live describe_ssl_policies answer"))


def policy_names(exposures: Iterable[Exposure]) -> dict[str, set[str]]:
    """Region → distinct ELBv2 policy names the exposures depend on."""
    out: dict[str, set[str]] = {}
    for exp in exposures:
        extra = dict(exp.extra)
        if exp.family == FAMILY and exp.setting.prop == "sslPolicy" and exp.setting.value:
            out.setdefault(str(extra.get("region")), set()).add(exp.setting.value)
    return out


def apply(exposures: list[Exposure], live: Mapping[str, Mapping[str, LivePolicy] | None],
          profile: Profile) -> tuple[list[Exposure], list[dict[str, Any]]]:
    """Exposures with live-decided verdicts where the catalog drifted or cannot decide, plus drift records.

    ``live`` maps region → policy name → live policy; a region mapped to None could not be read (the error
    is reported elsewhere) and keeps catalog verdicts without drift records.
    """
    plat = platform(PLATFORM)
    records: dict[tuple[str, str], dict[str, Any] | None] = {}
    out: list[Exposure] = []
    for exp in exposures:
        extra = dict(exp.extra)
        region, name = str(extra.get("region")), exp.setting.value
        policies = live.get(region)
        if exp.family != FAMILY or exp.setting.prop != "sslPolicy" or not name or policies is None:
            out.append(exp)
            continue
        entry = plat.get(name)
        policy = policies.get(name)
        key = (region, name)
        if policy is None:
            records.setdefault(key, {"policy": name, "region": region, "kind": "not-returned",
                                     "note": "describe_ssl_policies did not return this policy; catalog verdict kept"})
            out.append(replace(exp, extra=(*exp.extra, ("drift", records[key]))))
            continue
        if key not in records:
            records[key] = compare(policy, entry, region)
        record = records[key]
        if record is None and entry is not None and not entry.uncertain:
            out.append(replace(exp, extra=(*exp.extra, ("drift", None))))
            continue
        out.append(replace(exp, decision=live_decision(policy, profile), extra=(*exp.extra, ("drift", record))))
    return out, [r for r in records.values() if r is not None]
