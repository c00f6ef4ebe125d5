"""The wire layer: hex fixtures on every truncated prefix, malformed replies, hello construction, and a
small hypothesis run (the 100,000-case run is ``test_wire_fuzz.py``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.probe.fakes import parse_hello
from tests.probe.wire_fixtures import FIXTURES, TLS10_COALESCED, TLS12_SERVER_HELLO
from tlsfence.probe.wire import (
    ProtocolError,
    build_client_hello,
    build_sslv2_client_hello,
    encode_sni,
    handshake_messages,
    iter_records,
    parse_certificate_list,
    parse_flight,
    parse_server_reply,
)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_parses_only_once_complete(name):
    data, complete, expected, sslv2 = FIXTURES[name]
    for end in range(len(data) + 1):
        got = parse_server_reply(data[:end], sslv2=sslv2)
        assert got == (expected if end >= complete else None), end


def test_coalesced_messages_are_split_and_the_flight_ends_at_server_hello_done():
    assert [kind for kind, _ in parse_flight(TLS10_COALESCED)] == [2, 11, 14]
    for end in range(len(TLS10_COALESCED)):
        assert parse_flight(TLS10_COALESCED[:end]) is None
    messages = list(handshake_messages(iter_records(TLS10_COALESCED)))
    assert [(kind, len(body)) for kind, body in messages] == [(2, 38), (11, 3), (14, 0)]


@pytest.mark.parametrize(("data", "message"), [
    (bytes.fromhex("17 0303 0001 00"), "unexpected record type 23"),
    (bytes.fromhex("16 0200 0001 00"), "not a TLS record"),
    (bytes.fromhex("63 0303 0001 00"), "not a TLS record"),
    (bytes.fromhex("16 0303 ffff"), "exceeds the TLS maximum"),
    (bytes.fromhex("16 0303 0000"), "empty handshake record"),
    (bytes.fromhex("16 0303 0004 0b000000"), "expected a ServerHello, got handshake message type 11"),
    (bytes.fromhex("16 0303 0004 02ffffff"), "handshake message of"),
    (bytes.fromhex("15 0303 0003 022800"), "alert record of 3 bytes"),
    (bytes.fromhex("16 0303 0006 02000002 0303"), "too short"),
    (TLS12_SERVER_HELLO[:-4] + bytes.fromhex("0017 0009"), "extension 23 overruns the message"),
    (TLS12_SERVER_HELLO[:79] + b"\x00\x12" + TLS12_SERVER_HELLO[81:], "extensions length does not match"),
    (bytes.fromhex("16 0303 0003 020000") + bytes.fromhex("15 0303 0002 0228"), "alert interleaved"),
])
def test_malformed_replies_raise_protocol_error(data, message):
    with pytest.raises(ProtocolError, match=message):
        parse_server_reply(data)


def test_server_hello_with_a_non_tls_version_is_rejected():
    bad = bytearray(TLS12_SERVER_HELLO)
    bad[9:11] = b"\x7f\x12"
    with pytest.raises(ProtocolError, match="ServerHello with version 0x7f12"):
        parse_server_reply(bytes(bad))


@pytest.mark.parametrize("version", ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"])
@pytest.mark.parametrize("count", [1, 5, 60, 100, 127, 179, 352])
def test_client_hello_round_trips_and_avoids_intolerant_lengths(version, count):
    suites = list(range(1, count + 1))
    record = build_client_hello(version, suites, "server.test")
    hs_len = len(record) - 5
    assert not 256 <= hs_len <= 511 and hs_len % 256 not in (10, 14)
    hello = parse_hello(record)
    expected_version = {"SSLv3": 0x0300, "TLSv1.0": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303,
                        "TLSv1.3": 0x0304}[version]
    assert hello is not None and hello.raw_probe and hello.version == expected_version
    assert list(hello.suites) == suites + ([0x00FF] if version == "SSLv3" else [])
    assert record[1:3] == (b"\x03\x00" if version == "SSLv3" else b"\x03\x01")


def test_client_hello_extensions():
    hello = build_client_hello("TLSv1.2", [0xC02F], "server.test", status_request=True)
    assert b"\x00\x0bserver.test" in hello  # SNI host name
    assert b"\xff\x01\x00\x01\x00" in hello  # renegotiation_info
    assert b"\x00\x1d\x00\x17" in hello  # X25519 then P-256 at the head of supported_groups
    assert b"\x00\x05\x00\x05\x01\x00\x00\x00\x00" in hello  # status_request (OCSP)
    assert b"server.test" not in build_client_hello("TLSv1.2", [0xC02F], "127.0.0.1")  # no SNI for IPs
    tls13 = build_client_hello("TLSv1.3", [0x1301], None)
    assert b"\x00\x2b\x00\x03\x02\x03\x04" in tls13 and b"\x00\x33\x00\x26\x00\x24\x00\x1d\x00\x20" in tls13
    v2 = build_sslv2_client_hello([0x010080])
    assert v2[:2] == b"\x80\x1c" and v2[2:5] == b"\x01\x00\x02"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.booleans())
def test_random_bytes_give_a_message_none_or_protocol_error(data, sslv2):
    try:
        parse_server_reply(data, sslv2=sslv2)
        parse_flight(data)
    except ProtocolError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(FIXTURES)), st.data())
def test_mutated_fixtures_give_a_message_none_or_protocol_error(name, data):
    raw = bytearray(FIXTURES[name][0])
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    try:
        parse_server_reply(bytes(raw), sslv2=FIXTURES[name][3])
    except ProtocolError:
        pass



def _u24(n: int) -> bytes:
    return n.to_bytes(3, "big")


@pytest.mark.parametrize(("body", "expected"), [
    (_u24(0), []),  # an empty list (anonymous suites)
    (_u24(5) + _u24(2) + b"AB", [b"AB"]),
    (_u24(11) + _u24(2) + b"AB" + _u24(3) + b"CDE", [b"AB", b"CDE"]),  # leaf first, as sent
])
def test_certificate_list(body, expected):
    assert parse_certificate_list(body) == expected


@pytest.mark.parametrize(("body", "message"), [
    (b"", "length does not match"),
    (_u24(9) + _u24(2) + b"AB", "length does not match"),
    (_u24(6) + _u24(2) + b"AB" + b"\x00", "truncated certificate length"),
    (_u24(5) + _u24(9) + b"AB", "overruns the message"),
    (_u24(3) + _u24(0), "entry of 0 bytes"),
])
def test_malformed_certificate_list_is_a_protocol_error(body, message):
    with pytest.raises(ProtocolError, match=message):
        parse_certificate_list(body)


@pytest.mark.parametrize(("name", "expected"), [
    ("server.test", b"server.test"),
    ("Server.Test.", b"Server.Test"),  # no trailing dot in SNI (RFC 6066 §3); case is the server's business
    ("bücher.example", b"xn--bcher-kva.example"),
])
def test_sni_encoding(name, expected):
    assert encode_sni(name) == expected


@pytest.mark.parametrize("name", ["a..b", "", ".", "a" * 64 + ".test", "x." * 130, "\udcff.test"])
def test_names_idna_cannot_encode_are_value_errors(name):
    with pytest.raises(ValueError, match="server name"):
        encode_sni(name)
