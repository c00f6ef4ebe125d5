"""GKE front doors: Ingress (classes gce, gce-regional-external, gce-internal) and Gateway API Gateways.

An Ingress's HTTPS proxy gets the SSL policy its FrontendConfig (annotation
``networking.gke.io/v1beta1.FrontendConfig``) names in ``spec.sslPolicy``; port 80 is served unless
``kubernetes.io/ingress.allow-http`` is ``false``, and is a redirect only with ``spec.redirectToHttps.enabled``.
A Gateway's HTTPS listeners get the SSL policy of the GCPGatewayPolicy that targets it; its HTTP listeners are
redirects only when every HTTPRoute attached to them redirects to https. No SSL policy means the Google Cloud
default (COMPATIBLE, TLS 1.0). A named SSL policy is joined by name to a ``gcp:compute/sSLPolicy:SSLPolicy``
(``RegionSslPolicy`` for regional classes) in the same stack; one that is not there is ``unverifiable``,
naming it. Facts and sources: ``kubernetes.json`` (``gke.*``).
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.base import Context, exposure
from tlsfence.analyzers.gcp_compute import decide_policy, tightest_hint
from tlsfence.analyzers.k8s_base import (
    Unreadable,
    annotation,
    annotations,
    certificate_refs,
    fact,
    find_named,
    known,
    name_of,
    namespace_of,
    text,
)
from tlsfence.catalog_models import gcp_setting_name, gcp_ssl_policy_decision
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

INGRESS_FAMILY, GATEWAY_FAMILY = "k8s-ingress", "k8s-gateway"
FRONTEND_TYPES = ("kubernetes:networking.gke.io/v1beta1:FrontendConfig",)
GATEWAY_POLICY_TYPES = ("kubernetes:networking.gke.io/v1:GCPGatewayPolicy",)
GATEWAY_TYPES = ("kubernetes:gateway.networking.k8s.io/v1:Gateway",
                 "kubernetes:gateway.networking.k8s.io/v1beta1:Gateway")
ROUTE_TYPES = ("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
               "kubernetes:gateway.networking.k8s.io/v1beta1:HTTPRoute")
GLOBAL_POLICY, REGIONAL_POLICY = ("gcp:compute/sSLPolicy:SSLPolicy",), ("gcp:compute/regionSslPolicy:RegionSslPolicy",)
REDIRECT_HINT = "a FrontendConfig with redirectToHttps.enabled: true (or kubernetes.io/ingress.allow-http: 'false')"


def default_policy(ctx: Context, via: str) -> tuple[Setting, Decision]:
    """The Google Cloud default SSL policy (COMPATIBLE, TLS 1.0)."""
    d = fact("gke.default-ssl-policy")
    return (Setting(via, gcp_setting_name(d["profile"], d["minTlsVersion"]), Origin.DEFAULT),
            gcp_ssl_policy_decision(d["profile"], d["minTlsVersion"], (), ctx.profile))


def joined_policy(holder: Resource, name: Any, ctx: Context, regional: bool, prop: str) -> tuple[Setting, Decision]:
    """The SSL policy ``holder`` names, joined to the stack's SSLPolicy resources by dependency or by name."""
    types = REGIONAL_POLICY if regional else GLOBAL_POLICY
    assert ctx.stack is not None
    deps = ctx.stack.property_sources(holder, "spec", *types)
    shown = name if isinstance(name, str) else None
    if shown is not None:
        deps = [p for p in deps if p.get("name") in (None, shown)] or deps
        found = deps or ctx.stack.find(lambda p: p.get("name") == shown, *types)
    else:
        found = deps
    if len(found) != 1:
        why = "unknown until deployed" if shown is None else \
            f"{'matches ' + str(len(found)) + ' SSL policies' if found else 'not an SSL policy in this stack'}"
        kind = "regional " if regional else ""
        return Setting(prop, shown, Origin.EXPLICIT if shown else Origin.UNKNOWN), \
            unverifiable(f"the {kind}SSL policy {shown or ''} named by {prop} ({why})".replace("  ", " "))
    inner, decision = decide_policy(found[0], ctx)
    return Setting(prop, inner.value, Origin.JOINED if inner.value else Origin.UNKNOWN, via=found[0].name), decision


def _has_certificate(res: Resource) -> bool:
    """spec.tls or a certificate annotation (a computed one still names a certificate)."""
    tls = res.get("spec", "tls", default=[])
    if is_unknown(tls):
        raise Unreadable("spec.tls (unknown until deployed)")
    return bool(tls) or bool(certificate_refs(res, "ingress.gcp.kubernetes.io/pre-shared-cert")) \
        or bool(certificate_refs(res, "networking.gke.io/managed-certificates"))


def _frontend_config(res: Resource, ctx: Context) -> Resource | None:
    """The FrontendConfig the Ingress names (None when it names none); raises when it cannot be found."""
    key = fact("gke.frontend-config")
    try:
        name = annotation(res, key)
    except Unreadable:
        if ctx.stack is None and is_unknown(annotations(res).get(key)):
            raise LookupError(key) from None  # a computed reference: the stack policy sees where it came from
        name = None
        if ctx.stack is None or not ctx.stack.property_sources(res, "metadata", *FRONTEND_TYPES):
            raise
    if name is None and (ctx.stack is None or not ctx.stack.property_sources(res, "metadata", *FRONTEND_TYPES)):
        return None
    if ctx.stack is None:
        raise LookupError(name)
    found = find_named(ctx.stack, res, name, FRONTEND_TYPES, props=("metadata",))
    if len(found) != 1:
        raise Unreadable(f"FrontendConfig {name!r} named by annotation {key} ("
                         f"{'not in this stack' if not found else 'matches several'})")
    return found[0]


def analyze_ingress(res: Resource, ctx: Context, gke_class: str) -> list[Exposure]:
    """The HTTPS and HTTP front ends of a GKE Ingress."""
    hint = tightest_hint()
    internal = gke_class == "gce-internal"
    facing = not internal
    try:
        frontend = _frontend_config(res, ctx)
        https = _has_certificate(res)
        allow = annotation(res, "kubernetes.io/ingress.allow-http")
        if allow is not None and allow.strip().lower() not in ("true", "false"):
            raise Unreadable(f"annotation kubernetes.io/ingress.allow-http={allow!r} (not true/false)")
        http = allow is None or allow.strip().lower() == "true"
        policy_name = frontend.get("spec", "sslPolicy") if frontend is not None else None
        if policy_name is not None and not is_unknown(policy_name) and not isinstance(policy_name, str):
            raise Unreadable(f"FrontendConfig spec.sslPolicy={policy_name!r} (not a string)")
        redirect_block = known(frontend, "spec", "redirectToHttps", default=None) if frontend is not None else None
    except LookupError:
        return [exposure(res, "GKE Ingress", INGRESS_FAMILY, Setting(fact("gke.frontend-config"), None,
                                                                     Origin.UNKNOWN),
                         unverifiable("the FrontendConfig the Ingress names (decided by the stack policy)"), ctx,
                         tightest=hint, needs_join=True, internet_facing=facing)]
    except Unreadable as e:
        return [exposure(res, "GKE Ingress", INGRESS_FAMILY, Setting("ingress", None, Origin.UNKNOWN),
                         unverifiable(str(e)), ctx, tightest=hint, internet_facing=facing)]
    out = []
    if https:
        prop = "FrontendConfig spec.sslPolicy"
        if frontend is None or policy_name is None or policy_name == "":
            setting, decision = default_policy(ctx, prop)
        elif internal:
            setting = Setting(prop, None if is_unknown(policy_name) else policy_name, Origin.EXPLICIT)
            decision = unverifiable(f"SSL policy {policy_name} on a gce-internal Ingress ({fact('gke.internal-limits')}"
                                    "; use a Gateway with a GCPGatewayPolicy)")
        else:
            setting, decision = joined_policy(frontend, policy_name, ctx, gke_class == "gce-regional-external", prop)
        out.append(exposure(res, f"GKE Ingress ({gke_class}) HTTPS :443", INGRESS_FAMILY, setting, decision, ctx,
                            tightest=hint, internet_facing=facing))
    if http:
        out.append(_ingress_http(res, ctx, gke_class, redirect_block, facing, frontend))
    return out


def _ingress_http(res: Resource, ctx: Context, gke_class: str, block: Any, facing: bool,
                  frontend: Resource | None) -> Exposure:
    enabled = block.get("enabled") if isinstance(block, dict) else None
    prop = "FrontendConfig spec.redirectToHttps.enabled"
    if enabled is not None and not isinstance(enabled, bool):
        decision = unverifiable(f"{prop}={enabled!r} (not a boolean)")
        setting = Setting(prop, str(enabled), Origin.EXPLICIT)
    elif enabled and gke_class == "gce-internal":
        decision = unverifiable(f"HTTP :80 of a gce-internal Ingress ({fact('gke.internal-limits')}: the controller "
                                "refuses redirectToHttps)")
        setting = Setting(prop, "true", Origin.EXPLICIT)
    elif enabled:
        decision = fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS")
        setting = Setting(prop, "true", Origin.JOINED, via=frontend.name if frontend is not None else None)
    else:
        decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (kubernetes.io/ingress.allow-http is not "
                                                "'false' and no FrontendConfig redirects to HTTPS)")
        setting = Setting(prop, "false", Origin.EXPLICIT if enabled is False else Origin.DEFAULT)
    return exposure(res, f"GKE Ingress ({gke_class}) HTTP :80", INGRESS_FAMILY, setting, decision, ctx,
                    tightest=REDIRECT_HINT, internet_facing=facing)


def _gateway_policy(res: Resource, ctx: Context) -> list[Resource]:
    assert ctx.stack is not None
    name = name_of(res)
    out = []
    for pol in ctx.stack.of_type(*GATEWAY_POLICY_TYPES):
        if res.urn in pol.property_dependencies.get("spec", ()):
            out.append(pol)
            continue
        ref = pol.get("spec", "targetRef")
        if isinstance(ref, dict) and ref.get("kind") == "Gateway" and name is not None and ref.get("name") == name \
                and namespace_of(pol) == namespace_of(res):
            out.append(pol)
    return out


def _routes_redirect(res: Resource, listener: str, ctx: Context) -> tuple[bool | None, list[str]]:
    """(True when at least one HTTPRoute attaches to the listener and every one only redirects to https, and the
    names of the attached routes)."""
    assert ctx.stack is not None
    name, attached = name_of(res), []
    for route in ctx.stack.of_type(*ROUTE_TYPES):
        parents = route.get("spec", "parentRefs", default=[])
        if not isinstance(parents, list):
            return None, [route.name]
        for ref in parents:
            if not isinstance(ref, dict):
                return None, [route.name]
            by_dep = res.urn in route.property_dependencies.get("spec", ())
            if (by_dep or (name is not None and ref.get("name") == name)) and ref.get("sectionName") in (None,
                                                                                                       listener):
                attached.append(route)
                break
    names = [r.name for r in attached]
    if not attached:
        return False, names
    for route in attached:
        rules = known(route, "spec", "rules", default=[])
        for rule in rules or [{}]:
            filters = rule.get("filters") or [] if isinstance(rule, dict) else []
            if not any(isinstance(f, dict) and f.get("type") == "RequestRedirect"
                       and (f.get("requestRedirect") or {}).get("scheme") == "https" for f in filters):
                return False, names
    return True, names


def analyze_gateway(res: Resource, ctx: Context) -> list[Exposure]:
    """Each listener of a GKE Gateway."""
    hint = tightest_hint()
    try:
        cls = text(res, "spec", "gatewayClassName")
        classes = fact("gke.gateway-classes")
        if cls not in classes:
            raise Unreadable(f"the TLS of gatewayClassName {cls!r} (tlsfence models the GKE classes "
                             f"{', '.join(sorted(classes))}; verify other implementations live with tlsfence verify)")
        listeners = known(res, "spec", "listeners", default=[])
        if not isinstance(listeners, list):
            raise Unreadable("spec.listeners (not a list)")
    except Unreadable as e:
        return [exposure(res, "Gateway", GATEWAY_FAMILY, Setting("spec.gatewayClassName", None, Origin.UNKNOWN),
                         unverifiable(str(e)), ctx, tightest=hint)]
    scope = classes[cls]
    facing = "internal" not in scope
    if ctx.stack is None:
        return [exposure(res, f"Gateway ({cls})", GATEWAY_FAMILY, Setting("GCPGatewayPolicy", None, Origin.UNKNOWN),
                         unverifiable("the GCPGatewayPolicy and HTTPRoutes of the Gateway (decided by the stack "
                                      "policy)"), ctx, tightest=hint, needs_join=True, internet_facing=facing)]
    out = []
    for listener in listeners:
        listener = listener if isinstance(listener, dict) else {}
        proto, port, lname = str(listener.get("protocol", "")), listener.get("port"), listener.get("name")
        shown = int(port) if isinstance(port, (int, float)) and not isinstance(port, bool) else port
        what = f"Gateway ({cls}) {proto} listener {lname} :{shown}"
        if proto == "HTTPS":
            mode = (listener.get("tls") or {}).get("mode", "Terminate") if isinstance(listener.get("tls"),
                                                                                      (dict, type(None))) else None
            if mode != "Terminate":
                setting, decision = Setting("tls.mode", str(mode), Origin.EXPLICIT), \
                    unverifiable(f"tls.mode {mode!r} (GKE Gateways terminate TLS)")
            else:
                setting, decision = _gateway_tls(res, ctx, scope)
            out.append(exposure(res, what, GATEWAY_FAMILY, setting, decision, ctx, tightest=hint,
                                internet_facing=facing))
        elif proto == "HTTP":
            try:
                redirects, routes = _routes_redirect(res, str(lname), ctx)
            except Unreadable:
                redirects, routes = None, []
            setting = Setting("HTTPRoute filters", None if redirects is None else
                              ("RequestRedirect" if redirects else "forward"),
                              Origin.JOINED if routes else Origin.DEFAULT, via=", ".join(routes) or None)
            if redirects is None:
                decision = unverifiable("the HTTPRoutes attached to the listener (not understood)")
            elif redirects:
                decision = fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS")
            else:
                decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (an attached HTTPRoute does not "
                                                        "redirect to https, or none is attached)")
            out.append(exposure(res, what, GATEWAY_FAMILY, setting, decision, ctx, internet_facing=facing,
                                tightest="an HTTPRoute on the listener whose only filter is RequestRedirect scheme "
                                         "https"))
        else:
            out.append(exposure(res, what, GATEWAY_FAMILY, Setting("protocol", proto, Origin.EXPLICIT),
                                unverifiable(f"listener protocol {proto!r} (GKE L7 Gateways serve HTTP and HTTPS)"),
                                ctx, tightest=hint, internet_facing=facing))
    return out


def _gateway_tls(res: Resource, ctx: Context, scope: str) -> tuple[Setting, Decision]:
    prop = "GCPGatewayPolicy spec.default.sslPolicy"
    policies = _gateway_policy(res, ctx)
    if len(policies) > 1:
        return Setting(prop, None, Origin.UNKNOWN), unverifiable(f"the SSL policy ({len(policies)} GCPGatewayPolicies "
                                                                 "target the Gateway)")
    if not policies:
        return default_policy(ctx, prop)
    name = policies[0].get("spec", "default", "sslPolicy")
    if name is None or name == "":
        return default_policy(ctx, prop)
    return joined_policy(policies[0], name, ctx, scope.startswith("regional"), prop)


def analyze_companion(res: Resource, ctx: Context) -> list[Exposure]:
    """FrontendConfig, GCPGatewayPolicy, HTTPRoute: judged on the Ingress or Gateway that uses them."""
    return []


ANALYZERS = {
    **{t: analyze_gateway for t in GATEWAY_TYPES},
    **{t: analyze_companion for t in (*FRONTEND_TYPES, *GATEWAY_POLICY_TYPES, *ROUTE_TYPES)},
}
