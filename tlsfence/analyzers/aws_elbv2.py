"""ELBv2 listeners (ALB HTTPS, NLB TLS): ``aws:lb``, ``aws:alb`` and ``aws-native`` tokens, one function.

An HTTPS/TLS listener is decided by ``sslPolicy`` (absent → ``ELBSecurityPolicy-2016-08``, the API default).
An HTTP listener passes only if every default action redirects to HTTPS; a TCP/UDP listener does not
terminate TLS here and is reported as ``not-terminated``. Source of the default:
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.base import Context, decide_named, exposure, flag, setting_of
from tlsfence.catalog import platform
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Verdict, fixed, unverifiable

PLATFORM = "aws-elbv2"
LB_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
            "aws-native:elasticloadbalancingv2:LoadBalancer")
CERT_TYPES = ("aws:acm/certificate:Certificate",)


def _redirect_protocol(action: Any) -> Any:
    if not isinstance(action, dict):
        return None
    block = action.get("redirect")
    if block is None:  # not `or`: an unknown block has no truth value
        block = action.get("redirectConfig")
    if is_unknown(block):
        return block
    return block.get("protocol") if isinstance(block, dict) else None


def http_redirects(actions: Any) -> bool | None:
    """True when every default action redirects to HTTPS, False when one does not, None when unknown."""
    if is_unknown(actions):
        return None
    if not actions:
        return False
    for action in actions:
        if is_unknown(action) or is_unknown(action.get("type")):
            return None
        if str(action.get("type", "")).lower() != "redirect":
            return False
        proto = _redirect_protocol(action)
        if is_unknown(proto):
            return None
        if str(proto or "#{protocol}").upper() != "HTTPS":
            return False
    return True


def internet_facing(res: Resource, ctx: Context) -> bool | None:
    """Whether the listener's load balancer is internet-facing (joined through ``loadBalancerArn``)."""
    if ctx.stack is None:
        return res.extra.get("internet_facing")
    for lb in ctx.stack.resolve(res, "loadBalancerArn", LB_TYPES, keys=("arn", "id")):
        internal, scheme = lb.get("internal"), lb.get("scheme")
        if is_unknown(internal) or is_unknown(scheme):
            return None
        if scheme is not None:
            return scheme != "internal"
        return not flag(internal) if internal is not None else True
    return res.extra.get("internet_facing")


def certificate_key_types(res: Resource, ctx: Context, prop: str = "certificateArn") -> frozenset[str] | None:
    """Key types of the listener's certificate when it is an ACM certificate in the same stack."""
    if ctx.stack is None:
        return None
    return key_types_of(ctx.stack.resolve(res, prop, CERT_TYPES, keys=("arn", "id")))


def certificate_value_key_types(value: Any, ctx: Context) -> frozenset[str] | None:
    """Key types of the ACM certificate whose ARN is ``value`` (a nested property, joined by value only)."""
    if ctx.stack is None or not isinstance(value, str) or not value:
        return None
    return key_types_of(ctx.stack.find(lambda c: value in (c.get("arn"), c.get("id")), *CERT_TYPES))


def key_types_of(certs: list[Resource]) -> frozenset[str] | None:
    """RSA or ECDSA from an ACM certificate's ``keyAlgorithm`` (default RSA_2048); None unless exactly one."""
    if len(certs) != 1:
        return None
    algo = certs[0].get("keyAlgorithm", default="RSA_2048")
    if is_unknown(algo):
        return None
    return frozenset({"ECDSA" if str(algo).startswith("EC") else "RSA"})


def analyze_listener(res: Resource, ctx: Context) -> list[Exposure]:
    """Exposures of one ELBv2 listener."""
    port = res.get("port")
    port_text = "" if port is None or is_unknown(port) else f" :{int(float(port))}"
    protocol = res.get("protocol")
    facing = internet_facing(res, ctx)
    if is_unknown(protocol):
        setting = Setting("protocol", None, Origin.UNKNOWN)
        return [exposure(res, f"listener{port_text}", "elbv2-listener", setting,
                         unverifiable("protocol (unknown until deployed)"), ctx, PLATFORM, internet_facing=facing)]
    protocol = str(protocol or "HTTP").upper()
    what = f"{protocol} listener{port_text}"
    if protocol in ("HTTPS", "TLS"):
        setting = setting_of(res, ("sslPolicy",), platform(PLATFORM).default)
        decision = decide_named(PLATFORM, setting, ctx, certificate_key_types(res, ctx))
        return [exposure(res, what, "elbv2-listener", setting, decision, ctx, PLATFORM, internet_facing=facing)]
    setting = Setting("defaultActions", None, Origin.EXPLICIT)
    if protocol == "HTTP":
        redirects = http_redirects(res.get("defaultActions"))
        if redirects is None:
            decision = unverifiable("defaultActions (unknown until deployed): cannot tell redirect from forward")
        elif redirects:
            decision = fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS")
        else:
            decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (a default action does not redirect "
                                                    "to HTTPS)")
        shown = Setting("defaultActions", None, Origin.UNKNOWN) if redirects is None else \
            Setting("defaultActions", "redirect" if redirects else "forward", Origin.EXPLICIT)
        return [exposure(res, what, "elbv2-listener", shown, decision, ctx,
                         tightest="a redirect action to HTTPS (statusCode HTTP_301)", internet_facing=facing)]
    decision = fixed(Verdict.NOT_TERMINATED, f"{protocol} passes TLS through to the targets; verify them live "
                                             "with tlsfence verify")
    return [exposure(res, what, "elbv2-listener", Setting("protocol", protocol, Origin.EXPLICIT), decision, ctx,
                     tightest="", internet_facing=facing)]


ANALYZERS = {
    "aws:lb/listener:Listener": analyze_listener,
    "aws:alb/listener:Listener": analyze_listener,
    "aws-native:elasticloadbalancingv2:Listener": analyze_listener,
}
