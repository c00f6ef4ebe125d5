"""Revocation, asked at the source: the leaf's OCSP responder (AIA), else the CRL at its distribution point.

The requirement says a revoked certificate must be replaced at once, so ``verify`` does not stop at a stapled
response: it POSTs an OCSP request (RFC 6960 §A.1) to every responder the leaf's Authority Information Access
names, and where there is none, or none gives an answer, it fetches the CRL from the CRL Distribution Points
(RFC 5280 §4.2.1.13). Requests and answers are built and parsed with ``cryptography``; an answer counts only when
it is signed by the issuer (or a responder the issuer delegated with the OCSP-signing EKU, RFC 6960 §4.2.2.2),
is about this certificate and is not stale. Anything else is ``unknown`` with the reason: reported, never a pass.

Every request has a timeout and every read a size cap and a deadline, so the whole check ends within the
budget the caller gives (the target's per-connection timeout).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

#: An OCSP response is a few KiB; a CRL of a large public CA is a few MiB.
MAX_OCSP_BYTES = 64 << 10
MAX_CRL_BYTES = 16 << 20
#: Clock skew tolerated on thisUpdate/nextUpdate (RFC 6960 §4.2.2.1 leaves it to the client).
SKEW = timedelta(minutes=5)
GOOD, REVOKED, UNKNOWN = "good", "revoked", "unknown"


@dataclass(frozen=True)
class Revocation:
    """What the CA says about one leaf.

    Attributes:
        status: ``good``, ``revoked`` or ``unknown``.
        detail: where it was asked and what it said; for ``unknown``, why no answer counted.
    """

    status: str
    detail: str


class _NoAnswer(Exception):
    """This source gave no usable answer; the message says why."""


def urls(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    """(OCSP responder URLs from AIA, CRL URLs from CDP), HTTP(S) only."""
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp_urls = [d.access_location.value for d in aia if d.access_method == AuthorityInformationAccessOID.OCSP
                     and isinstance(d.access_location, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    try:
        cdp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        crl_urls = [n.value for point in cdp for n in point.full_name or ()
                    if isinstance(n, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    http = ("http://", "https://")
    return [u for u in ocsp_urls if u.lower().startswith(http)], [u for u in crl_urls if u.lower().startswith(http)]


def check(leaf: x509.Certificate, issuer: x509.Certificate | None, timeout: float,
          now: datetime | None = None) -> Revocation:
    """Ask the leaf's OCSP responders, then its CRL distribution points, within ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    now = now or datetime.now(UTC)
    ocsp_urls, crl_urls = urls(leaf)
    if not ocsp_urls and not crl_urls:
        return Revocation(UNKNOWN, "the certificate names no OCSP responder and no CRL distribution point")
    if issuer is None:
        return Revocation(UNKNOWN, "the issuer certificate is not known (not sent by the server, not in a trust "
                                   "store), so no OCSP request can be built and no CRL signature checked")
    failures: list[str] = []
    for url in ocsp_urls:
        try:
            return _ask_ocsp(url, leaf, issuer, deadline, now)
        except _NoAnswer as e:
            failures.append(f"OCSP {url}: {e}")
    for url in crl_urls:
        try:
            return _ask_crl(url, leaf, issuer, deadline, now)
        except _NoAnswer as e:
            failures.append(f"CRL {url}: {e}")
    return Revocation(UNKNOWN, "; ".join(failures))


def _fetch(url: str, deadline: float, limit: int, body: bytes | None = None,
           content_type: str | None = None) -> bytes:
    """GET (or POST ``body``) with the time left before ``deadline``; at most ``limit`` bytes."""
    import urllib.error  # only when a responder is asked: http.client and email cost start-up otherwise
    import urllib.request

    left = deadline - time.monotonic()
    if left <= 0:
        raise _NoAnswer("no time left inside the target's deadline")
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=left) as response:  # noqa: S310 (http(s) only, see urls())
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > limit:
                    raise _NoAnswer(f"answer larger than {limit} bytes")
                if time.monotonic() > deadline:
                    raise _NoAnswer("answer not complete inside the target's deadline")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as e:
        raise _NoAnswer(f"HTTP {e.code}") from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        raise _NoAnswer(f"unreachable ({getattr(reason, 'strerror', None) or reason})") from e


def _ask_ocsp(url: str, leaf: x509.Certificate, issuer: x509.Certificate, deadline: float,
              now: datetime) -> Revocation:
    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA1()).build()  # noqa: S303
    body = _fetch(url, deadline, MAX_OCSP_BYTES, request.public_bytes(Encoding.DER), "application/ocsp-request")
    try:
        response = ocsp.load_der_ocsp_response(body)
    except ValueError as e:
        raise _NoAnswer("not an OCSP response") from e
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise _NoAnswer(f"responder answered {response.response_status.name.lower()}")
    if response.serial_number != leaf.serial_number or response.issuer_key_hash != request.issuer_key_hash:
        raise _NoAnswer("the response is about another certificate")
    _check_signer(response, issuer)
    _check_fresh(response.this_update_utc, response.next_update_utc, now)
    status = response.certificate_status
    if status == ocsp.OCSPCertStatus.GOOD:
        return Revocation(GOOD, f"OCSP {url}: good")
    if status == ocsp.OCSPCertStatus.REVOKED:
        when = response.revocation_time_utc
        reason = f", reason {response.revocation_reason.name}" if response.revocation_reason else ""
        return Revocation(REVOKED, f"OCSP {url}: revoked at {when.isoformat() if when else '?'}{reason}")
    raise _NoAnswer("the responder does not know this certificate")


def _check_signer(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> None:
    """The response is signed by the issuer or by a certificate the issuer gave the OCSP-signing EKU."""
    def named(cert: x509.Certificate) -> bool:
        if response.responder_name is not None:
            return response.responder_name == cert.subject
        return response.responder_key_hash == x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest

    signer = issuer if named(issuer) else None
    for cert in response.certificates if signer is None else ():
        if not named(cert):
            continue
        try:
            cert.verify_directly_issued_by(issuer)
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in eku:
            signer = cert
            break
    if signer is None:
        raise _NoAnswer("signed neither by the issuer nor by a responder it delegated")
    algorithm = response.signature_hash_algorithm
    key = signer.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(response.signature, response.tbs_response_bytes)
        else:
            raise _NoAnswer(f"signature algorithm not supported ({type(key).__name__})")
    except (InvalidSignature, UnsupportedAlgorithm) as e:
        raise _NoAnswer("the response's signature does not verify") from e


def _check_fresh(this_update: datetime, next_update: datetime | None, now: datetime) -> None:
    if this_update > now + SKEW:
        raise _NoAnswer(f"answer dated in the future ({this_update.isoformat()})")
    if next_update is not None and next_update < now - SKEW:
        raise _NoAnswer(f"stale answer (next update was {next_update.isoformat()})")


def _ask_crl(url: str, leaf: x509.Certificate, issuer: x509.Certificate, deadline: float,
             now: datetime) -> Revocation:
    body = _fetch(url, deadline, MAX_CRL_BYTES)
    try:
        crl = (x509.load_pem_x509_crl(body) if body.lstrip().startswith(b"-----") else x509.load_der_x509_crl(body))
    except ValueError as e:
        raise _NoAnswer("not a CRL") from e
    if crl.issuer != issuer.subject:
        raise _NoAnswer(f"issued by {crl.issuer.rfc4514_string()}, not by the certificate's issuer")
    if not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
        raise _NoAnswer("the CRL's signature does not verify")
    _check_fresh(crl.last_update_utc, crl.next_update_utc, now)
    entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    if entry is None:
        return Revocation(GOOD, f"CRL {url}: not listed")
    return Revocation(REVOKED, f"CRL {url}: revoked at {entry.revocation_date_utc.isoformat()}")
