"""Revocation asked at the source, against a real ``openssl ocsp`` responder and a CRL served over HTTP on
127.0.0.1: good and revoked leaves by OCSP, by CRL (no AIA), a responder that is down or silent, answers that do
not count (wrong signer, stale), and ``--no-revocation``. End to end through nginx presenting those leaves."""

from __future__ import annotations

import io
import json
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from tests.probe.revocation_pki import LEAVES, CrlServer, OcspResponder, RevocationPki, make_revocation_pki
from tests.probe.servers import Nginx, free_port, nginx_server_block
from tlsfence.probe import revocation
from tlsfence.probe.cli import run_verify


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib honours proxy variables; the loopback services must be asked directly."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def rpki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RevocationPki]:
    """The PKI with its OCSP responder and CRL server running."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    pki = make_revocation_pki(tmp_path_factory.mktemp("revocation"))
    responder = OcspResponder(pki)
    crl = CrlServer(pki)
    try:
        yield pki
    finally:
        responder.stop()
        crl.stop()


@pytest.fixture(scope="module")
def leaf_ports(rpki: RevocationPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    """nginx presenting each leaf on its own port."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    ports = {name: free_port() for name in LEAVES}
    blocks = [nginx_server_block(ports[n], rpki, [n], "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")  # type: ignore
              for n in LEAVES]
    server = Nginx(Path(tmp_path_factory.mktemp("nginx-revocation")), blocks, list(ports.values()))
    try:
        yield ports
    finally:
        server.stop()


def _issuer(rpki: RevocationPki):
    return rpki.cert("ca")


@pytest.mark.parametrize(("leaf", "status", "detail"), [
    ("good", "good", "OCSP http://127.0.0.1:{ocsp}/: good"),
    ("revoked", "revoked", "OCSP http://127.0.0.1:{ocsp}/: revoked at "),
    ("crl-good", "good", "CRL http://127.0.0.1:{crl}/ca.crl: not listed"),
    ("crl-revoked", "revoked", "CRL http://127.0.0.1:{crl}/ca.crl: revoked at "),
    ("down", "unknown", "OCSP http://127.0.0.1:{down}/: unreachable (Connection refused)"),
])
def test_each_leaf_is_asked_at_its_source(rpki, leaf, status, detail):
    answer = revocation.check(rpki.cert(leaf), _issuer(rpki), timeout=5)
    expected = detail.format(ocsp=rpki.ocsp_port, crl=rpki.crl_port, down=rpki.down_port)
    assert answer.status == status
    assert answer.detail.startswith(expected), answer.detail


def test_without_the_issuer_nothing_can_be_asked(rpki):
    answer = revocation.check(rpki.cert("good"), None, timeout=5)
    assert answer.status == "unknown" and answer.detail.startswith("the issuer certificate is not known")


def test_an_answer_signed_by_another_key_does_not_count(rpki):
    # the CRL is signed by the CA; judged against another certificate as issuer, neither source counts
    answer = revocation.check(rpki.cert("crl-good"), rpki.cert("good"), timeout=5)
    assert answer.status == "unknown"
    assert "not by the certificate's issuer" in answer.detail
    ocsp_answer = revocation.check(rpki.cert("good"), rpki.cert("crl-good"), timeout=5)
    assert ocsp_answer.status == "unknown"
    assert ocsp_answer.detail.endswith("signed neither by the issuer nor by a responder it delegated")


def test_a_stale_crl_does_not_count(rpki):
    later = revocation.datetime.now(revocation.UTC) + revocation.timedelta(days=3)
    answer = revocation.check(rpki.cert("crl-good"), _issuer(rpki), timeout=5, now=later)
    assert answer.status == "unknown" and "stale answer (next update was " in answer.detail


def test_a_silent_responder_ends_within_the_budget():
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        started = time.monotonic()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        try:
            revocation._fetch(url, time.monotonic() + 0.5, 1024, b"x", "application/ocsp-request")
        except revocation._NoAnswer as e:
            reason = str(e)
        else:
            reason = ""
        assert "timed out" in reason
        assert time.monotonic() - started < 5  # bounded by the budget, with room for a loaded machine


def verify(port: int, rpki: RevocationPki, **kw: Any) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = run_verify([f"server.test:{port}"], ip="127.0.0.1", timeout=3, fmt="json", cafile=rpki.ca, out=out,
                      err=io.StringIO(), **kw)
    return code, json.loads(out.getvalue())[0]


def test_verify_reports_good_and_passes(rpki, leaf_ports):
    code, r = verify(leaf_ports["good"], rpki)
    assert (code, r["verdict"]) == (0, "conforming")
    assert (r["certificate"]["revocation"], r["certificate"]["revocation_detail"]) == (
        "good", f"OCSP http://127.0.0.1:{rpki.ocsp_port}/: good")
    assert not [w for w in r["warnings"] if "revocation" in w]


@pytest.mark.parametrize("leaf", ["revoked", "crl-revoked"])
def test_verify_revoked_is_nonconforming(rpki, leaf_ports, leaf):
    code, r = verify(leaf_ports[leaf], rpki)
    assert (code, r["verdict"]) == (1, "nonconforming")
    assert r["certificate"]["revocation"] == "revoked"
    assert r["reasons"][0].startswith("RSA certificate is revoked (")
    assert r["reasons"][0].endswith("): replace the certificate at once")


def test_verify_responder_down_is_reported_not_passed_silently(rpki, leaf_ports):
    code, r = verify(leaf_ports["down"], rpki)
    assert (code, r["verdict"]) == (0, "conforming")  # advisory: the requirement is about revoked certificates
    assert r["certificate"]["revocation"] == "unknown"
    assert f"RSA certificate: revocation unknown (OCSP http://127.0.0.1:{rpki.down_port}/: unreachable " \
           "(Connection refused))" in r["warnings"]


def test_no_revocation_asks_nobody(rpki, leaf_ports):
    code, r = verify(leaf_ports["revoked"], rpki, revocation=False)
    assert (code, r["verdict"]) == (0, "conforming")
    assert (r["certificate"]["revocation"], r["certificate"]["revocation_detail"]) == (
        "not checked", "--no-revocation")


def test_text_output_shows_revocation(rpki, leaf_ports):
    out = io.StringIO()
    run_verify([f"server.test:{leaf_ports['crl-revoked']}"], ip="127.0.0.1", timeout=3, cafile=rpki.ca, out=out,
               err=io.StringIO())
    assert f"revocation REVOKED (CRL http://127.0.0.1:{rpki.crl_port}/ca.crl: revoked at " in out.getvalue()
    assert "why      RSA certificate is revoked (CRL " in out.getvalue()


def test_pem_crl_is_read_too(rpki, tmp_path):
    from cryptography import x509

    der = (rpki.dir / "ca.crl").read_bytes()
    pem = x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM)
    (rpki.dir / "ca.crl").write_bytes(pem)
    try:
        answer = revocation.check(rpki.cert("crl-revoked"), _issuer(rpki), timeout=5)
    finally:
        (rpki.dir / "ca.crl").write_bytes(der)
    assert answer.status == "revoked"


def test_sarif_reports_revoked_as_an_error_and_unknown_as_a_note(rpki, leaf_ports):
    out = io.StringIO()
    code = run_verify([f"server.test:{leaf_ports['revoked']}", f"server.test:{leaf_ports['down']}"], ip="127.0.0.1",
                      timeout=3, fmt="sarif", cafile=rpki.ca, out=out, err=io.StringIO())
    results = json.loads(out.getvalue())["runs"][0]["results"]
    assert code == 1
    errors = [r["message"]["text"] for r in results if r["level"] == "error"]
    assert len(errors) == 1 and "RSA certificate is revoked (OCSP " in errors[0]
    assert any(r["ruleId"] == "TLSF-VERIFY-004" and "revocation unknown (OCSP " in r["message"]["text"]
               for r in results)


def test_revocation_stays_inside_the_targets_deadline(rpki):
    answer = revocation.check(rpki.cert("good"), _issuer(rpki), timeout=0)
    assert (answer.status, answer.detail) == (
        "unknown", f"OCSP http://127.0.0.1:{rpki.ocsp_port}/: no time left inside the target's deadline")
