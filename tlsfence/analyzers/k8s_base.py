"""What the Kubernetes analyzers share: the controller facts, and strict readers of manifests as the pack sees them.

The analyzers never import ``pulumi_kubernetes``: a manifest reaches the pack as the properties of a
``kubernetes:<group>/<version>:<Kind>`` resource (typed classes and ``apiextensions.CustomResource`` give the same
token), camelCase, with ``metadata.annotations`` as a string map. Controller behaviour (defaults, annotation
semantics) is data in ``tlsfence/catalogs/kubernetes.json``, each fact with its source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from tlsfence.errors import CatalogError
from tlsfence.resources import Resource, Stack, contains_unknown, is_unknown
from tlsfence.verdicts import VERDICT_ORDER, Decision


class Unreadable(Exception):
    """A deciding value is unknown or not understood; the message names it (becomes ``unverifiable``)."""


@cache
def facts() -> Mapping[str, Mapping[str, Any]]:
    """Every controller fact, loaded once."""
    try:
        raw = json.loads(resources.files("tlsfence.catalogs").joinpath("kubernetes.json").read_text())
        return raw["facts"]
    except (OSError, ValueError, KeyError) as e:
        raise CatalogError(f"catalog kubernetes.json does not load: {e}") from e


def fact(key: str) -> Any:
    """The value of one fact (a missing key is a data error)."""
    try:
        return facts()[key]["value"]
    except KeyError:
        raise CatalogError(f"kubernetes.json has no fact {key!r}") from None


def annotations(res: Resource) -> dict[str, Any]:
    """``metadata.annotations``; raises :class:`Unreadable` when the map itself is unknown or not a map."""
    value = res.get("metadata", "annotations", default={})
    if is_unknown(value):
        raise Unreadable("metadata.annotations (unknown until deployed)")
    if not isinstance(value, Mapping):
        raise Unreadable(f"metadata.annotations (not a map: {type(value).__name__})")
    return dict(value)


def annotation(res: Resource, key: str) -> str | None:
    """One annotation as a string, None when absent; unknown or non-string raises :class:`Unreadable`."""
    value = annotations(res).get(key)
    if value is None:
        return None
    if is_unknown(value):
        raise Unreadable(f"annotation {key} (unknown until deployed)")
    if not isinstance(value, str):
        raise Unreadable(f"annotation {key}={value!r} (annotation values are strings)")
    return value


def text(res: Resource, *path: str | int) -> str | None:
    """A string property, None when absent; unknown or another type raises :class:`Unreadable`."""
    value = res.get(*path)
    prop = ".".join(str(p) for p in path)
    if value is None:
        return None
    if is_unknown(value):
        raise Unreadable(f"{prop} (unknown until deployed)")
    if not isinstance(value, str):
        raise Unreadable(f"{prop}={value!r} (not a string)")
    return value


def known(res: Resource, *path: str | int, default: Any = None) -> Any:
    """A property that must be fully known (lists, maps); raises :class:`Unreadable` naming it otherwise."""
    value = res.get(*path, default=default)
    if contains_unknown(value):
        raise Unreadable(f"{'.'.join(str(p) for p in path)} (unknown until deployed)")
    return value


def name_of(res: Resource) -> str | None:
    """``metadata.name`` when known, else None (Pulumi auto-names it with a suffix)."""
    value = res.get("metadata", "name")
    return value if isinstance(value, str) and value else None


def namespace_of(res: Resource) -> str:
    """``metadata.namespace`` or ``default``."""
    value = res.get("metadata", "namespace")
    return value if isinstance(value, str) and value else "default"


def find_named(stack: Stack, holder: Resource, name: str | None, types: tuple[str, ...], *,
               props: tuple[str, ...] = ("metadata", "spec"), namespaced: bool = True) -> list[Resource]:
    """Resources of ``types`` that ``holder`` names: through property dependencies, else by metadata.name.

    A reference computed from another resource (``fc.metadata["name"]``) is unknown at preview; the property
    dependency still says which resource it came from.
    """
    by_dep = [r for p in props for r in stack.property_sources(holder, p, *types)]
    if name is not None:
        named = [r for r in by_dep if name_of(r) in (None, name)]
        by_dep = named or by_dep
    if len({r.urn for r in by_dep}) == 1:
        return by_dep[:1]
    if name is None:
        return list({r.urn: r for r in by_dep}.values())
    found = [r for r in stack.of_type(*types) if name_of(r) == name
             and (not namespaced or namespace_of(r) == namespace_of(holder))]
    return found or list({r.urn: r for r in by_dep}.values())


def worst(decisions: list[Decision]) -> Decision:
    """The least conforming decision (VERDICT_ORDER: later is worse)."""
    return max(decisions, key=lambda d: VERDICT_ORDER.index(d.verdict))


def with_reason(decision: Decision, reason: str) -> Decision:
    """``decision`` with one more reason (where the setting came from, a group conflict)."""
    return replace(decision, reasons=(*decision.reasons, reason))


def port_number(value: Any, prop: str) -> int:
    """A port as an int (numbers arrive as floats); anything else raises :class:`Unreadable`."""
    if is_unknown(value):
        raise Unreadable(f"{prop} (unknown until deployed)")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise Unreadable(f"{prop}={value!r} (not a port number)")
    return int(value)


def fact_table() -> str:
    """The facts as a Markdown table (``docs/kubernetes.md`` embeds it; a test keeps the two equal)."""
    rows = ["| fact | value | what the controller does | sources |", "|---|---|---|---|"]
    for key, body in facts().items():
        value = json.dumps(body["value"]) if not isinstance(body["value"], str) else body["value"]
        links = ", ".join(f"[{i + 1}]({u})" for i, u in enumerate(body["source"]))
        rows.append(f"| `{key}` | {value.replace('|', '/')} | {body['note'].replace('|', '/')} | {links} |")
    return "\n".join(rows) + "\n"


#: Annotation prefixes and spec fields that decide a front door's TLS (a patch touching one cannot be judged).
TLS_ANNOTATION_PREFIXES = ("alb.ingress.kubernetes.io/", "service.beta.kubernetes.io/aws-load-balancer-",
                           "networking.gke.io/", "kubernetes.io/ingress.", "ingress.gcp.kubernetes.io/")
TLS_SPEC_FIELDS = ("tls", "ingressClassName", "rules", "defaultBackend", "type", "ports", "loadBalancerClass")


def patch_touches_tls(res: Resource) -> list[str]:
    """The TLS-deciding fields a ``*Patch`` resource sets (annotations by prefix, spec fields by name)."""
    touched = []
    ann = res.get("metadata", "annotations", default={})
    if is_unknown(ann):
        return ["metadata.annotations"]
    if isinstance(ann, Mapping):
        touched += [f"annotation {k}" for k in ann if str(k).startswith(TLS_ANNOTATION_PREFIXES)]
    spec = res.get("spec", default={})
    if is_unknown(spec):
        return [*touched, "spec"]
    if isinstance(spec, Mapping):
        touched += [f"spec.{k}" for k in spec if k in TLS_SPEC_FIELDS]
    return touched


COMPUTED = "<computed>"


def certificate_refs(res: Resource, key: str) -> tuple[str, ...]:
    """Certificate ARNs/names in a comma-separated annotation; ``(COMPUTED,)`` when the value is computed (unknown at
    preview): a certificate is given even if its ARN is not known yet, so it is not :class:`Unreadable`."""
    value = annotations(res).get(key)
    if is_unknown(value):
        return (COMPUTED,)
    if value is not None and not isinstance(value, str):
        raise Unreadable(f"annotation {key}={value!r} (annotation values are strings)")
    return tuple(c.strip() for c in (value or "").split(",") if c.strip())
