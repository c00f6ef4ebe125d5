"""Analyzer registry: one analyzer per Pulumi type token, turning properties into exposures.

Each service module exports ``ANALYZERS = {token: function}``; aliases of one type share one function.
The registry refuses a token registered twice, so a token can never be judged two ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from tlsfence.analyzers import (
    aws_apigateway,
    aws_classic_elb,
    aws_cloudfront,
    aws_elbv2,
    aws_elbv2_rules,
    gcp_compute,
    gcp_serverless,
    k8s_gke,
    k8s_ingress,
    k8s_opaque,
    k8s_service,
)
from tlsfence.analyzers.base import Analyzer, Context
from tlsfence.errors import CatalogError
from tlsfence.exposure import Exposure
from tlsfence.profiles import Profile
from tlsfence.resources import Resource, Stack

MODULES = (aws_elbv2, aws_elbv2_rules, aws_classic_elb, aws_apigateway, aws_cloudfront, gcp_compute, gcp_serverless,
           k8s_ingress, k8s_service, k8s_gke, k8s_opaque)


def _build(modules: Iterable[ModuleType]) -> Mapping[str, Analyzer]:
    table: dict[str, Analyzer] = {}
    for module in modules:
        for token, fn in module.ANALYZERS.items():
            if token in table:
                raise CatalogError(f"type token {token!r} registered twice (again in {module.__name__})")
            table[token] = fn
    return MappingProxyType(table)


ANALYZERS: Mapping[str, Analyzer] = _build(MODULES)


def handles(token: str) -> bool:
    """Whether tlsfence has an analyzer for ``token``."""
    return token in ANALYZERS


def analyze(resource: Resource, profile: Profile, stack: Stack | None = None) -> list[Exposure]:
    """Exposures of one resource (empty for types that expose no TLS)."""
    fn = ANALYZERS.get(resource.type)
    return [] if fn is None else fn(resource, Context(profile, stack))


def analyze_stack(stack: Stack, profile: Profile) -> list[Exposure]:
    """Exposures of every resource of a stack, with joins."""
    ctx = Context(profile, stack)
    return [e for r in stack for e in (ANALYZERS[r.type](r, ctx) if r.type in ANALYZERS else [])]


__all__ = ["ANALYZERS", "Context", "analyze", "analyze_stack", "handles"]
