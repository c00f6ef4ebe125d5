"""Provider catalogs: which protocols and suites each provider setting means, loaded once from JSON.

Each platform (``aws-elbv2``, ``aws-cloudfront``, ``gcp-ssl-policy`` ...) maps a setting name to exact
protocols and suites (an allow-list, never a deny-list), with its source URLs and an ``uncertain`` flag.
An uncertain or missing entry decides ``unverifiable``: tlsfence fails closed on what it cannot vouch for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from tlsfence.errors import CatalogError
from tlsfence.profiles import Profile
from tlsfence.verdicts import Decision, TlsOffer, judge, judge_documented_protocols, unverifiable

CATALOG_FILES: tuple[str, ...] = (
    "aws_elbv2.json", "aws_classic_elb.json", "aws_apigateway.json", "aws_cloudfront.json", "gcp_ssl_policy.json",
    "managed_endpoints.json",
)


@dataclass(frozen=True)
class CatalogEntry:
    """One provider setting.

    Attributes:
        platform: the platform key, e.g. ``aws-elbv2``.
        setting: the setting's name as the provider spells it.
        protocols: enabled protocols (None when the source does not say).
        ciphers: enabled TLS <= 1.2 suites, OpenSSL names (None when the source does not say).
        tls13_ciphers: enabled TLS 1.3 suites.
        source: documentation URLs.
        uncertain: True when a deciding fact is not confirmed by a source.
        note: why it is uncertain, or other caveats.
        protocols_documented: True when the protocols are documented even though the suites are not: a documented
            version below the profile's minimum then decides ``nonconforming`` on its own.
    """

    platform: str
    setting: str
    protocols: tuple[str, ...] | None
    ciphers: tuple[str, ...] | None
    tls13_ciphers: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    uncertain: bool = False
    note: str = ""
    protocols_documented: bool = False

    def offer(self, key_types: Iterable[str] | None = None) -> TlsOffer:
        """The entry as a :class:`TlsOffer` (raises CatalogError for entries without data)."""
        if self.protocols is None or self.ciphers is None:
            raise CatalogError(f"{self.platform} {self.setting}: no protocol/cipher data")
        return TlsOffer.of(self.protocols, self.ciphers, self.tls13_ciphers, key_types)

    def decide(self, profile: Profile, key_types: Iterable[str] | None = None) -> Decision:
        """Verdict of this setting; an uncertain entry is ``unverifiable`` and says why."""
        if self.uncertain or self.protocols is None or self.ciphers is None:
            if self.protocols_documented and self.protocols is not None:
                by_protocols = judge_documented_protocols(self.protocols, profile,
                                                          f"{self.platform} setting {self.setting!r}")
                if by_protocols is not None:
                    return by_protocols
            why = f": {self.note}" if self.note else ""
            return unverifiable(f"the protocols and suites of {self.platform} setting {self.setting!r} "
                                f"(marked uncertain in the catalog{why})")
        return judge(self.offer(key_types), profile)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; keys are the field names."""
        return {
            "platform": self.platform, "setting": self.setting,
            "protocols": list(self.protocols or []), "ciphers": list(self.ciphers or []),
            "tls13_ciphers": list(self.tls13_ciphers), "source": list(self.source),
            "uncertain": self.uncertain, "note": self.note,
        }


@dataclass(frozen=True)
class Platform:
    """All settings of one platform, plus its default and any extra model data.

    Attributes:
        key: platform key.
        title: one line for humans.
        default: the setting that applies when none is given (None if no default exists).
        default_note: the documented rule behind the default.
        default_source: where the default is documented.
        entries: setting name → entry.
        extra: platform-specific data (classic ELB custom policy model, GCP profile model ...).
    """

    key: str
    title: str
    default: Any
    default_note: str
    default_source: tuple[str, ...]
    entries: Mapping[str, CatalogEntry]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def get(self, setting: str) -> CatalogEntry | None:
        """The entry for ``setting`` or None when the catalog does not know it."""
        return self.entries.get(setting)

    def decide(self, setting: str, profile: Profile, key_types: Iterable[str] | None = None) -> Decision:
        """Verdict of a setting by name; a name not in the catalog is ``unverifiable``."""
        entry = self.get(setting)
        if entry is None:
            return unverifiable(f"{self.key} setting {setting!r} (not in the catalog; known: "
                                f"{', '.join(sorted(self.entries)[:6])}, ...)")
        return entry.decide(profile, key_types)


def _load_platform(key: str, raw: Mapping[str, Any]) -> Platform:
    entries = {
        name: CatalogEntry(
            platform=key,
            setting=name,
            protocols=None if e.get("protocols") is None else tuple(e["protocols"]),
            ciphers=None if e.get("ciphers") is None else tuple(e["ciphers"]),
            tls13_ciphers=tuple(e.get("tls13_ciphers") or ()),
            source=tuple(e.get("source", ())),
            uncertain=bool(e.get("uncertain")),
            note=str(e.get("note", "")),
            protocols_documented=bool(e.get("protocols_documented")),
        )
        for name, e in raw.get("entries", {}).items()
    }
    reserved = {"title", "default", "default_note", "default_source", "entries"}
    return Platform(
        key=key,
        title=raw["title"],
        default=raw.get("default"),
        default_note=str(raw.get("default_note", "")),
        default_source=tuple(raw.get("default_source", ())),
        entries=entries,
        extra={k: v for k, v in raw.items() if k not in reserved},
    )


@cache
def platforms() -> Mapping[str, Platform]:
    """Every platform of every catalog file, loaded once. Duplicate platform keys are a data error."""
    found: dict[str, Platform] = {}
    for name in CATALOG_FILES:
        try:
            raw = json.loads(resources.files("tlsfence.catalogs").joinpath(name).read_text())
        except (OSError, ValueError) as e:
            raise CatalogError(f"catalog {name} does not load: {e}") from e
        for key, body in raw["platforms"].items():
            if key in found:
                raise CatalogError(f"platform {key!r} defined twice (second time in {name})")
            found[key] = _load_platform(key, body)
    return found


def platform(key: str) -> Platform:
    """One platform by key; an unknown key is a CatalogError that lists the known ones."""
    try:
        return platforms()[key]
    except KeyError:
        raise CatalogError(f"unknown catalog platform {key!r}; known: {', '.join(sorted(platforms()))}") from None


@cache
def tightest(key: str, profile: Profile) -> str:
    """The best catalogued setting of a platform under ``profile`` (fewest excess suites, certain entries only).

    Cached: every exposure asks for its remediation, and an account audit has thousands of exposures.
    """
    from tlsfence.verdicts import VERDICT_ORDER  # local: verdicts is imported above only for names

    best: tuple[int, int, int] | None = None
    name = ""
    for pos, entry in enumerate(platform(key).entries.values()):
        decision = entry.decide(profile)
        rank = (VERDICT_ORDER.index(decision.verdict), len(decision.excess), pos)
        if decision.verdict.value in ("conforming", "conforming-with-excess") and (best is None or rank < best):
            best, name = rank, entry.setting
    return name
