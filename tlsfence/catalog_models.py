"""Settings that are models rather than names: GCP SSL policies and classic ELB custom policies.

A GCP SSL policy is (profile, minTlsVersion, customFeatures); a classic ELB ``SSLNegotiationPolicyType``
policy is a bag of boolean attributes. Both reduce to a :class:`TlsOffer` using the catalog's data, and
anything the catalog cannot vouch for (an unknown feature or attribute, an uncertain profile) is
``unverifiable``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from tlsfence.catalog import platform
from tlsfence.errors import TlsfenceError
from tlsfence.profiles import Profile
from tlsfence.suites import PROTOCOLS, normalize_protocol, protocol_rank, suite
from tlsfence.verdicts import Decision, TlsOffer, judge, unverifiable

GCP = "gcp-ssl-policy"
CLASSIC = "aws-classic-elb"


def gcp_setting_name(profile: str, min_tls: str, features: Iterable[str] = ()) -> str:
    """Display name of a GCP SSL policy setting, e.g. ``RESTRICTED/TLS_1_2`` or ``CUSTOM/TLS_1_2[4 features]``."""
    feats = list(features)
    return f"{profile}/{min_tls}" + (f"[{', '.join(feats)}]" if profile == "CUSTOM" else "")


def gcp_ssl_policy_offer(profile: str, min_tls: str, custom_features: Iterable[str] = ()) -> TlsOffer | str:
    """The offer of a GCP SSL policy, or a string naming what is unknown/uncertain/invalid."""
    model = platform(GCP).extra
    mins = ["TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3"]
    if min_tls not in mins:
        return f"minTlsVersion {min_tls!r} (not one of {', '.join(mins)})"
    if profile == "CUSTOM":
        features = list(custom_features)
        if not features:
            return "the features of a CUSTOM SSL policy with no customFeatures (the API rejects it)"
        unknown = [f for f in features if f not in model["feature_names"]]
        if unknown:
            return f"customFeatures {unknown} (not in the catalog's feature list)"
        if min_tls not in model["custom_min_tls_versions"]:
            return f"CUSTOM with minTlsVersion {min_tls} (the API rejects it)"
        suites = [model["feature_names"][f] for f in features]
    else:
        prof = model["profiles"].get(profile)
        if prof is None:
            return f"SSL policy profile {profile!r} (not one of {', '.join([*model['profiles'], 'CUSTOM'])})"
        if min_tls not in prof["min_tls_versions"]:
            return f"{profile} with minTlsVersion {min_tls} (the API rejects it)"
        if min_tls in prof["uncertain_at"]:
            return f"the suites of {profile}/{min_tls} (marked uncertain in the catalog: {prof['evidence']})"
        suites = [model["feature_names"][f] for f in prof["features"]]
    lowest = normalize_protocol(min_tls)
    protocols = [p for p in PROTOCOLS if protocol_rank(p) >= protocol_rank(lowest)]
    return TlsOffer.of(protocols, suites, model["tls13_ciphers"])


def gcp_ssl_policy_decision(profile: str, min_tls: str, custom_features: Iterable[str],
                            req: Profile) -> Decision:
    """Verdict of a GCP SSL policy setting under ``req``."""
    offer = gcp_ssl_policy_offer(profile, min_tls, custom_features)
    return unverifiable(offer) if isinstance(offer, str) else judge(offer, req)


def classic_policy_offer(attributes: Mapping[str, Any]) -> TlsOffer | str:
    """The offer of a classic ELB ``SSLNegotiationPolicyType`` policy from its attributes.

    ``Reference-Security-Policy`` delegates to a predefined policy. Otherwise ``Protocol-*`` attributes give
    protocols and every other true attribute must name a cipher OpenSSL knows. Omitted attributes count as
    false, which the catalog marks uncertain: the analyzer therefore needs every ``Protocol-*`` attribute set.
    """
    model = platform(CLASSIC).extra["custom_policy"]
    truthy = {k: str(v).strip().lower() == "true" for k, v in attributes.items()}
    ref = attributes.get(model["reference_attribute"])
    if ref:
        entry = platform(CLASSIC).get(str(ref))
        if entry is None or entry.uncertain:
            return f"Reference-Security-Policy {ref!r} (not a catalogued classic ELB policy)"
        return entry.offer()
    protocol_attrs: Mapping[str, str] = model["protocol_attributes"]
    protocols = [proto for attr, proto in protocol_attrs.items() if truthy.get(attr)]
    missing = [a for a in protocol_attrs if a not in attributes and a != "Protocol-SSLv2"]
    if missing and not protocols:
        return f"the protocols of a custom policy that sets none of {', '.join(missing)}"
    ciphers: list[str] = []
    for name, on in truthy.items():
        if not on or name in protocol_attrs or name in model["other_attributes"]:
            continue
        if name in model["unsupported_ciphers"]:
            return f"cipher attribute {name} (AWS rejects it in classic ELB custom policies)"
        try:
            ciphers.append(suite(name).openssl)
        except TlsfenceError:
            return f"cipher attribute {name!r} (not a cipher the catalog knows)"
    return TlsOffer.of(protocols, ciphers)


def classic_policy_decision(attributes: Mapping[str, Any], req: Profile,
                            key_types: frozenset[str] | None = None) -> Decision:
    """Verdict of a classic ELB custom policy under ``req`` (narrowed to the certificate's key types, if known)."""
    offer = classic_policy_offer(attributes)
    if isinstance(offer, str):
        return unverifiable(offer)
    return judge(offer if key_types is None else replace(offer, key_types=key_types), req)


def gcp_catalog_rows(req: Profile) -> list[tuple[str, Decision, bool]]:
    """Every valid predefined (profile, minTlsVersion) pair plus the tightest CUSTOM policy, for listings."""
    model = platform(GCP).extra
    rows: list[tuple[str, Decision, bool]] = []
    for name, prof in model["profiles"].items():
        for min_tls in prof["min_tls_versions"]:
            rows.append((gcp_setting_name(name, min_tls), gcp_ssl_policy_decision(name, min_tls, (), req),
                         min_tls in prof["uncertain_at"]))
    t = model["tightest"]
    rows.append((gcp_setting_name("CUSTOM", t["minTlsVersion"], t["customFeatures"]),
                 gcp_ssl_policy_decision("CUSTOM", t["minTlsVersion"], t["customFeatures"], req), False))
    return rows


__all__ = [
    "classic_policy_decision", "classic_policy_offer", "gcp_catalog_rows",
    "gcp_setting_name", "gcp_ssl_policy_decision", "gcp_ssl_policy_offer",
]
