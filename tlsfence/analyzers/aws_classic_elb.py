"""Classic ELB: listeners of ``aws:elb/loadBalancer:LoadBalancer`` joined to the policies attached to them.

A listener's TLS is decided by the ``SSLNegotiationPolicyType`` policy attached to its port, through
``aws:elb/sslNegotiationPolicy:SslNegotiationPolicy`` (``loadBalancer`` + ``lbPort``) or
``aws:elb/listenerPolicy:ListenerPolicy`` naming ``aws:elb/loadBalancerPolicy:LoadBalancerPolicy`` resources.
No policy means ``ELBSecurityPolicy-2016-08``. Source:
https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tlsfence.analyzers.aws_elbv2 import certificate_value_key_types
from tlsfence.analyzers.base import Context, choice, choice_problem, exposure, flag
from tlsfence.catalog import platform
from tlsfence.catalog_models import CLASSIC, classic_policy_decision
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, Stack, contains_unknown, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

LB = "aws:elb/loadBalancer:LoadBalancer"
SSL_NEG = "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
LB_POLICY = "aws:elb/loadBalancerPolicy:LoadBalancerPolicy"
LISTENER_POLICY = "aws:elb/listenerPolicy:ListenerPolicy"
#: Listener protocols; the Terraform-bridged provider accepts them in any case (validateListenerProtocol).
CLASSIC_PROTOCOLS = ("HTTP", "HTTPS", "TCP", "SSL")
STRICT_HINT = ("a custom SSLNegotiationPolicyType policy: Protocol-TLSv1.2 only and exactly the allowed ECDHE "
               "AES128 suites (tlsfence.components.aws.StrictClassicLoadBalancer)")


def attributes_of(policy: Resource) -> dict[str, Any] | None:
    """Attribute name → value of a custom policy resource (None when any of it is unknown)."""
    key = "attributes" if policy.type == SSL_NEG else "policyAttributes"
    raw = policy.get(key, default=[])
    if contains_unknown(raw):
        return None
    return {str(a.get("name")): a.get("value", "true" if policy.type == SSL_NEG else None) for a in raw}


def decide_policy(policy: Resource, ctx: Context, key_types: frozenset[str] | None = None) -> Decision:
    """Verdict of one classic ELB policy resource (for a listener: narrowed to its certificate's key types)."""
    if policy.type == LB_POLICY:
        kind = policy.get("policyTypeName")
        if is_unknown(kind):
            return unverifiable("policyTypeName (unknown until deployed)")
        if kind != "SSLNegotiationPolicyType":
            return fixed(Verdict.CONFORMING, f"{kind} does not decide TLS")
    attrs = attributes_of(policy)
    if attrs is None:
        return unverifiable("the policy's attributes (unknown until deployed)")
    return classic_policy_decision(attrs, ctx.profile, key_types)


def _attached_to(stack: Stack, types: tuple[str, ...], prop: str, lb: Resource) -> list[Resource]:
    """Resources of ``types`` whose ``prop`` names ``lb``: by property dependency, or by its name or id.

    Indexed once per stack by every load balancer reference they carry, so the join stays linear.
    """
    by_dep = stack.index(f"lb-dep:{prop}", types, lambda r: r.property_dependencies.get(prop, ()))
    by_value = stack.index(f"lb-value:{prop}", types, lambda r: [v] if isinstance(v := r.get(prop), str) else [])
    names = [lb.name, *(v for v in (lb.get("name"), lb.get("id")) if isinstance(v, str))]
    return stack.in_order(by_dep.get(lb.urn, ()), *(by_value.get(k, ()) for k in dict.fromkeys(names)))


def _policies_named(stack: Stack, name: Any) -> list[Resource]:
    index = stack.index("lb-policy-name", (LB_POLICY,),
                        lambda p: [v for v in (p.get("policyName"), p.name) if isinstance(v, str)])
    return list(index.get(name, ())) if isinstance(name, str) else []


def _policies_for(lb: Resource, port: int, stack: Stack) -> list[Resource] | None:
    """Policies attached to ``lb``'s listener on ``port``; None when an attachment cannot be resolved."""
    found: list[Resource] = []
    for neg in _attached_to(stack, (SSL_NEG,), "loadBalancer", lb):
        lb_port = neg.get("lbPort")
        if is_unknown(lb_port):
            return None
        if lb_port is not None and int(float(lb_port)) == port:
            found.append(neg)
    for attach in _attached_to(stack, (LISTENER_POLICY,), "loadBalancerName", lb):
        lb_port, names = attach.get("loadBalancerPort"), attach.get("policyNames", default=[])
        if is_unknown(lb_port) or contains_unknown(names):
            deps = stack.property_sources(attach, "policyNames", LB_POLICY)
            if not deps or is_unknown(lb_port):
                return None
            found.extend(deps)
            continue
        if int(float(lb_port)) != port:
            continue
        for name in names:
            matched = _policies_named(stack, name) or stack.property_sources(attach, "policyNames", LB_POLICY)
            if not matched:
                if str(name).startswith("ELBSecurityPolicy") or str(name).startswith("ELBSample"):
                    continue
                return None
            found.extend(matched)
    return found


def _listener_decision(lb: Resource, port: int, ctx: Context,
                       key_types: frozenset[str] | None) -> tuple[Setting, Decision, bool]:
    """Setting, decision and needs-join for one HTTPS/SSL listener.

    An ACM certificate in the stack narrows what can be negotiated: a custom policy whose only allowed suites
    are ECDHE-ECDSA ones offers nothing a client can use with an RSA certificate.
    """
    default = platform(CLASSIC).default
    if ctx.stack is None:
        return (Setting(f"listener :{port} policy", None, Origin.UNKNOWN),
                unverifiable(f"the policy attached to listener :{port} (decided by the stack policy)"), True)
    policies = _policies_for(lb, port, ctx.stack)
    if policies is None:
        return (Setting(f"listener :{port} policy", None, Origin.UNKNOWN),
                unverifiable(f"the policy attached to listener :{port} (an attachment is unknown or names a "
                             "policy not in this stack)"), False)
    ssl = [p for p in policies if p.type == SSL_NEG or p.get("policyTypeName") == "SSLNegotiationPolicyType"]
    if not ssl:
        return (Setting(f"listener :{port} policy", default, Origin.DEFAULT),
                platform(CLASSIC).decide(default, ctx.profile, key_types), False)
    worst = [decide_policy(p, ctx, key_types) for p in ssl]
    pick = max(range(len(ssl)), key=lambda i: _severity(worst[i]))
    return (Setting(f"listener :{port} policy", ssl[pick].get("name") or ssl[pick].get("policyName") or ssl[pick].name,
                    Origin.JOINED, via=ssl[pick].name), worst[pick], False)


def _severity(decision: Decision) -> int:
    order = [Verdict.CONFORMING, Verdict.EXCESS, Verdict.UNVERIFIABLE, Verdict.NONCONFORMING]
    return order.index(decision.verdict) if decision.verdict in order else 0


def analyze_load_balancer(res: Resource, ctx: Context) -> list[Exposure]:
    """One exposure per listener of a classic load balancer."""
    listeners = res.get("listeners", default=[])
    internal = flag(res.get("internal", default=False))
    facing = None if internal is None else not internal
    if contains_unknown(listeners):
        return [exposure(res, "listeners", "classic-elb", Setting("listeners", None, Origin.UNKNOWN),
                         unverifiable("listeners (unknown until deployed)"), ctx, tightest=STRICT_HINT,
                         internet_facing=facing)]
    out: list[Exposure] = []
    for listener in listeners:
        listener = listener if isinstance(listener, Mapping) else {}
        raw = listener.get("lbProtocol")
        proto = choice(raw, CLASSIC_PROTOCOLS, fold_case=True)
        port = int(float(listener.get("lbPort", 0)))
        what = f"{proto} listener :{port}"
        if proto is None:
            out.append(exposure(res, f"listener :{port}", "classic-elb", Setting("lbProtocol", None, Origin.UNKNOWN),
                                unverifiable(choice_problem("listeners[].lbProtocol", raw, CLASSIC_PROTOCOLS)), ctx,
                                tightest=STRICT_HINT, internet_facing=facing))
        elif proto in ("HTTPS", "SSL"):
            key_types = certificate_value_key_types(listener.get("sslCertificateId"), ctx)
            setting, decision, join = _listener_decision(res, port, ctx, key_types)
            out.append(exposure(res, what, "classic-elb", setting, decision, ctx, tightest=STRICT_HINT,
                                needs_join=join, internet_facing=facing))
        elif proto == "HTTP":
            out.append(exposure(res, what, "classic-elb", Setting("lbProtocol", "HTTP", Origin.EXPLICIT),
                                fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (a classic ELB cannot redirect)"),
                                ctx, tightest="an HTTPS or SSL listener with a strict policy (remove the HTTP one)",
                                internet_facing=facing))
        else:
            out.append(exposure(res, what, "classic-elb", Setting("lbProtocol", proto, Origin.EXPLICIT),
                                fixed(Verdict.NOT_TERMINATED, f"{proto} passes TLS through to the instances; verify "
                                                              "them live with tlsfence verify"), ctx, tightest="",
                                internet_facing=facing))
    return out


def analyze_policy(res: Resource, ctx: Context) -> list[Exposure]:
    """A custom policy on its own: judged where it is written, before it is attached."""
    if res.type == LB_POLICY and res.get("policyTypeName") not in ("SSLNegotiationPolicyType",) \
            and not is_unknown(res.get("policyTypeName")):
        return []
    decision = decide_policy(res, ctx)
    name = res.get("name") or res.get("policyName") or res.name
    setting = Setting("attributes" if res.type == SSL_NEG else "policyAttributes",
                      str(name) if not is_unknown(name) else res.name, Origin.EXPLICIT)
    return [exposure(res, "SSL negotiation policy", "classic-elb-policy", setting, decision, ctx,
                     tightest=STRICT_HINT)]


def analyze_attachment(res: Resource, ctx: Context) -> list[Exposure]:
    """A ListenerPolicy only attaches policies; its effect is judged on the load balancer's listener."""
    return []


ANALYZERS = {
    LB: analyze_load_balancer,
    LISTENER_POLICY: analyze_attachment,
    SSL_NEG: analyze_policy,
    LB_POLICY: analyze_policy,
}
