"""Results of ``tlsfence verify``: frozen dataclasses with ``to_dict``; writers live in ``output.py``.

The JSON keys are the field names (STYLE.md §5); ``TargetResult.to_dict`` is the documented per-target
object (docs/verify.md, "JSON fields").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tlsfence.suites import PROTOCOLS, registry

#: SSLv2 cipher specs (3 bytes): code → (OpenSSL name, SSLv2 spec name). Source: testssl.sh 3.0.8
#: etc/cipher-mapping.txt; the SSLv2 specification (draft-hickman-netscape-ssl-00, Appendix A).
SSLV2_SPECS: dict[int, tuple[str, str]] = {
    0x010080: ("RC4-MD5", "SSL_CK_RC4_128_WITH_MD5"),
    0x020080: ("EXP-RC4-MD5", "SSL_CK_RC4_128_EXPORT40_WITH_MD5"),
    0x030080: ("RC2-CBC-MD5", "SSL_CK_RC2_128_CBC_WITH_MD5"),
    0x040080: ("EXP-RC2-CBC-MD5", "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5"),
    0x050080: ("IDEA-CBC-MD5", "SSL_CK_IDEA_128_CBC_WITH_MD5"),
    0x060040: ("DES-CBC-MD5", "SSL_CK_DES_64_CBC_WITH_MD5"),
    0x060140: ("DES-CBC-SHA", "SSL_CK_DES_64_CBC_WITH_SHA"),
    0x0700C0: ("DES-CBC3-MD5", "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"),
    0x0701C0: ("DES-CBC3-SHA", "SSL_CK_DES_192_EDE3_CBC_WITH_SHA"),
    0x080080: ("RC4-64-MD5", "SSL_CK_RC4_64_WITH_MD5"),
    0xFF8000: ("DES-CFB-M1", "SSL_CK_DES_64_CFB64_WITH_MD5_1"),
    0xFF8010: ("NULL", "SSL_CK_NULL"),
    0x000000: ("NULL-MD5", "SSL_CK_NULL_WITH_MD5"),
}


def suite_names(protocol: str, code: int) -> dict[str, str]:
    """``{"code", "openssl", "iana"}`` for a code point seen at ``protocol`` (unknown codes keep their hex)."""
    if protocol == "SSLv2":
        openssl, iana = SSLV2_SPECS.get(code, (f"0x{code:06X}", f"0x{code:06X}"))
        return {"code": f"0x{code:06X}", "openssl": openssl, "iana": iana}
    known = registry().by_code.get(code)
    if known is None:
        return {"code": f"0x{code:04X}", "openssl": f"0x{code:04X}", "iana": f"0x{code:04X}"}
    return {"code": f"0x{code:04X}", "openssl": known.openssl, "iana": known.iana}


@dataclass(frozen=True)
class VersionResult:
    """What one protocol version's elimination chain found.

    Attributes:
        protocol: canonical name (``TLSv1.2``).
        status: ``accepted``, ``refused`` or ``unknown`` (timeout/reset: could not determine).
        accepted: accepted code points in the order found (the server's preference with plain chains).
        handshakes: connections this version used.
        error: why the status is ``unknown``.
        notes: quirks met on the way (unoffered suite picked, >128-suite intolerance, ...).
        rounds: the longest sequence of hellos that each waited for the previous answer (the time it took, in
            connect + hello round trips).
    """

    protocol: str
    status: str
    accepted: tuple[int, ...] = ()
    handshakes: int = 0
    error: str | None = None
    notes: tuple[str, ...] = ()
    rounds: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"protocol": self.protocol, "status": self.status,
                "accepted": [suite_names(self.protocol, c) for c in self.accepted],
                "handshakes": self.handshakes, "rounds": self.rounds, "error": self.error, "notes": list(self.notes)}


@dataclass(frozen=True)
class CertificateInfo:
    """One leaf certificate the server presented, and the requirement's checks on it.

    Attributes:
        names: SAN DNS names (and IP addresses); the subject CN only when there is no DNS SAN.
        subject: RFC 4514 subject.
        issuer: RFC 4514 issuer.
        not_before: ISO 8601 UTC.
        not_after: ISO 8601 UTC.
        key_type: ``RSA``, ``ECDSA``, ``Ed25519``, ...
        key_bits: key size in bits.
        fingerprint_sha256: hex digest of the DER.
        name_match: the checked name matches a SAN (RFC 6125 as ``cryptography.x509.verification`` checks it).
        chain_trusted: the chain verifies to Mozilla's roots (certifi) or to ``--ca-file``.
        chain_error: cryptography's reason when it does not (one per trust store tried).
        self_signed: issued by itself (allowed by the requirement; a warning).
        expired: ``not_after`` is in the past (or ``not_before`` in the future).
        ocsp_stapled: an OCSP response was stapled (None: could not be observed, e.g. TLS 1.3 only).
        ocsp_status: ``good``, ``revoked``, ``unknown`` or a response status, when stapled.
        trust: ``mozilla``, ``private-ca`` (``--ca-file``), ``self-signed`` or ``untrusted``.
        name_error: why the name does not match (None when it does).
        revocation: asked at the source: ``good``, ``revoked``, ``unknown`` or ``not checked``.
        revocation_detail: where it was asked (OCSP/CRL URL) and, for ``unknown``, why.
    """

    names: tuple[str, ...]
    subject: str
    issuer: str
    not_before: str
    not_after: str
    key_type: str
    key_bits: int
    fingerprint_sha256: str
    name_match: bool
    chain_trusted: bool
    chain_error: str | None
    self_signed: bool
    expired: bool
    ocsp_stapled: bool | None = None
    ocsp_status: str | None = None
    trust: str = ""
    name_error: str | None = None
    revocation: str = "not checked"
    revocation_detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; keys are the field names."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class TargetResult:
    """Everything ``tlsfence verify`` found about one target.

    Attributes:
        target: the target as given (``host[:port]``).
        ip: address connected to.
        port: TCP port.
        sni: name sent in SNI and checked against the certificate (None for IP-only targets).
        versions: one result per protocol, in :data:`PROTOCOLS` order.
        certificates: distinct leaf certificates (one per key type the server offers).
        verdict: the core's verdict value (``conforming`` ...).
        excess: TLS <= 1.2 suites outside the profile's allowed set (OpenSSL names).
        reasons: why, most important first.
        warnings: findings the requirement allows but a reader should see (self-signed, untrusted chain).
        handshakes: TCP connections used in total.
        elapsed_s: wall time for this target.
        errors: what could not be determined, one line each.
        profile: profile name the verdict is under.
    """

    target: str
    ip: str
    port: int
    sni: str | None
    versions: tuple[VersionResult, ...]
    certificates: tuple[CertificateInfo, ...]
    verdict: str
    excess: tuple[str, ...]
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    handshakes: int
    elapsed_s: float
    errors: tuple[str, ...]
    profile: str = ""

    @property
    def protocols(self) -> tuple[str, ...]:
        """Accepted protocol versions, oldest first."""
        return tuple(v.protocol for v in self.versions if v.status == "accepted")

    def accepted_names(self, protocol: str) -> list[str]:
        """OpenSSL names accepted at ``protocol`` (IANA names for TLS 1.3), in server preference order."""
        for v in self.versions:
            if v.protocol == protocol:
                key = "iana" if protocol == "TLSv1.3" else "openssl"
                return [suite_names(protocol, c)[key] for c in v.accepted]
        return []

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object for one target."""
        cert = self.certificates[0].to_dict() if self.certificates else None
        return {
            "target": self.target, "ip": self.ip, "port": self.port, "sni": self.sni,
            "protocols": list(self.protocols),
            "suites": {v.protocol: [suite_names(v.protocol, c) for c in v.accepted]
                       for v in self.versions if v.status == "accepted"},
            "verdict": self.verdict, "profile": self.profile, "excess": list(self.excess),
            "reasons": list(self.reasons), "warnings": list(self.warnings),
            "certificate": cert, "certificates": [c.to_dict() for c in self.certificates],
            "versions": [v.to_dict() for v in sorted(self.versions, key=lambda v: PROTOCOLS.index(v.protocol))],
            "handshakes": self.handshakes, "elapsed_s": round(self.elapsed_s, 3), "errors": list(self.errors),
        }
