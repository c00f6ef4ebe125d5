"""Google Cloud load balancing: SSL policies and the target proxies that use them.

A target HTTPS/SSL proxy without ``sslPolicy`` gets the default policy, COMPATIBLE with minimum TLS 1.0.
With ``sslPolicy`` set, the proxy is judged by the policy it points at, found through property
dependencies (the self-link is unknown on a first preview) or by self-link/name. Sources:
https://cloud.google.com/load-balancing/docs/ssl-policies-concepts
https://docs.fugue.co/FG_R00410.html (a proxy without a policy)
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.base import Context, exposure
from tlsfence.catalog import platform
from tlsfence.catalog_models import GCP, gcp_setting_name, gcp_ssl_policy_decision
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, contains_unknown, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

POLICY_TYPES = ("gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy")
TLS_PROXIES = ("gcp:compute/targetHttpsProxy:TargetHttpsProxy",
               "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
               "gcp:compute/targetSSLProxy:TargetSSLProxy")
HTTP_PROXIES = ("gcp:compute/targetHttpProxy:TargetHttpProxy",
                "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy")
TCP_PROXIES = ("gcp:compute/targetTCPProxy:TargetTCPProxy", "gcp:compute/regionTargetTcpProxy:RegionTargetTcpProxy")
URL_MAPS = ("gcp:compute/uRLMap:URLMap", "gcp:compute/regionUrlMap:RegionUrlMap")


def tightest_hint() -> str:
    """The strictly conforming SSL policy, spelled as a user writes it."""
    t = platform(GCP).extra["tightest"]
    return f"an SSL policy with profile CUSTOM, minTlsVersion {t['minTlsVersion']}, customFeatures " \
           f"[{', '.join(t['customFeatures'])}]"


def policy_setting(policy: Resource) -> tuple[Setting, Decision | None, tuple[str, str, list[str]]]:
    """Read (profile, minTlsVersion, customFeatures) of an SSL policy resource, applying provider defaults."""
    default = platform(GCP).default
    profile, min_tls = policy.get("profile"), policy.get("minTlsVersion")
    features: Any = policy.get("customFeatures", default=[])
    for prop, value in (("profile", profile), ("minTlsVersion", min_tls), ("customFeatures", features)):
        if contains_unknown(value):
            return Setting(prop, None, Origin.UNKNOWN), unverifiable(f"{prop} (unknown until deployed)"), ("", "", [])
    origin = Origin.EXPLICIT if profile and min_tls else Origin.DEFAULT
    values = (str(profile or default["profile"]), str(min_tls or default["minTlsVersion"]), list(features or []))
    return Setting("profile/minTlsVersion", gcp_setting_name(*values), origin), None, values


def decide_policy(policy: Resource, ctx: Context) -> tuple[Setting, Decision]:
    """Verdict of an SSL policy resource."""
    setting, early, values = policy_setting(policy)
    return setting, early or gcp_ssl_policy_decision(*values, ctx.profile)


def analyze_policy(res: Resource, ctx: Context) -> list[Exposure]:
    """An SSL policy on its own: judged where it is written, whichever proxy uses it."""
    setting, decision = decide_policy(res, ctx)
    return [exposure(res, "SSL policy", "gcp-ssl-policy", setting, decision, ctx, tightest=tightest_hint())]


def analyze_tls_proxy(res: Resource, ctx: Context) -> list[Exposure]:
    """A target HTTPS/SSL proxy: its SSL policy, joined, or the default when absent."""
    what = "HTTPS proxy" if "Https" in res.type else "SSL proxy"
    value = res.get("sslPolicy")
    hint = tightest_hint()
    if value is None or value == "":
        default = platform(GCP).default
        setting = Setting("sslPolicy", gcp_setting_name(default["profile"], default["minTlsVersion"]), Origin.DEFAULT)
        decision = gcp_ssl_policy_decision(default["profile"], default["minTlsVersion"], (), ctx.profile)
        return [exposure(res, what, "gcp-proxy", setting, decision, ctx, tightest=hint)]
    policies = ctx.stack.resolve(res, "sslPolicy", POLICY_TYPES) if ctx.stack is not None else []
    if len(policies) == 1:
        inner, decision = decide_policy(policies[0], ctx)
        setting = Setting("sslPolicy", inner.value, Origin.JOINED if inner.value else Origin.UNKNOWN,
                          via=policies[0].name)
        return [exposure(res, what, "gcp-proxy", setting, decision, ctx, tightest=hint)]
    shown = None if is_unknown(value) else str(value)
    why = "unknown until deployed" if shown is None else "not an SSL policy in this stack"
    if len(policies) > 1:
        why = f"matches {len(policies)} SSL policies"
    decision = unverifiable(f"the SSL policy named by sslPolicy ({why})")
    return [exposure(res, what, "gcp-proxy", Setting("sslPolicy", shown, Origin.UNKNOWN if shown is None
                                                     else Origin.EXPLICIT), decision, ctx, tightest=hint,
                     needs_join=ctx.stack is None)]


def _redirects(url_map: Resource) -> bool | None:
    redirect = url_map.get("defaultUrlRedirect")
    if contains_unknown(redirect):
        return None
    return isinstance(redirect, dict) and redirect.get("httpsRedirect") in (True, "true")


def analyze_http_proxy(res: Resource, ctx: Context) -> list[Exposure]:
    """A target HTTP proxy: passes only when its URL map redirects everything to HTTPS."""
    maps = ctx.stack.resolve(res, "urlMap", URL_MAPS) if ctx.stack is not None else []
    setting = Setting("urlMap.defaultUrlRedirect.httpsRedirect", None, Origin.UNKNOWN)
    hint = "a URL map whose defaultUrlRedirect has httpsRedirect: true"
    if len(maps) != 1:
        decision = unverifiable("whether the proxy's URL map redirects to HTTPS (URL map not resolvable)")
        return [exposure(res, "HTTP proxy", "gcp-proxy", setting, decision, ctx, tightest=hint,
                         needs_join=ctx.stack is None)]
    redirects = _redirects(maps[0])
    setting = Setting(setting.prop, None if redirects is None else str(redirects).lower(), Origin.JOINED,
                      via=maps[0].name)
    if redirects is None:
        decision = unverifiable("defaultUrlRedirect of the URL map (unknown until deployed)")
    elif redirects:
        decision = fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS")
    else:
        decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (the URL map does not redirect to HTTPS)")
    return [exposure(res, "HTTP proxy", "gcp-proxy", setting, decision, ctx, tightest=hint)]


def analyze_tcp_proxy(res: Resource, ctx: Context) -> list[Exposure]:
    """A TCP proxy terminates no TLS: whatever TLS there is, the backends serve it."""
    return [exposure(res, "TCP proxy", "gcp-proxy", Setting("type", "TCP", Origin.EXPLICIT),
                     fixed(Verdict.NOT_TERMINATED, "TCP proxy passes TLS through to the backends; verify them live "
                                                   "with tlsfence verify"), ctx, tightest="")]


ANALYZERS = {
    **{t: analyze_policy for t in POLICY_TYPES},
    **{t: analyze_tls_proxy for t in TLS_PROXIES},
    **{t: analyze_http_proxy for t in HTTP_PROXIES},
    **{t: analyze_tcp_proxy for t in TCP_PROXIES},
}
