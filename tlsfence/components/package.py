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

#: The package namespace: TypeScript gets ``@tlsfence/tlsfence``, Go ``github.com/tlsfence/...`` (without one,
#: ``pulumi package gen-sdk`` names the nodejs package ``@pulumi/tlsfence``, pkg/codegen/nodejs/gen.go).
NAMESPACE = "tlsfence"


def _lineage(typ: type) -> list[type]:
    """``typ`` and its base classes, nearest first. A TypedDict keeps no record of its bases (its ``__mro__``
    is ``(cls, dict, object)``), so for args types the bases are the components' other ``*Args`` types whose
    keys are a subset of ``typ``'s: the TypedDicts it extends."""
    out = [k for k in getattr(typ, "__mro__", (typ,)) if k not in (object, dict)]
    keys = set(getattr(typ, "__annotations__", {}))
    if keys and issubclass(typ, dict):
        import inspect

        from tlsfence.components import aws, gcp

        for module in (*vars(aws).values(), *vars(gcp).values()):
            if not inspect.ismodule(module):
                continue
            for klass in vars(module).values():
                if (isinstance(klass, type) and issubclass(klass, dict) and klass not in out
                        and klass.__name__.endswith("Args") and set(getattr(klass, "__annotations__", {})) <= keys):
                    out.append(klass)
    return out


def _describe_from_the_mro() -> None:
    """Let the schema analyzer find attribute docstrings on base classes too.

    ``pulumi.provider.experimental``'s analyzer reads an attribute's docstring from the source of the class
    being analyzed only, so the outputs every component inherits from ``FrontDoor`` and the inputs shared
    through ``TlsPolicyArgs``/``GlobalFrontendArgs`` came out without descriptions. The subclass walks the
    MRO; ``ComponentProvider`` builds its analyzer from the module-level name, which is pointed at it.
    """
    from pulumi.provider.experimental import component
    from pulumi.provider.experimental.analyzer import Analyzer

    if getattr(component.Analyzer, "_tlsfence_mro", False):
        return

    class MroAnalyzer(Analyzer):
        _tlsfence_mro = True

        def get_docstring(self, typ: type, name: str) -> str | None:
            for klass in _lineage(typ):
                doc = super().get_docstring(klass, name)
                if doc:
                    return doc
            return None

    component.Analyzer = MroAnalyzer


def version() -> str:
    """The package version: the installed tlsfence distribution's, as the schema must carry one."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("tlsfence")
    except PackageNotFoundError:
        return "0.0.0"


def _camel(argument: str) -> str:
    head, *rest = argument.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def provider_class() -> type:
    """pulumi's ComponentProvider, with refusals turned into the engine's invalid-input errors.

    The upstream provider wraps whatever a component's constructor raises in ``ComponentInitError``, which
    reaches TypeScript/Go users as ``Unexpected <class 'Exception'>`` and a Python traceback. A
    :class:`ComponentConfigError` is the user's input, not a bug: it becomes ``InputPropertyError`` at the
    input that caused it (``InputPropertiesError`` when no one input did), which the provider server answers
    with an ``InvalidArgument`` status carrying the message, as for a missing required input.
    """
    from pulumi.errors import InputPropertiesError, InputPropertyError
    from pulumi.provider.experimental.component import ComponentProvider
    from pulumi.provider.server import ComponentInitError

    from tlsfence.components.base import ComponentConfigError

    class RefusingProvider(ComponentProvider):
        def construct(self, name: str, resource_type: str, inputs: Any, options: Any = None) -> Any:
            try:
                return super().construct(name, resource_type, inputs, options)
            except ComponentInitError as e:
                inner = e.inner
                if not isinstance(inner, ComponentConfigError):
                    raise
                if inner.argument:
                    raise InputPropertyError(_camel(inner.argument), str(inner)) from None
                raise InputPropertiesError(str(inner), []) from None

    return RefusingProvider


def host() -> None:
    """Serve the package for ``pulumi package add`` (what ``components/__main__.py`` runs).

    This is ``pulumi.provider.experimental.component_provider_host`` with :func:`provider_class`'s provider.
    """
    import sys

    from pulumi.provider import main
    from pulumi.provider.experimental import host as upstream

    if upstream.is_hosting:  # the schema analyzer loads this file again: do not recurse (as upstream guards)
        return
    upstream.is_hosting = True
    _describe_from_the_mro()
    components = upstream._validate_explicit_components(COMPONENTS)
    main(provider_class()(components, PACKAGE, NAMESPACE, version()), sys.argv[1:])


def schema(ver: str | None = None) -> dict[str, Any]:
    """The package schema exactly as the provider serves it (``GetSchema``), parsed."""
    from pulumi.provider.experimental.component import ComponentProvider

    _describe_from_the_mro()
    provider = ComponentProvider(COMPONENTS, PACKAGE, namespace=NAMESPACE, version=ver or version())
    return json.loads(provider.schema)
