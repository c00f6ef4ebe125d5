"""Requirement profiles: what an endpoint must and should offer, as data.

A profile is the partner requirement reduced to four facts: the lowest protocol version, the suites of
which at least one MUST be offered, the suites outside of which none SHOULD be offered (TLS <= 1.2 only),
and whether a TLS 1.3-only endpoint satisfies the MUST (read literally it does not: all six suites are
TLS 1.2 suites). Built-ins live in ``catalogs/profiles.json``; users load their own from JSON, TOML or YAML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tlsfence import readers
from tlsfence.errors import ProfileError, TlsfenceError
from tlsfence.suites import normalize_protocol, suite

DEFAULT_PROFILE = "partner-tls-2024-12-03"
#: Longest profile reference looked up as a file (PATH_MAX on Linux).
_MAX_REF = 4096
_KEYS = {"name", "title", "aliases", "min_version", "must_support_one_of", "allowed", "tls13_only_conforms", "sources"}


@dataclass(frozen=True)
class Profile:
    """A requirement profile.

    Attributes:
        name: canonical (dated) name.
        title: one line for humans.
        min_version: lowest acceptable protocol, canonical spelling (``TLSv1.2``).
        must_support_one_of: OpenSSL names; at least one must be negotiable.
        allowed: OpenSSL names of the TLS <= 1.2 suites that may be offered; anything else is excess.
        tls13_only_conforms: whether an endpoint accepting only TLS 1.3 is conforming.
        aliases: other names the profile answers to.
        sources: where the requirement is written down.
    """

    name: str
    title: str
    min_version: str
    must_support_one_of: frozenset[str]
    allowed: frozenset[str]
    tls13_only_conforms: bool = False
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)

    def with_options(self, *, allow_tls13_only: bool | None = None) -> Profile:
        """A copy with pack/CLI options applied (``allow-tls13-only`` relaxes the literal MUST)."""
        if allow_tls13_only is None or allow_tls13_only == self.tls13_only_conforms:
            return self
        return replace(self, tls13_only_conforms=allow_tls13_only)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; the same keys a profile file uses."""
        return {
            "name": self.name,
            "title": self.title,
            "aliases": list(self.aliases),
            "min_version": self.min_version,
            "must_support_one_of": sorted(self.must_support_one_of),
            "allowed": sorted(self.allowed),
            "tls13_only_conforms": self.tls13_only_conforms,
            "sources": list(self.sources),
        }


def _strings(value: Any, key: str, origin: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{origin}: {key!r} must be a list of strings, got {readers.one_value(value)}")
    return tuple(value)


def profile_from_mapping(raw: Mapping[str, Any], origin: str = "profile") -> Profile:
    """Build a profile from a mapping (a file's content or the pack's inline config), validating every field."""
    if not isinstance(raw, Mapping):
        raise ProfileError(f"{origin}: a profile must be a mapping with keys {sorted(_KEYS)}")
    unknown = set(raw) - _KEYS
    if unknown:
        shown = sorted(str(k)[:40] for k in unknown)
        raise ProfileError(f"{origin}: unknown key(s) {shown}; allowed keys are {sorted(_KEYS)}")
    for key in ("name", "must_support_one_of"):
        if key not in raw:
            raise ProfileError(f"{origin}: missing required key {key!r}")

    def suites(key: str) -> frozenset[str]:
        value = raw.get(key, raw.get("must_support_one_of") if key == "allowed" else None)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ProfileError(f"{origin}: {key!r} must be a non-empty list of cipher suite names")
        try:
            found = [suite(v) for v in value]
        except TlsfenceError as e:
            raise ProfileError(f"{origin}: {key}: {e}") from e
        tls13 = [s.openssl for s in found if s.tls13]
        if tls13:
            raise ProfileError(f"{origin}: {key!r} lists TLS 1.3 suites {tls13}; profiles constrain TLS <= 1.2 suites")
        return frozenset(s.openssl for s in found)

    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(f"{origin}: 'name' must be a non-empty string")
    if not isinstance(raw.get("min_version", "TLSv1.2"), str):
        raise ProfileError(f"{origin}: 'min_version' must be a string such as TLSv1.2")
    if raw.get("title") is not None and not isinstance(raw["title"], str):
        raise ProfileError(f"{origin}: 'title' must be a string")
    try:
        min_version = normalize_protocol(raw.get("min_version", "TLSv1.2"))
    except TlsfenceError as e:
        raise ProfileError(f"{origin}: min_version: {e}") from e
    flag = raw.get("tls13_only_conforms", False)
    if not isinstance(flag, bool):
        raise ProfileError(f"{origin}: 'tls13_only_conforms' must be true or false")
    aliases = _strings(raw.get("aliases", []), "aliases", origin)
    must = suites("must_support_one_of")
    allowed = suites("allowed")
    return Profile(
        name=name.strip(),
        title=str(raw.get("title", name)),
        min_version=min_version,
        must_support_one_of=must,
        allowed=allowed | must,
        tls13_only_conforms=flag,
        aliases=aliases,
        sources=_strings(raw.get("sources", []), "sources", origin),
    )


@cache
def builtin_profiles() -> tuple[Profile, ...]:
    """The built-in profiles, loaded once from ``catalogs/profiles.json``."""
    raw = json.loads(resources.files("tlsfence.catalogs").joinpath("profiles.json").read_text())
    return tuple(profile_from_mapping(p, "profiles.json") for p in raw["profiles"])


def _read_file(path: Path) -> Mapping[str, Any]:
    """A profile file through the bounded readers (JSON, TOML or YAML by suffix; JSON otherwise)."""
    try:
        return readers.load_structured(path, what="profile file")
    except TlsfenceError as e:
        raise ProfileError(str(e)) from None


def load_profile(ref: str | Mapping[str, Any] | Profile | None = None) -> Profile:
    """Resolve a profile reference: a built-in name or alias, a path to a file, or an inline mapping.

    ``None`` gives the default built-in profile. Errors are :class:`ProfileError` with a message that
    lists the names that do exist.
    """
    if ref is None:
        ref = DEFAULT_PROFILE
    if isinstance(ref, Profile):
        return ref
    if isinstance(ref, Mapping):
        return profile_from_mapping(ref, "inline profile")
    if not isinstance(ref, str):
        raise ProfileError(f"a profile is a name, a file path or a mapping, not {type(ref).__name__}")
    for profile in builtin_profiles():
        if ref == profile.name or ref in profile.aliases:
            return profile
    shown = readers.one_value(ref)
    if not ref or len(ref) > _MAX_REF or "\0" in ref:
        raise ProfileError(f"unknown profile {shown}: not a built-in name and not a usable file path")
    path = Path(ref)
    try:
        is_file = path.suffix.lower() in (".json", ".toml", ".yaml", ".yml") or path.exists()
    except (OSError, ValueError) as e:
        raise ProfileError(f"profile {shown}: cannot use it as a file path: {getattr(e, 'strerror', None) or e}") \
            from None
    if is_file:
        if not path.exists():
            raise ProfileError(f"profile file {shown} does not exist")
        return profile_from_mapping(_read_file(path), str(path))
    names = ", ".join(n for p in builtin_profiles() for n in (p.name, *p.aliases))
    raise ProfileError(f"unknown profile {shown}; built-in profiles: {names}; or give a path to a profile file")
