"""Analyzer registry: one analyzer per Pulumi type token, turning properties into exposures.

Each service module exports ``ANALYZERS = {token: function}``; aliases of one type share one function.
The registry refuses a token registered twice, so a token can never be judged two ways. A token without an
analyzer falls back to the coverage inventory (:mod:`tlsfence.inventory.fallback`): when its service can serve
clients, it still gets a finding (fail closed), and :func:`handles` says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from tlsfence.analyzers import (
    aws_apigateway,
    aws_apigateway_mapping,
    aws_beanstalk,
    aws_classic_elb,
    aws_cloudfront,
    aws_elbv2,
    aws_elbv2_rules,
    gcp_compute,
    gcp_serverless,
    k8s_collections,
    k8s_gke,
    k8s_ingress,
    k8s_opaque,
    k8s_service,
    managed,
)
from tlsfence.analyzers.base import Analyzer, Context
from tlsfence.errors import CatalogError
from tlsfence.exposure import Exposure
from tlsfence.inventory.fallback import fallback
from tlsfence.profiles import Profile
from tlsfence.resources import Resource, Stack

MODULES = (aws_elbv2, aws_elbv2_rules, aws_classic_elb, aws_apigateway, aws_apigateway_mapping, aws_beanstalk,
           aws_cloudfront, gcp_compute, gcp_serverless, k8s_ingress, k8s_service, k8s_gke, k8s_opaque, k8s_collections,
           managed)


def _build(modules: Iterable[ModuleType]) -> Mapping[str, Analyzer]:
    table: dict[str, Analyzer] = {}
    for module in modules:
        for token, fn in module.ANALYZERS.items():
            if token in table:
                raise CatalogError(f"type token {token!r} registered twice (again in {module.__name__})")
            table[token] = fn
    return MappingProxyType(table)


ANALYZERS: Mapping[str, Analyzer] = _build(MODULES)


def analyzer_for(token: str) -> Analyzer | None:
    """The registered analyzer of ``token``, else the inventory's fallback, else None (nothing to judge)."""
    fn = ANALYZERS.get(token)
    return fn if fn is not None else fallback(token)


def handles(token: str) -> bool:
    """Whether tlsfence judges ``token`` (an analyzer, or the inventory's fail-closed fallback)."""
    return analyzer_for(token) is not None


def analyze(resource: Resource, profile: Profile, stack: Stack | None = None) -> list[Exposure]:
    """Exposures of one resource (empty for types that expose no TLS)."""
    fn = analyzer_for(resource.type)
    return [] if fn is None else fn(resource, Context(profile, stack))


def analyze_stack(stack: Stack, profile: Profile) -> list[Exposure]:
    """Exposures of every resource of a stack, with joins."""
    ctx = Context(profile, stack)
    return [e for r in stack for fn in (analyzer_for(r.type),) if fn is not None for e in fn(r, ctx)]


__all__ = ["ANALYZERS", "Context", "analyze", "analyze_stack", "analyzer_for", "handles"]
