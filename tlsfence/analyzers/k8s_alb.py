"""AWS Load Balancer Controller Ingresses: the ALB listeners an Ingress (and its IngressGroup) makes.

Each member of an IngressGroup contributes ``listen-ports``; the group shares one ALB, so every member is
judged by every listener of the group: one weak member weakens all. An HTTPS listener's policy is the
group's explicit ``ssl-policy`` for that port (IngressClassParams ``spec.sslPolicy`` wins over the annotation;
conflicting explicit values fail the group, so the worst is reported), else the controller default. An HTTP
listener passes only when the group has ``ssl-redirect``. Facts and sources: ``kubernetes.json`` (``alb.*``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from tlsfence.analyzers.aws_elbv2 import CERT_TYPES, certificate_value_key_types, key_types_of
from tlsfence.analyzers.base import Context, decide_named, exposure
from tlsfence.analyzers.k8s_base import (
    COMPUTED,
    Unreadable,
    annotation,
    certificate_refs,
    fact,
    find_named,
    known,
    text,
    with_reason,
    worst,
)
from tlsfence.catalog import tightest
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, Stack
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

PLATFORM = "aws-elbv2"
FAMILY = "k8s-ingress"
PREFIX = "alb.ingress.kubernetes.io/"
PARAMS_TYPES = ("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",)
REDIRECT_HINT = "alb.ingress.kubernetes.io/ssl-redirect: '443' on a member of the IngressGroup"


@dataclass
class Member:
    """What one Ingress contributes to its group's ALB.

    Attributes:
        res: the Ingress.
        ports: listen port → HTTP/HTTPS.
        policy: the explicit SSL policy and where it is set (None when the controller default applies).
        certs: certificate ARNs (IngressClassParams or annotation; COMPUTED when unknown at preview).
        key_types: RSA/ECDSA of the default certificate when it is an ACM certificate of the stack.
        redirect: the ssl-redirect port, if set.
        scheme: internet-facing/internal when set.
    """

    res: Resource
    ports: dict[int, str] = field(default_factory=dict)
    policy: Setting | None = None
    certs: tuple[str, ...] = ()
    key_types: frozenset[str] | None = None
    redirect: int | None = None
    scheme: str | None = None


def _params(res: Resource, ctx: Context, cls: Resource | None) -> Resource | None:
    """The IngressClassParams the Ingress's IngressClass names (when both are in the stack)."""
    if cls is None or ctx.stack is None:
        return None
    ref = known(cls, "spec", "parameters", default=None)
    if not isinstance(ref, dict) or ref.get("kind") != "IngressClassParams":
        return None
    found = find_named(ctx.stack, cls, ref.get("name"), PARAMS_TYPES, props=("spec",), namespaced=False)
    if len(found) != 1:
        raise Unreadable(f"IngressClassParams {ref.get('name')!r} named by IngressClass '{cls.name}' (not in this "
                         "stack)")
    return found[0]


def _listen_ports(res: Resource, explicit_cert: bool) -> dict[int, str]:
    raw = annotation(res, PREFIX + "listen-ports")
    if raw is None:
        default = fact("alb.default-listen-ports")["with-certificate" if explicit_cert else "without-certificate"]
        return {int(port): proto for proto, port in default.items()}
    try:
        entries = json.loads(raw)
    except ValueError:
        raise Unreadable(f"annotation {PREFIX}listen-ports={raw!r} (not JSON)") from None
    ports: dict[int, str] = {}
    if not isinstance(entries, list) or not entries:
        raise Unreadable(f"annotation {PREFIX}listen-ports={raw!r} (not a non-empty JSON list)")
    for entry in entries:
        if not isinstance(entry, dict):
            raise Unreadable(f"annotation {PREFIX}listen-ports={raw!r} (entries are {{\"HTTPS\": 443}} objects)")
        for proto, port in entry.items():
            if proto not in ("HTTP", "HTTPS") or isinstance(port, bool) or not isinstance(port, int) \
                    or not 1 <= port <= 65535:
                raise Unreadable(f"annotation {PREFIX}listen-ports entry {{{proto!r}: {port!r}}} (the controller "
                                 "accepts HTTP or HTTPS with a port number)")
            ports[port] = proto
    return ports


def _port_value(raw: str, prop: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise Unreadable(f"{prop}={raw!r} (not a port number)") from None


def member_config(res: Resource, ctx: Context, cls: Resource | None) -> Member:
    """One Ingress's contribution; raises :class:`Unreadable` naming what is unknown or not understood."""
    params = _params(res, ctx, cls)
    member = Member(res)
    p_certs = known(params, "spec", "certificateArn", default=[]) if params is not None else []
    certs = tuple(str(c) for c in p_certs) if p_certs else certificate_refs(res, PREFIX + "certificate-arn")
    member.certs = certs
    if certs[:1] == (COMPUTED,) and ctx.stack is not None:
        member.key_types = key_types_of(ctx.stack.property_sources(res, "metadata", *CERT_TYPES))
    elif certs:
        member.key_types = certificate_value_key_types(certs[0], ctx)
    member.ports = _listen_ports(res, bool(certs))
    p_policy = text(params, "spec", "sslPolicy") if params is not None else None
    a_policy = annotation(res, PREFIX + "ssl-policy")
    if p_policy:
        member.policy = Setting("IngressClassParams spec.sslPolicy", p_policy, Origin.JOINED, via=params.name)
    elif a_policy is not None:
        member.policy = Setting(PREFIX + "ssl-policy", a_policy.strip(), Origin.EXPLICIT)
    p_redirect = text(params, "spec", "sslRedirectPort") if params is not None else None
    a_redirect = annotation(res, PREFIX + "ssl-redirect")
    if p_redirect:
        member.redirect = _port_value(p_redirect, "IngressClassParams spec.sslRedirectPort")
    elif a_redirect is not None:
        member.redirect = _port_value(a_redirect, f"annotation {PREFIX}ssl-redirect")
    member.scheme = (text(params, "spec", "scheme") if params is not None else None) or \
        annotation(res, PREFIX + "scheme")
    return member


def group_name(res: Resource, ctx: Context, cls: Resource | None) -> str | None:
    """The explicit IngressGroup (IngressClassParams spec.group.name wins), or None for an implicit group."""
    params = _params(res, ctx, cls)
    from_params = text(params, "spec", "group", "name") if params is not None else None
    return from_params or annotation(res, PREFIX + "group.name")


#: Stack → IngressGroup name → its ALB members (Ingress, IngressClass resource): built once per stack, so judging
#: every member of large groups stays linear.
_GROUPS: WeakKeyDictionary[Stack, dict[str, list[tuple[Resource, Resource | None]]]] = WeakKeyDictionary()


def _group_index(ctx: Context) -> dict[str, list[tuple[Resource, Resource | None]]]:
    from tlsfence.analyzers.k8s_ingress import INGRESS_TYPES, ingress_class

    assert ctx.stack is not None
    index = _GROUPS.get(ctx.stack)
    if index is None:
        index = {}
        for ing in ctx.stack.of_type(*INGRESS_TYPES):
            try:
                cls = ingress_class(ing, ctx)
                group = group_name(ing, ctx, cls.resource) if cls is not None and cls.controller == "alb" else None
            except Unreadable:
                continue  # an unreadable Ingress is reported on itself
            if group is not None:
                index.setdefault(group, []).append((ing, cls.resource if cls is not None else None))
        _GROUPS[ctx.stack] = index
    return index


_CONFIGS: WeakKeyDictionary[Stack, dict[str, Member | Unreadable]] = WeakKeyDictionary()


def _cached_config(member: Resource, ctx: Context, cls: Resource | None) -> Member:
    """:func:`member_config`, once per member and stack (every member of a group reads every other's)."""
    if ctx.stack is None:
        return member_config(member, ctx, cls)
    cache = _CONFIGS.setdefault(ctx.stack, {})
    if member.urn not in cache:
        try:
            cache[member.urn] = member_config(member, ctx, cls)
        except Unreadable as e:
            cache[member.urn] = e
    found = cache[member.urn]
    if isinstance(found, Unreadable):
        raise Unreadable(str(found))
    return found


def _members(res: Resource, ctx: Context, cls: Resource | None,
             group: str | None) -> list[tuple[Resource, Resource | None]]:
    if group is None or ctx.stack is None:
        return [(res, cls)]
    others = [(m, c) for m, c in _group_index(ctx).get(group, []) if m is not res]
    return [(res, cls), *others]


def _https(res: Resource, mine: Member | None, port: int, view: GroupView,
           ctx: Context) -> tuple[Setting, Decision]:
    values, key_types = view.https[port]
    if not values:
        chosen = [Setting(PREFIX + "ssl-policy", fact("alb.default-ssl-policy"), Origin.DEFAULT)]
    else:
        chosen = []
        for (prop, value), member in values.items():
            own = mine is not None and port in mine.ports and mine.policy is not None \
                and (mine.policy.prop, mine.policy.value) == (prop, value)
            chosen.append(mine.policy if own and mine is not None and mine.policy is not None else
                          Setting(prop, value, Origin.JOINED, via=member.res.name))
    decisions = [decide_named(PLATFORM, s, ctx, key_types) for s in chosen]
    pick = decisions.index(worst(decisions))
    setting, decision = chosen[pick], decisions[pick]
    if len({s.value for s in chosen}) > 1:
        decision = with_reason(decision, "the IngressGroup sets conflicting ssl-policy values ("
                               + ", ".join(sorted({str(s.value) for s in chosen})) + "), so the controller fails the "
                               "whole group; the weakest is reported")
    return setting, decision


def _redirect(configs: list[Member]) -> tuple[int | None, str | None]:
    """(the group's ssl-redirect port, or None) and an error when it cannot take effect."""
    ports = {m.redirect for m in configs if m.redirect is not None}
    if len(ports) > 1:
        return None, f"conflicting ssl-redirect ports {sorted(ports)} in the IngressGroup (the controller fails it)"
    if not ports:
        return None, None
    port = ports.pop()
    merged = {p: proto for m in configs for p, proto in m.ports.items()}
    if merged.get(port) != "HTTPS":
        return None, f"ssl-redirect port {port} is not an HTTPS listen port of the IngressGroup (the controller " \
                     "fails it)"
    return port, None


def _facing(configs: list[Member]) -> bool | None:
    schemes = {m.scheme for m in configs if m.scheme is not None}
    if len(schemes) > 1:
        return None
    scheme = schemes.pop() if schemes else fact("alb.default-scheme")
    return {"internet-facing": True, "internal": False}.get(scheme)


@dataclass
class GroupView:
    """What every member of an IngressGroup shares, computed once per stack and group.

    Attributes:
        configs: the readable members' contributions.
        errors: members that cannot be read, with why.
        merged: listen port → protocols the members give it.
        facing: internet-facing (None when unknown or conflicting).
        redirect: the group's ssl-redirect port and the error that stops it, if any.
        https: port → (distinct explicit policies in member order with who sets them, key types).
    """

    configs: list[Member]
    errors: list[tuple[Resource, str]]
    merged: dict[int, set[str]] = field(default_factory=dict)
    facing: bool | None = None
    redirect: tuple[int | None, str | None] = (None, None)
    https: dict[int, tuple[dict[tuple[str, str | None], Member], frozenset[str] | None]] = field(default_factory=dict)


_VIEWS: WeakKeyDictionary[Stack, dict[str, GroupView]] = WeakKeyDictionary()


def _view(res: Resource, ctx: Context, cls: Resource | None, group: str | None) -> GroupView:
    cache = _VIEWS.setdefault(ctx.stack, {}) if group is not None and ctx.stack is not None else None
    if cache is not None and group in cache:
        return cache[group]
    configs, errors = [], []
    for member, member_cls in _members(res, ctx, cls, group):
        try:
            configs.append(_cached_config(member, ctx, member_cls))
        except Unreadable as e:
            errors.append((member, str(e)))
    view = GroupView(configs, errors, facing=_facing(configs), redirect=_redirect(configs))
    for m in configs:
        for port, proto in m.ports.items():
            view.merged.setdefault(port, set()).add(proto)
    for port in view.merged:
        on_port = [m for m in configs if port in m.ports]
        values: dict[tuple[str, str | None], Member] = {}
        for m in on_port:
            if m.policy is not None:
                values.setdefault((m.policy.prop, m.policy.value), m)
        kinds = {m.key_types for m in on_port if m.certs}
        view.https[port] = (values, kinds.pop() if len(kinds) == 1 else None)
    if cache is not None:
        cache[str(group)] = view
    return view


def analyze(res: Resource, ctx: Context, cls: Resource | None, note: str) -> list[Exposure]:
    """Exposures of an ALB Ingress: every listener of its IngressGroup."""
    hint = tightest(PLATFORM, ctx.profile)
    try:
        group = group_name(res, ctx, cls)
        if group is not None and ctx.stack is None:
            return [exposure(res, f"ALB listeners (IngressGroup {group})", FAMILY,
                             Setting(PREFIX + "group.name", group, Origin.EXPLICIT),
                             unverifiable(f"the listeners of IngressGroup {group} (decided by the stack policy)"), ctx,
                             tightest=hint, needs_join=True)]
        view = _view(res, ctx, cls, group)
        own = [why for member, why in view.errors if member is res]
        if own:
            raise Unreadable(own[0])
        if view.errors:
            member, why = view.errors[0]
            raise Unreadable(f"IngressGroup member '{member.name}': {why}")
    except Unreadable as e:
        return [exposure(res, "ALB Ingress", FAMILY, Setting("ingress", None, Origin.UNKNOWN), unverifiable(str(e)),
                         ctx, tightest=hint)]
    label = f" (IngressGroup {group})" if group else ""
    facing = view.facing
    redirect, redirect_error = view.redirect
    mine = next((m for m in view.configs if m.res is res), None)
    out = []
    for port in sorted(view.merged):
        protos = view.merged[port]
        if len(protos) > 1:
            out.append(exposure(res, f"ALB listener :{port}{label}", FAMILY, Setting(PREFIX + "listen-ports", None,
                                Origin.UNKNOWN), unverifiable(f"listener :{port} (the IngressGroup gives it both HTTP "
                                                              "and HTTPS; the controller fails the group)"), ctx,
                                tightest=hint, internet_facing=facing))
        elif "HTTPS" in protos:
            setting, decision = _https(res, mine, port, view, ctx)
            if "not in this stack" in note:
                decision = with_reason(decision, f"{note}: judged without IngressClassParams")
            out.append(exposure(res, f"ALB HTTPS listener :{port}{label}", FAMILY, setting, decision, ctx,
                                tightest=hint, internet_facing=facing))
        else:
            out.append(_http(res, ctx, port, label, redirect, redirect_error, facing))
    return out


def _http(res: Resource, ctx: Context, port: int, label: str, redirect: int | None, error: str | None,
          facing: bool | None) -> Exposure:
    if error is not None:
        decision = unverifiable(f"whether HTTP :{port} redirects: {error}")
        setting = Setting(PREFIX + "ssl-redirect", None, Origin.UNKNOWN)
    elif redirect is not None:
        decision = fixed(Verdict.CONFORMING, f"plaintext HTTP that only redirects to HTTPS :{redirect}")
        setting = Setting(PREFIX + "ssl-redirect", str(redirect), Origin.EXPLICIT)
    else:
        decision = fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (no alb.ingress.kubernetes.io/ssl-redirect in "
                                                "the IngressGroup, so its rules forward without TLS)")
        setting = Setting(PREFIX + "ssl-redirect", "absent", Origin.DEFAULT)
    return exposure(res, f"ALB HTTP listener :{port}{label}", FAMILY, setting, decision, ctx, tightest=REDIRECT_HINT,
                    internet_facing=facing)
