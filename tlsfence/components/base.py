"""What every tlsfence component shares: the refusal rule, its error, and the outputs it exports.

The refusal rule is the one place a component decides whether a setting may be built. A setting is
accepted when the core (``tlsfence.verdicts.judge`` through the catalog) finds it ``conforming``, or
``conforming-with-excess`` with no excess suite beyond what the platform's tightest setting is forced to
offer (ELBv2 and API Gateway cannot drop the two ECDHE AES256-GCM suites; Google Cloud can be strict, so
there an excess setting such as MODERN is refused). Under ``strict`` only ``conforming`` is accepted.

This module must not use ``from __future__ import annotations``: the component package's schema analyzer
(``pulumi.provider.experimental.analyzer``) reads the output annotations of :class:`FrontDoor` as real types.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import pulumi

from tlsfence.catalog import platform, tightest
from tlsfence.errors import TlsfenceError
from tlsfence.profiles import Profile, load_profile
from tlsfence.verdicts import VERDICT_ORDER, Decision, Verdict

PACKAGE = "tlsfence"


class ComponentConfigError(TlsfenceError, ValueError):
    """A component was asked to build something that is not conforming, or its inputs are unusable.

    Attributes:
        argument: the Python argument that caused it, when one did (the component package reports the refusal
            at that input to other languages, :mod:`tlsfence.components.package`).
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


def resolve_profile(ref: Any) -> Profile:
    """The profile a component judges with: a built-in name or alias, a file path, a Profile, or None (default)."""
    try:
        return load_profile(ref)
    except TlsfenceError as e:
        raise ComponentConfigError(f"profile: {e}") from e


def acceptable(decision: Decision, floor: Decision | None, strict: bool) -> bool:
    """The refusal rule (module docstring): conforming, or excess no wider than the platform's floor."""
    if decision.verdict is Verdict.CONFORMING:
        return True
    if decision.verdict is not Verdict.EXCESS or strict or floor is None:
        return False
    return floor.verdict is Verdict.EXCESS and set(decision.excess) <= set(floor.excess)


def describe(decision: Decision) -> str:
    """``verdict (reason; reason)`` for messages."""
    return f"{decision.verdict.value} ({'; '.join(decision.reasons) or 'no detail'})"


def _rank(decision: Decision, pos: int) -> tuple[int, int, int]:
    return VERDICT_ORDER.index(decision.verdict), len(decision.excess), pos


def accepted_named(key: str, profile: Profile, strict: bool, key_types: Iterable[str] | None = None) -> list[str]:
    """Every catalogued setting of a named platform the refusal rule accepts, best first."""
    plat = platform(key)
    kt = None if key_types is None else frozenset(key_types)
    best = tightest(key, profile)
    floor = plat.decide(best, profile, kt) if best else None
    scored = []
    for pos, entry in enumerate(plat.entries.values()):
        decision = entry.decide(profile, kt)
        if acceptable(decision, floor, strict):
            scored.append((_rank(decision, pos), entry.setting))
    return [name for _, name in sorted(scored)]


def refusal(component: str, name: str, what: str, decision: Decision, profile: Profile, strict: bool,
            accepted: Sequence[str], instead: str = "", argument: str | None = None) -> ComponentConfigError:
    """The error a component raises for a refused setting: what, its verdict and why, and what to use."""
    mode = " with strict" if strict else ""
    text = f"{component} '{name}': {what} is {describe(decision)} under profile {profile.name}{mode}"
    if decision.verdict is Verdict.EXCESS and not strict:
        text += "; its excess goes beyond what the platform's tightest setting is forced to offer"
    if accepted:
        text += f". Conforming settings (best first): {', '.join(accepted)}"
    else:
        text += ". No setting of this platform is accepted" + (" under strict" if strict else "")
    if instead:
        text += f". {instead}"
    return ComponentConfigError(text, argument=argument)


def decide_named(component: str, name: str, prop: str, key: str, value: str | None, profile: Profile, strict: bool,
                 key_types: Iterable[str] | None = None, instead: str = "") -> tuple[str, Decision]:
    """Pick (or check) a setting of a named platform: default to the tightest, refuse what the rule refuses."""
    plat = platform(key)
    kt = None if key_types is None else frozenset(key_types)
    best = tightest(key, profile)
    chosen = value or best
    if not chosen:
        raise ComponentConfigError(f"{component} '{name}': no {plat.title} setting is conforming under profile "
                                   f"{profile.name}. {instead}".rstrip(". ") + ".")
    decision = plat.decide(chosen, profile, kt)
    floor = plat.decide(best, profile, kt) if best else None
    if not acceptable(decision, floor, strict):
        raise refusal(component, name, f"{prop} {chosen!r}", decision, profile, strict,
                      accepted_named(key, profile, strict, kt), instead, argument=prop)
    return chosen, decision


class FrontDoor(pulumi.ComponentResource):
    """Base of every tlsfence component: the outputs each one exports, registered in one place."""

    endpoint: pulumi.Output[str]
    """The URL clients use (https://...)."""
    setting: pulumi.Output[str]
    """The TLS setting the front door uses (policy name, or the SSL policy's profile/minimum/features)."""
    protocols: pulumi.Output[list[str]]
    """Protocol versions a client can negotiate."""
    suites: pulumi.Output[list[str]]
    """TLS <= 1.2 cipher suites a client can negotiate (OpenSSL names)."""
    verdict: pulumi.Output[str]
    """conforming or conforming-with-excess (anything else is refused at construction)."""
    excess: pulumi.Output[list[str]]
    """Negotiable suites outside the profile's allowed set (empty when conforming)."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"{PACKAGE}:index:{type(self).__name__}", name, {}, opts)

    def _child(self, extra: pulumi.ResourceOptions | None = None) -> pulumi.ResourceOptions:
        """Options for a child: ``parent=self`` so the pack and ``check`` see one unit."""
        base = pulumi.ResourceOptions(parent=self)
        return base if extra is None else pulumi.ResourceOptions.merge(base, extra)

    def _publish(self, endpoint: pulumi.Input[str], setting: str, decision: Decision, **more: Any) -> None:
        """Set and register the outputs; ``decision`` stays available to Python callers as ``.decision``."""
        self.decision = decision
        self.endpoint = pulumi.Output.from_input(endpoint)
        self.setting = pulumi.Output.from_input(setting)
        self.protocols = pulumi.Output.from_input(list(decision.protocols))
        self.suites = pulumi.Output.from_input(list(decision.suites))
        self.verdict = pulumi.Output.from_input(decision.verdict.value)
        self.excess = pulumi.Output.from_input(list(decision.excess))
        for key, value in more.items():
            setattr(self, key, pulumi.Output.from_input(value))
        self.register_outputs({
            "endpoint": self.endpoint, "setting": self.setting, "protocols": self.protocols, "suites": self.suites,
            "verdict": self.verdict, "excess": self.excess, **{k: getattr(self, k) for k in more},
        })


def https_url(host: pulumi.Input[str]) -> pulumi.Output[str]:
    """``https://host`` (empty while the host is not computed, e.g. a DNS name under mocks)."""
    return pulumi.Output.from_input(host).apply(lambda h: f"https://{h}" if h else "")


def options_of(args: Any, allowed: Iterable[str], component: str, name: str) -> dict[str, Any]:
    """The args mapping as a dict, refusing keys the component does not know (typos fail loudly)."""
    if args is None:
        return {}
    data = dict(args)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ComponentConfigError(f"{component} '{name}': unknown argument(s) {unknown}; "
                                   f"known: {', '.join(sorted(allowed))}")
    return {k: v for k, v in data.items() if v is not None}


def require(data: dict[str, Any], key: str, component: str, name: str, why: str = "") -> Any:
    """A required argument, or a ComponentConfigError that names it."""
    if data.get(key) in (None, "", []):
        raise ComponentConfigError(f"{component} '{name}': argument {key!r} is required" + (f" ({why})" if why
                                                                                            else ""), argument=key)
    return data[key]
