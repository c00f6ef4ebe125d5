"""What is exposed: one listener, proxy, domain or endpoint, with the setting that decides its TLS."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tlsfence.verdicts import Decision, level_for


class Origin(StrEnum):
    """Where a setting's value came from (an absent setting resolves to the provider default, never to "")."""

    EXPLICIT = "explicit"
    DEFAULT = "default"
    UNKNOWN = "unknown"
    JOINED = "joined"


@dataclass(frozen=True)
class Setting:
    """The value that decides an exposure's TLS.

    Attributes:
        prop: property path, e.g. ``sslPolicy`` or ``viewerCertificate.minimumProtocolVersion``.
        value: the value (a policy name, a GCP profile/min-version string), or None when unknown.
        origin: explicit, catalog default, unknown, or joined from another resource.
        via: for joined values, the resource the value came from.
    """

    prop: str
    value: str | None
    origin: Origin
    via: str | None = None

    def describe(self) -> str:
        """``sslPolicy=X`` with a note on defaults and joins."""
        if self.origin is Origin.UNKNOWN:
            return f"{self.prop}=<unknown>"
        note = {Origin.DEFAULT: " (provider default)", Origin.JOINED: f" (via {self.via})"}.get(self.origin, "")
        return f"{self.prop}={self.value}{note}"


@dataclass(frozen=True)
class Exposure:
    """One exposure and its decision.

    Attributes:
        urn: resource URN (or audit id).
        type: resource type token.
        name: resource name.
        exposure: what is listening, for humans (``HTTPS listener :443``).
        family: exposure family, which selects the pack policy (``elbv2-listener``, ``gcp-proxy`` ...).
        setting: the deciding setting.
        decision: the verdict and its reasons.
        tightest: the tightest conforming setting to use instead (empty when already conforming).
        needs_join: True when only a stack-level join can decide (the resource policy leaves it to the stack
            policy, which fails closed if the join does not resolve).
        internet_facing: True/False when known, None when unknown.
        joins_facing: True when a stack join can tell whether it is internet-facing (an ELBv2 listener's load
            balancer): under ``internet-facing-only`` the resource policy leaves it to the stack policy.
        extra: front-end facts to echo (``arn``, ``region``, ``drift``).
    """

    urn: str
    type: str
    name: str
    exposure: str
    family: str
    setting: Setting
    decision: Decision
    tightest: str = ""
    needs_join: bool = False
    internet_facing: bool | None = None
    joins_facing: bool = False
    extra: tuple[tuple[str, Any], ...] = ()

    def level(self, *, strict: bool = False) -> str:
        """Enforcement level of this exposure's verdict."""
        return level_for(self.decision.verdict, strict=strict)

    def message(self) -> str:
        """One sentence: what, which setting, the verdict and why, and what to use instead."""
        text = (f"{self.exposure} of {self.type} '{self.name}': {self.setting.describe()} is "
                f"{self.decision.verdict.value} ({'; '.join(self.decision.reasons) or 'no detail'})")
        if self.tightest and self.decision.verdict.value != "conforming":
            if self.tightest == self.setting.value:
                text += "; this is already the tightest setting the provider offers"
            else:
                text += f"; use {self.tightest} instead"
        return text

    def to_dict(self, *, strict: bool = False) -> dict[str, Any]:
        """JSON-ready form used by ``check``, ``audit`` and the pack's own records."""
        out = {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "exposure": self.exposure,
            "family": self.family,
            "setting": self.setting.describe(),
            "setting_value": self.setting.value,
            "setting_origin": self.setting.origin.value,
            "verdict": self.decision.verdict.value,
            "excess": list(self.decision.excess),
            "protocols": list(self.decision.protocols),
            "suites": list(self.decision.suites),
            "unknown": list(self.decision.unknown),
            "level": self.level(strict=strict),
            "message": self.message(),
            "tightest": self.tightest,
            "internet_facing": self.internet_facing,
        }
        out.update(dict(self.extra))
        return out
