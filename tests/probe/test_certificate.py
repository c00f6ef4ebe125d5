"""Certificate rules through ``cryptography.x509.verification``: RFC 6125 names (SAN only, left-most wildcard,
IP SANs), trust levels (Mozilla, private CA, self-signed, untrusted) judged apart from name and expiry, chain depth,
key type; OCSP stapling reported from a real server."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tlsfence.errors import InputError
from tlsfence.probe import certificate
from tlsfence.probe.certificate import describe, fetch_ocsp, file_store, is_self_signed, name_error
from tlsfence.probe.net import Endpoint

KEY = ec.generate_private_key(ec.SECP256R1())
NOW = dt.datetime.now(dt.UTC)
DER = serialization.Encoding.DER


def cert(cn: str | None, dns: list[str] | None = None, ips: list[str] | None = None,
         days: tuple[int, int] = (-1, 30)) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn or "x")])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(KEY.public_key())
               .serial_number(1).not_valid_before(NOW + dt.timedelta(days=days[0]))
               .not_valid_after(NOW + dt.timedelta(days=days[1])))
    general = [x509.DNSName(d) for d in dns or []] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips or []]
    if general:
        builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
    return builder.sign(KEY, hashes.SHA256())


NO_MATCH = "leaf certificate has no matching subjectAltName"


@pytest.mark.parametrize(("host", "cn", "dns", "ips", "expected"), [
    ("api.example.com", None, ["api.example.com"], [], None),
    ("API.Example.COM.", None, ["api.example.com"], [], None),      # case and a trailing dot do not matter
    ("api.example.com", None, ["*.example.com"], [], None),
    ("example.com", None, ["*.example.com"], [], NO_MATCH),         # wildcard needs one label
    ("a.b.example.com", None, ["*.example.com"], [], NO_MATCH),     # ...exactly one
    ("api.example.com", None, ["a*.example.com"], [], NO_MATCH),    # no partial-label wildcards
    ("api.example.com", None, ["*.com"], [], NO_MATCH),             # not on a public suffix-like level
    ("api.example.com", "api.example.com", ["other.example.com"], [], NO_MATCH),  # CN is not a name
    ("api.example.com", "api.example.com", None, [],                # no SAN at all: nothing matches
     "missing required extension: leaf server certificate has no subjectAltName; its CN is api.example.com, "
     "but RFC 6125 clients match subjectAltName only: reissue it with api.example.com in a subjectAltName"),
    ("api.example.com", "other.example.com", None, [],              # ...and the CN says nothing else
     "missing required extension: leaf server certificate has no subjectAltName"),
    ("10.0.0.1", None, ["10.0.0.1"], [], NO_MATCH),                 # IPs match IP SANs only
    ("10.0.0.1", None, [], ["10.0.0.1"], None),
    ("::1", None, [], ["::1"], None),
    ("bad..name", None, ["api.example.com"], [], "'bad..name' is not a valid DNS name"),
])
def test_name_matching_is_cryptography_rfc6125(host, cn, dns, ips, expected):
    assert name_error(host, cert(cn, dns, ips)) == expected


def test_describe_reports_names_key_expiry_and_self_signed():
    c = cert("server.test", ["server.test", "*.server.test"], ["127.0.0.1"], days=(-40, -10))
    judged = describe([c.public_bytes(DER)], "www.server.test")
    info = judged.info
    assert info.names == ("server.test", "*.server.test", "127.0.0.1")
    assert (info.key_type, info.key_bits, info.name_match, info.expired, info.self_signed, info.trust) == (
        "ECDSA", 256, True, True, True, "self-signed")
    assert info.subject == info.issuer == "CN=server.test"
    assert info.to_dict()["names"] == ["server.test", "*.server.test", "127.0.0.1"]
    assert is_self_signed(cert("a", ["a"])) is True


def _ca(name: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
        path_length: int | None = None) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=100))
               .not_valid_after(NOW + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
               .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def _leaf(issuer: x509.Certificate, issuer_key: ec.EllipticCurvePrivateKey, names: list[str],
          days: tuple[int, int] = (-1, 30)) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    return (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(issuer.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW + dt.timedelta(days=days[0])).not_valid_after(NOW + dt.timedelta(days=days[1]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                           critical=False)
            .sign(issuer_key, hashes.SHA256()))


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """root → intermediate → leaf (api.example.com), the root written to a --ca-file."""
    root_key, mid_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = _ca("test root", root_key, None)
    mid = _ca("test intermediate", mid_key, (root.subject, root_key), path_length=0)
    cafile = tmp_path_factory.mktemp("ca") / "root.pem"
    cafile.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return root, mid, mid_key, str(cafile)


@pytest.mark.parametrize(("host", "days", "with_mid", "with_cafile", "trust", "name_match", "expired", "issuer"), [
    ("api.example.com", (-1, 30), True, True, "private-ca", True, False, "CN=test intermediate"),
    ("api.example.com", (-1, 30), True, False, "untrusted", True, False, "CN=test intermediate"),
    ("api.example.com", (-1, 30), False, True, "untrusted", True, False, None),  # intermediate not sent
    ("other.example.com", (-1, 30), True, True, "private-ca", False, False, "CN=test intermediate"),  # apart
    ("api.example.com", (-40, -10), True, True, "private-ca", True, True, "CN=test intermediate"),  # apart
])
def test_trust_is_judged_apart_from_name_and_expiry(chain, host, days, with_mid, with_cafile, trust, name_match,
                                                     expired, issuer):
    _root, mid, mid_key, cafile = chain
    leaf = _leaf(mid, mid_key, ["api.example.com"], days)
    presented = [leaf.public_bytes(DER)] + ([mid.public_bytes(DER)] if with_mid else [])
    judged = describe(presented, host, cafile if with_cafile else None)
    assert (judged.info.trust, judged.info.name_match, judged.info.expired) == (trust, name_match, expired)
    assert judged.info.chain_trusted is (trust == "private-ca")
    assert (judged.issuer.subject.rfc4514_string() if judged.issuer else None) == issuer
    if trust == "untrusted":
        assert judged.info.chain_error.startswith("Mozilla roots: ")
        assert ("--ca-file: " in judged.info.chain_error) is with_cafile


def test_chain_depth_is_bounded(chain, monkeypatch):
    _root, mid, mid_key, cafile = chain
    leaf = _leaf(mid, mid_key, ["api.example.com"])
    monkeypatch.setattr(certificate, "MAX_CHAIN_DEPTH", 0)
    judged = describe([leaf.public_bytes(DER), mid.public_bytes(DER)], "api.example.com", cafile)
    assert judged.info.trust == "untrusted"
    assert "--ca-file: " in judged.info.chain_error and "depth" in judged.info.chain_error


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read it"),
    (b"", "no PEM certificate in it"),
    (b"not a certificate\n", "no PEM certificate in it"),
])
def test_a_bad_ca_file_is_an_input_error(tmp_path, content, message):
    path = tmp_path / "ca.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        file_store(str(path))


def test_no_staple_from_a_server_without_ocsp(nginx):
    assert fetch_ocsp(Endpoint("127.0.0.1", nginx["allowed6"], "server.test", 3)) == (False, None)


def test_ocsp_not_observable_when_nothing_listens():
    from tests.probe.servers import free_port

    assert fetch_ocsp(Endpoint("127.0.0.1", free_port(), "server.test", 1)) == (None, None)


def test_a_chain_to_a_mozilla_root_is_mozilla_trusted(chain, monkeypatch):
    """The Mozilla store is certifi's; here it holds the test root, so the same chain is judged ``mozilla``
    (first) even with --ca-file, and without the intermediate the reason names both stores."""
    from cryptography.x509.verification import Store

    root, mid, mid_key, cafile = chain
    monkeypatch.setattr(certificate, "mozilla_store", lambda: Store([root]))
    leaf = _leaf(mid, mid_key, ["api.example.com"])
    judged = describe([leaf.public_bytes(DER), mid.public_bytes(DER)], "api.example.com", cafile)
    assert (judged.info.trust, judged.info.chain_trusted, judged.info.chain_error) == ("mozilla", True, None)
    alone = describe([leaf.public_bytes(DER)], "api.example.com", cafile)
    assert alone.info.trust == "untrusted"
    assert alone.info.chain_error == ("Mozilla roots: no issuer of CN=test intermediate leads to a root here; "
                                      "--ca-file: no issuer of CN=test intermediate leads to a root here")
