"""Shared pieces of the analyzers: the context they run in and the one way to decide a named setting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tlsfence.catalog import platform, tightest
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.profiles import Profile
from tlsfence.resources import Resource, Stack, is_unknown
from tlsfence.verdicts import Decision, unverifiable


@dataclass(frozen=True)
class Context:
    """What an analyzer may consult besides the resource.

    Attributes:
        profile: the requirement profile.
        stack: the whole stack when joins are possible (stack policy, ``check``, ``audit``); None for a
            resource policy, which sees one resource only.
    """

    profile: Profile
    stack: Stack | None = None


Analyzer = Callable[[Resource, Context], list[Exposure]]


def setting_of(res: Resource, path: tuple[str | int, ...], default: Any) -> Setting:
    """Read a deciding property: explicit value, catalog default when absent, or unknown."""
    prop = ".".join(str(p) for p in path).replace(".0.", "[0].")
    value = res.get(*path)
    if is_unknown(value):
        return Setting(prop, None, Origin.UNKNOWN)
    if value is None or value == "":
        return Setting(prop, None if default is None else str(default), Origin.DEFAULT)
    return Setting(prop, str(value), Origin.EXPLICIT)


def decide_named(platform_key: str, setting: Setting, ctx: Context,
                 key_types: frozenset[str] | None = None) -> Decision:
    """Decide a setting that names a catalog entry (unknown → unverifiable naming the property)."""
    if setting.origin is Origin.UNKNOWN or setting.value is None:
        return unverifiable(f"{setting.prop} (unknown until the resource is deployed)")
    return platform(platform_key).decide(setting.value, ctx.profile, key_types)


def exposure(res: Resource, what: str, family: str, setting: Setting, decision: Decision, ctx: Context,
             platform_key: str | None = None, **kw: Any) -> Exposure:
    """Build an :class:`Exposure`, filling the remediation from the platform's tightest setting."""
    hint = kw.pop("tightest", None)
    if hint is None and platform_key is not None:
        hint = tightest(platform_key, ctx.profile)
    return Exposure(urn=res.urn, type=res.type, name=res.name, exposure=what, family=family, setting=setting,
                    decision=decision, tightest=hint or "", **kw)


def flag(value: Any) -> bool | None:
    """A boolean property as True/False, or None when unknown (strings "true"/"false" accepted)."""
    if is_unknown(value):
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)
