"""The certificate handshakes' network half: stdlib ``ssl`` handshakes and the raw stapling probe, no parsing.

Kept apart from ``certificate`` (which judges what these return with ``cryptography``) so the handshakes can
be on the wire while ``cryptography``, the slowest import of ``verify``, is still loading: the certificate part
then costs max(import, handshakes) instead of import + handshakes.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from collections.abc import Sequence

from tlsfence.probe.net import Counter, Endpoint, Undetermined, exchange
from tlsfence.probe.wire import ProtocolError, build_client_hello, parse_certificate_list, parse_flight
from tlsfence.suites import registry

#: (label, cipher string, TLS 1.2 only): the default handshake, then one per key type (notes §1.4).
VARIANTS: tuple[tuple[str, str, bool], ...] = (
    ("any", "ALL:COMPLEMENTOFALL:@SECLEVEL=0", False),
    ("RSA", "aRSA:@SECLEVEL=0", True),
    ("ECDSA", "aECDSA:@SECLEVEL=0", True),
)
CERTIFICATE, CERTIFICATE_STATUS = 11, 22  # handshake message types (RFC 5246 §7.4, RFC 6066 §8)


def _context(ciphers: str, tls12_only: bool) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # cryptography judges the chain; OpenSSL only fetches it
    with warnings.catch_warnings():  # TLS 1.0 is deprecated, which is exactly why we must see such servers' certs
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    if tls12_only:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(ciphers)
    return ctx


def _presented(tls: ssl.SSLSocket) -> list[bytes]:
    """The chain as sent (leaf first). Public in Python 3.13; 3.11 and 3.12 have it on the private object."""
    getter = getattr(tls, "get_unverified_chain", None) or tls._sslobj.get_unverified_chain  # type: ignore
    chain = getter() or []
    ders = [c if isinstance(c, bytes) else c.public_bytes(2) for c in chain]  # 2: _ssl.ENCODING_DER
    if not ders:
        leaf = tls.getpeercert(binary_form=True)
        if not leaf:
            raise ssl.SSLError("server sent no certificate")
        ders = [leaf]
    return ders


def fetch_chain(address: str, port: int, sni: str | None, timeout: float,
                variant: tuple[str, str, bool]) -> list[bytes]:
    """One handshake of ``variant``; the presented chain, leaf first.

    The TLS 1.2 key-type variants need no finished handshake: before TLS 1.3 the Certificate message travels in
    clear in the server's first flight, so one raw hello offering only that key type's suites reads it (two round
    trips, where a full handshake takes three). The default variant, which may end in TLS 1.3 (certificate
    encrypted), is a real ``ssl`` handshake. Raises ``OSError``, ``ssl.SSLError`` or ``ValueError``.
    """
    label, ciphers, tls12_only = variant
    if tls12_only:
        return _raw_chain(Endpoint(address, port, sni, timeout), label)
    with socket.create_connection((address, port), timeout=timeout) as raw:
        raw.settimeout(timeout)
        with _context(ciphers, tls12_only).wrap_socket(raw, server_hostname=sni) as tls:
            return _presented(tls)


def _raw_chain(endpoint: Endpoint, key_type: str) -> list[bytes]:
    """The chain a TLS 1.2 server sends for a hello offering only ``key_type`` (RSA, ECDSA) suites."""
    from tlsfence.probe.enumerate import offered_codes  # likeliest first, so the cut at 127 keeps common suites

    usable = {s.code for s in registry().suites if s.auth == key_type}
    codes = [c for c in offered_codes("TLSv1.2") if c in usable][:127]
    hello = build_client_hello("TLSv1.2", codes, endpoint.sni)
    try:
        flight = exchange(endpoint, hello, parse_flight)
    except Undetermined as e:
        raise ValueError(str(e)) from None
    if not flight or flight[0][0] != 2:
        raise ValueError("refused (connection closed)")
    certificate = next((body for kind, body in flight if kind == CERTIFICATE), None)
    if certificate is None:
        raise ValueError("the server's flight has no Certificate message")
    try:
        return parse_certificate_list(certificate)
    except ProtocolError as e:
        raise ValueError(str(e)) from None


def variants() -> Sequence[tuple[str, str, bool]]:
    """The handshake variants run for every target (default, RSA-only, ECDSA-only)."""
    return VARIANTS


def staple_codes() -> list[int]:
    """The stapling probe's suites: TLS 1.2 with an RSA or ECDSA certificate (≤127, see ``enumerate.CHUNK``)."""
    return [s.code for s in registry().suites if s.usable_at("TLSv1.2") and s.auth in ("RSA", "ECDSA")][:127]


def fetch_staple(endpoint: Endpoint, counter: Counter | None = None) -> tuple[bool | None, bytes | None]:
    """One raw TLS 1.2 hello with status_request: (stapled?, the CertificateStatus body).

    Before TLS 1.3 the CertificateStatus message travels in clear, so the raw reader sees it without finishing
    the handshake. Returns (None, None) when TLS 1.2 cannot be negotiated (TLS 1.3 encrypts it).
    """
    hello = build_client_hello("TLSv1.2", staple_codes(), endpoint.sni, status_request=True)
    try:
        flight = exchange(endpoint, hello, parse_flight, counter=counter)
    except Undetermined:
        return None, None
    if not flight or flight[0][0] != 2:
        return None, None
    status = next((body for kind, body in flight if kind == CERTIFICATE_STATUS), None)
    return (False, None) if status is None else (True, status)
