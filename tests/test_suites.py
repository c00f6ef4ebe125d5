"""Suite names in both spellings, protocol names, and the data file's integrity."""

import pytest

from tlsfence.errors import InputError, UnknownSuiteError
from tlsfence.suites import PROTOCOLS, normalize_protocol, registry, suite, to_iana, to_openssl

SIX = {
    "ECDHE-ECDSA-AES128-GCM-SHA256": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-ECDSA-CHACHA20-POLY1305": "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-RSA-CHACHA20-POLY1305": "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-AES128-SHA256": "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "ECDHE-RSA-AES128-SHA256": "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
}


@pytest.mark.parametrize("openssl,iana", SIX.items())
def test_the_six_map_both_ways(openssl, iana):
    assert to_iana(openssl) == iana
    assert to_openssl(iana) == openssl
    assert to_openssl(iana.lower()) == openssl
    assert suite(openssl).min_version == "TLSv1.2"


def test_code_points_and_key_types():
    assert suite("ECDHE-RSA-AES128-GCM-SHA256").code == 0xC02F
    assert suite("ECDHE-ECDSA-CHACHA20-POLY1305").code == 0xCCA9
    assert suite("DES-CBC3-SHA").code == 0x000A
    assert suite("ECDHE-ECDSA-AES128-GCM-SHA256").auth == "ECDSA"
    assert suite("TLS_AES_128_GCM_SHA256").tls13
    assert not suite("ECDHE-RSA-AES128-SHA").usable_at("TLSv1.3")
    assert suite("ECDHE-RSA-AES128-SHA").usable_at("TLSv1.0")
    assert not suite("ECDHE-RSA-AES128-GCM-SHA256").usable_at("TLSv1.1")


def test_registry_is_consistent():
    reg = registry()
    codes = [s.code for s in reg.suites]
    assert len(codes) == len(set(codes))
    assert all(reg.by_code[s.code] is s for s in reg.suites)
    assert {s.min_version for s in reg.suites} <= set(PROTOCOLS)


def test_unknown_suite_is_a_clear_error():
    with pytest.raises(UnknownSuiteError, match="unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA999'"):
        suite("ECDHE-RSA-AES128-GCM-SHA999")


@pytest.mark.parametrize("raw,canon", [("TLSv1", "TLSv1.0"), ("TLS_1_2", "TLSv1.2"), ("tlsv1.3", "TLSv1.3"),
                                       ("Protocol-TLSv1.1", "TLSv1.1"), ("SSLv3", "SSLv3")])
def test_protocol_spellings(raw, canon):
    assert normalize_protocol(raw) == canon


def test_unknown_protocol_is_a_clear_error():
    with pytest.raises(InputError, match="unknown protocol version 'TLSv9'"):
        normalize_protocol("TLSv9")
