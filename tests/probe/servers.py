"""Real TLS servers on 127.0.0.1 for the prober's tests: a tiny PKI, nginx, ``openssl s_server``, s_client.

Everything is bounded: every wait polls with a deadline, every subprocess has a timeout, and the fixtures
kill what they started in ``finally``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, deadline_s: float = 10.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(path: Path, cert: x509.Certificate, key: object) -> None:
    path.with_suffix(".crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@dataclass
class Pki:
    """Certificates written to ``dir``: ``<name>.crt``/``<name>.key``; ``ca.crt`` is the trusted root."""

    dir: Path

    @property
    def ca(self) -> str:
        return str(self.dir / "ca.crt")

    def crt(self, name: str) -> str:
        return str(self.dir / f"{name}.crt")

    def key(self, name: str) -> str:
        return str(self.dir / f"{name}.key")


def make_pki(directory: Path) -> Pki:
    """A CA and leaves: rsa, ecdsa (server.test), wronghost (other.test), expired, selfsigned."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("tlsfence test CA")).issuer_name(_name("tlsfence test CA"))
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(NOW - dt.timedelta(days=1000)).not_valid_after(NOW + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    _write(directory / "ca", ca, ca_key)

    def leaf(name: str, key: object, cn: str, sans: list[str], *, expired: bool = False,
             self_signed: bool = False) -> None:
        start = NOW - dt.timedelta(days=400 if expired else 1)
        end = NOW - dt.timedelta(days=30) if expired else NOW + dt.timedelta(days=90)
        general = [x509.DNSName(s) for s in sans] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = (x509.CertificateBuilder().subject_name(_name(cn))
                   .issuer_name(_name(cn) if self_signed else ca.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())  # type: ignore
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.SubjectAlternativeName(general), critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(  # CA/B profile needs it
                       (key if self_signed else ca_key).public_key()), critical=False))  # type: ignore[attr-defined]
        cert = builder.sign(key if self_signed else ca_key, hashes.SHA256())  # type: ignore[arg-type]
        _write(directory / name, cert, key)

    leaf("rsa", rsa.generate_private_key(65537, 2048), "server.test", ["server.test", "*.server.test"])
    leaf("ecdsa", ec.generate_private_key(ec.SECP256R1()), "server.test", ["server.test", "*.server.test"])
    leaf("wronghost", rsa.generate_private_key(65537, 2048), "other.test", ["other.test"])
    leaf("expired", rsa.generate_private_key(65537, 2048), "server.test", ["server.test"], expired=True)
    leaf("selfsigned", rsa.generate_private_key(65537, 2048), "server.test", ["server.test"], self_signed=True)
    return Pki(directory)


def nginx_server_block(port: int, pki: Pki, certs: list[str], protocols: str, ciphers: str,
                       extra: str = "") -> str:
    lines = [f"server {{ listen 127.0.0.1:{port} ssl; server_name server.test;"]
    for c in certs:
        lines.append(f"  ssl_certificate {pki.crt(c)}; ssl_certificate_key {pki.key(c)};")
    lines.append(f"  ssl_protocols {protocols}; ssl_ciphers {ciphers}; ssl_prefer_server_ciphers on; {extra}")
    lines.append("  location / { return 200 'ok'; } }")
    return "\n".join(lines)


class Nginx:
    """One non-daemon nginx with a temp prefix serving several ``server`` blocks."""

    def __init__(self, directory: Path, blocks: list[str], ports: list[int], connections: int = 2048) -> None:
        self.dir = directory
        self.ports = ports
        conf = directory / "nginx.conf"
        conf.write_text(
            f"worker_processes 1; daemon off; pid {directory}/nginx.pid; error_log {directory}/error.log;\n"
            f"worker_rlimit_nofile {connections + 64}; events {{ worker_connections {connections}; }}\n"
            f"http {{ access_log off; client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;\n"
            f"fastcgi_temp_path {directory}/fcgi; uwsgi_temp_path {directory}/uwsgi; scgi_temp_path {directory}/scgi;\n"
            + "\n".join(blocks) + "\n}\n")
        self.proc = subprocess.Popen(["nginx", "-p", str(directory), "-c", str(conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            for port in ports:
                wait_port(port)
        except TimeoutError:
            self.stop()
            log = (directory / "error.log").read_text(errors="replace")[-2000:]
            raise RuntimeError("nginx did not start: " + log) from None

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


class SServer:
    """``openssl s_server`` in the background (it serves one connection at a time; enough for probing)."""

    def __init__(self, args: list[str]) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}", "-quiet",
                                      "-naccept", "100000", *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        try:
            wait_port(self.port)
        except TimeoutError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


def s_client_cipher(port: int, version: str, ciphers: str) -> str | None:
    """The suite ``openssl s_client`` negotiates with ``ciphers`` at ``version`` (None: handshake failed)."""
    flag = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}[version]
    opt = "-ciphersuites" if version == "TLSv1.3" else "-cipher"
    proc = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "server.test",
                           flag, opt, ciphers], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
    match = re.search(r"Cipher is (\S+)", proc.stdout)
    return None if match is None or match.group(1) == "(NONE)" else match.group(1)


def s_client_accepted(port: int, version: str) -> set[str]:
    """Elimination with ``openssl s_client``: every suite this OpenSSL can negotiate at ``version``."""
    found: list[str] = []
    for _ in range(200):
        if version == "TLSv1.3":
            left = [s for s in ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                                "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256") if s not in found]
            if not left:
                break
            got = s_client_cipher(port, version, ":".join(left))
        else:
            got = s_client_cipher(port, version, "ALL:COMPLEMENTOFALL:@SECLEVEL=0" + "".join(f":!{s}" for s in found))
        if got is None or got in found:
            break
        found.append(got)
    return set(found)
