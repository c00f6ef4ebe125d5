"""The inventory data: which services of each SDK can serve clients, and the class of each of their tokens.

One JSON file per SDK under ``tlsfence/catalogs/inventory/``; files are discovered, so adding an SDK (say
``pulumi_kubernetes``) adds a file and no code. A token's service is the first segment of its module
(``aws:lb/listener:Listener`` → ``lb``, ``aws-native:lambda:Url`` → ``lambda``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tlsfence.errors import CatalogError

#: Classes a token can be given in the data (``analyzed`` is derived from the analyzer registry instead).
CLASSES: tuple[str, ...] = ("managed-endpoint", "plaintext", "pass-through", "internal-only", "no-endpoint")
ANALYZED = "analyzed"
UNCLASSIFIED = "unclassified"
OUTSIDE = "outside-inventory"

INVENTORY_PACKAGE = "tlsfence.catalogs.inventory"


@dataclass(frozen=True)
class Service:
    """One exposure-capable service of an SDK.

    Attributes:
        name: the module's first segment (``lambda``, ``compute``).
        why: how it can serve clients, one line.
        source: where that is documented.
        classes: token → class for the tokens no analyzer judges.
        notes: token → why it has that class (optional).
        custom_resources: True for a custom-resource API group (Kubernetes CRDs): its tokens come from
            ``apiextensions.CustomResource``, not from the SDK's registration, so they are listed, not read.
    """

    name: str
    why: str
    source: str
    classes: Mapping[str, str]
    notes: Mapping[str, str]
    custom_resources: bool = False


@dataclass(frozen=True)
class SdkInventory:
    """The inventory of one SDK.

    Attributes:
        sdk: import name (``pulumi_aws``).
        package: the token prefix (``aws``).
        title: for humans.
        services: name → exposure-capable service.
        source: the data file.
    """

    sdk: str
    package: str
    title: str
    services: Mapping[str, Service]
    source: str


def service_of(token: str) -> tuple[str, str]:
    """(package, service) of a type token; ``("", "")`` when the token is not ``pkg:module:Name``."""
    parts = token.split(":")
    if len(parts) != 3:
        return "", ""
    return parts[0], parts[1].split("/")[0]


def _load(name: str, raw: Mapping) -> SdkInventory:
    services: dict[str, Service] = {}
    for svc, body in raw["services"].items():
        classes: dict[str, str] = {}
        for cls, tokens in body.get("classes", {}).items():
            if cls not in CLASSES:
                raise CatalogError(f"inventory {name}: service {svc}: unknown class {cls!r} (one of {CLASSES})")
            for token in tokens:
                if token in classes:
                    raise CatalogError(f"inventory {name}: {token} classified twice")
                classes[token] = cls
        services[svc] = Service(svc, body["why"], body["source"], classes, dict(body.get("notes", {})),
                                bool(body.get("custom_resources", False)))
    return SdkInventory(raw["sdk"], raw["package"], raw["title"], services, name)


@cache
def inventories() -> tuple[SdkInventory, ...]:
    """Every SDK inventory file, loaded once, in file-name order."""
    files = sorted((f for f in resources.files(INVENTORY_PACKAGE).iterdir() if f.name.endswith(".json")),
                   key=lambda f: f.name)
    out = []
    for f in files:
        try:
            out.append(_load(f.name, json.loads(f.read_text())))
        except (ValueError, KeyError) as e:
            raise CatalogError(f"inventory {f.name} does not load: {e}") from e
    return tuple(out)


@cache
def by_package() -> Mapping[str, SdkInventory]:
    """Inventories by token prefix."""
    return {inv.package: inv for inv in inventories()}


def service_for(token: str) -> Service | None:
    """The exposure-capable service a token belongs to, or None."""
    pkg, svc = service_of(token)
    inv = by_package().get(pkg)
    return None if inv is None else inv.services.get(svc)


def data_class(token: str) -> str | None:
    """The class the data gives a token of an exposure-capable service, ``unclassified``, or None (other service)."""
    service = service_for(token)
    if service is None:
        return None
    return service.classes.get(token, UNCLASSIFIED)
