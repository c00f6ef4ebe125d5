"""Join the installed SDKs, the inventory data and the analyzer registry: each token's class and verdict source.

*Analyzed* comes from the registry only (family and analyzer are read from it, never written in the data), so a
token can be written twice nowhere. Used by the inventory tests and the ``docs/coverage.md`` generator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tlsfence.analyzers import ANALYZERS, analyzer_for
from tlsfence.analyzers import managed as managed_rows
from tlsfence.analyzers.base import Context
from tlsfence.inventory.data import ANALYZED, OUTSIDE, UNCLASSIFIED, SdkInventory, data_class, service_of
from tlsfence.inventory.fallback import fallback
from tlsfence.inventory.sdk import SdkTokens
from tlsfence.profiles import load_profile
from tlsfence.resources import Resource


@dataclass(frozen=True)
class Classified:
    """One token of an exposure-capable service.

    Attributes:
        token: the type token.
        service: its service.
        cls: ``analyzed``, a data class, ``unclassified``, or ``outside-inventory`` (a
            service the inventory does not list as exposure-capable).
        source: what decides at run time (``analyzer module.function``, ``table row ...``, ``inventory``).
        families: the pack families its findings go to (empty when it yields none).
        note: the data's note, if any.
    """

    token: str
    service: str
    cls: str
    source: str
    families: tuple[str, ...]
    note: str = ""


def _families(token: str) -> tuple[str, ...]:
    """The families an analyzer yields for the token with no properties set (its 'setting omitted' case)."""
    fn = analyzer_for(token)
    if fn is None:
        return ()
    if fn is managed_rows.analyze_row:
        return (managed_rows.FAMILY,)  # every row reports to one family, whether or not this case exposes anything
    res = Resource(type=token, name="inventory", urn=f"urn:pulumi:inventory::inventory::{token}::inventory", props={})
    try:
        found = fn(res, Context(load_profile()))
    except Exception:  # an analyzer that needs properties to say anything: its family is unknown here
        return ("?",)
    return tuple(sorted({e.family for e in found}))


def _source(token: str) -> str:
    fn = ANALYZERS[token]
    if fn is managed_rows.analyze_row:
        return f"table row `{managed_rows.rows()[token].key}` (tlsfence.analyzers.managed)"
    return f"{fn.__module__}.{fn.__name__}"


@cache
def classify(token: str) -> Classified:
    """The class and verdict source of one token (any token; ``service`` is empty outside the inventory)."""
    from tlsfence.inventory.data import service_for

    service = service_for(token)
    note = service.notes.get(token, "") if service is not None else ""
    svc = service_of(token)[1]
    if token in ANALYZERS:
        row = managed_rows.rows().get(token)
        return Classified(token, svc, ANALYZED, _source(token), _families(token), note or (row.note if row else ""))
    cls = data_class(token) or OUTSIDE
    if fallback(token) is None:
        source = "none (no finding)"
    else:
        source = "inventory (tlsfence.inventory.fallback)"
    return Classified(token, svc, cls, source, _families(token), note)


def sdk_classified(inv: SdkInventory, sdk: SdkTokens) -> list[Classified]:
    """Every token of the SDK that belongs to one of the inventory's services, sorted."""
    mine = {t for t in sdk.tokens if service_of(t)[0] == inv.package and service_of(t)[1] in inv.services}
    for svc in (s for s in inv.services.values() if s.custom_resources):  # CRD groups: listed and analyzed tokens
        mine |= set(svc.classes) | {t for t in ANALYZERS if service_of(t) == (inv.package, svc.name)}
    return [classify(t) for t in sorted(mine)]


def unclassified(items: Iterable[Classified]) -> list[str]:
    """Tokens that need a decision."""
    return [c.token for c in items if c.cls == UNCLASSIFIED]
