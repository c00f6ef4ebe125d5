"""Elastic Beanstalk environments: the load-balancer listeners their option settings create.

An environment (``aws:elasticbeanstalk/environment:Environment`` with ``settings: [{namespace, name, value}]``,
``aws-native:elasticbeanstalk:Environment`` with ``optionSettings: [{namespace, optionName, value}]``, merged
over a ``templateName``'s ``ConfigurationTemplate`` in the stack) builds its load balancer from these options
(defaults from the Elastic Beanstalk developer guide, "General options for all environments":
https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html, checked 2026-12-01 in the
awsdocs/aws-elastic-beanstalk-developer-guide source):

- ``aws:elasticbeanstalk:environment``: ``EnvironmentType`` (``LoadBalanced`` default, ``SingleInstance`` = no load
  balancer: TLS, if any, is set up on the instance by the application bundle, so it is ``unverifiable``),
  ``LoadBalancerType`` (``classic`` default, ``application``, ``network``), ``LoadBalancerIsShared`` (a shared ALB's
  listeners are not the environment's: ``unverifiable``). A ``Worker`` tier has no load balancer.
- ``aws:elbv2:listener:default`` (the port 80 listener, enabled unless ``ListenerEnabled`` is false) and
  ``aws:elbv2:listener:<port>``: ``Protocol`` (``HTTP`` on an ALB, ``TCP`` on an NLB), ``SSLPolicy`` (none: the ELB
  default, catalog ``aws-elbv2``), ``SSLCertificateArns``. An Elastic Beanstalk listener forwards to a process and
  cannot redirect, so an enabled HTTP listener serves plaintext.
- ``aws:elb:listener`` (the classic port 80 listener, ``ListenerEnabled`` true) and ``aws:elb:listener:<port>``
  (``ListenerProtocol`` HTTP/HTTPS/TCP/SSL, ``PolicyNames``, ``SSLCertificateId``; enabled when any option is set),
  the deprecated ``aws:elb:loadbalancer`` secure listener (``LoadBalancerHTTPSPort``, ``OFF`` default), and
  ``aws:elb:policies:<name>`` (``SSLReferencePolicy`` / ``SSLProtocols``, attached by ``PolicyNames`` or
  ``LoadBalancerPorts``); no negotiation policy means the classic default (catalog ``aws-classic-elb``).
- ``aws:ec2:vpc`` ``ELBScheme``: ``internal`` makes it internal (any other value is ignored, i.e. public).

Values are matched exactly as documented; anything else (``Https``, ``"yes"`` for a flag) is ``unverifiable``
naming the namespace, option and value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tlsfence.analyzers.aws_elbv2 import certificate_value_key_types
from tlsfence.analyzers.base import Context, choice, choice_problem, decide_named, exposure, flag, flag_problem, shown
from tlsfence.catalog import platform, tightest
from tlsfence.catalog_models import CLASSIC, classic_policy_decision
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, contains_unknown, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

FAMILY = "beanstalk"
ENV = "aws:elasticbeanstalk:environment"
TEMPLATE = "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate"
KINDS = ("classic", "application", "network")
V2_PROTOCOLS = {"application": ("HTTP", "HTTPS"), "network": ("TCP",)}
CLASSIC_PROTOCOLS = ("HTTP", "HTTPS", "TCP", "SSL")
HINT = ("LoadBalancerType application with an aws:elbv2:listener:443 Protocol HTTPS and SSLPolicy {policy}, and "
        "aws:elbv2:listener:default ListenerEnabled false")


class Unreadable(Exception):
    """A setting that decides TLS could not be read; the message names it.

    Attributes:
        join: True when only the stack can tell (a configuration template), so the stack policy decides it.
    """

    def __init__(self, message: str, join: bool = False) -> None:
        super().__init__(message)
        self.join = join


Options = dict[tuple[str, str], Any]
_RANK = {Verdict.CONFORMING: 0, Verdict.EXCESS: 1, Verdict.UNVERIFIABLE: 2, Verdict.NONCONFORMING: 3}


def _options(res: Resource, ctx: Context) -> Options:
    """(namespace, option) → value: the template's settings, then the environment's own."""
    native = res.type.startswith("aws-native")
    key, name_key = ("optionSettings", "optionName") if native else ("settings", "name")
    out: Options = {}
    template = res.get("templateName")
    if template is not None:
        if ctx.stack is None or is_unknown(template):
            raise Unreadable(f"templateName={shown(template)} (its settings are on a configuration template; joined "
                             "by the stack policy)", join=ctx.stack is None)
        found = ctx.stack.resolve(res, "templateName", (TEMPLATE,), keys=("name",))
        if len(found) != 1:
            raise Unreadable(f"templateName={shown(template)} (the configuration template is not in this stack)")
        out.update(_read(found[0], "settings", "name"))
    out.update(_read(res, key, name_key))
    return out


def _read(res: Resource, key: str, name_key: str) -> Options:
    raw = res.get(key, default=[])
    if is_unknown(raw) or not isinstance(raw, list):
        raise Unreadable(f"{key} ({'unknown until deployed' if is_unknown(raw) else 'not a list'})")
    out: Options = {}
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or contains_unknown(item.get("namespace")) or \
                contains_unknown(item.get(name_key)):
            raise Unreadable(f"{key}[{i}] (its namespace or option name is unknown or not a string)")
        out[(str(item.get("namespace")), str(item.get(name_key)))] = item.get("value")
    return out


def _get(opts: Options, namespace: str, name: str, default: Any = None) -> Any:
    value = opts.get((namespace, name), default)
    if is_unknown(value):
        raise Unreadable(f"{namespace} {name} (unknown until deployed)")
    return default if value is None else value


def _pick(opts: Options, namespace: str, name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = _get(opts, namespace, name, default)
    value = choice(raw, allowed)
    if value is None:
        raise Unreadable(choice_problem(f"{namespace} {name}", raw, allowed))
    return value


def _flag(opts: Options, namespace: str, name: str, default: bool) -> bool:
    raw = _get(opts, namespace, name, default)
    value = flag(raw)
    if value is None:
        raise Unreadable(flag_problem(f"{namespace} {name}", raw))
    return value


def _ports(opts: Options, prefix: str) -> list[int]:
    found = set()
    for namespace, _ in opts:
        tail = namespace[len(prefix):] if namespace.startswith(prefix) else ""
        if tail and tail != "default":
            if not tail.isdigit():
                raise Unreadable(f"namespace {namespace} (not a listener port)")
            found.add(int(tail))
    return sorted(found)


def _v2_listeners(res: Resource, ctx: Context, opts: Options, kind: str, facing: bool) -> list[Exposure]:
    out = []
    default = "aws:elbv2:listener:default"
    # the default listener is the one on port 80: options given as aws:elbv2:listener:80 set it too
    opts = {**opts, **{(default, n): v for (ns, n), v in opts.items() if ns == "aws:elbv2:listener:80"}}
    ports = [(default, 80)] + [(f"aws:elbv2:listener:{p}", p) for p in _ports(opts, "aws:elbv2:listener:") if p != 80]
    for namespace, port in ports:
        if not _flag(opts, namespace, "ListenerEnabled", True):
            continue
        protocol = _pick(opts, namespace, "Protocol", V2_PROTOCOLS[kind], V2_PROTOCOLS[kind][0])
        what = f"{protocol} listener :{port} ({kind} load balancer)"
        if protocol == "HTTPS":
            raw = _get(opts, namespace, "SSLPolicy")
            origin = Origin.DEFAULT if raw is None else Origin.EXPLICIT
            policy = platform("aws-elbv2").default if raw is None else raw
            setting = Setting(f"{namespace} SSLPolicy", str(policy), origin)
            certs = _get(opts, namespace, "SSLCertificateArns")
            key_types = certificate_value_key_types(certs, ctx) if isinstance(certs, str) and "," not in certs else None
            decision = decide_named("aws-elbv2", setting, ctx, key_types)
            out.append(exposure(res, what, FAMILY, setting, decision, ctx, "aws-elbv2", internet_facing=facing))
        elif protocol == "HTTP":
            out.append(_plain(res, ctx, what, namespace, facing))
        else:
            out.append(exposure(res, what, FAMILY, Setting(f"{namespace} Protocol", protocol, Origin.EXPLICIT),
                                fixed(Verdict.NOT_TERMINATED, "TCP passes TLS through to the instances; verify them "
                                                              "live with tlsfence verify"), ctx, tightest="",
                                internet_facing=facing))
    return out


def _plain(res: Resource, ctx: Context, what: str, namespace: str, facing: bool, option: str = "Protocol") -> Exposure:
    decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (an Elastic Beanstalk listener forwards to the "
                                            f"instances and cannot redirect; set {namespace} ListenerEnabled false)")
    return exposure(res, what, FAMILY, Setting(f"{namespace} {option}", "HTTP", Origin.EXPLICIT), decision, ctx,
                    tightest=HINT.format(policy=tightest("aws-elbv2", ctx.profile)), internet_facing=facing)


def _classic_listeners(res: Resource, ctx: Context, opts: Options, facing: bool) -> list[Exposure]:
    listeners: list[tuple[str, int, str]] = []
    if _flag(opts, "aws:elb:listener", "ListenerEnabled", True):
        listeners.append(("aws:elb:listener", 80, _pick(opts, "aws:elb:listener", "ListenerProtocol",
                                                        ("HTTP", "TCP"), "HTTP")))
    for port in _ports(opts, "aws:elb:listener:"):
        namespace = f"aws:elb:listener:{port}"
        if _flag(opts, namespace, "ListenerEnabled", True):
            listeners.append((namespace, port, _pick(opts, namespace, "ListenerProtocol", CLASSIC_PROTOCOLS, "HTTP")))
    secure = _pick(opts, "aws:elb:loadbalancer", "LoadBalancerHTTPSPort", ("OFF", "443", "8443"), "OFF")
    if secure != "OFF":
        port_text = secure
        listeners.append(("aws:elb:loadbalancer", int(port_text), _pick(
            opts, "aws:elb:loadbalancer", "LoadBalancerSSLPortProtocol", ("HTTPS", "SSL"), "HTTPS")))
    out = []
    for namespace, port, protocol in listeners:
        what = f"{protocol} listener :{port} (classic load balancer)"
        if protocol in ("HTTPS", "SSL"):
            setting, decision = _classic_policy(opts, namespace, port, ctx)
            out.append(exposure(res, what, FAMILY, setting, decision, ctx, CLASSIC, internet_facing=facing))
        elif protocol == "HTTP":
            option = "LoadBalancerPortProtocol" if namespace == "aws:elb:loadbalancer" else "ListenerProtocol"
            out.append(_plain(res, ctx, what, namespace, facing, option))
        else:
            out.append(exposure(res, what, FAMILY, Setting(f"{namespace} ListenerProtocol", "TCP", Origin.EXPLICIT),
                                fixed(Verdict.NOT_TERMINATED, "TCP passes TLS through to the instances; verify them "
                                                              "live with tlsfence verify"), ctx, tightest="",
                                internet_facing=facing))
    return out


def _names(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        raise Unreadable(f"{what}={shown(value)} (not a comma-separated list)")
    return [v.strip() for v in value.split(",") if v.strip()]


def _classic_policy(opts: Options, namespace: str, port: int, ctx: Context) -> tuple[Setting, Decision]:
    """The negotiation policies on a classic listener: named by PolicyNames or by their LoadBalancerPorts."""
    named = set(_names(_get(opts, namespace, "PolicyNames"), f"{namespace} PolicyNames"))
    worst: tuple[int, str, Decision] | None = None
    for policy in sorted({ns.split(":", 3)[3] for ns, _ in opts if ns.startswith("aws:elb:policies:")}):
        ns = f"aws:elb:policies:{policy}"
        ports = _names(_get(opts, ns, "LoadBalancerPorts"), f"{ns} LoadBalancerPorts")
        if policy not in named and ":all" not in ports and str(port) not in ports:
            continue
        ref = _get(opts, ns, "SSLReferencePolicy")
        protocols = _names(_get(opts, ns, "SSLProtocols"), f"{ns} SSLProtocols")
        if ref is None and not protocols:
            continue  # stickiness, proxy protocol, backend authentication: not TLS negotiation
        attrs = {"Reference-Security-Policy": ref} if ref is not None else {p: "true" for p in protocols}
        decision = classic_policy_decision(attrs, ctx.profile)
        rank = _RANK.get(decision.verdict, 0)
        if worst is None or rank > worst[0]:
            worst = (rank, policy, decision)
    if worst is None:
        default = platform(CLASSIC).default
        return Setting(f"{namespace} policy", default, Origin.DEFAULT), platform(CLASSIC).decide(default, ctx.profile)
    return Setting(f"{namespace} policy", worst[1], Origin.EXPLICIT), worst[2]


def analyze_environment(res: Resource, ctx: Context) -> list[Exposure]:
    """The listeners of an environment's load balancer (none for a Worker tier)."""
    tier = res.get("tier")
    tier = tier.get("name") if isinstance(tier, Mapping) else tier
    if tier == "Worker":
        return []
    try:
        opts = _options(res, ctx)
        env_type = _pick(opts, ENV, "EnvironmentType", ("LoadBalanced", "SingleInstance"), "LoadBalanced")
        scheme = _get(opts, "aws:ec2:vpc", "ELBScheme", "public")
        facing = scheme != "internal"
        if env_type == "SingleInstance":
            return [exposure(res, "single instance (no load balancer)", FAMILY,
                             Setting(f"{ENV} EnvironmentType", "SingleInstance", Origin.EXPLICIT),
                             unverifiable("the TLS of a single-instance environment (set up on the instance by the "
                                          "application bundle, not in the stack); verify it live with tlsfence "
                                          "verify"), ctx, tightest=HINT.format(policy=tightest("aws-elbv2",
                                                                                               ctx.profile)))]
        kind = _pick(opts, ENV, "LoadBalancerType", KINDS, "classic")
        if kind == "application" and _flag(opts, ENV, "LoadBalancerIsShared", False):
            raise Unreadable("the listeners of the shared load balancer (LoadBalancerIsShared true: they belong to "
                             "aws:elbv2:loadbalancer SharedLoadBalancer; judge that load balancer's listeners)")
        if kind == "classic":
            return _classic_listeners(res, ctx, opts, facing)
        return _v2_listeners(res, ctx, opts, kind, facing)
    except Unreadable as e:
        hint = HINT.format(policy=tightest("aws-elbv2", ctx.profile))
        return [exposure(res, "load balancer listeners", FAMILY, Setting("settings", None, Origin.UNKNOWN),
                         unverifiable(str(e)), ctx, tightest=hint, needs_join=e.join)]


ANALYZERS = {
    "aws:elasticbeanstalk/environment:Environment": analyze_environment,
    "aws-native:elasticbeanstalk:Environment": analyze_environment,
}
