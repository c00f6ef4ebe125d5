"""Fail closed on what the analyzers do not cover: the inventory's run-time side.

A token with no analyzer still gets a finding when its service can serve clients: *unclassified* (an SDK newer
than this inventory, or a pending analyzer) and *managed endpoint* are ``unverifiable``, *plaintext* is
``nonconforming``, *pass-through* is ``not-terminated``. *Internal only* and *no client endpoint* get none.
Every such finding is in the ``managed-endpoint`` family, so the pack, ``check`` and gRPC report it through the
same policy as the generic analyzer. Reads data only (never the analyzer registry), so the registry can use it.
"""

from __future__ import annotations

from collections.abc import Callable

from tlsfence.analyzers.base import Context, exposure
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.inventory.data import UNCLASSIFIED, data_class, service_for
from tlsfence.resources import Resource
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

FAMILY = "managed-endpoint"
ALTERNATIVE = ("a conforming front in place of the provider endpoint (a tlsfence component, or CloudFront / a load "
               "balancer with a conforming policy) with the provider URL closed, or an exemption with a reason")
#: Classes that yield a finding at run time.
JUDGED = ("managed-endpoint", "plaintext", "pass-through", UNCLASSIFIED)


def _decision(token: str, cls: str, note: str, why: str) -> Decision:
    detail = f": {note}" if note else ""
    if cls == UNCLASSIFIED:
        return unverifiable(f"the TLS of type token {token} (its service can serve clients ({why}), but tlsfence "
                            "has not classified this type: an SDK newer than tlsfence's inventory?)")
    if cls == "plaintext":
        return fixed(Verdict.NONCONFORMING, f"{token} serves plaintext HTTP{detail}")
    if cls == "pass-through":
        return fixed(Verdict.NOT_TERMINATED, f"TLS passes through {token} to what it fronts, judged there{detail}")
    return unverifiable(f"the TLS of {token} (a provider-managed endpoint whose TLS no setting chooses{detail})")


def analyze_classified(res: Resource, ctx: Context) -> list[Exposure]:
    """The one exposure the inventory gives a resource no analyzer judges."""
    cls = data_class(res.type) or UNCLASSIFIED
    service = service_for(res.type)
    note = service.notes.get(res.type, "") if service is not None else ""
    why = service.why if service is not None else ""
    decision = _decision(res.type, cls, note, why)
    hint = ALTERNATIVE if decision.verdict is not Verdict.NOT_TERMINATED else ""
    return [exposure(res, f"{cls} endpoint" if cls != UNCLASSIFIED else "unclassified resource type", FAMILY,
                     Setting("type", res.type, Origin.EXPLICIT), decision, ctx, tightest=hint)]


def fallback(token: str) -> Callable[[Resource, Context], list[Exposure]] | None:
    """The inventory's analyzer for a token no analyzer judges, or None when it needs no finding."""
    cls = data_class(token)
    return analyze_classified if cls in JUDGED else None
