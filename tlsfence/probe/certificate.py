"""The certificate part of the requirement: one handshake per key type, judged by ``cryptography``'s verifier.

The raw prober stops at the ServerHello, so certificates come from the stdlib ``ssl`` module (OpenSSL does the
handshake, unverified) and the presented chain is judged by ``cryptography.x509.verification`` (RFC 5280 path
building, RFC 6125 name matching, the CA/Browser Forum profile): no name matcher and no second handshake of our
own. A server with RSA and ECDSA certificates shows one per handshake, so TLS 1.2 handshakes restricted to
``aRSA`` and ``aECDSA`` suites reach both (notes §1.4).

Each finding is judged apart from the others, as the requirement lists them: the name against the leaf alone
(the leaf is its own trust anchor, so only its name and SAN are looked at), the chain at a moment inside the
leaf's validity (expiry is reported on its own), and trust first against Mozilla's roots (certifi), then
against ``--ca-file``.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import (
    Criticality,
    DNSName,
    ExtensionPolicy,
    IPAddress,
    PolicyBuilder,
    Store,
    VerificationError,
)

from tlsfence.errors import InputError
from tlsfence.probe import handshake
from tlsfence.probe.net import Counter, Endpoint
from tlsfence.probe.report import CertificateInfo

#: Longest chain accepted (intermediates + root); cryptography's own default, stated so it is a decision.
MAX_CHAIN_DEPTH = 8
#: Trust levels, best first (docs/verify.md "Certificate").
MOZILLA, PRIVATE_CA, SELF_SIGNED, UNTRUSTED = "mozilla", "private-ca", "self-signed", "untrusted"


@dataclass(frozen=True)
class Judged:
    """A leaf as reported, plus the issuer certificate revocation checks need (None when not known)."""

    info: CertificateInfo
    leaf: x509.Certificate
    issuer: x509.Certificate | None


@functools.cache
def mozilla_store() -> Store:
    """Mozilla's roots as certifi ships them, loaded once."""
    with open(certifi.where(), "rb") as f, warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)  # a few old roots have odd serials
        return Store(x509.load_pem_x509_certificates(f.read()))


@functools.cache
def file_store(path: str) -> Store:
    """The roots in a PEM file (``--ca-file``); an unreadable or empty file is an input error."""
    try:
        with open(path, "rb") as f:
            data = f.read(16 << 20)
    except OSError as e:
        raise InputError(f"--ca-file {path!r}: cannot read it: {e.strerror or e}") from e
    try:
        return Store(x509.load_pem_x509_certificates(data))
    except ValueError as e:
        raise InputError(f"--ca-file {path!r}: no PEM certificate in it ({e})") from e


def _subject(hostname: str) -> DNSName | IPAddress:
    """The name the verifier checks: an IP address or a DNS name (trailing dot and case do not matter)."""
    try:
        return IPAddress(ipaddress.ip_address(hostname))
    except ValueError:
        return DNSName(hostname.rstrip(".").lower())


def _why(e: Exception) -> str:
    """cryptography's message without its prefix and the certificate repr it appends."""
    text = str(e).removeprefix("validation failed: ")
    return text.split(" (encountered processing", 1)[0]


def name_error(hostname: str, cert: x509.Certificate) -> str | None:
    """None when ``hostname`` matches the certificate's SANs (RFC 6125, as cryptography checks it), else why.

    The leaf is verified against a store holding only itself, with every extension but the SAN ignored, so
    nothing but the name decides. The CN is not a name (RFC 6125 §6.4.4; browsers dropped it): a certificate
    without a SAN never matches.
    """
    lenient = ExtensionPolicy.permit_all().require_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    builder = (PolicyBuilder().store(Store([cert])).time(start + (end - start) / 2)
               .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=lenient))
    try:
        verifier = builder.build_server_verifier(_subject(hostname))
    except ValueError:
        return f"{hostname!r} is not a valid DNS name"
    try:
        verifier.verify(cert, [])
    except VerificationError as e:
        return _why(e) + _cn_only(hostname, cert)
    return None


def _cn_only(hostname: str, cert: x509.Certificate) -> str:
    """What to tell the owner of a certificate whose CN is the host name but which names it in no SAN: the
    partner text speaks of "the server's CN", but clients that follow RFC 6125 (browsers since 2017, Go since
    1.15, cryptography) match subjectAltName only, so the stricter reading is the one that holds everywhere."""
    if _san(cert) is not None:
        return ""
    cns = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if any(isinstance(cn, str) and cn.lower().rstrip(".") == hostname.lower().rstrip(".") for cn in cns):
        return (f"; its CN is {hostname}, but RFC 6125 clients match subjectAltName only: reissue it with "
                f"{hostname} in a subjectAltName")
    return ""


def _san(cert: x509.Certificate) -> x509.SubjectAlternativeName | None:
    """The certificate's subjectAltName extension, or None when it has none."""
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None


def _own_name(cert: x509.Certificate) -> str | None:
    """A name the certificate holds (for judging its chain apart from the checked name)."""
    san = _san(cert)
    if san is None:
        return None
    for name in san.get_values_for_type(x509.DNSName):
        return "x" + name[1:] if name.startswith("*.") else name
    for ip in san.get_values_for_type(x509.IPAddress):
        return str(ip)
    return None


def trust(leaf: x509.Certificate, intermediates: Sequence[x509.Certificate], hostname: str,
          cafile: str | None, now: datetime) -> tuple[str, str | None, list[x509.Certificate]]:
    """(trust level, why not trusted, verified chain) for the presented chain, judged apart from name and time."""
    name = hostname if name_error(hostname, leaf) is None else (_own_name(leaf) or hostname)
    start, end = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    when = min(max(now, start), end)
    stores = [(MOZILLA, "Mozilla roots", mozilla_store())]
    if cafile:
        stores.append((PRIVATE_CA, "--ca-file", file_store(cafile)))
    errors = []
    for level, label, store in stores:
        builder = PolicyBuilder().store(store).time(when).max_chain_depth(MAX_CHAIN_DEPTH)
        try:
            chain = builder.build_server_verifier(_subject(name)).verify(leaf, list(intermediates))
        except (VerificationError, ValueError) as e:
            why = _why(e)
            if why.endswith("all candidates exhausted with no interior errors"):
                why = f"no issuer of {leaf.issuer.rfc4514_string()} leads to a root here"
            errors.append(f"{label}: {why}")
            continue
        return level, None, chain
    return (SELF_SIGNED if is_self_signed(leaf) else UNTRUSTED), "; ".join(errors), []


def find_issuer(leaf: x509.Certificate, chain: Sequence[x509.Certificate],
                presented: Sequence[x509.Certificate]) -> x509.Certificate | None:
    """The leaf's issuer: from the verified chain, else the presented certificate that signed it."""
    if len(chain) > 1:
        return chain[1]
    for cert in presented:
        if cert.subject == leaf.issuer:
            try:
                leaf.verify_directly_issued_by(cert)
            except Exception:  # ValueError, TypeError or InvalidSignature: not this one
                continue
            return cert
    return None


def key_description(cert: x509.Certificate) -> tuple[str, int]:
    """Key type (``RSA``, ``ECDSA``, ...) and size in bits."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ECDSA", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    return type(key).__name__, 0


def is_self_signed(cert: x509.Certificate) -> bool:
    """Issued by itself: issuer equals subject and its own key verifies the signature."""
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # cryptography raises ValueError, TypeError or InvalidSignature here
        return False
    return True


def describe(chain_der: Sequence[bytes], hostname: str, cafile: str | None = None,
             now: datetime | None = None) -> Judged:
    """Judge a presented chain (leaf first) for ``hostname``: names, key, validity, name match, trust."""
    certs = [x509.load_der_x509_certificate(d) for d in chain_der]
    cert, rest = certs[0], certs[1:]
    now = now or datetime.now(UTC)
    san = _san(cert)
    dns = list(san.get_values_for_type(x509.DNSName)) if san is not None else []
    ips = [str(i) for i in san.get_values_for_type(x509.IPAddress)] if san is not None else []
    cn = [] if dns else [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    key_type, bits = key_description(cert)
    mismatch = name_error(hostname, cert)
    level, chain_error, chain = trust(cert, rest, hostname, cafile, now)
    info = CertificateInfo(
        names=tuple(dns + cn + ips), subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.isoformat(), not_after=cert.not_valid_after_utc.isoformat(),
        key_type=key_type, key_bits=bits, fingerprint_sha256=hashlib.sha256(chain_der[0]).hexdigest(),
        name_match=mismatch is None, chain_trusted=level in (MOZILLA, PRIVATE_CA), chain_error=chain_error,
        self_signed=is_self_signed(cert),
        expired=not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc),
        trust=level, name_error=mismatch,
    )
    return Judged(info, cert, find_issuer(cert, chain, rest))


def fetch_ocsp(endpoint: Endpoint, counter: Counter | None = None) -> tuple[bool | None, str | None]:
    """Is an OCSP response stapled, and what does it say? (``handshake.fetch_staple``, then the parse.)"""
    return staple_status(*handshake.fetch_staple(endpoint, counter))


def staple_status(stapled: bool | None, status: bytes | None) -> tuple[bool | None, str | None]:
    """(stapled, status) from what ``handshake.fetch_staple`` read: the OCSP response's verdict, parsed."""
    if not stapled or status is None:
        return stapled, None
    if len(status) < 4 or status[0] != 1:
        return False, None
    try:
        response = ocsp.load_der_ocsp_response(status[4:])
    except ValueError:
        return True, "malformed"
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return True, response.response_status.name.lower()
    return True, response.certificate_status.name.lower()
