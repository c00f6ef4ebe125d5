"""Drive the pack the way the Pulumi engine does, without the engine: protobuf requests into the servicer.

``tlsfence check`` and the tests build pulumi-policy's own ``_PolicyAnalyzerServicer`` over the same policy
objects the pack serves, then send it real ``AnalyzeRequest``/``AnalyzeStackRequest`` protobufs whose
properties carry the engine's encodings (unknown sentinels, secret envelopes, numbers as floats). What the
servicer answers is, by construction, what ``pulumi preview --policy-pack policies`` would print. The
servicer is private API, but it is the path pulumi-policy's own tests use (``sdk/python/lib/test``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from tlsfence.policy.config import DEFAULTS, PolicyConfigError
from tlsfence.policy.rules import PACK_NAME, pack_kwargs, policies, policy_names

#: The version a Python ``PolicyPack`` reports; the CLI takes the real one from PulumiPolicy.yaml.
SDK_PACK_VERSION = "0.0.1"
LEVELS = {"advisory": proto.ADVISORY, "mandatory": proto.MANDATORY, "remediate": proto.REMEDIATE,
          "disabled": proto.DISABLED}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


@dataclass
class WireResource:
    """One resource as the engine sends it: wire-encoded property values (sentinels, secret envelopes).

    Attributes:
        inputs: what Analyze receives (checked inputs).
        outputs: what AnalyzeStack receives (outputs; at preview, inputs plus unknowns).
    """

    type: str
    name: str
    urn: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    parent: str | None = None
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic the pack returned.

    Attributes:
        policy: policy name.
        urn: the resource (for resource policies, the analyzed one).
        level: ``mandatory`` or ``advisory``.
        message: the rule's message (pulumi-policy's ``description + "\\n"`` prefix removed).
        description: the policy's description.
    """

    policy: str
    urn: str
    level: str
    message: str
    description: str

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {"policy": self.policy, "urn": self.urn, "level": self.level, "message": self.message}


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """A property map as a protobuf Struct, as the engine marshals it (ints become floats)."""
    out = struct_pb2.Struct()
    try:
        out.update(props)  # plain JSON values (wire-encoded resources): protobuf converts them itself
    except (TypeError, ValueError, AttributeError):  # anything else: through JSON, other objects as strings
        out = struct_pb2.Struct()
        out.update(json.loads(json.dumps(props, default=str)))
    return out


def _options(parent: str | None) -> proto.AnalyzerResourceOptions:
    return proto.AnalyzerResourceOptions(parent=parent or "")


def analyze_request(res: WireResource) -> proto.AnalyzeRequest:
    """The ``Analyze`` request for one resource (its inputs)."""
    return proto.AnalyzeRequest(type=res.type, properties=to_struct(res.inputs), urn=res.urn, name=res.name,
                                options=_options(res.parent))


def analyze_stack_request(resources: Iterable[WireResource]) -> proto.AnalyzeStackRequest:
    """The ``AnalyzeStack`` request for all resources (their outputs, parents and dependencies)."""
    return proto.AnalyzeStackRequest(resources=[
        proto.AnalyzerResource(
            type=r.type, properties=to_struct(r.outputs), urn=r.urn, name=r.name, options=_options(r.parent),
            parent=r.parent or "", dependencies=list(r.dependencies),
            propertyDependencies={k: proto.AnalyzerPropertyDependencies(urns=list(v))
                                  for k, v in r.property_dependencies.items()})
        for r in resources])


def make_servicer(only: Iterable[str] | None = None) -> TlsfenceServicer:
    """The servicer ``PolicyPack(**pack_kwargs())`` would serve, over fresh policy objects.

    ``only`` keeps the named policies (see :class:`Router`); None keeps the whole pack.
    """
    kw = pack_kwargs()
    keep = None if only is None else set(only)
    chosen = [p for p in policies() if keep is None or p.name in keep]
    return TlsfenceServicer(kw["name"], SDK_PACK_VERSION, chosen, kw["enforcement_level"], None,
                            kw["description"], kw["display_name"])


def _level_name(policy: str, value: Any) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise PolicyConfigError(f"policy config {policy!r}: enforcementLevel must be one of {', '.join(LEVELS)}, "
                                f"not {json.dumps(value)}")
    return value


def configure_request(policy_config: Mapping[str, Any] | None = None,
                      overrides: Mapping[str, Any] | None = None) -> proto.ConfigureAnalyzerRequest:
    """Reconcile config like the CLI does (schema defaults, ``all``, per-policy entries), then as the pack does.

    ``policy_config`` is the ``--policy-pack-config`` format (``{"<policy>": level | {enforcementLevel, ...},
    "all": level | {"enforcementLevel": level}}``) or, as a shorthand, one settings object applied to every
    policy. ``overrides`` (from command-line flags) win over both. The pairs are then reconciled exactly as the
    pack's servicer does on ``Configure`` (:func:`tlsfence.policy.pairs.reconcile`). Raises
    :class:`PolicyConfigError` with one message naming the key.
    """
    from tlsfence.policy.pairs import design_level, reconcile

    raw = dict(policy_config or {})
    names = policy_names()
    if raw and set(raw) <= set(DEFAULTS):
        raw = {name: dict(raw) for name in names}
    unknown = set(raw) - set(names) - {"all"}
    if unknown:
        raise PolicyConfigError(f"policy config names unknown policies {sorted(unknown)}; policies: "
                                f"{', '.join(names)} (or give one settings object with keys {', '.join(DEFAULTS)})")
    every = raw.get("all")
    if isinstance(every, Mapping):
        if set(every) - {"enforcementLevel"}:
            raise PolicyConfigError("policy config 'all': takes only an enforcement level (Pulumi applies no other "
                                    "key of 'all'); put settings on each policy, e.g. with python -m "
                                    "tlsfence.policy")
        every = every.get("enforcementLevel")
    if every is not None:
        every = _level_name("all", every)
    levels: dict[str, str] = {}
    props: dict[str, dict[str, Any]] = {}
    for name in names:
        given = raw.get(name, {})
        level = every or design_level(name)
        props[name] = dict(DEFAULTS)
        if isinstance(given, str):
            level = _level_name(name, given)
        elif isinstance(given, Mapping):
            given = dict(given)
            if "enforcementLevel" in given:
                level = _level_name(name, given.pop("enforcementLevel"))
            props[name].update(given)
        else:
            raise PolicyConfigError(f"policy config {name!r}: must be an enforcement level or an object, "
                                    f"not {json.dumps(given, default=str)}")
        props[name].update(overrides or {})
        levels[name] = level
    levels, props, problem = reconcile(levels, props)
    if problem is not None:
        raise PolicyConfigError(problem)
    request = proto.ConfigureAnalyzerRequest()
    for name in names:
        cfg = proto.PolicyConfig(enforcementLevel=LEVELS[levels[name]])
        cfg.properties.update(json.loads(json.dumps(props[name])))
        request.policyConfig[name].CopyFrom(cfg)
    return request


class TlsfenceServicer(_PolicyAnalyzerServicer):
    """pulumi-policy's servicer, with the pack's pairs reconciled on ``Configure`` and bad config said once.

    The engine's config (schema defaults, then ``all``, then per-policy entries) can break what a pair means:
    ``"all": "mandatory"`` makes the advisory twin block on exempted and excess findings, and a setting on one
    policy of a pair makes the two judge differently (the same finding twice, or not at all). ``Configure``
    therefore passes the request through :func:`tlsfence.policy.pairs.reconcile` first. A config that cannot
    be used (an unknown profile name) is one mandatory diagnostic on the first ``Analyze`` (the stack resource
    is analyzed before anything is created) or ``AnalyzeStack``, and no policy runs with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._config_error: str | None = None
        self._config_error_said = False
        self._lock = threading.Lock()

    def Configure(self, request: Any, context: Any) -> Any:  # noqa: N802  (gRPC method name)
        from tlsfence.policy.pairs import design_level, reconcile

        names = policy_names()
        levels = {n: design_level(n) for n in names}
        props = {n: dict(DEFAULTS) for n in names}
        for name, cfg in request.policyConfig.items():
            if name in levels:
                levels[name] = LEVEL_NAMES.get(cfg.enforcementLevel, levels[name])
                props[name].update(json_format.MessageToDict(cfg.properties))
        levels, props, problem = reconcile(levels, props)
        with self._lock:
            self._config_error, self._config_error_said = problem, False
        out = proto.ConfigureAnalyzerRequest()
        for name in names:
            cfg = proto.PolicyConfig(enforcementLevel=LEVELS[levels[name]])
            cfg.properties.update(json.loads(json.dumps(props[name], default=str)))
            out.policyConfig[name].CopyFrom(cfg)
        return super().Configure(out, context)

    def _config_diagnostic(self) -> list[proto.AnalyzeDiagnostic]:
        with self._lock:
            if self._config_error is None or self._config_error_said:
                return []
            self._config_error_said = True
        name = policy_names()[0]
        description = "tlsfence policy pack configuration"
        return [proto.AnalyzeDiagnostic(
            policyName=name, policyPackName=PACK_NAME, policyPackVersion=SDK_PACK_VERSION,
            message=f"{description}\ninvalid tlsfence policy config: {self._config_error}", urn="",
            description=description, enforcementLevel=proto.MANDATORY)]

    def Analyze(self, request: Any, context: Any) -> Any:  # noqa: N802
        if self._config_error is not None:
            return proto.AnalyzeResponse(diagnostics=self._config_diagnostic())
        return super().Analyze(request, context)

    def AnalyzeStack(self, request: Any, context: Any) -> Any:  # noqa: N802
        if self._config_error is not None:
            return proto.AnalyzeResponse(diagnostics=self._config_diagnostic())
        return super().AnalyzeStack(request, context)


def serve() -> None:
    """Serve the pack over gRPC as ``PolicyPack(...)`` does (port on stdout, then block), with our servicer.

    ``PolicyPack`` builds its servicer from the module-level name ``_PolicyAnalyzerServicer``; pointing that
    name at :class:`TlsfenceServicer` keeps everything else (server options, port protocol) pulumi-policy's.
    """
    import pulumi_policy.policy as sdk

    sdk._PolicyAnalyzerServicer = TlsfenceServicer
    sdk.PolicyPack(**pack_kwargs())


def diagnostics(response: Any, urn: str = "") -> list[Diagnostic]:
    """Diagnostics of an ``AnalyzeResponse``; ``urn`` fills those a resource policy leaves empty."""
    out = []
    for d in response.diagnostics:
        message = d.message
        if d.description and message.startswith(d.description + "\n"):
            message = message[len(d.description) + 1:]
        out.append(Diagnostic(d.policyName, d.urn or urn, LEVEL_NAMES.get(d.enforcementLevel, "advisory"),
                              message, d.description))
    return out


def evaluate(servicer: Any, resources: Sequence[WireResource]) -> list[Diagnostic]:
    """Analyze every resource, then the stack, through one servicer (what the engine does)."""
    out: list[Diagnostic] = []
    for res in resources:
        out.extend(diagnostics(servicer.Analyze(analyze_request(res), None), res.urn))
    out.extend(diagnostics(servicer.AnalyzeStack(analyze_stack_request(resources), None)))
    return out


class Router:
    """The whole pack as servicers of one policy each (or a family's pair), plus the stack pair.

    pulumi-policy's servicer deserializes a resource's properties once *per policy*; sending every resource to
    every policy costs ~16 deserializations where one policy can answer. A resource policy only ever reports
    exposures of its own family at its own level, so a resource goes to the servicers of the (family, level)
    pairs its findings have (``routes``; a bare family name asks the family's pair), to none when nothing is
    reported, and to the whole pack when its analysis failed (None): the diagnostics are the same, in pack
    order, for a fraction of the time.
    """

    def __init__(self, request: proto.ConfigureAnalyzerRequest | None = None) -> None:
        from tlsfence.policy.metadata import FAMILIES

        self.request = request or configure_request()
        self.infos = {f.family: f for f in FAMILIES}
        self.servicers: dict[Any, TlsfenceServicer] = {}  # built on first use: a small stack asks few policies
        self.stacks: dict[frozenset[str], TlsfenceServicer] = {}
        self._whole: TlsfenceServicer | None = None
        self.order = {name: i for i, name in enumerate(policy_names())}

    @property
    def whole(self) -> TlsfenceServicer:
        """The whole pack (for resources whose analysis failed), configured on first use."""
        if self._whole is None:
            self._whole = make_servicer()
            self._whole.Configure(self.request, None)
        return self._whole

    def route(self, route: str | tuple[str, str]) -> TlsfenceServicer:
        """The servicer of ``(family, level)``'s policy, or of a family's pair, configured on first use."""
        if route not in self.servicers:
            family, level = (route, None) if isinstance(route, str) else route
            self.servicers[route] = self._servicer(self.infos[family], level)
        return self.servicers[route]

    def family(self, name: str) -> TlsfenceServicer:
        """The servicer of one family's pair."""
        return self.route(name)

    def stack(self, levels: frozenset[str] | None = None) -> TlsfenceServicer:
        """The servicer of the stack policies at ``levels`` (None: the pair), configured on first use."""
        from tlsfence.policy.metadata import STACK
        from tlsfence.policy.rules import ADVISORY, MANDATORY

        levels = frozenset((MANDATORY, ADVISORY)) if levels is None else levels
        if levels not in self.stacks:
            self.stacks[levels] = self._servicer(STACK, None if len(levels) != 1 else next(iter(levels)))
        return self.stacks[levels]

    def _servicer(self, info: Any, level: str | None) -> TlsfenceServicer:
        from tlsfence.policy.rules import ADVISORY, MANDATORY, policy_name

        levels = (MANDATORY, ADVISORY) if level is None else (level,)
        servicer = make_servicer([policy_name(info, lvl) for lvl in levels])
        servicer.Configure(self.request, None)
        return servicer

    def evaluate(self, resources: Sequence[WireResource],
                 routes: Mapping[str, Iterable[str | tuple[str, str]] | None]) -> list[Diagnostic]:
        """Diagnostics for ``resources``; ``routes[urn]`` names the policies to ask (absent = none).

        ``routes[STACK_ROUTE]`` names the stack policy's levels that report (an empty set: the stack policies are
        not asked; absent or None: both are): the whole stack is deserialized once per stack policy asked.
        """
        out: list[Diagnostic] = []
        for res in resources:
            asked = routes.get(res.urn, ())
            if asked is None:
                out.extend(diagnostics(self.whole.Analyze(analyze_request(res), None), res.urn))
                continue
            request = None
            found: list[Diagnostic] = []
            for route in asked:
                request = request or analyze_request(res)
                found.extend(diagnostics(self.route(route).Analyze(request, None), res.urn))
            out.extend(sorted(found, key=lambda d: self.order.get(d.policy, 0)))
        levels = routes.get(STACK_ROUTE)
        if levels is None or levels:
            stack = self.stack(None if levels is None else frozenset(levels))
            out.extend(diagnostics(stack.AnalyzeStack(analyze_stack_request(resources), None)))
        return out


#: The key of :meth:`Router.evaluate`'s routes that holds the stack policy's levels (no URN is empty).
STACK_ROUTE = ""

__all__ = ["Diagnostic", "EnforcementLevel", "PACK_NAME", "WireResource", "analyze_request", "analyze_stack_request",
           "configure_request", "diagnostics", "evaluate", "make_servicer", "serve", "to_struct", "Router",
           "STACK_ROUTE", "TlsfenceServicer"]
