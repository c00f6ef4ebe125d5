"""Props builders shared by the analyzer tests: a resource from a type token and camelCase props."""

import pytest

from tlsfence.analyzers import analyze
from tlsfence.profiles import load_profile
from tlsfence.resources import Resource, Stack

PROFILE = load_profile()


def res(token: str, props: dict, name: str = "r", **kw) -> Resource:
    """A resource as the engine would hand it over (camelCase props)."""
    return Resource(type=token, name=name, urn=f"urn:pulumi:s::p::{token}::{name}", props=props, **kw)


def one(resource: Resource, stack: Stack | None = None):
    """The single exposure of a resource."""
    found = analyze(resource, PROFILE, stack)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def profile():
    return PROFILE
