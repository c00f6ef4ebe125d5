"""Fixtures for the prober: a test PKI, one nginx serving every configuration, ``openssl s_server``.

Fuzz tests (``@pytest.mark.fuzz``) are skipped unless ``TLSFENCE_FUZZ=1`` (tests/conftest.py, for the whole
suite), so a plain ``python -m pytest`` stays fast; run them with
``TLSFENCE_FUZZ=1 python -m pytest tests/probe -m fuzz -s``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.probe.servers import Nginx, Pki, SServer, free_port, make_pki, nginx_server_block

ALLOWED6 = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
            "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256")
#: name → (certificates, ssl_protocols, ssl_ciphers, extra directives)
NGINX_CONFIGS: dict[str, tuple[list[str], str, str, str]] = {
    "allowed6": (["rsa", "ecdsa"], "TLSv1.2 TLSv1.3", ALLOWED6, ""),
    "extra": (["rsa"], "TLSv1.2 TLSv1.3",
              "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256:AES128-SHA", ""),
    "legacy": (["rsa"], "TLSv1 TLSv1.1 TLSv1.2",
               "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0", ""),
    "x25519": (["rsa", "ecdsa"], "TLSv1.2", ALLOWED6, "ssl_ecdh_curve X25519;"),
    # Everything this OpenSSL has at security level 0: 80+ suites over four versions, for the adaptive split.
    "many": (["rsa", "ecdsa"], "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "ALL:COMPLEMENTOFALL:@SECLEVEL=0", ""),
    "wronghost": (["wronghost"], "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", ""),
    "expired": (["expired"], "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", ""),
    "selfsigned": (["selfsigned"], "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", ""),
}


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def nginx(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[dict[str, int]]:
    """Ports of every configuration in :data:`NGINX_CONFIGS`, served by one nginx process."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    ports = {name: free_port() for name in NGINX_CONFIGS}
    blocks = [nginx_server_block(ports[n], pki, *NGINX_CONFIGS[n]) for n in NGINX_CONFIGS]
    server = Nginx(Path(tmp_path_factory.mktemp("nginx")), blocks, list(ports.values()))
    try:
        yield ports
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tls13_only(pki: Pki) -> Iterator[int]:
    """``openssl s_server`` accepting TLS 1.3 only (RSA certificate)."""
    server = SServer(["-cert", pki.crt("rsa"), "-key", pki.key("rsa"), "-tls1_3"])
    try:
        yield server.port
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tls13_p384(pki: Pki) -> Iterator[int]:
    """``openssl s_server`` whose only group is P-384: an X25519 key share gets a HelloRetryRequest."""
    server = SServer(["-cert", pki.crt("rsa"), "-key", pki.key("rsa"), "-groups", "P-384"])
    try:
        yield server.port
    finally:
        server.stop()
