"""Provider-neutral view of a resource and a stack, as the pack, ``check`` and ``audit`` hand them over.

Every front end converts its own representation into :class:`Resource` (camelCase properties, unknowns as
:data:`UNKNOWN`) so that the analyzers have exactly one input shape. The :class:`Stack` answers the joins a
single resource cannot: "which SSL policy does this proxy's ``sslPolicy`` point at?".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class _Unknown:
    """A value that is not known yet (a computed output at preview)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test it with is_unknown() first")


UNKNOWN: Any = _Unknown()


def is_unknown(value: object) -> bool:
    """True when ``value`` is the unknown marker."""
    return value is UNKNOWN


def contains_unknown(value: object) -> bool:
    """True when ``value`` or anything nested in it is unknown."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


@dataclass(frozen=True)
class Resource:
    """One resource.

    Attributes:
        type: Pulumi type token (``aws:lb/listener:Listener``); the audit uses the same tokens.
        name: logical name.
        urn: URN (or ARN-based id for audited resources).
        props: camelCase properties; unknown values are :data:`UNKNOWN`; absent means not set.
        parent: parent URN, if any.
        dependencies: URNs this resource depends on.
        property_dependencies: property name → URNs its value came from.
        extra: front-end specific facts (``arn``, ``region``) carried into the output.
    """

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def get(self, *path: str | int, default: Any = None) -> Any:
        """Nested lookup; returns ``default`` when a step is absent, :data:`UNKNOWN` when a step is unknown."""
        value: Any = self.props
        for step in path:
            if value is UNKNOWN:
                return UNKNOWN
            if isinstance(step, int):
                if not isinstance(value, (list, tuple)) or step >= len(value):
                    return default
                value = value[step]
            else:
                if not isinstance(value, Mapping) or step not in value or value[step] is None:
                    return default
                value = value[step]
        return value


class Stack:
    """All resources of one program or deployment, indexed for joins."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources: tuple[Resource, ...] = tuple(resources)
        self.by_urn: dict[str, Resource] = {r.urn: r for r in self.resources}
        self._by_type: dict[str, list[Resource]] = {}
        self._position: dict[int, int] = {id(r): i for i, r in enumerate(self.resources)}
        for r in self.resources:
            self._by_type.setdefault(r.type, []).append(r)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def of_type(self, *types: str) -> list[Resource]:
        """Resources whose type is one of ``types`` (indexed: joins on large stacks stay linear)."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        found = [r for t in dict.fromkeys(types) for r in self._by_type.get(t, ())]
        return sorted(found, key=lambda r: self._position[id(r)]) if len(types) > 1 else found

    def property_sources(self, res: Resource, prop: str, *types: str) -> list[Resource]:
        """Resources (of ``types``, if given) that ``res.props[prop]`` was computed from."""
        found = [self.by_urn[u] for u in res.property_dependencies.get(prop, ()) if u in self.by_urn]
        return [r for r in found if not types or r.type in types]

    def find(self, predicate: Callable[[Resource], bool], *types: str) -> list[Resource]:
        """Resources of ``types`` matching ``predicate``."""
        return [r for r in self.of_type(*types) if predicate(r)]

    def resolve(self, res: Resource, prop: str, types: tuple[str, ...],
                keys: tuple[str, ...] = ("selfLink", "id", "name", "arn")) -> list[Resource]:
        """Join ``res.props[prop]`` to the resources it names: first by property dependency, else by value.

        Value matching compares the property with each candidate's ``keys`` outputs (a self-link, an id, a
        name); it is the fallback for state files and audits, which carry values but no dependencies.
        """
        by_dep = self.property_sources(res, prop, *types)
        if by_dep:
            return by_dep
        value = res.get(prop)
        if value is None or is_unknown(value) or not isinstance(value, str):
            return []
        tail = value.rstrip("/").rsplit("/", 1)[-1]
        matches = []
        for cand in self.of_type(*types):
            for key in keys:
                v = cand.get(key)
                if isinstance(v, str) and v and (v == value or (key == "name" and v == tail)):
                    matches.append(cand)
                    break
        return matches
