"""The one strictly conforming AWS front door: a classic ELB HTTPS listener with a custom TLS policy.

A custom ``SSLNegotiationPolicyType`` policy lists protocols and ciphers as boolean attributes, so it can
offer exactly the allowed suites (catalog ``aws-classic-elb`` ``custom_policy``;
https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-ssl-security-policy.html). Classic ELB
has no TLS 1.3 and AWS rejects CHACHA20 attributes (the catalog's ``unsupported_ciphers``), so the policy
carries every allowed suite classic ELB supports. Every ``Protocol-*`` attribute is set explicitly, and
every other catalogued classic cipher explicitly false, because whether an omitted attribute counts as
false is not documented (the catalog marks it uncertain).

The policy is an ``aws.elb.SslNegotiationPolicy`` on port 443 of the load balancer; the analyzer joins it
to the listener through the ``loadBalancer`` property dependency and ``lbPort``. There is no HTTP :80
listener: a classic ELB cannot redirect, and plaintext is nonconforming.
"""

from collections.abc import Iterable
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from tlsfence.catalog import platform
from tlsfence.catalog_models import CLASSIC, classic_policy_decision
from tlsfence.components.aws.dns import alias_record, certificate
from tlsfence.components.base import (
    ComponentConfigError,
    FrontDoor,
    acceptable,
    https_url,
    options_of,
    refusal,
    resolve_profile,
)
from tlsfence.errors import TlsfenceError
from tlsfence.profiles import Profile
from tlsfence.suites import normalize_protocol, protocol_rank, suite
from tlsfence.verdicts import Decision

PORT = 443
#: AWS no longer accepts SSLv2 in a policy; the analyzer does not require the attribute either.
SKIPPED_PROTOCOL_ATTRIBUTES = ("Protocol-SSLv2",)


def classic_ciphers() -> list[str]:
    """Every cipher a catalogued classic ELB policy names (the attributes AWS knows), sorted."""
    return sorted({c for e in platform(CLASSIC).entries.values() for c in (e.ciphers or ())})


def default_ciphers(profile: Profile) -> list[str]:
    """Every allowed suite classic ELB supports: allowed ∩ classic ciphers − the ones AWS rejects."""
    rejected = set(platform(CLASSIC).extra["custom_policy"]["unsupported_ciphers"])
    return sorted((profile.allowed & set(classic_ciphers())) - rejected)


def policy_attributes(profile: Profile, ciphers: Iterable[str]) -> dict[str, str]:
    """Attribute name → "true"/"false" for a custom policy offering ``ciphers`` at the profile's versions."""
    model = platform(CLASSIC).extra["custom_policy"]
    lowest = protocol_rank(normalize_protocol(profile.min_version))
    attrs = {attr: str(protocol_rank(proto) >= lowest).lower() for attr, proto in model["protocol_attributes"].items()
             if attr not in SKIPPED_PROTOCOL_ATTRIBUTES}
    attrs["Server-Defined-Cipher-Order"] = "true"
    wanted = set(ciphers)
    for name in sorted(set(classic_ciphers()) | wanted):
        attrs[name] = str(name in wanted).lower()
    return attrs


def describe_policy(attrs: dict[str, str]) -> str:
    """``SSLNegotiationPolicyType Protocol-TLSv1.2 [suites]`` for the ``setting`` output and messages."""
    model = platform(CLASSIC).extra["custom_policy"]
    on = [a for a, v in attrs.items() if v == "true" and a not in model["other_attributes"]]
    protos = [a for a in on if a in model["protocol_attributes"]]
    return f"{model['policy_type']} {'+'.join(protos)} [{', '.join(a for a in on if a not in protos)}]"


def decide(component: str, name: str, profile: Profile, strict: bool,
           ciphers: list[str] | None) -> tuple[dict[str, str], Decision]:
    """The attributes to create and their verdict; refuses what the refusal rule refuses."""
    default = default_ciphers(profile)
    if not default:
        raise ComponentConfigError(f"{component} '{name}': profile {profile.name} allows no suite a classic ELB "
                                   f"supports (classic ciphers: {', '.join(classic_ciphers())})")
    floor = classic_policy_decision(policy_attributes(profile, default), profile)
    chosen = default
    if ciphers:
        try:
            chosen = sorted({suite(c).openssl for c in ciphers})
        except TlsfenceError as e:
            raise ComponentConfigError(f"{component} '{name}': ciphers: {e}") from e
    attrs = policy_attributes(profile, chosen)
    decision = classic_policy_decision(attrs, profile)
    if not acceptable(decision, floor, strict):
        raise refusal(component, name, f"custom policy {describe_policy(attrs)}", decision, profile, strict,
                      [describe_policy(policy_attributes(profile, default)) + " (default), or any non-empty subset "
                       "of its ciphers"])
    return attrs, decision


class StrictClassicLoadBalancerArgs(TypedDict):
    """Inputs of :class:`StrictClassicLoadBalancer`."""

    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Subnets (VPC); give these or availability_zones."""
    availability_zones: NotRequired[pulumi.Input[list[str]]]
    """Availability zones (EC2-Classic style placement) when no subnets are given."""
    domain: NotRequired[pulumi.Input[str]]
    """The name clients use; needed for an ACM certificate and the DNS record."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """Existing certificate; without it, an ACM certificate for domain is validated in hosted_zone_id."""
    hosted_zone_id: NotRequired[pulumi.Input[str]]
    """Route53 zone for certificate validation and the alias record."""
    create_dns_record: NotRequired[bool]
    """Create an alias record domain → load balancer (default: true when hosted_zone_id is given)."""
    instance_ids: NotRequired[pulumi.Input[list[str]]]
    """EC2 instances behind the load balancer."""
    instance_port: NotRequired[int]
    """Backend port (default 80)."""
    instance_protocol: NotRequired[str]
    """Backend protocol (default HTTP)."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """Security groups (VPC only)."""
    internal: NotRequired[bool]
    """Internal load balancer (default false)."""
    ciphers: NotRequired[list[str]]
    """Suites to enable (default: every allowed suite classic ELB supports); anything else is refused."""
    profile: NotRequired[str]
    """Requirement profile name, alias or file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess too (this component is conforming, so it always passes)."""


class StrictClassicLoadBalancer(FrontDoor):
    """A classic ELB whose only listener is HTTPS :443 with a custom policy of exactly the allowed suites."""

    dns_name: pulumi.Output[str]
    """The load balancer's DNS name."""
    load_balancer_name: pulumi.Output[str]
    """The load balancer's name."""

    def __init__(self, name: str, args: StrictClassicLoadBalancerArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, StrictClassicLoadBalancerArgs.__annotations__, comp, name)
        profile = resolve_profile(data.get("profile"))
        attrs, decision = decide(comp, name, profile, bool(data.get("strict", False)), data.get("ciphers"))
        if not data.get("subnet_ids") and not data.get("availability_zones"):
            raise ComponentConfigError(f"{comp} '{name}': give subnet_ids or availability_zones")
        if not data.get("certificate_arn") and not (data.get("domain") and data.get("hosted_zone_id")):
            raise ComponentConfigError(f"{comp} '{name}': give certificate_arn, or domain and hosted_zone_id so that "
                                       "an ACM certificate can be validated through Route53")
        super().__init__(name, opts)

        cert_arn, _ = certificate(self, name, comp, data.get("domain"), data.get("certificate_arn"),
                                  data.get("hosted_zone_id"))
        lb = aws.elb.LoadBalancer(
            f"{name}-elb", subnets=data.get("subnet_ids"), availability_zones=data.get("availability_zones"),
            security_groups=data.get("security_group_ids"), instances=data.get("instance_ids"),
            internal=bool(data.get("internal", False)),
            listeners=[aws.elb.LoadBalancerListenerArgs(
                lb_port=PORT, lb_protocol="HTTPS", ssl_certificate_id=cert_arn,
                instance_port=int(data.get("instance_port", 80)),
                instance_protocol=str(data.get("instance_protocol", "HTTP")))],
            opts=self._child())
        aws.elb.SslNegotiationPolicy(
            f"{name}-tls", name=f"{name}-tlsfence-strict", load_balancer=lb.name, lb_port=PORT,
            attributes=[aws.elb.SslNegotiationPolicyAttributeArgs(name=k, value=v) for k, v in attrs.items()],
            opts=self._child())
        domain = data.get("domain")
        if domain and data.get("hosted_zone_id") and data.get("create_dns_record", True):
            alias_record(self, name, data["hosted_zone_id"], domain, lb.dns_name, lb.zone_id)
        endpoint = https_url(domain if domain else lb.dns_name)
        self._publish(endpoint, describe_policy(attrs), decision, dns_name=lb.dns_name, load_balancer_name=lb.name)
