"""Provider-neutral view of a resource and a stack, as the pack, ``check`` and ``audit`` hand them over.

Every front end converts its own representation into :class:`Resource` (camelCase properties, unknowns as
:data:`UNKNOWN`) so that the analyzers have exactly one input shape. The :class:`Stack` answers the joins a
single resource cannot: "which SSL policy does this proxy's ``sslPolicy`` point at?".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
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
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[Hashable, list[Resource]]] = {}
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
        """Resources of ``types`` matching ``predicate`` (a scan: prefer :meth:`matching` in per-resource joins)."""
        return [r for r in self.of_type(*types) if predicate(r)]

    def index(self, name: str, types: tuple[str, ...],
              keys_of: Callable[[Resource], Iterable[Hashable]]) -> Mapping[Hashable, list[Resource]]:
        """Resources of ``types`` by every key ``keys_of`` gives them, built once per stack under ``name``.

        Joins look candidates up here instead of scanning the stack for each resource, so a join over the
        whole stack stays linear in its size. Each list is in stack order without repeats.
        """
        cache_key = (name, types)
        found = self._indexes.get(cache_key)
        if found is None:
            found = {}
            for r in self.of_type(*types):
                for k in dict.fromkeys(keys_of(r)):
                    found.setdefault(k, []).append(r)
            self._indexes[cache_key] = found
        return found

    def matching(self, types: tuple[str, ...], keys: tuple[str, ...], value: Any) -> list[Resource]:
        """Resources of ``types`` one of whose ``keys`` properties equals ``value`` (a non-empty string)."""
        if not isinstance(value, str) or not value:
            return []
        index = self.index(f"values:{','.join(keys)}", types, lambda r: _string_values(r, keys))
        return list(index.get(value, ()))

    def in_order(self, *groups: Iterable[Resource]) -> list[Resource]:
        """The resources of ``groups`` once each, in stack order."""
        unique = {id(r): r for g in groups for r in g}
        return sorted(unique.values(), key=lambda r: self._position.get(id(r), 0))

    def resolve(self, res: Resource, prop: str, types: tuple[str, ...],
                keys: tuple[str, ...] = ("selfLink", "id", "name", "arn")) -> list[Resource]:
        """Join ``res.props[prop]`` to the resources it names: first by property dependency, else by value.

        Value matching compares the property with each candidate's ``keys`` outputs (a self-link, an id, a
        name; a name also matches the last path segment of the value); it is the fallback for state files
        and audits, which carry values but no dependencies. Both lookups are indexed.
        """
        by_dep = self.property_sources(res, prop, *types)
        if by_dep:
            return by_dep
        value = res.get(prop)
        if value is None or is_unknown(value) or not isinstance(value, str):
            return []
        tail = value.rstrip("/").rsplit("/", 1)[-1]
        exact = self.matching(types, keys, value)
        if "name" not in keys:
            return exact
        return self.in_order(exact, self.matching(types, ("name",), tail))


def _string_values(res: Resource, keys: tuple[str, ...]) -> list[str]:
    out = []
    for key in keys:
        v = res.get(key)
        if isinstance(v, str) and v:
            out.append(v)
    return out
