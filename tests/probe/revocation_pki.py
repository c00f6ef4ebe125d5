"""A private CA whose leaves point at revocation services on 127.0.0.1: a real ``openssl ocsp`` responder and a
CRL served by a tiny ``http.server``.

Leaves (``<name>.crt``/``<name>.key``, all for ``server.test``): ``good`` and ``revoked`` name the OCSP responder
in their AIA; ``crl-good`` and ``crl-revoked`` have no AIA, only a CRL distribution point; ``down`` names a
responder port where nothing listens. Everything is bounded and stopped by the fixture that starts it.
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import select
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from tests.probe.servers import Pki, free_port

NOW = dt.datetime.now(dt.UTC)
LEAVES = ("good", "revoked", "crl-good", "crl-revoked", "down")
REVOKED = ("revoked", "crl-revoked")


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(path: Path, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> None:
    path.with_suffix(".crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@dataclass
class RevocationPki(Pki):
    """Where things are: ``dir`` holds ``ca.crt``, the leaves, ``index.txt`` and ``ca.crl``."""

    ocsp_port: int
    crl_port: int
    down_port: int

    def cert(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.dir / f"{name}.crt").read_bytes())


def make_revocation_pki(directory: Path) -> RevocationPki:
    """Write the CA, the leaves, the OCSP index (``openssl ca`` format) and a signed CRL."""
    pki = RevocationPki(directory, free_port(), free_port(), free_port())
    ca_key = rsa.generate_private_key(65537, 2048)
    ca = (x509.CertificateBuilder().subject_name(_name("tlsfence revocation CA"))
          .issuer_name(_name("tlsfence revocation CA")).public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(NOW - dt.timedelta(days=100)).not_valid_after(NOW + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    _pem(directory / "ca", ca, ca_key)
    ocsp_url = f"http://127.0.0.1:{pki.ocsp_port}/"
    crl_url = f"http://127.0.0.1:{pki.crl_port}/ca.crl"
    index, revoked = [], []
    for name in LEAVES:
        key = rsa.generate_private_key(65537, 2048)
        serial = x509.random_serial_number()
        builder = (x509.CertificateBuilder().subject_name(_name("server.test")).issuer_name(ca.subject)
                   .public_key(key.public_key()).serial_number(serial)
                   .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=90))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("server.test")]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                  critical=False))
        responder = {"good": ocsp_url, "revoked": ocsp_url, "down": f"http://127.0.0.1:{pki.down_port}/"}.get(name)
        if responder:
            builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(responder))]), critical=False)
        else:
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), critical=False)
        _pem(directory / name, builder.sign(ca_key, hashes.SHA256()), key)
        expiry = (NOW + dt.timedelta(days=90)).strftime("%y%m%d%H%M%SZ")
        hexserial = f"{serial:X}".rjust(2 * ((len(f"{serial:X}") + 1) // 2), "0")
        if name in REVOKED:
            when = NOW - dt.timedelta(hours=1)
            index.append(f"R\t{expiry}\t{when.strftime('%y%m%d%H%M%SZ')}\t{hexserial}\tunknown\t/CN=server.test")
            revoked.append(x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
        else:
            index.append(f"V\t{expiry}\t\t{hexserial}\tunknown\t/CN=server.test")
    (directory / "index.txt").write_text("\n".join(index) + "\n")
    (directory / "index.txt.attr").write_text("unique_subject = no\n")  # every leaf is CN=server.test
    crl = x509.CertificateRevocationListBuilder().issuer_name(ca.subject).last_update(NOW - dt.timedelta(hours=2))
    crl = crl.next_update(NOW + dt.timedelta(days=1))
    for entry in revoked:
        crl = crl.add_revoked_certificate(entry)
    (directory / "ca.crl").write_bytes(crl.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return pki


class OcspResponder:
    """``openssl ocsp`` answering for the CA from ``index.txt``, signing with the CA's key, on 127.0.0.1."""

    def __init__(self, pki: RevocationPki) -> None:
        self.proc = subprocess.Popen(
            ["openssl", "ocsp", "-index", str(pki.dir / "index.txt"), "-port", str(pki.ocsp_port),
             "-rsigner", pki.ca, "-rkey", str(pki.dir / "ca.key"), "-CA", pki.ca, "-ndays", "1", "-ignore_err"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        # It serves one connection at a time and a probe connection that sends nothing wedges it, so readiness
        # is its own word: the line it prints once listening.
        assert self.proc.stdout is not None
        end = time.monotonic() + 10
        seen = b""
        while b"waiting for OCSP client connections" not in seen:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, end - time.monotonic()))
            chunk = os.read(self.proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                self.stop()
                raise TimeoutError(f"openssl ocsp did not start: {seen.decode(errors='replace')}")
            seen += chunk
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        """Keep reading its log so that it never blocks on a full pipe."""
        assert self.proc.stdout is not None
        while os.read(self.proc.stdout.fileno(), 4096):
            pass

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


class CrlServer:
    """``http.server`` on 127.0.0.1 serving ``dir`` (the CRL) from a daemon thread."""

    def __init__(self, pki: RevocationPki) -> None:
        directory = str(pki.dir)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (quiet)
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", pki.crl_port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
