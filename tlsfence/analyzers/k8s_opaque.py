"""Helm releases, charts, YAML files and kustomizations: manifests the pack may not see, said so rather than passed.

A Helm ``Release`` is one resource whose chart the provider installs itself: nothing it renders reaches the pack,
so it always gets an advisory finding. A ``Chart``, ``ConfigFile``, ``ConfigGroup`` or kustomize ``Directory``
registers what it renders as child resources, which the pack judges like any other; when none of its children
reached the pack (``tlsfence check`` runs without the provider, which renders them), it gets the same advisory.
"""

from __future__ import annotations

from tlsfence.analyzers.base import Context, exposure
from tlsfence.analyzers.k8s_base import fact
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource
from tlsfence.verdicts import Verdict, fixed, unverifiable

FAMILY = "k8s-opaque"
RENDERERS = ("kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml:ConfigFile",
             "kubernetes:yaml:ConfigGroup", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup",
             "kubernetes:kustomize:Directory", "kubernetes:kustomize/v2:Directory")
HINT = ("Ingresses and Services declared as pulumi_kubernetes resources (or the chart rendered with helm.v4.Chart), "
        "or tlsfence verify on the live endpoints")


def _advisory(res: Resource, ctx: Context, why: str) -> list[Exposure]:
    kind = res.type.rsplit(":", 1)[-1]
    return [exposure(res, f"manifests of {kind}", FAMILY, Setting("rendered manifests", None, Origin.UNKNOWN),
                     fixed(Verdict.NOT_TERMINATED, f"{why}; any Ingress or LoadBalancer Service in it is not judged "
                                                   "by the pack"), ctx, tightest=HINT)]


def analyze_release(res: Resource, ctx: Context) -> list[Exposure]:
    """A Helm Release: never visible to the pack."""
    return _advisory(res, ctx, "the pack cannot see into a Helm Release (the provider installs the chart itself; "
                               "what it renders is not a Pulumi resource)")


def analyze_renderer(res: Resource, ctx: Context) -> list[Exposure]:
    """A Chart/ConfigFile/ConfigGroup/Directory: visible through its children, if they reached the pack."""
    if ctx.stack is None:
        return [exposure(res, f"manifests of {res.type.rsplit(':', 1)[-1]}", FAMILY,
                         Setting("rendered manifests", None, Origin.UNKNOWN),
                         unverifiable("whether its rendered resources reached the pack (decided by the stack "
                                      "policy)"), ctx, tightest=HINT, needs_join=True)]
    if any(r.parent == res.urn for r in ctx.stack):
        return []
    return _advisory(res, ctx, "none of the resources it renders reached the pack (they are rendered by the "
                               "Kubernetes provider, which tlsfence check does not run)")


ANALYZERS = {
    **{t: analyze_release for t in fact("pulumi.opaque")},
    **{t: analyze_renderer for t in RENDERERS},
}
