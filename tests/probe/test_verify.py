"""End to end against real servers on 127.0.0.1: accepted sets (cross-checked with ``openssl s_client``),
verdicts, excess lists, certificate findings and exit codes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.probe.conftest import ALLOWED6
from tests.probe.servers import Pki, s_client_accepted
from tlsfence.probe.cli import run_verify

SIX = set(ALLOWED6.split(":"))
NO_SOURCE = "the certificate names no OCSP responder and no CRL distribution point"
TLS13_DEFAULT = {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"}


def verify(port: int, pki: Pki, *extra: str, **kw: Any) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = run_verify([f"server.test:{port}"], ip="127.0.0.1", timeout=3, fmt="json", cafile=pki.ca, out=out,
                      err=io.StringIO(), **kw)
    results = json.loads(out.getvalue())
    assert len(results) == 1
    return code, results[0]


def accepted(result: dict[str, Any], version: str) -> set[str]:
    key = "iana" if version == "TLSv1.3" else "openssl"
    return {s[key] for s in result["suites"].get(version, [])}


def cross_check(port: int, result: dict[str, Any], versions: tuple[str, ...]) -> None:
    """The prober's sets equal what ``openssl s_client`` negotiates by elimination, version by version."""
    for version in versions:
        assert accepted(result, version) == s_client_accepted(port, version), version


def test_exactly_the_six_allowed_suites_with_rsa_and_ecdsa_certificates(nginx, pki):
    code, r = verify(nginx["allowed6"], pki)
    assert (code, r["verdict"], r["excess"]) == (0, "conforming", [])
    assert r["protocols"] == ["TLSv1.2", "TLSv1.3"]
    assert accepted(r, "TLSv1.2") == SIX
    assert accepted(r, "TLSv1.3") == TLS13_DEFAULT
    cross_check(nginx["allowed6"], r, ("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"))
    assert sorted(c["key_type"] for c in r["certificates"]) == ["ECDSA", "RSA"]
    for cert in r["certificates"]:
        assert cert["names"] == ["server.test", "*.server.test", "127.0.0.1"]
        assert (cert["name_match"], cert["chain_trusted"], cert["self_signed"], cert["expired"]) == (
            True, True, False, False)
        assert cert["issuer"] == "CN=tlsfence test CA"
        assert cert["ocsp_stapled"] is False
        assert (cert["trust"], cert["name_error"], cert["revocation"]) == ("private-ca", None, "unknown")
        assert cert["revocation_detail"] == NO_SOURCE
    assert r["errors"] == []
    assert sorted(r["warnings"]) == [
        "ECDSA certificate chains to a private CA (--ca-file), not to a Mozilla-trusted root (strongly recommended)",
        f"ECDSA certificate: revocation unknown ({NO_SOURCE})",
        "RSA certificate chains to a private CA (--ca-file), not to a Mozilla-trusted root (strongly recommended)",
        f"RSA certificate: revocation unknown ({NO_SOURCE})"]
    assert r["sni"] == "server.test" and r["ip"] == "127.0.0.1"


def test_allowed_plus_extra_suites_is_excess_and_strict_fails(nginx, pki):
    code, r = verify(nginx["extra"], pki)
    assert (code, r["verdict"]) == (0, "conforming-with-excess")
    assert r["excess"] == ["AES128-GCM-SHA256", "AES128-SHA", "ECDHE-RSA-AES256-GCM-SHA384"]
    assert accepted(r, "TLSv1.2") == {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                                      "AES128-GCM-SHA256", "AES128-SHA"}
    cross_check(nginx["extra"], r, ("TLSv1.2", "TLSv1.3"))
    assert verify(nginx["extra"], pki, strict=True)[0] == 1


def test_tls10_and_tls11_enabled_is_nonconforming(nginx, pki):
    code, r = verify(nginx["legacy"], pki)
    assert (code, r["verdict"]) == (1, "nonconforming")
    assert r["protocols"] == ["TLSv1.0", "TLSv1.1", "TLSv1.2"]
    assert accepted(r, "TLSv1.0") == accepted(r, "TLSv1.1") == {"ECDHE-RSA-AES128-SHA", "AES128-SHA"}
    assert accepted(r, "TLSv1.2") == {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "AES128-SHA"}
    assert r["reasons"][0] == "accepts TLSv1.0, TLSv1.1 (below TLSv1.2)"
    cross_check(nginx["legacy"], r, ("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"))


def test_x25519_only_server_shows_all_six_suites(nginx, pki):
    """sslyze reports only the 2 CHACHA20 suites here (notes §1.2); P-256 and X25519 are both offered."""
    code, r = verify(nginx["x25519"], pki)
    assert (code, r["verdict"], r["protocols"]) == (0, "conforming", ["TLSv1.2"])
    assert accepted(r, "TLSv1.2") == SIX
    cross_check(nginx["x25519"], r, ("TLSv1.2",))


def test_tls13_only_is_nonconforming_unless_allowed(tls13_only, pki):
    code, r = verify(tls13_only, pki)
    assert (code, r["verdict"], r["protocols"]) == (1, "nonconforming", ["TLSv1.3"])
    assert accepted(r, "TLSv1.3") == TLS13_DEFAULT
    assert r["reasons"][0].startswith("TLS 1.3 only")
    assert r["certificate"]["ocsp_stapled"] is None
    cross_check(tls13_only, r, ("TLSv1.2", "TLSv1.3"))
    code, r = verify(tls13_only, pki, allow_tls13_only=True)
    assert (code, r["verdict"]) == (0, "conforming")


def test_hello_retry_request_counts_as_accepted(tls13_p384, pki):
    code, r = verify(tls13_p384, pki)
    assert accepted(r, "TLSv1.3") == TLS13_DEFAULT
    cross_check(tls13_p384, r, ("TLSv1.3",))
    notes = {v["protocol"]: v["notes"] for v in r["versions"]}
    assert notes["TLSv1.3"] == ["HelloRetryRequest received: counted as accepted (ssllabs-scan #845)"]
    assert "TLSv1.2" in r["protocols"] and r["errors"] == []


@pytest.mark.parametrize(("config", "reason"), [
    ("wronghost", "RSA certificate does not match server.test (leaf certificate has no matching subjectAltName; "
                  "names: other.test, 127.0.0.1)"),
    ("expired", "RSA certificate is outside its validity period (not after "),
])
def test_certificate_failures_are_nonconforming(nginx, pki, config, reason):
    code, r = verify(nginx[config], pki)
    assert (code, r["verdict"]) == (1, "nonconforming")
    assert r["reasons"][0].startswith(reason)
    assert accepted(r, "TLSv1.2") == {"ECDHE-RSA-AES128-GCM-SHA256"}
    cross_check(nginx[config], r, ("TLSv1.2", "TLSv1.3"))
    cert = r["certificate"]
    assert cert["name_match"] is (config != "wronghost")
    assert cert["expired"] is (config == "expired")
    assert cert["chain_trusted"] is True  # expiry is judged apart from the chain


def test_self_signed_is_a_warning_not_a_failure(nginx, pki):
    code, r = verify(nginx["selfsigned"], pki)
    assert (code, r["verdict"]) == (0, "conforming")
    assert accepted(r, "TLSv1.2") == {"ECDHE-RSA-AES128-GCM-SHA256"}
    cross_check(nginx["selfsigned"], r, ("TLSv1.2", "TLSv1.3"))
    assert r["certificate"]["self_signed"] is True and r["certificate"]["chain_trusted"] is False
    assert r["certificate"]["trust"] == "self-signed"
    assert r["certificate"]["revocation_detail"] == "self-signed: no CA can revoke it"
    assert r["warnings"] == ["RSA certificate is self-signed (allowed by the requirement; a Mozilla-trusted root "
                             "is strongly recommended)"]


def test_without_the_test_ca_the_chain_is_untrusted_but_still_conforming(nginx):
    out = io.StringIO()
    code = run_verify([f"127.0.0.1:{nginx['allowed6']}"], sni="server.test", fmt="json", timeout=3, out=out)
    r = json.loads(out.getvalue())[0]
    assert (code, r["verdict"]) == (0, "conforming")
    assert {c["chain_trusted"] for c in r["certificates"]} == {False}
    assert {c["trust"] for c in r["certificates"]} == {"untrusted"}
    assert sorted(w for w in r["warnings"] if "trusted root" in w) == [
        f"{key} certificate does not chain to a trusted root (Mozilla roots: no issuer of CN=tlsfence test CA "
        "leads to a root here)" for key in ("ECDSA", "RSA")]


def test_several_targets_run_in_parallel_and_the_worst_decides(nginx, pki):
    out = io.StringIO()
    targets = [f"server.test:{nginx['allowed6']}", f"server.test:{nginx['legacy']}"]
    code = run_verify(targets, ip="127.0.0.1", fmt="json", timeout=3, cafile=pki.ca, out=out)
    assert code == 1
    assert [r["verdict"] for r in json.loads(out.getvalue())] == ["conforming", "nonconforming"]


def test_decide_sslv2_is_nonconforming_even_when_the_rest_conforms():
    from tlsfence.probe.report import VersionResult
    from tlsfence.probe.verify import decide
    from tlsfence.profiles import load_profile

    versions = (VersionResult("SSLv2", "accepted", (0x0700C0,)), VersionResult("SSLv3", "refused"),
                VersionResult("TLSv1.0", "refused"), VersionResult("TLSv1.1", "refused"),
                VersionResult("TLSv1.2", "accepted", (0xC02F,)), VersionResult("TLSv1.3", "refused"))
    decision, warnings, errors = decide(versions, (), ["any handshake: refused"], load_profile(None), "x.test")
    assert decision.verdict.value == "nonconforming"
    assert decision.reasons[0] == "accepts SSLv2"
    assert errors == ("certificate: no handshake completed (any handshake: refused)",)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_only_on_a_terminal(nginx, pki):
    out, err = io.StringIO(), _Tty()
    run_verify([f"server.test:{nginx['allowed6']}"], ip="127.0.0.1", cafile=pki.ca, fmt="json", out=out, err=err)
    assert f"tlsfence verify: 1/1 done, last server.test:{nginx['allowed6']}: conforming" in err.getvalue()
    assert json.loads(out.getvalue())[0]["verdict"] == "conforming"


def test_a_name_idna_cannot_encode_is_unverifiable_for_that_target_not_a_crash():
    """Stack files feed names straight to verify_target (no CLI check): the endpoint is reported, not raised."""
    from tlsfence.probe.verify import VerifyOptions, verify_target
    from tlsfence.profiles import load_profile

    result = verify_target("a..b:443", "127.0.0.1", 9, "a..b", VerifyOptions(load_profile(None)))
    assert (result.verdict, result.handshakes) == ("unverifiable", 0)
    assert result.reasons == ("not probed: server name 'a..b' cannot be encoded with IDNA: label empty or too long",)
