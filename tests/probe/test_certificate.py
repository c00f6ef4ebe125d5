"""Certificate rules: RFC 6125 name matching (SAN first, CN only without DNS SAN, left-most wildcard only),
self-signed detection, key type and expiry; OCSP stapling reported from a real server."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tlsfence.probe.certificate import describe, fetch_ocsp, is_self_signed, name_matches
from tlsfence.probe.net import Endpoint

KEY = ec.generate_private_key(ec.SECP256R1())
NOW = dt.datetime.now(dt.UTC)


def cert(cn: str | None, dns: list[str] | None = None, ips: list[str] | None = None,
         days: tuple[int, int] = (-1, 30)) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(KEY.public_key())
               .serial_number(1).not_valid_before(NOW + dt.timedelta(days=days[0]))
               .not_valid_after(NOW + dt.timedelta(days=days[1])))
    general = [x509.DNSName(d) for d in dns or []] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips or []]
    if general:
        builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
    return builder.sign(KEY, hashes.SHA256())


@pytest.mark.parametrize(("host", "cn", "dns", "ips", "expected"), [
    ("api.example.com", None, ["api.example.com"], [], True),
    ("API.Example.COM.", None, ["api.example.com"], [], True),
    ("api.example.com", None, ["*.example.com"], [], True),
    ("example.com", None, ["*.example.com"], [], False),            # wildcard needs one label
    ("a.b.example.com", None, ["*.example.com"], [], False),        # ...exactly one
    ("api.example.com", None, ["api.*.com"], [], False),            # only in the left-most label
    ("api.example.com", None, ["a*.example.com"], [], False),       # no partial-label wildcards
    ("api.example.com", None, ["*.com"], [], False),                # not on a public suffix-like level
    ("api.example.com", "api.example.com", ["other.example.com"], [], False),  # CN ignored when a DNS SAN exists
    ("api.example.com", "api.example.com", None, [], True),         # CN used without DNS SAN
    ("api.example.com", "api.example.com", None, ["10.0.0.1"], True),  # an IP SAN is not a DNS SAN
    ("10.0.0.1", None, ["10.0.0.1"], [], False),                    # IPs match IP SANs only
    ("10.0.0.1", None, [], ["10.0.0.1"], True),
])
def test_name_matching(host, cn, dns, ips, expected):
    assert name_matches(host, cert(cn, dns, ips)) is expected


def test_describe_reports_names_key_expiry_and_self_signed():
    c = cert("server.test", ["server.test", "*.server.test"], ["127.0.0.1"], days=(-40, -10))
    info = describe(c.public_bytes(serialization.Encoding.DER), "www.server.test", False, "self-signed certificate")
    assert info.names == ("server.test", "*.server.test", "127.0.0.1")
    assert (info.key_type, info.key_bits, info.name_match, info.expired, info.self_signed) == (
        "ECDSA", 256, True, True, True)
    assert info.subject == info.issuer == "CN=server.test"
    assert info.to_dict()["names"] == ["server.test", "*.server.test", "127.0.0.1"]
    assert is_self_signed(cert("a", ["a"])) is True


def test_no_staple_from_a_server_without_ocsp(nginx):
    assert fetch_ocsp(Endpoint("127.0.0.1", nginx["allowed6"], "server.test", 3)) == (False, None)


def test_ocsp_not_observable_when_nothing_listens():
    from tests.probe.servers import free_port

    assert fetch_ocsp(Endpoint("127.0.0.1", free_port(), "server.test", 1)) == (None, None)
