"""Kubernetes ``*List`` and ``*Patch`` resources of Ingresses and Services.

A List creates each of its ``items``: every item is judged like the Ingress or Service it is, reported on the
List. A Patch (server-side apply of an object the stack does not own) that sets a TLS-deciding field (a
controller annotation, ``spec.tls``, ``spec.ports`` ...) changes a front door whose other settings are not in the
stack: ``unverifiable``, naming the fields; a patch that touches none of them exposes nothing new.
"""

from __future__ import annotations

from tlsfence.analyzers import k8s_ingress, k8s_service
from tlsfence.analyzers.base import Analyzer, Context, exposure
from tlsfence.analyzers.k8s_base import Unreadable, known, patch_touches_tls
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource
from tlsfence.verdicts import unverifiable

#: List/Patch token suffix base → (item token, analyzer, family)
KINDS: dict[str, tuple[str, Analyzer, str]] = {
    **{t: (t, k8s_ingress.analyze_ingress, k8s_ingress.FAMILY) for t in k8s_ingress.INGRESS_TYPES},
    "kubernetes:core/v1:Service": ("kubernetes:core/v1:Service", k8s_service.analyze_service, k8s_service.FAMILY),
}


def analyze_list(res: Resource, ctx: Context) -> list[Exposure]:
    """Every item of an IngressList/ServiceList, judged as the object it creates."""
    item_type, fn, family = KINDS[res.type[: -len("List")]]
    try:
        items = known(res, "items", default=[])
        if not isinstance(items, list):
            raise Unreadable("items (not a list)")
    except Unreadable as e:
        return [exposure(res, "list items", family, Setting("items", None, Origin.UNKNOWN), unverifiable(str(e)),
                         ctx)]
    out = []
    for i, item in enumerate(items):
        props = item if isinstance(item, dict) else {}
        name = props.get("metadata", {}).get("name") if isinstance(props.get("metadata"), dict) else None
        sub = Resource(type=item_type, name=f"{res.name}[{name or i}]", urn=res.urn, props=props, parent=res.parent,
                       property_dependencies=res.property_dependencies)
        out += [exposure(res, f"{e.exposure} (item {name or i})", e.family, e.setting, e.decision, ctx,
                         tightest=e.tightest, needs_join=e.needs_join, internet_facing=e.internet_facing)
                for e in fn(sub, ctx)]
    return out


def analyze_patch(res: Resource, ctx: Context) -> list[Exposure]:
    """A patch of an Ingress or Service the stack does not own."""
    _, _, family = KINDS[res.type[: -len("Patch")]]
    touched = patch_touches_tls(res)
    if not touched:
        return []
    kind = res.type.rsplit(":", 1)[-1][: -len("Patch")]
    return [exposure(res, f"patch of a {kind}", family, Setting("patched fields", ", ".join(touched),
                                                                 Origin.EXPLICIT),
                     unverifiable(f"the TLS of the {kind} this patch changes ({', '.join(touched)}; the rest of the "
                                  "object is not in the stack)"), ctx,
                     tightest=f"a {kind} declared in the stack (not a patch), so that the whole of it is judged")]


ANALYZERS = {
    **{f"{t}List": analyze_list for t in KINDS},
    **{f"{t}Patch": analyze_patch for t in KINDS},
}
