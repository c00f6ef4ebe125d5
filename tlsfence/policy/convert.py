"""pulumi-policy arguments → tlsfence :class:`~tlsfence.resources.Resource`, without ever raising on unknowns.

pulumi-policy wraps properties in a proxy that raises ``UnknownValueError`` on *any* read of an unknown value
(``pulumi_policy/proxy.py``), and the servicer turns that error into an advisory "can't run policy during
preview" whatever the policy's level: an unknown would silently weaken a mandatory rule. So the rules never
read through the proxy: ``props["__target"]`` gives the raw container (nested containers are proxies again,
unwrapped the same way), and the seven sentinel strings become :data:`~tlsfence.resources.UNKNOWN`, which the
analyzers turn into ``unverifiable`` naming the property. Values that decide nothing (ARNs, names) may stay
unknown without effect, since the analyzers never read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import proxy as _proxy

from tlsfence.resources import UNKNOWN, Resource, Stack

#: The engine's unknown sentinels (``pulumi_policy/proxy.py``; ``KeepUnknowns: true`` in analyzer_plugin.go).
SENTINELS: frozenset[str] = frozenset({
    _proxy.UNKNOWN_BOOLEAN_VALUE, _proxy.UNKNOWN_NUMBER_VALUE, _proxy.UNKNOWN_STRING_VALUE,
    _proxy.UNKNOWN_ARRAY_VALUE, _proxy.UNKNOWN_ASSET_VALUE, _proxy.UNKNOWN_ARCHIVE_VALUE,
    _proxy.UNKNOWN_OBJECT_VALUE,
})

#: Types that are never exposures (the stack, providers); skipped before any conversion.
_SKIP_PREFIXES = ("pulumi:pulumi:Stack", "pulumi:providers:")


def raw(value: Any) -> Any:
    """A proxied (or plain) value as plain Python, sentinels → UNKNOWN; keys starting ``__`` dropped.

    Exact-type checks come first: this runs on every property of every resource, per policy.
    """
    kind = type(value)
    if kind is str:
        return UNKNOWN if value in SENTINELS else value
    if kind is dict:
        return {k: raw(v) for k, v in value.items() if not k.startswith("__")}
    if kind is list:
        return [raw(v) for v in value]
    if kind in _SCALARS:
        return value
    if kind is _proxy._DictProxy or kind is _proxy._ListProxy:
        return raw(value["__target"])
    if isinstance(value, str):
        return UNKNOWN if value in SENTINELS else str(value)
    if isinstance(value, Mapping):
        return {str(k): raw(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [raw(v) for v in value]
    return value


_SCALARS = (int, float, bool, type(None))


def resource_from_args(args: Any) -> Resource:
    """A resource policy's view (``ResourceValidationArgs``): inputs after Check, no dependencies."""
    parent = getattr(getattr(args, "opts", None), "parent", None)
    return Resource(type=args.resource_type, name=args.name, urn=args.urn, props=raw(args.props),
                    parent=parent or None)


def _urns(items: Iterable[Any]) -> tuple[str, ...]:
    return tuple(r.urn for r in items if r is not None)


def resource_from_policy_resource(res: Any) -> Resource:
    """A stack policy's view (``PolicyResource``): outputs, parent, dependencies and property dependencies."""
    return Resource(
        type=res.resource_type, name=res.name, urn=res.urn, props=raw(res.props),
        parent=res.parent.urn if res.parent is not None else None,
        dependencies=_urns(res.dependencies),
        property_dependencies={k: _urns(v) for k, v in (res.property_dependencies or {}).items()},
    )


def skipped(resource_type: str) -> bool:
    """Whether a type is the stack or a provider (never an exposure, never converted)."""
    return resource_type.startswith(_SKIP_PREFIXES)


def stack_from_args(args: Any) -> Stack:
    """All resources of ``StackValidationArgs`` as a :class:`Stack` (stack and providers left out)."""
    return Stack(resource_from_policy_resource(r) for r in args.resources if not skipped(r.resource_type))


def from_wire(props: Mapping[str, Any]) -> dict[str, Any]:
    """Wire-encoded properties (sentinels, secret envelopes) → plain tlsfence values, as the servicer reads them
    (``deserialize_properties`` unwraps secrets) but without the raising proxy."""
    from pulumi_policy.deserialize import deserialize_properties

    return raw(deserialize_properties(dict(props)))
