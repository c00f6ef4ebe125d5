"""The verdict: what a client can actually negotiate at an exposure, judged against a profile.

``judge()`` never reads provider properties: analyzers (and the prober) first reduce what they see to a
:class:`TlsOffer`, then this module decides. One decision path for the pack, ``check``, ``audit``,
``verify`` and the components.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tlsfence.profiles import Profile
from tlsfence.suites import PROTOCOLS, normalize_protocol, protocol_rank, suite


class Verdict(StrEnum):
    """One verdict per exposure (DESIGN.md, "Verdicts")."""

    CONFORMING = "conforming"
    EXCESS = "conforming-with-excess"
    NONCONFORMING = "nonconforming"
    UNVERIFIABLE = "unverifiable"
    #: Not a TLS verdict: TLS passes through to a backend (TCP listener), so it is decided elsewhere.
    NOT_TERMINATED = "not-terminated"

    def __str__(self) -> str:
        return self.value


#: Best first; used to sort catalog listings and to say "never improves".
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.CONFORMING, Verdict.EXCESS, Verdict.NOT_TERMINATED, Verdict.UNVERIFIABLE, Verdict.NONCONFORMING,
)


def level_for(verdict: Verdict, *, strict: bool = False) -> str:
    """Enforcement level of a verdict: ``mandatory``, ``advisory`` or ``none`` (the pack's default mapping)."""
    if verdict in (Verdict.NONCONFORMING, Verdict.UNVERIFIABLE):
        return "mandatory"
    if verdict is Verdict.EXCESS:
        return "mandatory" if strict else "advisory"
    if verdict is Verdict.NOT_TERMINATED:
        return "advisory"
    return "none"


@dataclass(frozen=True)
class TlsOffer:
    """What an endpoint is configured (or observed) to offer.

    Attributes:
        protocols: protocol versions enabled, any spelling (normalized on construction).
        suites: TLS <= 1.2 suites enabled, any spelling (normalized to OpenSSL names).
        tls13_suites: TLS 1.3 suites enabled (IANA names).
        key_types: certificate key types the endpoint holds (``RSA``, ``ECDSA``); None when unknown,
            in which case every suite counts as negotiable.
    """

    protocols: frozenset[str]
    suites: frozenset[str]
    tls13_suites: frozenset[str] = frozenset()
    key_types: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        protocols: Iterable[str],
        suites: Iterable[str],
        tls13_suites: Iterable[str] = (),
        key_types: Iterable[str] | None = None,
    ) -> TlsOffer:
        """Build an offer from names in any spelling; unknown names raise ``UnknownSuiteError``/``InputError``.

        Memoized on the names (a stack names the same few policies thousands of times)."""
        args = (tuple(protocols), tuple(suites), tuple(tls13_suites), None if key_types is None else tuple(key_types))
        try:
            hash(args)
        except TypeError:  # an unhashable name: no memo, the build reports what is wrong with it
            return cls._build(*args)
        return _offer(*args)

    @classmethod
    def _build(cls, protocols: tuple[str, ...], suites: tuple[str, ...], tls13_suites: tuple[str, ...],
               key_types: tuple[str, ...] | None) -> TlsOffer:
        names = [suite(s) for s in suites]
        t13 = [suite(s) for s in tls13_suites] + [s for s in names if s.tls13]
        return cls(
            protocols=frozenset(normalize_protocol(p) for p in protocols),
            suites=frozenset(s.openssl for s in names if not s.tls13),
            tls13_suites=frozenset(s.iana for s in t13),
            key_types=None if key_types is None else frozenset(k.upper() for k in key_types),
        )


@functools.lru_cache(maxsize=4096)
def _offer(protocols: tuple[str, ...], suites: tuple[str, ...], tls13_suites: tuple[str, ...],
           key_types: tuple[str, ...] | None) -> TlsOffer:
    return TlsOffer._build(protocols, suites, tls13_suites, key_types)


@dataclass(frozen=True)
class Decision:
    """The verdict with everything that led to it.

    Attributes:
        verdict: the verdict.
        protocols: protocols a client can actually negotiate (a version with no usable suite is dropped).
        suites: TLS <= 1.2 suites a client can negotiate, OpenSSL names, sorted.
        tls13_suites: TLS 1.3 suites a client can negotiate.
        allowed_present: negotiable suites from the profile's MUST set.
        excess: negotiable TLS <= 1.2 suites outside the profile's allowed set (never TLS 1.3 suites).
        reasons: human-readable sentences, most important first.
        unknown: what could not be determined (non-empty only for ``unverifiable``).
    """

    verdict: Verdict
    protocols: tuple[str, ...] = ()
    suites: tuple[str, ...] = ()
    tls13_suites: tuple[str, ...] = ()
    allowed_present: tuple[str, ...] = ()
    excess: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; keys are the field names."""
        return {
            "verdict": self.verdict.value,
            "protocols": list(self.protocols),
            "suites": list(self.suites),
            "tls13_suites": list(self.tls13_suites),
            "allowed_present": list(self.allowed_present),
            "excess": list(self.excess),
            "reasons": list(self.reasons),
            "unknown": list(self.unknown),
        }

    @property
    def summary(self) -> str:
        """One line: the verdict and its first reason."""
        return f"{self.verdict.value}: {self.reasons[0]}" if self.reasons else self.verdict.value


def unverifiable(*unknown: str) -> Decision:
    """A decision that fails closed because the named values are unknown or not in a catalog."""
    return Decision(Verdict.UNVERIFIABLE, reasons=tuple(f"cannot determine {u}" for u in unknown), unknown=unknown)


def fixed(verdict: Verdict, reason: str) -> Decision:
    """A decision that needs no offer (plaintext listener, redirect, pass-through)."""
    return Decision(verdict, reasons=(reason,))


@functools.lru_cache(maxsize=4096)
def judge(offer: TlsOffer, profile: Profile) -> Decision:
    """Decide the verdict of ``offer`` under ``profile``.

    Pure, and both arguments and the result are frozen: it is memoized, since a stack of thousands of listeners
    names a handful of distinct policies (the benchmark's 20,000 resources, 38 distinct offers judged 17,061 times).

    Rules (DESIGN.md): a protocol with no usable suite is not accepted; accepting a version below the
    profile's minimum is nonconforming; a TLS 1.3-only endpoint is nonconforming unless the profile allows
    it; at least one MUST suite must be negotiable; other negotiable TLS <= 1.2 suites are excess.
    """
    key_types = offer.key_types
    candidates = [suite(s) for s in offer.suites]
    candidates = [s for s in candidates if s.needs_key(key_types)]
    tls13 = sorted(s for s in offer.tls13_suites if suite(s).needs_key(key_types))
    accepted: list[str] = []
    for proto in PROTOCOLS:
        if proto not in offer.protocols:
            continue
        if proto == "SSLv2":
            accepted.append(proto)  # SSLv2 cipher specs are not TLS suites: enabled (or observed) means accepted
        elif proto == "TLSv1.3":
            if tls13:
                accepted.append(proto)
        elif any(s.usable_at(proto) for s in candidates):
            accepted.append(proto)
    legacy = [p for p in accepted if p not in ("TLSv1.3", "SSLv2")]
    negotiable = sorted({s.openssl for s in candidates if any(s.usable_at(p) for p in legacy)})
    present = tuple(s for s in negotiable if s in profile.must_support_one_of)
    excess = tuple(s for s in negotiable if s not in profile.allowed)
    base = dict(
        protocols=tuple(accepted),
        suites=tuple(negotiable),
        tls13_suites=tuple(tls13) if "TLSv1.3" in accepted else (),
        allowed_present=present,
        excess=excess,
    )
    key_note = f" with an {'/'.join(sorted(key_types))} certificate" if key_types else ""
    reasons: list[str] = []
    dropped = sorted(p for p in offer.protocols if p not in accepted)
    if dropped:
        reasons.append(f"{', '.join(dropped)} enabled but no suite is usable there{key_note}, so not accepted")

    too_old = [p for p in accepted if protocol_rank(p) < protocol_rank(profile.min_version)]
    if not accepted:
        return Decision(Verdict.NONCONFORMING, reasons=(f"no protocol version can be negotiated{key_note}",), **base)
    if too_old:
        why = f"accepts {', '.join(too_old)} (below {profile.min_version})"
        return Decision(Verdict.NONCONFORMING, reasons=(why, *reasons), **base)
    if accepted == ["TLSv1.3"]:
        if profile.tls13_only_conforms:
            return Decision(Verdict.CONFORMING, reasons=("TLS 1.3 only; the profile accepts TLS 1.3-only", *reasons),
                            **base)
        why = "TLS 1.3 only: none of the required TLS 1.2 suites can be negotiated (allow-tls13-only relaxes this)"
        return Decision(Verdict.NONCONFORMING, reasons=(why, *reasons), **base)
    if not present:
        lost = sorted(s.openssl for s in map(suite, offer.suites)
                      if s.openssl in profile.must_support_one_of and not s.needs_key(key_types))
        why = "offers none of the required suites " + ", ".join(sorted(profile.must_support_one_of))
        if lost:
            why += f" ({', '.join(lost)} enabled but not negotiable{key_note})"
        return Decision(Verdict.NONCONFORMING, reasons=(why, *reasons), **base)
    if excess:
        why = f"offers {len(excess)} suite(s) outside the allowed set: {', '.join(excess)}"
        return Decision(Verdict.EXCESS, reasons=(why, *reasons), **base)
    why = f"only {', '.join(accepted)}; offers {', '.join(present)} and nothing outside the allowed set"
    return Decision(Verdict.CONFORMING, reasons=(why, *reasons), **base)


def judge_documented_protocols(protocols: Iterable[str], profile: Profile, what: str) -> Decision | None:
    """What documented protocols alone decide when the suites are not catalogued, or None when they decide nothing.

    A provider that documents a setting as accepting a version below the profile's minimum (or TLS 1.3 only,
    when the profile does not accept that) makes it nonconforming whatever its suites are; anything else still
    needs the suites, so the caller falls back to ``unverifiable``.
    """
    versions = [normalize_protocol(p) for p in protocols]
    too_old = [p for p in versions if protocol_rank(p) < protocol_rank(profile.min_version)]
    if too_old:
        return Decision(Verdict.NONCONFORMING, protocols=tuple(versions),
                        reasons=(f"accepts {', '.join(too_old)} (below {profile.min_version}), as documented for "
                                 f"{what}",))
    if versions == ["TLSv1.3"] and not profile.tls13_only_conforms:
        return Decision(Verdict.NONCONFORMING, protocols=tuple(versions),
                        reasons=(f"TLS 1.3 only ({what}): none of the required TLS 1.2 suites can be negotiated "
                                 "(allow-tls13-only relaxes this)",))
    return None
