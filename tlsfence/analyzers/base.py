"""Shared pieces of the analyzers: the context they run in and the one way to decide a named setting."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
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
    """A boolean property as True/False; None when it is unknown or not a boolean.

    Only real booleans and the strings ``"true"``/``"false"`` (any case, as the Terraform-bridged providers
    accept them) are understood. A list (``[false]``), a number, ``"yes"`` or a padded string is *not* a
    boolean: callers must treat None as "not understood" and fail closed, naming it with :func:`flag_problem`.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def shown(value: Any) -> str:
    """A property value as a message shows it: strings quoted (a trailing space stays visible), others as JSON."""
    if is_unknown(value):
        return "<unknown>"
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def flag_problem(prop: str, value: Any) -> str:
    """Why a boolean property could not be read, for :func:`~tlsfence.verdicts.unverifiable`."""
    if is_unknown(value):
        return f"{prop} (unknown until deployed)"
    return f"{prop}={shown(value)} (not a boolean)"


def choice(value: Any, allowed: Iterable[str], *, fold_case: bool = False) -> str | None:
    """The canonical spelling of an enum-like value, or None when it is not one of ``allowed``.

    Matching is exact unless ``fold_case`` (only where the provider itself folds case, e.g. the
    Terraform-bridged ELBv2 listener protocol). Whitespace is never stripped: ``"HTTPS "`` is not HTTPS.
    """
    if not isinstance(value, str):
        return None
    options = tuple(allowed)
    if value in options:
        return value
    if fold_case:
        for option in options:
            if option.casefold() == value.casefold():
                return option
    return None


def choice_problem(prop: str, value: Any, allowed: Iterable[str]) -> str:
    """Why an enum-like property was not understood (unknown, or not one of ``allowed``)."""
    if is_unknown(value):
        return f"{prop} (unknown until deployed)"
    return f"{prop}={shown(value)} (not one of {', '.join(allowed)})"
