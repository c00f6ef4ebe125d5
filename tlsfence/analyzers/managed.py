"""The generic analyzer: managed endpoints and simple settings, judged from rows of data (STYLE 13).

Dozens of resource types differ only in which property decides their TLS (a protocol enum, an on/off flag, a
policy name) and which catalog entry applies. Each is a row of ``tlsfence/catalogs/managed_table.json``: the
tokens it covers, the steps that decide (``gate`` on an enum, ``flag`` on a boolean, ``present`` on whether a
block is set, ``setting`` naming a catalog entry, ``managed`` for a provider-owned endpoint) and the conforming
alternative. One function judges every row, and the inventory (``tlsfence.inventory``) counts these tokens as
*analyzed* from the same registry, so coverage cannot drift from behaviour.

Fail closed throughout: an unknown value, an enum value not in the row (``"HTTPS "`` included), a flag that is
not a real boolean, or an omitted setting without a documented default is ``unverifiable`` naming the property.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from tlsfence.analyzers.base import Context, exposure
from tlsfence.catalog import platform, tightest
from tlsfence.errors import CatalogError
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

TABLE_FILE = "managed_table.json"
FAMILY = "managed-endpoint"
MANAGED_PLATFORM = "managed-endpoint"
OUTCOMES = ("tls", "plaintext", "pass-through", "closed", "redirect", "none")
_MISSING = object()


@dataclass(frozen=True)
class Step:
    """One deciding step of a row.

    Attributes:
        kind: ``gate`` (enum), ``flag`` (boolean), ``present`` (a block set or not), ``joined`` (a flag on other
            resources that name this one, decided by the stack policy), ``setting`` (catalog entry name) or
            ``managed``.
        prop: logical property name (dotted path unless the token maps it elsewhere).
        default: the documented value when the property is omitted (None: no documented default).
        cases: for gates, value → outcome; for flags and presence, ``"true"``/``"false"`` → outcome; for joins
            also ``"absent"`` (no such resource names this one).
        platform: catalog platform of a ``setting`` step.
        entry: catalog entry of a ``managed`` step.
        source: where the property's meaning is documented.
    """

    kind: str
    prop: str = ""
    default: Any = None
    cases: Mapping[str, str] | None = None
    platform: str = ""
    entry: str = ""
    source: str = ""


@dataclass(frozen=True)
class Row:
    """One token's row: the family it belongs to, what it exposes and how each exposure is decided.

    Attributes:
        token: the type token.
        key: the row family's key in the table (``lambda-url`` ...).
        what: the exposure's name for humans.
        alternative: the conforming alternative to name when the verdict is not conforming.
        exposures: (what, steps) per exposure the resource has.
        paths: logical property → actual dotted path for this token (``""``: the resource itself is the block).
        defaults: logical property → default overriding the step's for this token.
        note: what the row leaves out for this token, if anything (shown in docs/coverage.md).
        joins: logical join name → ``{"type", "ref", "flag", "default", "keys"}``: resources of ``type`` whose
            ``ref`` names this one (by dependency, else by value against this one's ``keys`` properties), and the
            boolean ``flag`` on them that decides (``default`` when omitted).
    """

    token: str
    key: str
    what: str
    alternative: str
    exposures: tuple[tuple[str, tuple[Step, ...]], ...]
    paths: Mapping[str, str]
    defaults: Mapping[str, Any]
    note: str = ""
    joins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def _step(raw: Mapping[str, Any]) -> Step:
    for kind in ("gate", "flag", "present", "joined", "setting", "managed"):
        if kind in raw:
            break
    else:
        raise CatalogError(f"{TABLE_FILE}: step without gate/flag/present/setting/managed: {raw}")
    if kind == "managed":
        return Step("managed", entry=raw["managed"])
    cases: dict[str, str] | None = None
    if kind == "gate":
        cases = dict(raw["cases"])
    elif kind in ("flag", "present"):
        cases = {"true": raw["true"], "false": raw["false"]}
    elif kind == "joined":
        cases = {"true": raw["true"], "false": raw["false"], "absent": raw["absent"]}
    bad = [o for o in (cases or {}).values() if o not in OUTCOMES]
    if bad:
        raise CatalogError(f"{TABLE_FILE}: unknown outcome(s) {bad} in {raw}")
    return Step(kind, prop=raw[kind], default=raw.get("default"), cases=cases, platform=raw.get("platform", ""),
                source=raw.get("source", ""))


@cache
def table() -> Mapping[str, Any]:
    """The raw table, loaded once."""
    return json.loads(resources.files("tlsfence.catalogs").joinpath(TABLE_FILE).read_text())


@cache
def rows() -> Mapping[str, Row]:
    """Every row by token (a token in two families is a data error)."""
    raw = table()
    out: dict[str, Row] = {}
    for key, fam in raw["families"].items():
        alternative = raw["alternatives"][fam["alternative"]]
        exposures = tuple((e.get("what", fam["what"]), tuple(_step(s) for s in e["steps"])) for e in fam["exposures"])
        for token, over in fam["tokens"].items():
            if token in out:
                raise CatalogError(f"{TABLE_FILE}: {token} in families {out[token].key} and {key}")
            out[token] = Row(token, key, fam["what"], alternative, exposures, dict(over.get("paths", {})),
                             dict(over.get("default", {})), str(over.get("note", "")), dict(over.get("joins", {})))
    return out


def _read(res: Resource, row: Row, step: Step) -> tuple[str, Any, Origin]:
    """The step's property path, value and origin (the token's default, else the step's, when omitted)."""
    path = row.paths.get(step.prop, step.prop)
    if path == "":  # the resource is the block itself (an S3 BucketWebsiteConfiguration is the website)
        return "(the resource itself)", True, Origin.EXPLICIT
    value = res.get(*path.split("."), default=_MISSING)
    if is_unknown(value):
        return path, None, Origin.UNKNOWN
    if value is _MISSING:
        return path, row.defaults.get(step.prop, step.default), Origin.DEFAULT
    return path, value, Origin.EXPLICIT


def _outcome(res: Resource, row: Row, step: Step) -> tuple[str | Decision, Setting]:
    """A gate's or flag's outcome, or the unverifiable decision when its value is not understood."""
    path, value, origin = _read(res, row, step)
    shown = None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    setting = Setting(path, shown, origin)
    if origin is Origin.UNKNOWN:
        return unverifiable(f"{path} (unknown until the resource is deployed)"), setting
    assert step.cases is not None
    if step.kind == "present":
        present = origin is Origin.EXPLICIT
        return step.cases["true" if present else "false"], Setting(path, "set" if present else "absent", origin)
    if value is None:
        return unverifiable(f"{path} (omitted, and the provider documents no default)"), Setting(path, None,
                                                                                                  Origin.UNKNOWN)
    if step.kind == "flag":
        if not isinstance(value, bool):
            return unverifiable(f"{path}={value!r} (a {type(value).__name__}, not a boolean)"), setting
        return step.cases["true" if value else "false"], setting
    if not isinstance(value, str):
        return unverifiable(f"{path}={value!r} (a {type(value).__name__}, not one of {', '.join(step.cases)})"), setting
    if value not in step.cases:
        return unverifiable(f"{path}={value!r} (not one of {', '.join(step.cases)})"), setting
    return step.cases[value], setting


def _joined(res: Resource, ctx: Context, row: Row, step: Step) -> tuple[str | Decision, Setting]:
    """The outcome of a flag set on the stack's resources that name ``res`` (any true wins; none is ``absent``)."""
    assert ctx.stack is not None and step.cases is not None
    join = row.joins[step.prop]
    found = [r for r in ctx.stack.of_type(join["type"])
             if res in ctx.stack.resolve(r, join["ref"], (res.type,), keys=tuple(join.get("keys", ("name", "id"))))]
    prop = f"{join['type'].rsplit(':', 1)[-1]}.{join['flag']}"
    if not found:
        return step.cases["absent"], Setting(prop, "absent", Origin.JOINED, via="the stack")
    values = [r.get(*join["flag"].split("."), default=join.get("default")) for r in found]
    for r, v in zip(found, values, strict=True):
        if not isinstance(v, bool):
            what = "unknown until deployed" if is_unknown(v) else "omitted, no default" if v is None else \
                f"{v!r} is not a boolean"
            return unverifiable(f"{prop} of {r.name} ({what})"), Setting(prop, None, Origin.UNKNOWN, via=r.name)
    on = [r for r, v in zip(found, values, strict=True) if v]
    via = (on or found)[0].name
    return step.cases["true" if on else "false"], Setting(prop, str(bool(on)).lower(), Origin.JOINED, via=via)


def _conforming_case(step: Step, now: str) -> str:
    assert step.cases is not None
    for want in ("closed", "redirect", "tls"):
        for value, outcome in step.cases.items():
            if outcome == want and value != now:
                return value
    return ""


def _fixed(outcome: str, setting: Setting) -> Decision:
    text = setting.describe()
    return {
        "plaintext": fixed(Verdict.NONCONFORMING, f"{text}: the endpoint serves plaintext HTTP"),
        "pass-through": fixed(Verdict.NOT_TERMINATED, f"{text}: TLS passes through to the backend, judged there"),
        "closed": fixed(Verdict.CONFORMING, f"{text}: clients cannot reach the provider URL"),
        "redirect": fixed(Verdict.CONFORMING, f"{text}: HTTP only redirects to HTTPS"),
    }[outcome]


def _judge(res: Resource, ctx: Context, row: Row, what: str, steps: tuple[Step, ...]) -> Exposure | None:
    setting = Setting("", None, Origin.DEFAULT)
    for step in steps:
        if step.kind in ("gate", "flag", "present", "joined"):
            if step.kind == "joined" and ctx.stack is None:
                join = row.joins[step.prop]
                prop = f"{join['type'].rsplit(':', 1)[-1]}.{join['flag']}"
                return exposure(res, what, FAMILY, Setting(prop, None, Origin.UNKNOWN),
                                unverifiable(f"{prop} (set on other resources: decided with the stack)"), ctx,
                                tightest=row.alternative, needs_join=True)
            result, setting = (_joined(res, ctx, row, step) if step.kind == "joined" else _outcome(res, row, step))
            if isinstance(result, Decision):
                return exposure(res, what, FAMILY, setting, result, ctx, tightest=row.alternative)
            if result == "none":
                return None
            if result == "tls":
                continue
            better = _conforming_case(step, setting.value or "") if result == "plaintext" else ""
            hint = f"{setting.prop}={better}" if better else row.alternative if result == "plaintext" else ""
            return exposure(res, what, FAMILY, setting, _fixed(result, setting), ctx, tightest=hint)
        if step.kind == "setting":
            path, value, origin = _read(res, row, step)
            if origin is Origin.DEFAULT:
                value = platform(step.platform).default
            setting = Setting(path, None if value is None else str(value), Origin.UNKNOWN if value is None else origin)
            if origin is Origin.UNKNOWN:
                decision = unverifiable(f"{path} (unknown until the resource is deployed)")
            elif value is None:
                decision = unverifiable(f"{path} (omitted, and the provider documents no default)")
            elif not isinstance(value, str):
                decision = unverifiable(f"{path}={value!r} (a {type(value).__name__}, not a policy name)")
            else:
                decision = platform(step.platform).decide(value, ctx.profile)
            hint = tightest(step.platform, ctx.profile) or row.alternative
            return exposure(res, what, FAMILY, setting, decision, ctx, tightest=hint)
        entry = platform(MANAGED_PLATFORM).get(step.entry)
        setting = Setting("tls", f"provider-managed ({step.entry})", Origin.DEFAULT)
        decision = (unverifiable(f"the TLS of the {what} ({entry.note})") if entry is not None and entry.uncertain
                    else platform(MANAGED_PLATFORM).decide(step.entry, ctx.profile))
        return exposure(res, what, FAMILY, setting, decision, ctx, tightest=row.alternative)
    return exposure(res, what, FAMILY, setting, unverifiable(f"the TLS of the {what} (its row decides nothing)"), ctx,
                    tightest=row.alternative)


def analyze_row(res: Resource, ctx: Context) -> list[Exposure]:
    """Every exposure of a resource whose token has a row."""
    row = rows()[res.type]
    found = (_judge(res, ctx, row, what, steps) for what, steps in row.exposures)
    return [e for e in found if e is not None]


ANALYZERS = {token: analyze_row for token in rows()}
