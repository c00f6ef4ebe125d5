"""Google Cloud load balancing: SSL policies, the target proxies that use them, and the forwarding rules in front.

A target HTTPS/SSL proxy without ``sslPolicy`` gets the default policy, COMPATIBLE with minimum TLS 1.0.
With ``sslPolicy`` set, the proxy is judged by the policy it points at, found through property
dependencies (the self-link is unknown on a first preview) or by self-link/name. A target HTTP proxy is
plaintext unless every route of its URL map redirects to HTTPS (:mod:`tlsfence.analyzers.gcp_url_map`).
A forwarding rule is where a proxy listens: it carries the proxy's verdict with its port and whether it faces
the internet (``loadBalancingScheme``); one that forwards to a target pool, target instance, TCP proxy or
backend service passes TLS through. Sources:
https://cloud.google.com/load-balancing/docs/ssl-policies-concepts
https://docs.fugue.co/FG_R00410.html (a proxy without a policy)
https://cloud.google.com/load-balancing/docs/forwarding-rule-concepts
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from tlsfence.analyzers.base import Context, exposure
from tlsfence.analyzers.gcp_url_map import check_url_map
from tlsfence.catalog import platform
from tlsfence.catalog_models import GCP, gcp_setting_name, gcp_ssl_policy_decision
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, Stack, contains_unknown, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

POLICY_TYPES = ("gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy")
TLS_PROXIES = ("gcp:compute/targetHttpsProxy:TargetHttpsProxy",
               "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
               "gcp:compute/targetSSLProxy:TargetSSLProxy")
HTTP_PROXIES = ("gcp:compute/targetHttpProxy:TargetHttpProxy",
                "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy")
TCP_PROXIES = ("gcp:compute/targetTCPProxy:TargetTCPProxy", "gcp:compute/regionTargetTcpProxy:RegionTargetTcpProxy")
URL_MAPS = ("gcp:compute/uRLMap:URLMap", "gcp:compute/regionUrlMap:RegionUrlMap")
GLOBAL_RULE, REGIONAL_RULE = ("gcp:compute/globalForwardingRule:GlobalForwardingRule",
                              "gcp:compute/forwardingRule:ForwardingRule")
FORWARDING_RULES = (GLOBAL_RULE, REGIONAL_RULE)
PASS_THROUGH = ("gcp:compute/targetPool:TargetPool", "gcp:compute/targetInstance:TargetInstance")
PSC = ("gcp:compute/serviceAttachment:ServiceAttachment",)
TARGETS = TLS_PROXIES + HTTP_PROXIES + TCP_PROXIES + PASS_THROUGH + PSC
#: loadBalancingScheme → internet-facing. EXTERNAL*: internet-facing; INTERNAL*: reachable inside the VPC only.
#: https://cloud.google.com/load-balancing/docs/forwarding-rule-concepts; values from pulumi_gcp 10's docstrings.
SCHEMES = {"EXTERNAL": True, "EXTERNAL_MANAGED": True, "INTERNAL": False, "INTERNAL_MANAGED": False,
           "INTERNAL_SELF_MANAGED": False}
#: the provider's default when loadBalancingScheme is absent (pulumi_gcp 10 docstrings; both face the internet).
DEFAULT_SCHEME = {GLOBAL_RULE: "EXTERNAL_MANAGED", REGIONAL_RULE: "EXTERNAL"}
#: an unresolved target URL's collection → what it is (state files and foreign targets carry only the URL).
TARGET_COLLECTIONS = {"targetPools": "pass-through", "targetInstances": "pass-through", "targetTcpProxies": "tcp",
                      "serviceAttachments": "psc", "targetHttpsProxies": "tls", "targetSslProxies": "tls",
                      "targetHttpProxies": "http"}
PSC_BUNDLES = ("all-apis", "vpc-sc")
HTTP_HINT = "a URL map whose defaultUrlRedirect (and every path matcher's routes) has httpsRedirect: true"


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
        return [exposure(res, what, "gcp-proxy", setting, decision, ctx, tightest=hint,
                         internet_facing=_proxy_facing(res, ctx))]
    policies = ctx.stack.resolve(res, "sslPolicy", POLICY_TYPES) if ctx.stack is not None else []
    if len(policies) == 1:
        inner, decision = decide_policy(policies[0], ctx)
        setting = Setting("sslPolicy", inner.value, Origin.JOINED if inner.value else Origin.UNKNOWN,
                          via=policies[0].name)
        return [exposure(res, what, "gcp-proxy", setting, decision, ctx, tightest=hint,
                         internet_facing=_proxy_facing(res, ctx))]
    shown = None if is_unknown(value) else str(value)
    why = "unknown until deployed" if shown is None else "not an SSL policy in this stack"
    if len(policies) > 1:
        why = f"matches {len(policies)} SSL policies"
    decision = unverifiable(f"the SSL policy named by sslPolicy ({why})")
    return [exposure(res, what, "gcp-proxy", Setting("sslPolicy", shown, Origin.UNKNOWN if shown is None
                                                     else Origin.EXPLICIT), decision, ctx, tightest=hint,
                     needs_join=ctx.stack is None, internet_facing=_proxy_facing(res, ctx))]


def analyze_http_proxy(res: Resource, ctx: Context) -> list[Exposure]:
    """A target HTTP proxy: passes only when every route of its URL map redirects to HTTPS."""
    decision, setting = _http_proxy_decision(res, ctx)
    return [exposure(res, "HTTP proxy", "gcp-proxy", setting, decision, ctx, tightest=HTTP_HINT,
                     needs_join=ctx.stack is None, internet_facing=_proxy_facing(res, ctx))]


def _http_proxy_decision(res: Resource, ctx: Context) -> tuple[Decision, Setting]:
    maps = ctx.stack.resolve(res, "urlMap", URL_MAPS) if ctx.stack is not None else []
    if len(maps) != 1:
        value = res.get("urlMap")
        why = ("unknown until deployed" if is_unknown(value) else "absent" if value is None
               else f"matches {len(maps)} URL maps" if maps else "not a URL map in this stack")
        decision = unverifiable(f"whether the URL map named by urlMap redirects to HTTPS ({why})")
        shown = value if isinstance(value, str) else None
        return decision, Setting("urlMap", shown, Origin.EXPLICIT if shown else Origin.UNKNOWN)
    routes = check_url_map(maps[0])
    if routes.outcome == "unknown":
        return unverifiable(routes.why), Setting(f"urlMap.{routes.path}", None, Origin.UNKNOWN)
    setting = Setting(f"urlMap.{routes.path}", routes.shown, Origin.JOINED, via=maps[0].name)
    if routes.outcome == "redirects":
        return fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS"), setting
    return fixed(Verdict.NONCONFORMING, f"serves plaintext HTTP ({routes.why})"), setting


def analyze_tcp_proxy(res: Resource, ctx: Context) -> list[Exposure]:
    """A TCP proxy terminates no TLS: whatever TLS there is, the backends serve it."""
    return [exposure(res, "TCP proxy", "gcp-proxy", Setting("type", "TCP", Origin.EXPLICIT),
                     fixed(Verdict.NOT_TERMINATED, "TCP proxy passes TLS through to the backends; verify them live "
                                                   "with tlsfence verify"), ctx, tightest="")]


def scheme_facing(rule: Resource) -> tuple[bool | None, str | None]:
    """(internet-facing, problem) of a forwarding rule's ``loadBalancingScheme``; absent is the provider default."""
    value = rule.get("loadBalancingScheme")
    if value is None:
        return SCHEMES[DEFAULT_SCHEME[rule.type]], None
    if is_unknown(value):
        return None, "loadBalancingScheme (unknown until deployed)"
    if not isinstance(value, str) or value not in SCHEMES:
        return None, f"loadBalancingScheme {value!r} (not a scheme tlsfence knows: {', '.join(SCHEMES)})"
    return SCHEMES[value], None


@lru_cache(maxsize=8)
def _facing_index(stack: Stack) -> Mapping[str, tuple[bool | None, ...]]:
    """Proxy URN → internet-facing of each forwarding rule that targets it (one pass per stack: linear)."""
    index: dict[str, list[bool | None]] = {}
    for rule in stack.of_type(*FORWARDING_RULES):
        for target in stack.resolve(rule, "target", TARGETS):
            index.setdefault(target.urn, []).append(scheme_facing(rule)[0])
    return {k: tuple(v) for k, v in index.items()}


def _proxy_facing(proxy: Resource, ctx: Context) -> bool | None:
    """A proxy faces the internet unless every forwarding rule in front of it is internal (unknown: None)."""
    if ctx.stack is None:
        return None
    facing = _facing_index(ctx.stack).get(proxy.urn, ())
    if not facing or None in facing:
        return None
    return any(facing)


def _port(rule: Resource) -> str:
    value = rule.get("portRange")
    if value is None:
        value = rule.get("ports")
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, (str, int)) for v in value):
            value = ",".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f" :{value}" if isinstance(value, (str, int)) and value != "" else ""


def _target_kind(target: Resource) -> str:
    if target.type in TLS_PROXIES:
        return "tls"
    if target.type in HTTP_PROXIES:
        return "http"
    return "tcp" if target.type in TCP_PROXIES else "psc" if target.type in PSC else "pass-through"


def _by_value(value: Any) -> str | None:
    """What an unresolved target URL names, from its collection segment (None: not recognised)."""
    if not isinstance(value, str):
        return None
    if value in PSC_BUNDLES:
        return "psc"
    parts = value.rstrip("/").split("/")
    return TARGET_COLLECTIONS.get(parts[-2]) if len(parts) >= 2 else None


LABEL = {"tls": "HTTPS/SSL", "http": "HTTP", "tcp": "TCP proxy", "pass-through": "pass-through", "psc":
         "Private Service Connect"}


def analyze_forwarding_rule(res: Resource, ctx: Context) -> list[Exposure]:
    """A forwarding rule: the verdict of the proxy it targets, with its port and scheme; pass-through otherwise."""
    facing, problem = scheme_facing(res)
    target, backend = res.get("target"), res.get("backendService")
    where = _port(res) + ("" if facing is None else " (internet-facing)" if facing else " (internal)")

    def out(kind: str, setting: Setting, decision: Decision, **kw: Any) -> list[Exposure]:
        label = LABEL.get(kind, "")
        what = f"{label} forwarding rule{where}".strip() if label else f"forwarding rule{where}"
        return [exposure(res, what, "gcp-proxy", setting, decision, ctx, tightest=kw.pop("hint", ""),
                         internet_facing=facing, **kw)]

    if problem is not None:
        shown = res.get("loadBalancingScheme")
        setting = Setting("loadBalancingScheme", None if is_unknown(shown) else str(shown),
                          Origin.UNKNOWN if is_unknown(shown) else Origin.EXPLICIT)
        return out("", setting, unverifiable(problem))
    if target is None or target == "":
        if backend is None or backend == "":
            return out("", Setting("target", "absent", Origin.EXPLICIT),
                       unverifiable("target (neither target nor backendService is set)"))
        return out("pass-through", Setting("backendService", None if is_unknown(backend) else str(backend),
                                           Origin.UNKNOWN if is_unknown(backend) else Origin.EXPLICIT),
                   fixed(Verdict.NOT_TERMINATED, "a pass-through load balancer (backend service): TLS is the "
                                                 "backends'; verify them live with tlsfence verify"))
    if ctx.stack is None:
        return out("", Setting("target", None if is_unknown(target) else str(target), Origin.UNKNOWN),
                   unverifiable("the target of the forwarding rule (decided with the stack)"), needs_join=True)
    found = ctx.stack.resolve(res, "target", TARGETS)
    if len(found) == 1:
        return _joined(found[0], ctx, out)
    kind = None if found else _by_value(target)
    shown = None if is_unknown(target) else str(target)
    setting = Setting("target", shown, Origin.UNKNOWN if shown is None else Origin.EXPLICIT)
    if kind in ("pass-through", "tcp", "psc"):
        return out(kind, setting, _passes(kind))
    why = ("unknown until deployed" if shown is None else f"matches {len(found)} targets" if found
           else "not a target proxy in this stack" if kind in ("tls", "http") else "not a target tlsfence knows")
    return out(kind or "", setting, unverifiable(f"what the forwarding rule's target serves ({why})"))


def _passes(kind: str) -> Decision:
    if kind == "psc":
        return fixed(Verdict.NOT_TERMINATED, "a Private Service Connect endpoint: TLS is the producer's (Google APIs "
                                             "or a published service)")
    what = "a TCP proxy" if kind == "tcp" else "a target pool or instance (pass-through)"
    return fixed(Verdict.NOT_TERMINATED, f"forwards to {what}: TLS is the backends'; verify them live with tlsfence "
                                         "verify")


def _joined(target: Resource, ctx: Context, out: Any) -> list[Exposure]:
    kind = _target_kind(target)
    if kind == "tls":
        inner = analyze_tls_proxy(target, ctx)[0]
        setting = Setting(f"target.{inner.setting.prop}", inner.setting.value,
                          Origin.JOINED if inner.setting.value else Origin.UNKNOWN, via=target.name)
        return out(kind, setting, inner.decision, hint=inner.tightest)
    if kind == "http":
        decision, inner_setting = _http_proxy_decision(target, ctx)
        setting = Setting(f"target.{inner_setting.prop}", inner_setting.value,
                          Origin.JOINED if inner_setting.value else Origin.UNKNOWN, via=target.name)
        return out(kind, setting, decision, hint=HTTP_HINT)
    return out(kind, Setting("target", target.name, Origin.JOINED, via=target.name), _passes(kind))


ANALYZERS = {
    **{t: analyze_policy for t in POLICY_TYPES},
    **{t: analyze_tls_proxy for t in TLS_PROXIES},
    **{t: analyze_http_proxy for t in HTTP_PROXIES},
    **{t: analyze_tcp_proxy for t in TCP_PROXIES},
    **{t: analyze_forwarding_rule for t in FORWARDING_RULES},
}
