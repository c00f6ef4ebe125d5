"""The certificate part of the requirement: real handshakes with SNI, one per key type the server holds.

The raw prober stops at the ServerHello, so certificates come from the stdlib ``ssl`` module (OpenSSL does
the handshake) and are parsed with ``cryptography``. A server with RSA and ECDSA certificates shows one per
handshake, so TLS 1.2 handshakes restricted to ``aRSA`` and ``aECDSA`` suites reach both (notes §1.4).
Name matching is our own (RFC 6125 §6.4; ``ssl.match_hostname`` is gone in 3.12): SAN DNS names first, the CN
only without a DNS SAN (testssl.sh #733), a wildcard only as the whole left-most label.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import ssl
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

from tlsfence.probe.net import Counter, Endpoint, Undetermined, exchange
from tlsfence.probe.report import CertificateInfo
from tlsfence.probe.wire import build_client_hello, parse_flight
from tlsfence.suites import registry

#: OpenSSL's X509_V_FLAG_NO_CHECK_TIME: judge the chain apart from expiry, which is reported on its own.
_NO_CHECK_TIME = 0x200000
#: (label, cipher string, TLS 1.2 only): the default handshake, then one per key type.
_VARIANTS: tuple[tuple[str, str, bool], ...] = (
    ("any", "ALL:COMPLEMENTOFALL:@SECLEVEL=0", False),
    ("RSA", "aRSA:@SECLEVEL=0", True),
    ("ECDSA", "aECDSA:@SECLEVEL=0", True),
)


def name_matches(hostname: str, cert: x509.Certificate) -> bool:
    """RFC 6125 check of ``hostname`` against the certificate's SANs (CN only when there is no DNS SAN)."""
    try:
        ip = ipaddress.ip_address(hostname)
    except ValueError:
        ip = None
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = san.get_values_for_type(x509.DNSName)
        ips = san.get_values_for_type(x509.IPAddress)
    except x509.ExtensionNotFound:
        dns, ips = [], []
    if ip is not None:
        return ip in ips
    if not dns:
        dns = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    host = hostname.rstrip(".").lower()
    return any(_dns_match(pattern.rstrip(".").lower(), host) for pattern in dns)


def _dns_match(pattern: str, host: str) -> bool:
    """Exact match, or ``*.rest`` matching exactly one extra left-most label (no partial-label wildcards)."""
    if "*" not in pattern:
        return pattern == host
    first, _, rest = pattern.partition(".")
    if first != "*" or "*" in rest or rest.count(".") < 1:
        return False
    label, _, host_rest = host.partition(".")
    return bool(label) and host_rest == rest


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


def describe(der: bytes, hostname: str, trusted: bool, chain_error: str | None,
             now: datetime | None = None) -> CertificateInfo:
    """Turn a leaf certificate and the handshake's trust result into a :class:`CertificateInfo`."""
    cert = x509.load_der_x509_certificate(der)
    now = now or datetime.now(UTC)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = list(san.get_values_for_type(x509.DNSName))
        ips = [str(i) for i in san.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns, ips = [], []
    cn = [] if dns else [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    names = dns + cn + ips
    key_type, bits = key_description(cert)
    return CertificateInfo(
        names=tuple(names), subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.isoformat(), not_after=cert.not_valid_after_utc.isoformat(),
        key_type=key_type, key_bits=bits, fingerprint_sha256=hashlib.sha256(der).hexdigest(),
        name_match=name_matches(hostname, cert), chain_trusted=trusted, chain_error=chain_error,
        self_signed=is_self_signed(cert),
        expired=not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc),
    )


def _context(ciphers: str, tls12_only: bool, verify: bool, cafile: str) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    with warnings.catch_warnings():  # TLS 1.0 is deprecated, which is exactly why we must see such servers' certs
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    if tls12_only:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(ciphers)
    if verify:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=cafile)
        ctx.verify_flags |= _NO_CHECK_TIME
    else:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _handshake(address: str, port: int, sni: str | None, timeout: float, ctx: ssl.SSLContext) -> bytes:
    with socket.create_connection((address, port), timeout=timeout) as raw:
        raw.settimeout(timeout)
        with ctx.wrap_socket(raw, server_hostname=sni) as tls:
            der = tls.getpeercert(binary_form=True)
            if not der:
                raise ssl.SSLError("server sent no certificate")
            return der


def fetch_leaf(address: str, port: int, sni: str | None, timeout: float, variant: tuple[str, str, bool],
               cafile: str | None = None) -> tuple[bytes, bool, str | None, int]:
    """One verified handshake, then an unverified one if the chain does not verify.

    Returns (leaf DER, chain trusted, OpenSSL's reason if not, connections used). Raises ``OSError`` or
    ``ssl.SSLError`` when the server will not complete a handshake of this variant.
    """
    _label, ciphers, tls12_only = variant
    cafile = cafile or certifi.where()
    try:
        return _handshake(address, port, sni, timeout, _context(ciphers, tls12_only, True, cafile)), True, None, 1
    except ssl.SSLCertVerificationError as e:
        reason = e.verify_message or str(e)
    der = _handshake(address, port, sni, timeout, _context(ciphers, tls12_only, False, cafile))
    return der, False, reason, 2


def variants() -> Sequence[tuple[str, str, bool]]:
    """The handshake variants run for every target (default, RSA-only, ECDSA-only)."""
    return _VARIANTS


def fetch_ocsp(endpoint: Endpoint, counter: Counter | None = None) -> tuple[bool | None, str | None]:
    """Is an OCSP response stapled, and what does it say? One raw TLS 1.2 hello with status_request.

    Before TLS 1.3 the CertificateStatus message travels in clear, so the raw reader sees it without
    finishing the handshake. Returns (None, None) when TLS 1.2 cannot be negotiated (TLS 1.3 encrypts it).
    """
    codes = [s.code for s in registry().suites if s.usable_at("TLSv1.2") and s.auth in ("RSA", "ECDSA")][:127]
    hello = build_client_hello("TLSv1.2", codes, endpoint.sni, status_request=True)
    try:
        flight = exchange(endpoint, hello, parse_flight, counter=counter)
    except Undetermined:
        return None, None
    if not flight or flight[0][0] != 2:
        return None, None
    status = next((body for kind, body in flight if kind == 22), None)
    if status is None or len(status) < 4 or status[0] != 1:
        return False, None
    try:
        response = ocsp.load_der_ocsp_response(status[4:])
    except ValueError:
        return True, "malformed"
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return True, response.response_status.name.lower()
    return True, response.certificate_status.name.lower()
