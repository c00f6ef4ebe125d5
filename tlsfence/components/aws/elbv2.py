"""An ALB (HTTPS) or NLB (TLS) whose listener can only use an accepted ELBv2 security policy.

ELBv2 has no custom policies: the policy name fixes protocols and suites, and every policy that allows
TLS 1.2 also offers the two ECDHE AES256-GCM suites, so the best verdict is ``conforming-with-excess``
(catalog ``aws-elbv2``; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
The listener defaults to ``tightest("aws-elbv2", profile)``. An ALB also gets an HTTP :80 listener that only
redirects to HTTPS; an NLB gets none, because an NLB cannot redirect (it has no layer-7 actions).
"""

from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from tlsfence.components.aws.dns import ACM_KEY_TYPES, alias_record, certificate
from tlsfence.components.base import (
    ComponentConfigError,
    FrontDoor,
    decide_named,
    https_url,
    options_of,
    require,
    resolve_profile,
)

PLATFORM = "aws-elbv2"
STRICT_INSTEAD = ("For a strictly conforming AWS front door use StrictClassicLoadBalancer (a classic ELB with a "
                  "custom SSLNegotiationPolicyType policy)")
#: load_balancer_type → (TLS listener protocol, default target protocol)
KINDS = {"application": ("HTTPS", "HTTP"), "network": ("TLS", "TCP")}


class HttpsLoadBalancerArgs(TypedDict):
    """Inputs of :class:`HttpsLoadBalancer`."""

    subnet_ids: pulumi.Input[list[str]]
    """Subnets of the load balancer (public subnets for an internet-facing one)."""
    domain: NotRequired[pulumi.Input[str]]
    """The name clients use; needed for an ACM certificate and the DNS record."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """An existing certificate; without it, an ACM certificate for domain is validated in hosted_zone_id."""
    hosted_zone_id: NotRequired[pulumi.Input[str]]
    """Route53 zone for certificate validation and the alias record."""
    create_dns_record: NotRequired[bool]
    """Create an alias record domain → load balancer (default: true when hosted_zone_id is given)."""
    target_group_arn: NotRequired[pulumi.Input[str]]
    """The backend to forward to; without it, a target group is created in vpc_id."""
    vpc_id: NotRequired[pulumi.Input[str]]
    """VPC of the target group created when target_group_arn is not given."""
    target_port: NotRequired[int]
    """Port of the created target group (default 80)."""
    target_protocol: NotRequired[str]
    """Protocol of the created target group (default HTTP for an ALB, TCP for an NLB)."""
    load_balancer_type: NotRequired[str]
    """application (HTTPS listener, default) or network (TLS listener)."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """Security groups of an ALB."""
    internal: NotRequired[bool]
    """Internal load balancer (default false: internet-facing)."""
    ssl_policy: NotRequired[str]
    """ELBv2 security policy; default the tightest the profile allows. A weaker one is refused."""
    profile: NotRequired[str]
    """Requirement profile: a built-in name or alias, or a profile file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess too (no ELBv2 policy passes; use StrictClassicLoadBalancer)."""


class HttpsLoadBalancer(FrontDoor):
    """An internet-facing ALB/NLB whose HTTPS/TLS listener uses the tightest ELBv2 policy the profile allows."""

    dns_name: pulumi.Output[str]
    """The load balancer's DNS name."""
    load_balancer_arn: pulumi.Output[str]
    """The load balancer's ARN."""
    listener_arn: pulumi.Output[str]
    """The HTTPS/TLS listener's ARN (attach listener rules here)."""

    def __init__(self, name: str, args: HttpsLoadBalancerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, HttpsLoadBalancerArgs.__annotations__, comp, name)
        profile = resolve_profile(data.get("profile"))
        strict = bool(data.get("strict", False))
        kind = data.get("load_balancer_type", "application")
        if kind not in KINDS:
            raise ComponentConfigError(f"{comp} '{name}': load_balancer_type {kind!r} is not one of "
                                       f"{', '.join(KINDS)}")
        key_types = None if data.get("certificate_arn") else ACM_KEY_TYPES
        policy, decision = decide_named(comp, name, "ssl_policy", PLATFORM, data.get("ssl_policy"), profile, strict,
                                        key_types, STRICT_INSTEAD)
        subnets = require(data, "subnet_ids", comp, name)
        if not data.get("target_group_arn"):
            require(data, "vpc_id", comp, name, "or give target_group_arn")
        if not data.get("certificate_arn") and not (data.get("domain") and data.get("hosted_zone_id")):
            raise ComponentConfigError(f"{comp} '{name}': give certificate_arn, or domain and hosted_zone_id so that "
                                       "an ACM certificate can be validated through Route53")
        super().__init__(name, opts)

        tls_protocol, target_protocol = KINDS[kind]
        lb = aws.lb.LoadBalancer(
            f"{name}-lb", load_balancer_type=kind, internal=bool(data.get("internal", False)), subnets=subnets,
            security_groups=data.get("security_group_ids") if kind == "application" else None, opts=self._child())
        cert_arn, _ = certificate(self, name, comp, data.get("domain"), data.get("certificate_arn"),
                                  data.get("hosted_zone_id"))
        target = data.get("target_group_arn")
        if not target:
            target = aws.lb.TargetGroup(
                f"{name}-tg", vpc_id=data["vpc_id"], port=int(data.get("target_port", 80)),
                protocol=data.get("target_protocol", target_protocol), opts=self._child()).arn
        listener = aws.lb.Listener(
            f"{name}-{tls_protocol.lower()}", load_balancer_arn=lb.arn, port=443, protocol=tls_protocol,
            ssl_policy=policy, certificate_arn=cert_arn,
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target)],
            opts=self._child())
        if kind == "application":
            aws.lb.Listener(
                f"{name}-http", load_balancer_arn=lb.arn, port=80, protocol="HTTP",
                default_actions=[aws.lb.ListenerDefaultActionArgs(
                    type="redirect", redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                        protocol="HTTPS", port="443", status_code="HTTP_301"))],
                opts=self._child())
        domain = data.get("domain")
        if domain and data.get("hosted_zone_id") and data.get("create_dns_record", True):
            alias_record(self, name, data["hosted_zone_id"], domain, lb.dns_name, lb.zone_id)
        endpoint = https_url(domain if domain else lb.dns_name)
        self._publish(endpoint, policy, decision, dns_name=lb.dns_name, load_balancer_arn=lb.arn,
                      listener_arn=listener.arn)
