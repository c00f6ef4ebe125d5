"""The pack's rules: thin adapters from pulumi-policy arguments to :func:`tlsfence.analyzers.analyze`.

pulumi-policy gives each policy exactly one enforcement level, and a verdict maps to a level only once the
config (``strict``) is read. So every exposure family has two resource policies: ``tlsfence-<family>``
(MANDATORY) reports the exposures whose level is mandatory, ``tlsfence-<family>-advisory`` (ADVISORY) those
whose level is advisory (excess unless strict, not-terminated, exempted). Each exposure is reported once, by
exactly one of the two. The same pair exists for the stack policy, which decides what a single resource
cannot (``Exposure.needs_join``, see :func:`deferred`): a GCP proxy's SSL policy or URL map, a classic ELB
listener's attached policies, an ELBv2 listener's load balancer and certificates, a listener rule's listener,
joined through property dependencies and failing closed when the join does not resolve.

Which family a resource belongs to is whatever its analyzer says (``Exposure.family``): there is no token
table here. This module builds policy *objects* only; ``policies/__main__.py`` constructs the pack.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from tlsfence.analyzers import analyze, handles
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.policy.config import SCHEMA, Exemption, PolicyConfigError, Settings, settings_from
from tlsfence.policy.convert import resource_from_args, stack_from_args
from tlsfence.policy.metadata import FAMILIES, STACK, RuleInfo
from tlsfence.profiles import Profile
from tlsfence.resources import Resource, Stack
from tlsfence.verdicts import unverifiable

PACK_NAME = "tlsfence"
MANDATORY, ADVISORY, NONE = "mandatory", "advisory", "none"
_ENFORCEMENT = {MANDATORY: EnforcementLevel.MANDATORY, ADVISORY: EnforcementLevel.ADVISORY}


@dataclass(frozen=True)
class Finding:
    """An exposure as the pack reports it.

    Attributes:
        exposure: the analyzer's exposure.
        level: ``mandatory``, ``advisory`` or ``none`` after strict, exemptions and internet-facing-only.
        exemption: the waiver that covers it, if any (its reason is echoed).
        note: why the level differs from the verdict's (exempted, internal).
        failure: the guard's message when evaluating the resource raised (:func:`failure_finding`).
    """

    exposure: Exposure
    level: str
    exemption: Exemption | None = None
    note: str = ""
    failure: str = ""

    def message(self) -> str:
        """The diagnostic text: the exposure's message, prefixed by the exemption when waived."""
        if self.failure:
            return self.failure
        text = self.exposure.message()
        return f"exempted ({self.exemption.reason}): {text}" if self.exemption is not None else text

    def to_dict(self, strict: bool) -> dict[str, Any]:
        """JSON form: the exposure's fields with the pack's level."""
        out = self.exposure.to_dict(strict=strict)
        out.update(level=self.level, message=self.message(), verdict_level=self.exposure.level(strict=strict),
                   exemption=self.exemption.reason if self.exemption else None, note=self.note)
        return out


def finding(exposure: Exposure, settings: Settings) -> Finding:
    """Apply the settings to one exposure: strict, internet-facing-only, then exemptions."""
    level = exposure.level(strict=settings.strict)
    if settings.internet_facing_only and exposure.internet_facing is False:
        return Finding(exposure, NONE, note="internal (internet-facing-only)")
    waiver = settings.exemption_for(exposure)
    if waiver is not None and level != NONE:
        return Finding(exposure, ADVISORY, waiver, note=f"exempted: {waiver.reason}")
    return Finding(exposure, level)


def _canon(value: Any) -> Any:
    kind = type(value)
    if kind is dict:  # a set of items: order-free without sorting (a third cheaper on every resource)
        return frozenset([(k, _canon(v)) for k, v in value.items()])
    if kind is list:
        return tuple([_canon(v) for v in value])
    if kind is int:
        return float(value)  # the engine's numbers are float64: 443 in a program is 443.0 in the pack
    return value


def content_key(resource: Resource) -> Any:
    """A resource's properties in a canonical, hashable form (the memo key of its analysis), or None.

    Key order and int/float spelling do not matter (``check``'s own table reads the program's values, the
    servicer reads them back from protobuf), so both find the same analysis. None (no memo) when a value is
    not hashable.
    """
    try:
        key = _canon(resource.props)
        hash(key)
    except (TypeError, RecursionError):
        return None
    return key


_MISSING = object()


class _Memo:
    """A bounded memo (oldest entries dropped first); the pack process and ``check`` live for one run."""

    def __init__(self, size: int) -> None:
        self.size, self.data = size, {}  # type: dict[Any, Any]

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        value = self.data.get(key, _MISSING)  # one lookup on a hit: content keys are deep, slow to hash
        if value is not _MISSING:
            return value
        value = self.data[key] = compute()
        if len(self.data) > self.size:
            del self.data[next(iter(self.data))]
        return value

    def clear(self) -> None:
        self.data.clear()


#: Resource content → exposures without a stack. A pack evaluates one resource under the two policies of its
#: family (and ``check`` once more for its table); the analysis is pure, so it runs once per distinct content.
_ALONE = _Memo(1 << 16)
#: Stack content and settings → stack findings: the stack policy's two levels and ``check`` share one pass.
_STACKS = _Memo(4)


def reset_memo() -> None:
    """Forget memoized analyses (``check`` calls it at the start of a run)."""
    _ALONE.clear()
    _STACKS.clear()


def analyze_alone(resource: Resource, profile: Profile, key: Any = None) -> tuple[Exposure, ...]:
    """``analyze(resource, profile)`` (no stack), memoized on the resource's content (``key``: its content_key)."""
    key = key if key is not None else content_key(resource)
    if key is None:
        return tuple(analyze(resource, profile))
    return _ALONE.get((resource.type, resource.name, resource.urn, resource.parent, key, profile),
                      lambda: tuple(analyze(resource, profile)))


def deferred(exposure: Exposure, settings: Settings) -> bool:
    """Whether a resource policy leaves ``exposure`` to the stack policy.

    Always when only a join can decide it (``needs_join``); and, under ``internet-facing-only``, when it would
    be reported but only a join can tell whether it is internal (an ELBv2 listener's load balancer). Both
    sides use this one predicate, so each exposure is reported exactly once when the resource and stack
    policies share their settings (the shorthand config gives every policy the same object).
    """
    if exposure.needs_join:
        return True
    return (settings.internet_facing_only and exposure.joins_facing and exposure.internet_facing is None
            and exposure.level(strict=settings.strict) != NONE)


def resource_findings(resource: Resource, settings: Settings, family: str | None = None) -> list[Finding]:
    """What a resource policy decides alone (exposures that need a join are left to the stack policy)."""
    if not handles(resource.type):
        return []
    return [finding(e, settings) for e in analyze_alone(resource, settings.profile)
            if not deferred(e, settings) and (family is None or e.family == family)]


def failure_message(subject: str, error: BaseException) -> str:
    """The one text every front end gives an evaluation that raised: a mandatory violation, failing closed."""
    if isinstance(error, UnknownValueError):
        return f"unverifiable: {error.message}, and it decides the TLS of {subject}"
    text = " ".join(str(error).split())
    text = text if len(text) <= 300 else text[:299] + "…"
    return f"tlsfence cannot evaluate {subject} ({type(error).__name__}: {text}); treated as unverifiable"


def guard(subject: str, evaluate: Callable[[], list[Finding]]) -> tuple[list[Finding], str | None]:
    """The fail-closed guard: ``(findings, None)``, or ``([], message)`` when the evaluation raised anything.

    Every path to an analyzer goes through it: the resource and stack policies (servicer and gRPC alike) and
    ``check``'s own table, so a crash is the same mandatory violation wherever it is met.
    """
    try:
        return evaluate(), None
    except Exception as e:  # whatever stops the analysis must not let the resource or stack through
        return [], failure_message(subject, e)


def subject_of(resource: Resource) -> str:
    """How a diagnostic names a resource: ``TYPE 'name'``."""
    return f"{resource.type} '{resource.name}'"


def failure_finding(resource: Resource, message: str) -> Finding:
    """A resource whose evaluation raised, as a mandatory unverifiable finding carrying the guard's message."""
    exp = Exposure(urn=resource.urn, type=resource.type, name=resource.name, exposure="evaluation",
                   family="unknown", setting=Setting("properties", None, Origin.UNKNOWN),
                   decision=unverifiable(f"the resource: {message}"))
    return Finding(exp, MANDATORY, failure=message)


def _stack_key(stack: Stack, keys: list[Any], settings: Settings) -> Any:
    if any(k is None for k in keys):
        return None
    return settings, tuple((r.type, r.urn, r.parent, r.dependencies, tuple(sorted(r.property_dependencies.items())),
                            k) for r, k in zip(stack, keys, strict=True))


def stack_findings(stack: Stack, settings: Settings) -> list[Finding]:
    """What only the stack can decide: each exposure a resource left to a join, decided with the join.

    Each resource is guarded on its own (a crash is a mandatory finding for that resource, the others are
    still decided), and the result is memoized on the stack's content, so the mandatory and advisory stack
    policies and ``check`` analyze each resource once.
    """
    keys = [content_key(r) if handles(r.type) else "" for r in stack]
    memo_key = _stack_key(stack, keys, settings)
    if memo_key is None:
        return _stack_findings(stack, keys, settings)
    return list(_STACKS.get(memo_key, lambda: tuple(_stack_findings(stack, keys, settings))))


def _stack_findings(stack: Stack, keys: list[Any], settings: Settings) -> list[Finding]:
    out: list[Finding] = []
    for res, key in zip(stack, keys, strict=True):
        if not handles(res.type):
            continue
        found, failure = guard(subject_of(res), functools.partial(_joined, res, key, stack, settings))
        out.extend(found if failure is None else [failure_finding(res, failure)])
    return out


def _joined(res: Resource, key: Any, stack: Stack, settings: Settings) -> list[Finding]:
    alone = analyze_alone(res, settings.profile, key)
    if not any(deferred(e, settings) for e in alone):
        return []
    joined = analyze(res, settings.profile, stack)
    if all(deferred(a, settings) for a in alone):  # nothing was decided alone: the joined answer is whole
        picked = list(joined)
    elif len(joined) == len(alone):
        picked = [j for j, a in zip(joined, alone, strict=True) if deferred(a, settings)]
    else:
        texts = {a.exposure for a in alone if deferred(a, settings)}
        picked = [j for j in joined if j.exposure in texts]
    return [finding(e, settings) for e in picked]


def _guarded(args: Any, report: Callable[..., None], level: str, subject: str,
             findings: Callable[[Settings], list[Finding]], with_urn: bool) -> None:
    """Run one evaluation and report the findings at ``level``; every failure is a mandatory violation.

    Bad config, an ``UnknownValueError`` (never expected: values are read raw) and any other error all fail
    closed through :func:`guard`: whatever stops the analysis must not let the resource or stack through.
    """
    try:
        settings = settings_from(args.get_config())
    except PolicyConfigError as e:
        if level == MANDATORY:
            report(f"invalid tlsfence policy config: {e}")
        return
    found, failure = guard(subject, lambda: findings(settings))
    if failure is not None:
        if level == MANDATORY:
            report(failure)
        return
    for f in found:
        if f.level == level:
            if with_urn:
                report(f.message(), f.exposure.urn)
            else:
                report(f.message())


def _resource_validator(family: str, level: str) -> Callable[[Any, Callable[..., None]], None]:
    def validate(args: Any, report: Callable[..., None]) -> None:
        if handles(args.resource_type):
            _guarded(args, report, level, f"{args.resource_type} '{args.name}'",
                     lambda settings: resource_findings(resource_from_args(args), settings, family), False)

    return validate


def _stack_validator(level: str) -> Callable[[Any, Callable[..., None]], None]:
    def validate(args: Any, report: Callable[..., None]) -> None:
        _guarded(args, report, level, "the stack", lambda settings: stack_findings(stack_from_args(args), settings),
                 True)

    return validate


def policy_name(info: RuleInfo, level: str) -> str:
    """``tlsfence-<family>`` for the mandatory policy, ``...-advisory`` for the advisory one."""
    return info.id if level == MANDATORY else f"{info.id}-advisory"


def _kwargs(info: RuleInfo, level: str) -> dict[str, Any]:
    what = "violations" if level == MANDATORY else "advisory findings (excess, pass-through, exemptions)"
    return dict(
        name=policy_name(info, level),
        description=f"{info.description} ({what})",
        enforcement_level=_ENFORCEMENT[level],
        config_schema=PolicyConfigSchema(properties=SCHEMA),
        display_name=f"{info.title}" + ("" if level == MANDATORY else " (advisory)"),
        severity=Severity.HIGH if level == MANDATORY else Severity.LOW,
        remediation_steps=info.remediation,
        url=info.url,
        tags=["tls", info.family],
    )


def policies() -> list[Any]:
    """Fresh policy objects for every family and level, then the stack pair; the pack's whole content."""
    out: list[Any] = []
    for info in FAMILIES:
        for level in (MANDATORY, ADVISORY):
            out.append(ResourceValidationPolicy(validate=_resource_validator(info.family, level),
                                                **_kwargs(info, level)))
    for level in (MANDATORY, ADVISORY):
        out.append(StackValidationPolicy(validate=_stack_validator(level), **_kwargs(STACK, level)))
    return out


def policy_names() -> list[str]:
    """Every policy name, in pack order (used by the config expander and SARIF)."""
    return [policy_name(info, level) for info in (*FAMILIES, STACK) for level in (MANDATORY, ADVISORY)]


def pack_kwargs() -> dict[str, Any]:
    """Everything ``PolicyPack(...)`` takes, so the pack and the in-process servicer cannot drift apart."""
    return dict(
        name=PACK_NAME,
        policies=policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description="Rejects stacks that expose a TLS listener, proxy, domain or endpoint outside the TLS profile "
                    "(default: the partner transport requirement of 2024-12-03).",
        display_name="tlsfence TLS guardrails",
    )
