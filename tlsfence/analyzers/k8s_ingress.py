"""Kubernetes Ingress: which controller serves it, then that controller's analyzer.

The class is the legacy ``kubernetes.io/ingress.class`` annotation or ``spec.ingressClassName`` (an IngressClass,
whose ``spec.controller`` names the controller); with neither, the IngressClass marked
``ingressclass.kubernetes.io/is-default-class`` decides. ``alb`` (or controller ``ingress.k8s.aws/alb``) goes to
:mod:`k8s_alb`, ``gce``/``gce-internal``/``gce-regional-external`` to :mod:`k8s_gke`; any other class serves
clients with a TLS set by a controller tlsfence does not model: ``unverifiable``, naming the class.
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsfence.analyzers import k8s_alb, k8s_gke
from tlsfence.analyzers.base import Context, exposure
from tlsfence.analyzers.k8s_base import Unreadable, annotation, fact, find_named, text
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource
from tlsfence.verdicts import unverifiable

INGRESS_TYPES = ("kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress",
                 "kubernetes:extensions/v1beta1:Ingress")
CLASS_TYPES = ("kubernetes:networking.k8s.io/v1:IngressClass", "kubernetes:networking.k8s.io/v1beta1:IngressClass")
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
FAMILY = "k8s-ingress"


@dataclass(frozen=True)
class IngressClass:
    """Who serves an Ingress.

    Attributes:
        controller: ``alb``, ``gke`` or the controller/class string tlsfence does not model.
        name: the class as written (annotation value or IngressClass name).
        gke_class: for GKE, ``gce``, ``gce-internal`` or ``gce-regional-external``.
        resource: the IngressClass resource when it is in the stack.
        note: how the class was found, for reasons.
    """

    controller: str
    name: str
    gke_class: str = ""
    resource: Resource | None = None
    note: str = ""


def _by_name(name: str, note: str, resource: Resource | None = None) -> IngressClass:
    if name in fact("alb.ingress-classes"):
        return IngressClass("alb", name, resource=resource, note=note)
    if name in fact("gke.ingress-classes"):
        return IngressClass("gke", name, gke_class=name, resource=resource, note=note)
    return IngressClass(name, name, resource=resource, note=note)


def _from_class_resource(cls: Resource, name: str) -> IngressClass:
    controller = text(cls, "spec", "controller")
    if controller == fact("alb.controller"):
        return IngressClass("alb", name, resource=cls, note=f"IngressClass '{name}' (controller {controller})")
    return IngressClass(controller or f"IngressClass {name} without spec.controller", name, resource=cls)


def ingress_class(res: Resource, ctx: Context) -> IngressClass | None:
    """The Ingress's class; None when only the stack can tell (a resource policy alone)."""
    legacy = annotation(res, CLASS_ANNOTATION)
    named = text(res, "spec", "ingressClassName")
    if legacy is not None:
        if named is not None and named != legacy:
            raise Unreadable(f"the ingress class ({CLASS_ANNOTATION}={legacy} but spec.ingressClassName={named})")
        return _by_name(legacy, f"annotation {CLASS_ANNOTATION}")
    if ctx.stack is None:
        return None
    if named is not None:
        found = find_named(ctx.stack, res, named, CLASS_TYPES, props=("spec",), namespaced=False)
        if len(found) == 1:
            return _from_class_resource(found[0], named)
        return _by_name(named, f"spec.ingressClassName {named} (its IngressClass is not in this stack)")
    defaults = [c for c in ctx.stack.of_type(*CLASS_TYPES) if annotation(c, DEFAULT_CLASS) == "true"]
    if len(defaults) == 1:
        return _from_class_resource(defaults[0], str(defaults[0].get("metadata", "name") or defaults[0].name))
    raise Unreadable("the ingress class: neither kubernetes.io/ingress.class nor spec.ingressClassName is set, so the "
                     "cluster's default IngressClass decides (on GKE: the external gce class)")


def _placeholder(res: Resource, ctx: Context, why: str, *, join: bool) -> list[Exposure]:
    setting = Setting("ingress class", None, Origin.UNKNOWN)
    return [exposure(res, "Ingress", FAMILY, setting, unverifiable(why), ctx,
                     tightest="an ALB (alb) or GKE (gce) Ingress with a conforming TLS policy", needs_join=join)]


def analyze_ingress(res: Resource, ctx: Context) -> list[Exposure]:
    """Exposures of one Ingress, by the controller that serves it."""
    try:
        cls = ingress_class(res, ctx)
    except Unreadable as e:
        return _placeholder(res, ctx, str(e), join=False)
    if cls is None:
        return _placeholder(res, ctx, "the ingress class (spec.ingressClassName: decided by the stack policy)",
                            join=True)
    if cls.controller == "alb":
        return k8s_alb.analyze(res, ctx, cls.resource, cls.note)
    if cls.controller == "gke":
        return k8s_gke.analyze_ingress(res, ctx, cls.gke_class)
    return _placeholder(res, ctx, f"the TLS of ingress class/controller {cls.controller!r} (tlsfence models alb, gce, "
                                  "gce-internal, gce-regional-external; verify it live with tlsfence verify)",
                        join=False)


def analyze_companion(res: Resource, ctx: Context) -> list[Exposure]:
    """IngressClass and IngressClassParams: judged on the Ingresses that use them."""
    return []


ANALYZERS = {
    **{t: analyze_ingress for t in INGRESS_TYPES},
    **{t: analyze_companion for t in (*CLASS_TYPES, *k8s_alb.PARAMS_TYPES)},
}
