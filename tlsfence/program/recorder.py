"""Run a Pulumi program under ``pulumi.runtime.set_mocks`` and record every resource it registers.

Mocks are not the engine: the provider's Check does not run (no defaults are filled; the analyzers apply
the catalog defaults themselves) and computed outputs are whatever the mock returns. The mock here echoes
inputs and synthesizes ids, ARNs, names and self-links so that joins by value work as they would on a
deployed stack; with ``preview=True`` it returns no computed outputs, so they stay unknown, as on a first
``pulumi preview``. Parent, dependencies and property dependencies come from the RegisterResource request
itself (a ``MockMonitor`` subclass), which is what the engine would receive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tlsfence.resources import UNKNOWN, Resource, Stack

SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
SIG_KEY = "4dabf18193072939515e22adb298388d"
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@dataclass
class Registration:
    """One RegisterResource request as the engine would receive it.

    Attributes:
        type, name, urn, parent, custom: the request's fields.
        inputs: deserialized inputs (pulumi's Unknown and secret wrappers intact).
        dependencies: URNs.
        property_dependencies: property → URNs.
        outputs: what the mock returned.
        source: (file URI, line) of the user code that registered it, when the SDK sent one.
        wired: inputs and outputs are already :func:`wire`-encoded (:func:`encoded`).
    """

    type: str
    name: str
    urn: str
    parent: str | None
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    source: tuple[str, int] | None = None
    wired: bool = False


def plain(value: Any) -> Any:
    """Convert SDK values to tlsfence's: Unknown → UNKNOWN, secrets unwrapped, tuples to lists."""
    from pulumi.output import Unknown

    if isinstance(value, Unknown) or value == UNKNOWN_SENTINEL:
        return UNKNOWN
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return plain(value.get("value"))
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def wire(value: Any) -> Any:
    """Encode SDK values the way the engine hands them to an analyzer: Unknown → the string sentinel,
    secrets kept as signature envelopes (pulumi-policy unwraps them), tuples → lists, other objects → str."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        if value.get(SIG_KEY) == SECRET_SIG:
            return {SIG_KEY: SECRET_SIG, "value": wire(value.get("value"))}
        return {str(k): wire(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [wire(v) for v in value]
    from pulumi.output import Unknown

    if isinstance(value, Unknown):
        return UNKNOWN_SENTINEL
    if isinstance(value, Mapping):
        return wire(dict(value))
    if isinstance(value, (str, int, float)):
        return value
    return str(value)


def encoded(reg: Registration) -> Registration:
    """``reg`` with its inputs and outputs :func:`wire`-encoded: plain data that pickles and outlives the SDK."""
    return dataclasses.replace(reg, inputs=wire(reg.inputs), outputs=wire(reg.outputs), wired=True)


def synthesize_outputs(typ: str, name: str, inputs: Mapping[str, Any], project: str) -> dict[str, Any]:
    """Computed outputs a provider would fill (id-like values only; never TLS-deciding defaults)."""
    cloud = typ.split(":", 1)[0]
    out: dict[str, Any] = {}
    res_name = inputs.get("name") if isinstance(inputs.get("name"), str) else f"{name}"
    out["name"] = res_name
    if cloud in ("aws", "aws-native"):
        service = typ.split(":")[1].split("/")[0]
        out["arn"] = f"arn:aws:{service}:us-east-1:123456789012:{typ.rsplit(':', 1)[-1].lower()}/{res_name}"
    elif cloud == "gcp":
        kind = typ.rsplit(":", 1)[-1]
        out["selfLink"] = f"https://www.googleapis.com/compute/v1/projects/{project}/global/{kind}/{res_name}"
    return out


def _make_monitor_class() -> type:
    from pulumi.runtime.mocks import MockMonitor

    class RecordingMonitor(MockMonitor):
        """A MockMonitor that keeps the request fields the plain one drops."""

        def __init__(self, mocks: Any) -> None:
            super().__init__(mocks)
            self.registrations: list[Registration] = []

        def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
            from pulumi.runtime import rpc

            response = super().RegisterResource(request)
            if request.type != "pulumi:pulumi:Stack":
                self.registrations.append(Registration(
                    type=request.type, name=request.name, urn=response.urn, parent=request.parent or None,
                    custom=bool(request.custom), inputs=rpc.deserialize_properties(request.object, keep_unknowns=True),
                    dependencies=list(request.dependencies),
                    property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                    outputs=dict(self.resources[response.urn].state) if response.urn in self.resources else {},
                    source=(request.sourcePosition.uri, request.sourcePosition.line)
                    if request.HasField("sourcePosition") and request.sourcePosition.uri else None,
                ))
            return response

    return RecordingMonitor


def _make_mocks(project: str, preview: bool) -> Any:
    import pulumi

    class EchoMocks(pulumi.runtime.Mocks):
        """Echo inputs; synthesize ids and references unless previewing."""

        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            if preview:
                return "", dict(args.inputs)
            outputs = {**synthesize_outputs(args.typ, args.name, args.inputs, project), **args.inputs}
            return f"{args.name}-id", outputs

        def call(self, args: Any) -> dict[str, Any]:
            return {}

    return EchoMocks()


def run_under_mocks(program: Callable[[], Any], *, project: str = "project", stack: str = "stack",
                    config: Mapping[str, str] | None = None, preview: bool = False) -> list[Registration]:
    """Run ``program`` under mocks and return its registrations in order.

    ``config`` keys are full Pulumi keys (``tlsfence:cloud``); values are strings as in a stack file.
    Any exception the program raises propagates (the caller reports it).
    """
    import pulumi
    from pulumi.runtime import settings as rt_settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    pulumi.runtime.set_all_config(dict(config or {}))
    monitor = _make_monitor_class()(_make_mocks(project, preview))
    _reset_root()
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    rt_settings.SETTINGS.rpc_manager.clear()
    rt_settings.SETTINGS.outputs.clear()
    _sync_await(run_pulumi_func(program))
    return monitor.registrations


def _reset_root() -> None:
    """Forget the previous run's root Stack resource so that runs in one process do not share it."""
    from pulumi.runtime import settings as rt_settings

    rt_settings.ROOT.set(None)


def to_stack(registrations: list[Registration]) -> Stack:
    """Registrations as tlsfence Resources (inputs merged over outputs, values converted)."""
    resources = []
    for reg in registrations:
        props = {**plain(reg.outputs), **plain(reg.inputs)}
        resources.append(Resource(
            type=reg.type, name=reg.name, urn=reg.urn, props=props, parent=reg.parent,
            dependencies=tuple(reg.dependencies),
            property_dependencies={k: tuple(v) for k, v in reg.property_dependencies.items()},
        ))
    return Stack(resources)
