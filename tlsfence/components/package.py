"""The component package: which components other languages get, and its schema, made without the CLI.

``components/__main__.py`` hosts :data:`COMPONENTS` with ``component_provider_host``; the schema the
engine would fetch (``GetSchema``) is ``ComponentProvider(COMPONENTS, "tlsfence", version=...).schema``,
which is what :func:`schema` returns, parsed. Every type lands in the ``index`` module, so class names are
unique across clouds (the GCP global ALB is ``GlobalHttpsLoadBalancer``).
"""

import json
from typing import Any

from tlsfence.components.aws import COMPONENTS as AWS_COMPONENTS
from tlsfence.components.base import PACKAGE
from tlsfence.components.gcp import COMPONENTS as GCP_COMPONENTS

COMPONENTS = [*AWS_COMPONENTS, *GCP_COMPONENTS]


def version() -> str:
    """The package version: the installed tlsfence distribution's, as the schema must carry one."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("tlsfence")
    except PackageNotFoundError:
        return "0.0.0"


def schema(ver: str | None = None) -> dict[str, Any]:
    """The package schema exactly as the provider serves it (``GetSchema``), parsed."""
    from pulumi.provider.experimental.component import ComponentProvider

    provider = ComponentProvider(COMPONENTS, PACKAGE, version=ver or version())
    return json.loads(provider.schema)
