"""ELBv2 listeners (ALB HTTPS, NLB TLS, GWLB): ``aws:lb``, ``aws:alb`` and ``aws-native`` tokens, one function.

Each listener is judged by its protocol, read exactly as the provider reads it: the Terraform-bridged tokens
fold case (``validation.StringInSlice(ProtocolEnum, true)`` + ``strings.ToUpper`` in terraform-provider-aws
``internal/service/elbv2/listener.go``), aws-native takes the API's exact spelling; anything else (``"HTTPS "``,
a number) is ``unverifiable`` naming the value, never pass-through.

- HTTPS/TLS: decided by ``sslPolicy`` (absent → ``ELBSecurityPolicy-2016-08``, the API default), narrowed to the
  key types of the listener's certificates (its own and every ``ListenerCertificate``; see aws_elbv2_joins).
- HTTP: passes only if every default action redirects to HTTPS (listener rules are judged on their own).
- TCP/UDP/TCP_UDP/QUIC/TCP_QUIC: TLS passes through to the targets (``not-terminated``).
- No protocol: the load balancer's type decides (application → HTTP; network → the API requires one;
  gateway → no protocol and no client endpoint). Without the load balancer it is ``unverifiable`` naming the
  missing join, never HTTP.

Which exposures a resource policy leaves to the stack policy (``needs_join``): an absent protocol (the type is
on the load balancer), and a TLS listener whose verdict a certificate join could still change (conforming or
excess; narrowing to the certificate's key type only ever removes suites, so a nonconforming or unverifiable
verdict is reported at once, before anything is deployed). Default source:
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.aws_elbv2_joins import (
    CERT_TYPES,
    LoadBalancerFacts,
    certificate_refs,
    is_native,
    key_types_of,
    listener_key_types,
    load_balancer,
)
from tlsfence.analyzers.base import Context, choice, choice_problem, decide_named, exposure, setting_of
from tlsfence.catalog import platform, tightest
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Verdict, fixed, level_for, unverifiable

PLATFORM = "aws-elbv2"
FAMILY = "elbv2-listener"
#: Listener protocols the API knows (botocore elbv2 ProtocolEnum; GENEVE is a target-group protocol only).
PROTOCOLS = ("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC")
TERMINATED = ("HTTPS", "TLS")
PASS_THROUGH = ("TCP", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC")
ACTION_TYPES = ("forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response",
                "jwt-validation")
REDIRECT_HINT = "a redirect action to HTTPS (statusCode HTTP_301)"


def _redirect_protocol(action: Any) -> Any:
    block = action.get("redirect")
    if block is None:  # not `or`: an unknown block has no truth value
        block = action.get("redirectConfig")
    if is_unknown(block):
        return block
    return block.get("protocol") if isinstance(block, dict) else None


def action_serves(action: Any, native: bool) -> bool | str:
    """True when an action serves content (forward, fixed response, authenticate), False when it only
    redirects to HTTPS; a string says what was not understood. Action types fold case like the provider."""
    if is_unknown(action):
        return "an action (unknown until deployed)"
    if not isinstance(action, dict):
        return f"an action that is not an object ({type(action).__name__})"
    raw = action.get("type")
    kind = choice(raw, ACTION_TYPES, fold_case=not native)
    if kind is None:
        return choice_problem("type of an action", raw, ACTION_TYPES)
    if kind != "redirect":
        return True
    proto = _redirect_protocol(action)
    if is_unknown(proto):
        return "the redirect's protocol (unknown until deployed)"
    # an absent protocol is "#{protocol}": the request's own, i.e. HTTP on an HTTP listener
    return proto != "HTTPS"


def http_redirects(actions: Any, native: bool = False) -> bool | str:
    """True when every action redirects to HTTPS, False when one serves content, a string when not understood."""
    if is_unknown(actions):
        return "the actions (unknown until deployed)"
    if not isinstance(actions, list) or not actions:
        return False
    results = [action_serves(a, native) for a in actions]
    problems = [r for r in results if isinstance(r, str)]
    if problems:
        return problems[0]
    return not any(results)


def listener_protocol(res: Resource, ctx: Context) -> tuple[str | None, Setting, str, LoadBalancerFacts | None]:
    """(protocol, setting, problem, load balancer): the protocol a listener serves, with the join it needed.

    ``protocol`` is None when it cannot be told (``problem`` says why) and ``"none"`` on a gateway load balancer.
    """
    raw = res.get("protocol")
    facts = load_balancer(res, ctx)
    if is_unknown(raw):
        return None, Setting("protocol", None, Origin.UNKNOWN), "protocol (unknown until deployed)", facts
    if raw is None or raw == "":
        if facts is None:
            return (None, Setting("protocol", None, Origin.UNKNOWN),
                    "protocol (not set: the load balancer's type decides, joined by the stack policy)", facts)
        if facts.kind is None:
            return (None, Setting("protocol", None, Origin.UNKNOWN),
                    f"protocol (not set, and its default depends on {facts.problem})", facts)
        via = facts.resource.name if facts.resource else None
        if facts.kind == "application":
            return "HTTP", Setting("protocol", "HTTP", Origin.DEFAULT), "", facts
        if facts.kind == "gateway":
            return "none", Setting("loadBalancerType", "gateway", Origin.JOINED, via=via), "", facts
        return (None, Setting("protocol", None, Origin.UNKNOWN),
                f"protocol (not set on a listener of network load balancer '{via}', which requires one)", facts)
    protocol = choice(raw, PROTOCOLS, fold_case=not is_native(res))
    if protocol is None:
        return None, Setting("protocol", None, Origin.UNKNOWN), choice_problem("protocol", raw, PROTOCOLS), facts
    return protocol, Setting("protocol", protocol, Origin.EXPLICIT), "", facts


def _facing(res: Resource, facts: LoadBalancerFacts | None) -> bool | None:
    if facts is None or facts.resource is None:
        return res.extra.get("internet_facing")
    return facts.internet_facing


def analyze_listener(res: Resource, ctx: Context) -> list[Exposure]:
    """Exposures of one ELBv2 listener."""
    port = res.get("port")
    port_text = f" :{int(port)}" if isinstance(port, (int, float)) and not isinstance(port, bool) else ""
    protocol, setting, problem, facts = listener_protocol(res, ctx)
    facing = _facing(res, facts)
    joins = dict(internet_facing=facing, joins_facing=ctx.stack is None and res.get("loadBalancerArn") is not None)
    if protocol is None:
        absent = res.get("protocol") in (None, "")
        hint = f"an explicit protocol (HTTPS/TLS with sslPolicy {tightest(PLATFORM, ctx.profile)})"
        return [exposure(res, f"listener{port_text}", FAMILY, setting, unverifiable(problem), ctx, tightest=hint,
                         needs_join=absent and ctx.stack is None, **joins)]
    if protocol == "none":
        decision = fixed(Verdict.CONFORMING, "a Gateway Load Balancer listener has no protocol and serves no client: "
                                             "it passes traffic to appliances over GENEVE")
        return [exposure(res, f"gateway listener{port_text} (no client endpoint)", FAMILY, setting, decision, ctx,
                         tightest="", **joins)]
    what = f"{protocol} listener{port_text}"
    if protocol in TERMINATED:
        policy = setting_of(res, ("sslPolicy",), platform(PLATFORM).default)
        key_types = listener_key_types(res, ctx)
        decision = decide_named(PLATFORM, policy, ctx, key_types)
        refine = ctx.stack is None and bool(certificate_refs(res)) and level_for(decision.verdict) != "mandatory"
        return [exposure(res, what, FAMILY, policy, decision, ctx, PLATFORM, needs_join=refine, **joins)]
    if protocol == "HTTP":
        redirects = http_redirects(res.get("defaultActions"), is_native(res))
        if isinstance(redirects, str):
            decision = unverifiable(f"defaultActions: {redirects}; cannot tell redirect from forward")
            shown = Setting("defaultActions", None, Origin.UNKNOWN)
        elif redirects:
            decision = fixed(Verdict.CONFORMING, "plaintext HTTP that only redirects to HTTPS")
            shown = Setting("defaultActions", "redirect", Origin.EXPLICIT)
        else:
            decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (a default action does not redirect "
                                                    "to HTTPS)")
            shown = Setting("defaultActions", "forward", Origin.EXPLICIT)
        return [exposure(res, what, FAMILY, shown, decision, ctx, tightest=REDIRECT_HINT, **joins)]
    decision = fixed(Verdict.NOT_TERMINATED, f"{protocol} passes TLS through to the targets; verify them live "
                                             "with tlsfence verify")
    return [exposure(res, what, FAMILY, setting, decision, ctx, tightest="", **joins)]


def internet_facing(res: Resource, ctx: Context) -> bool | None:
    """Whether the listener's load balancer is internet-facing (joined through ``loadBalancerArn``)."""
    return _facing(res, load_balancer(res, ctx))


def certificate_value_key_types(value: Any, ctx: Context) -> frozenset[str] | None:
    """Key types of the ACM certificate whose ARN is ``value`` (a nested property, joined by value only)."""
    if ctx.stack is None or not isinstance(value, str) or not value:
        return None
    return key_types_of(ctx.stack.matching(CERT_TYPES, ("arn", "id"), value))


__all__ = ["analyze_listener", "certificate_value_key_types", "http_redirects", "internet_facing", "listener_protocol"]

ANALYZERS = {
    "aws:lb/listener:Listener": analyze_listener,
    "aws:alb/listener:Listener": analyze_listener,
    "aws-native:elasticloadbalancingv2:Listener": analyze_listener,
}
