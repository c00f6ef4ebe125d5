"""Cipher suite and protocol names: one registry, OpenSSL and IANA spelling mapped both ways.

tlsfence speaks OpenSSL names internally (the partner documents do); IANA names and code points
are accepted everywhere a user or a provider hands us a suite (GCP features, the prober's wire view).
Data: ``catalogs/cipher_suites.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tlsfence.errors import InputError, UnknownSuiteError

#: Protocol versions in ascending order; tlsfence's canonical spelling.
PROTOCOLS: tuple[str, ...] = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")

_PROTOCOL_ALIASES: dict[str, str] = {
    "SSLV2": "SSLv2", "SSL2": "SSLv2", "SSLV3": "SSLv3", "SSL3": "SSLv3",
    "TLSV1": "TLSv1.0", "TLSV1.0": "TLSv1.0", "TLS1.0": "TLSv1.0", "TLS_1_0": "TLSv1.0", "TLS1": "TLSv1.0",
    "TLSV1.1": "TLSv1.1", "TLS1.1": "TLSv1.1", "TLS_1_1": "TLSv1.1",
    "TLSV1.2": "TLSv1.2", "TLS1.2": "TLSv1.2", "TLS_1_2": "TLSv1.2",
    "TLSV1.3": "TLSv1.3", "TLS1.3": "TLSv1.3", "TLS_1_3": "TLSv1.3",
    "PROTOCOL-SSLV2": "SSLv2", "PROTOCOL-SSLV3": "SSLv3", "PROTOCOL-TLSV1": "TLSv1.0",
    "PROTOCOL-TLSV1.1": "TLSv1.1", "PROTOCOL-TLSV1.2": "TLSv1.2",
}


def normalize_protocol(name: str) -> str:
    """Return the canonical spelling of a protocol name (``TLSv1``, ``TLS_1_0``, ``tls1.0`` → ``TLSv1.0``)."""
    key = name.strip().upper().replace(" ", "")
    if key in _PROTOCOL_ALIASES:
        return _PROTOCOL_ALIASES[key]
    raise InputError(f"unknown protocol version {name!r}; expected one of {', '.join(PROTOCOLS)}")


def protocol_rank(protocol: str) -> int:
    """Position of a canonical protocol in :data:`PROTOCOLS` (higher is newer)."""
    return PROTOCOLS.index(protocol)


@dataclass(frozen=True)
class CipherSuite:
    """One cipher suite.

    Attributes:
        code: IANA code point (two bytes as an int).
        iana: IANA name, e.g. ``TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256``.
        openssl: OpenSSL name, e.g. ``ECDHE-RSA-AES128-GCM-SHA256`` (same as ``iana`` for TLS 1.3).
        min_version: lowest protocol that can negotiate it (SHA256/GCM suites need TLS 1.2).
        kx: key exchange, as OpenSSL prints it.
        auth: certificate key type it needs: ``RSA``, ``ECDSA``, ``any`` (TLS 1.3) or another OpenSSL value.
    """

    code: int
    iana: str
    openssl: str
    min_version: str
    kx: str
    auth: str

    @property
    def tls13(self) -> bool:
        """True for TLS 1.3 suites, which are never counted as excess."""
        return self.min_version == "TLSv1.3"

    def usable_at(self, protocol: str) -> bool:
        """Whether this suite can be negotiated at ``protocol`` (TLS 1.3 suites only at 1.3 and vice versa)."""
        if protocol == "TLSv1.3" or self.tls13:
            return protocol == "TLSv1.3" and self.tls13
        return protocol_rank(self.min_version) <= protocol_rank(protocol)

    def needs_key(self, key_types: frozenset[str] | None) -> bool:
        """Whether a server with certificates of ``key_types`` can negotiate this suite (None: unknown, yes)."""
        if key_types is None or self.auth not in ("RSA", "ECDSA"):
            return True
        return self.auth in key_types


class SuiteRegistry:
    """Lookup by OpenSSL name, IANA name or code point; built once from the JSON data."""

    def __init__(self, suites: Iterable[CipherSuite]) -> None:
        self.suites: tuple[CipherSuite, ...] = tuple(suites)
        self._by_name: dict[str, CipherSuite] = {}
        self.by_code: dict[int, CipherSuite] = {}
        for suite in self.suites:
            self._by_name[suite.openssl.upper()] = suite
            self._by_name[suite.iana.upper()] = suite
            self.by_code[suite.code] = suite

    def get(self, name: str) -> CipherSuite:
        """Find a suite by either spelling; raise :class:`UnknownSuiteError` if it is neither."""
        suite = self._by_name.get(name.strip().upper())
        if suite is None:
            raise UnknownSuiteError(f"unknown cipher suite {name!r} (not an OpenSSL or IANA suite name)")
        return suite


@cache
def registry() -> SuiteRegistry:
    """The suite registry, loaded once from ``catalogs/cipher_suites.json``."""
    raw = json.loads(resources.files("tlsfence.catalogs").joinpath("cipher_suites.json").read_text())
    return SuiteRegistry(
        CipherSuite(int(r["code"], 16), r["iana"], r["openssl"], r["min_version"], r["kx"], r["auth"])
        for r in raw["suites"]
    )


def suite(name: str) -> CipherSuite:
    """Shorthand for ``registry().get(name)``."""
    return registry().get(name)


def to_openssl(name: str) -> str:
    """OpenSSL spelling of a suite given in either spelling."""
    return suite(name).openssl


def to_iana(name: str) -> str:
    """IANA spelling of a suite given in either spelling."""
    return suite(name).iana
