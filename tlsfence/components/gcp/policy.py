"""The SSL policy every Google Cloud component attaches: derived from the profile, decided by the core.

Google Cloud can be strictly conforming: a ``CUSTOM`` policy at the profile's minimum version with exactly
the catalog's features whose OpenSSL names the profile allows (GCP has no CBC-SHA256 suites, so with the
built-in profile that is the four ECDHE AES128-GCM/CHACHA20 features; catalog ``gcp-ssl-policy``,
https://cloud.google.com/load-balancing/docs/ssl-policies-concepts). Because the floor is ``conforming``,
a predefined profile that adds excess (RESTRICTED, MODERN, COMPATIBLE) is refused even without ``strict``.
"""

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_gcp as gcp

from tlsfence.catalog import platform
from tlsfence.catalog_models import GCP, gcp_catalog_rows, gcp_setting_name, gcp_ssl_policy_decision
from tlsfence.components.base import ComponentConfigError, acceptable, refusal, resolve_profile
from tlsfence.errors import TlsfenceError
from tlsfence.profiles import Profile
from tlsfence.suites import normalize_protocol
from tlsfence.verdicts import Decision


@dataclass(frozen=True)
class SslPolicyValues:
    """An SSL policy as GCP spells it.

    Attributes:
        profile: COMPATIBLE, MODERN, RESTRICTED, FIPS_202205 or CUSTOM.
        min_tls_version: TLS_1_0 ... TLS_1_3.
        custom_features: IANA feature names (CUSTOM only).
    """

    profile: str
    min_tls_version: str
    custom_features: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The setting's display name, as the analyzer writes it (``CUSTOM/TLS_1_2[...]``)."""
        return gcp_setting_name(self.profile, self.min_tls_version, self.custom_features)


def _min_tls_for(profile: Profile) -> str | None:
    """The CUSTOM minimum version equal to the profile's minimum (None when CUSTOM cannot express it)."""
    for value in platform(GCP).extra["custom_min_tls_versions"]:
        if normalize_protocol(value) == profile.min_version:
            return value
    return None


def tightest_values(profile: Profile) -> SslPolicyValues | None:
    """CUSTOM at the profile's minimum with every catalog feature whose OpenSSL name the profile allows."""
    model = platform(GCP).extra
    features = tuple(f for f in model["custom_features"] if model["feature_names"][f] in profile.allowed)
    min_tls = _min_tls_for(profile)
    if not features or min_tls is None:
        return None
    return SslPolicyValues("CUSTOM", min_tls, features)


def decide_ssl_policy(component: str, name: str, profile: Profile, strict: bool, ssl_profile: str | None = None,
                      min_tls_version: str | None = None,
                      custom_features: list[str] | None = None) -> tuple[SslPolicyValues, Decision]:
    """The policy to create and its verdict; a weaker user choice is refused with the accepted settings."""
    best = tightest_values(profile)
    if best is None:
        raise ComponentConfigError(f"{component} '{name}': a GCP CUSTOM SSL policy cannot express profile "
                                   f"{profile.name} (minimum {profile.min_version}; allowed suites "
                                   f"{', '.join(sorted(profile.allowed))})")
    chosen_profile = (ssl_profile or best.profile).upper()
    features = tuple(custom_features or (best.custom_features if chosen_profile == "CUSTOM" else ()))
    try:
        values = SslPolicyValues(chosen_profile, min_tls_version or best.min_tls_version, features)
        decision = gcp_ssl_policy_decision(values.profile, values.min_tls_version, values.custom_features, profile)
    except TlsfenceError as e:
        raise ComponentConfigError(f"{component} '{name}': SSL policy: {e}") from e
    floor = gcp_ssl_policy_decision(best.profile, best.min_tls_version, best.custom_features, profile)
    if not acceptable(decision, floor, strict):
        accepted = [f"{best.name} (tightest)"] + [
            row for row, d, uncertain in gcp_catalog_rows(profile)
            if not uncertain and row != best.name and acceptable(d, floor, strict)]
        raise refusal(component, name, f"SSL policy {values.name}", decision, profile, strict, accepted)
    return values, decision


def ssl_policy(parent: pulumi.Resource, name: str, values: SslPolicyValues,
               region: str | None = None) -> Any:
    """The SSLPolicy (or RegionSslPolicy) resource for ``values``, a child of ``parent``."""
    opts = pulumi.ResourceOptions(parent=parent)
    features = list(values.custom_features) or None
    if region:
        return gcp.compute.RegionSslPolicy(f"{name}-tls", region=region, profile=values.profile,
                                           min_tls_version=values.min_tls_version, custom_features=features,
                                           opts=opts)
    return gcp.compute.SSLPolicy(f"{name}-tls", profile=values.profile, min_tls_version=values.min_tls_version,
                                 custom_features=features, opts=opts)


class TlsPolicyArgs(TypedDict):
    """Inputs every Google Cloud component shares: the SSL policy and the profile it is judged by."""

    ssl_profile: NotRequired[str]
    """SSL policy profile (default CUSTOM); one that adds excess suites is refused."""
    min_tls_version: NotRequired[str]
    """Minimum TLS version (default: the profile's minimum, TLS_1_2)."""
    custom_features: NotRequired[list[str]]
    """CUSTOM features (default: every GCP feature whose suite the profile allows)."""
    profile: NotRequired[str]
    """Requirement profile name, alias or file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess too (the default CUSTOM policy is conforming, so it passes)."""


def policy_from_args(component: str, name: str, data: dict[str, Any]) -> tuple[SslPolicyValues, Decision]:
    """Resolve the profile and decide the SSL policy from a component's args."""
    profile = resolve_profile(data.get("profile"))
    return decide_ssl_policy(component, name, profile, bool(data.get("strict", False)), data.get("ssl_profile"),
                             data.get("min_tls_version"), data.get("custom_features"))
