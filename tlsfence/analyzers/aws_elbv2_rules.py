"""ELBv2 listener rules and listener certificates: what they change on the listener they attach to.

A listener rule that forwards, returns a fixed response or authenticates (then forwards) serves content on
its listener's protocol: on an HTTP listener that is plaintext HTTP, whatever the listener's default action
says (a redirecting default does not cover ``/api/*`` forwarded by a rule). A rule that only redirects to
HTTPS, or any rule on an HTTPS listener, adds nothing (the listener's TLS is judged on the listener). The
rule is joined to its listener through ``listenerArn`` (property dependencies, then value); a rule whose
listener is not in the stack is ``unverifiable`` naming that join. Rules exist on ALB listeners only
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html).

A ``ListenerCertificate`` adds a certificate to a listener's SNI list; its effect (the key types the listener
can negotiate) is judged on the listener (aws_elbv2_joins.listener_key_types), so it yields no exposure itself.
"""

from __future__ import annotations

from tlsfence.analyzers.aws_elbv2 import PASS_THROUGH, TERMINATED, http_redirects, listener_protocol
from tlsfence.analyzers.aws_elbv2_joins import ARN_KEYS, LISTENER_CERT_TYPES, LISTENER_TYPES, is_native
from tlsfence.analyzers.base import Context, exposure
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource
from tlsfence.verdicts import Verdict, fixed, unverifiable

FAMILY = "elbv2-listener-rule"
HINT = "an HTTPS listener for the rule (keep the HTTP listener redirect-only)"


def _what(res: Resource) -> str:
    priority = res.get("priority")
    shown = f" (priority {int(priority)})" if isinstance(priority, (int, float)) and not isinstance(priority, bool) \
        else ""
    return f"listener rule{shown}"


def analyze_rule(res: Resource, ctx: Context) -> list[Exposure]:
    """One exposure per rule: plaintext when it serves content on an HTTP listener."""
    what = _what(res)
    redirects = http_redirects(res.get("actions"), is_native(res))
    if isinstance(redirects, str):
        return [exposure(res, what, FAMILY, Setting("actions", None, Origin.UNKNOWN),
                         unverifiable(f"actions: {redirects}"), ctx, tightest=HINT)]
    if redirects:
        return [exposure(res, what, FAMILY, Setting("actions", "redirect", Origin.EXPLICIT),
                         fixed(Verdict.CONFORMING, "the rule only redirects to HTTPS"), ctx, tightest="")]
    serving = Setting("actions", "forward", Origin.EXPLICIT)
    if ctx.stack is None:
        return [exposure(res, what, FAMILY, serving,
                         unverifiable("the protocol of the listener named by listenerArn (joined by the stack "
                                      "policy)"), ctx, tightest=HINT, needs_join=True)]
    found = list({r.urn: r for r in ctx.stack.resolve(res, "listenerArn", LISTENER_TYPES, keys=ARN_KEYS)}.values())
    if len(found) != 1:
        why = "not in this stack" if not found else "ambiguous"
        return [exposure(res, what, FAMILY, Setting("listenerArn", None, Origin.UNKNOWN),
                         unverifiable(f"the listener named by listenerArn ({why}): a rule that forwards serves "
                                      "plaintext HTTP on an HTTP listener"), ctx, tightest=HINT)]
    listener = found[0]
    protocol, _, problem, facts = listener_protocol(listener, ctx)
    facing = None if facts is None or facts.resource is None else facts.internet_facing
    setting = Setting("listenerArn", f"{protocol} listener" if protocol else None,
                      Origin.JOINED if protocol else Origin.UNKNOWN, via=listener.name)
    if protocol is None:
        decision = unverifiable(f"{problem} of listener '{listener.name}'")
    elif protocol == "HTTP":
        decision = fixed(Verdict.NONCONFORMING, f"serves plaintext HTTP: the rule forwards on HTTP listener "
                                                f"'{listener.name}', whatever its default action says")
    elif protocol in TERMINATED:
        decision = fixed(Verdict.CONFORMING, f"served by {protocol} listener '{listener.name}', whose TLS is "
                                             "judged on the listener")
    elif protocol in PASS_THROUGH or protocol == "none":
        decision = unverifiable(f"a rule on {protocol} listener '{listener.name}' (the API accepts rules on "
                                "HTTP/HTTPS listeners only)")
    else:  # pragma: no cover - every protocol is handled above
        decision = unverifiable(f"protocol {protocol} of listener '{listener.name}'")
    hint = "" if decision.verdict is Verdict.CONFORMING else HINT
    return [exposure(res, what, FAMILY, setting, decision, ctx, tightest=hint, internet_facing=facing)]


def analyze_listener_certificate(res: Resource, ctx: Context) -> list[Exposure]:
    """A ListenerCertificate only adds a certificate; its effect is judged on the listener."""
    return []


ANALYZERS = {
    "aws:lb/listenerRule:ListenerRule": analyze_rule,
    "aws:alb/listenerRule:ListenerRule": analyze_rule,
    "aws-native:elasticloadbalancingv2:ListenerRule": analyze_rule,
    **{token: analyze_listener_certificate for token in LISTENER_CERT_TYPES},
}
