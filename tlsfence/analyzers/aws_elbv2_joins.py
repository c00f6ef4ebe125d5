"""The joins an ELBv2 listener needs: its load balancer (type, scheme) and its certificates (key types).

A listener alone does not say what it is. Its load balancer decides what an absent ``protocol`` means
(application: HTTP; network: the API requires one; gateway: none, no client endpoint) and whether it faces
the internet; its certificates decide which key types it can negotiate with. Joins go through property
dependencies first (at preview the ARNs are unknown) and by value otherwise (state files, audits); a join
that does not resolve to exactly one resource is reported as missing, never guessed.

Sources: load balancer types and schemes, botocore ``elbv2`` ``LoadBalancerTypeEnum`` /
``LoadBalancerSchemeEnum`` and https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
(``Type`` default ``application``, ``Scheme`` default ``internet-facing``); ACM key algorithms default
``RSA_2048``: https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html.
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsfence.analyzers.base import Context, choice, choice_problem, flag, flag_problem
from tlsfence.resources import Resource, is_unknown

LB_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
            "aws-native:elasticloadbalancingv2:LoadBalancer")
LISTENER_TYPES = ("aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws-native:elasticloadbalancingv2:Listener")
LISTENER_CERT_TYPES = ("aws:lb/listenerCertificate:ListenerCertificate",
                       "aws:alb/listenerCertificate:ListenerCertificate",
                       "aws-native:elasticloadbalancingv2:ListenerCertificate")
CERT_TYPES = ("aws:acm/certificate:Certificate", "aws-native:certificatemanager:Certificate")
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
KINDS = ("application", "network", "gateway")
SCHEMES = ("internet-facing", "internal")
ARN_KEYS = ("arn", "id", "loadBalancerArn", "listenerArn")


def is_native(res: Resource) -> bool:
    """aws-native resources take the CloudFormation shape and its exact-case enums."""
    return res.type.startswith("aws-native:")


@dataclass(frozen=True)
class LoadBalancerFacts:
    """What the listener's load balancer says, or why it says nothing.

    Attributes:
        resource: the joined load balancer, None when the join does not resolve.
        kind: ``application``/``network``/``gateway``; None when not known.
        internet_facing: True/False, None when not known.
        problem: why ``kind`` is None (names the missing join or the property not understood).
    """

    resource: Resource | None
    kind: str | None
    internet_facing: bool | None
    problem: str = ""


def _one(found: list[Resource]) -> Resource | None:
    unique = list({r.urn: r for r in found}.values())
    return unique[0] if len(unique) == 1 else None


def load_balancer(res: Resource, ctx: Context) -> LoadBalancerFacts | None:
    """The listener's load balancer through ``loadBalancerArn``; None without a stack (resource policy)."""
    if ctx.stack is None:
        return None
    lb = _one(ctx.stack.resolve(res, "loadBalancerArn", LB_TYPES, keys=ARN_KEYS))
    if lb is None:
        value = res.get("loadBalancerArn")
        what = "unknown until deployed" if is_unknown(value) else "not in this stack" if value else "not set"
        return LoadBalancerFacts(None, None, None, f"the load balancer named by loadBalancerArn ({what})")
    type_prop = "type" if is_native(lb) else "loadBalancerType"
    raw = lb.get(type_prop, default="application")
    kind = choice(raw, KINDS)
    problem = "" if kind else f"{choice_problem(type_prop, raw, KINDS)} of load balancer '{lb.name}'"
    return LoadBalancerFacts(lb, kind, _facing(lb), problem)


def _facing(lb: Resource) -> bool | None:
    scheme = lb.get("scheme")
    if scheme is not None:
        known = choice(scheme, SCHEMES)
        return None if known is None else known == "internet-facing"
    if is_native(lb):
        return True  # CloudFormation: Scheme defaults to internet-facing
    internal = flag(lb.get("internal", default=False))
    return None if internal is None else not internal


def facing_problem(lb: Resource) -> str:
    """Why a load balancer's scheme was not understood (for messages)."""
    scheme = lb.get("scheme")
    if scheme is not None:
        return choice_problem("scheme", scheme, SCHEMES)
    return flag_problem("internal", lb.get("internal"))


def certificates_of(holder: Resource, prop: str, ctx: Context) -> list[Resource] | None:
    """ACM certificates that ``holder.props[prop]`` names, followed through ``CertificateValidation``.

    None when the property names something that is not an ACM certificate of this stack (its key type is
    then unknown). A validation resource's ``certificateArn`` is its certificate's, so the join goes on to
    the certificate (https://www.pulumi.com/registry/packages/aws/api-docs/acm/certificatevalidation/).
    """
    assert ctx.stack is not None
    found = ctx.stack.resolve(holder, prop, (*CERT_TYPES, VALIDATION), keys=("arn", "id", "certificateArn"))
    certs: dict[str, Resource] = {}
    for r in found:
        if r.type == VALIDATION:
            behind = ctx.stack.resolve(r, "certificateArn", CERT_TYPES, keys=("arn", "id"))
            if len(behind) != 1:
                return None
            r = behind[0]
        certs[r.urn] = r
    return list(certs.values()) if len(certs) == 1 else None


def key_type(cert: Resource) -> str | None:
    """RSA or ECDSA from an ACM certificate's ``keyAlgorithm`` (default RSA_2048); None when unknown."""
    algo = cert.get("keyAlgorithm", default="RSA_2048")
    if is_unknown(algo) or not isinstance(algo, str):
        return None
    if algo.startswith("RSA_"):
        return "RSA"
    return "ECDSA" if algo.startswith("EC_") else None


def key_types_of(certs: list[Resource] | None) -> frozenset[str] | None:
    """The key types of exactly one certificate (None when not exactly one, or its key type is unknown)."""
    if certs is None or len(certs) != 1:
        return None
    kt = key_type(certs[0])
    return None if kt is None else frozenset({kt})


def certificate_refs(res: Resource) -> list[tuple[str, ...]]:
    """Property paths of a listener's (or listener certificate's) certificates."""
    if res.get("certificateArn") is not None:
        return [("certificateArn",)]
    certs = res.get("certificates")
    if is_unknown(certs):
        return [("certificates",)]
    if isinstance(certs, list):
        return [("certificates", i, "certificateArn") for i in range(len(certs))]
    return []


def listener_key_types(listener: Resource, ctx: Context) -> frozenset[str] | None:
    """Key types a listener can negotiate with: its own certificates plus every ListenerCertificate on it.

    An extra certificate widens what is negotiable (an ECDSA certificate beside an RSA one brings the
    ECDSA suites back), so the union is judged; any certificate whose key type is unknown makes it None
    (every suite counts). Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html
    """
    if ctx.stack is None:
        return None
    types: set[str] = set()
    holders: list[tuple[Resource, tuple[str, ...]]] = [(listener, p) for p in certificate_refs(listener)]
    for extra in ctx.stack.of_type(*LISTENER_CERT_TYPES):
        if listener in ctx.stack.resolve(extra, "listenerArn", LISTENER_TYPES, keys=ARN_KEYS):
            holders.extend((extra, p) for p in certificate_refs(extra))
    if not holders:
        return None
    for holder, path in holders:
        kt = _key_type_at(holder, path, ctx)
        if kt is None:
            return None
        types.add(kt)
    return frozenset(types)


def _key_type_at(holder: Resource, path: tuple[str | int, ...], ctx: Context) -> str | None:
    assert ctx.stack is not None
    if len(path) == 1 and isinstance(path[0], str):
        certs = certificates_of(holder, path[0], ctx)
        return None if certs is None else key_type(certs[0])
    value = holder.get(*path)
    if isinstance(value, str) and value:
        found = ctx.stack.find(lambda c: value in (c.get("arn"), c.get("id")), *CERT_TYPES)
        return key_type(found[0]) if len(found) == 1 else None
    top = str(path[0])  # a nested ARN unknown at preview: property dependencies are per top-level property
    items = holder.get(top)
    if isinstance(items, list) and len(items) == 1:
        certs = certificates_of(holder, top, ctx)
        return None if certs is None else key_type(certs[0])
    return None
