"""Fuzz the server-reply parser: random, mutated and structured replies; only ProtocolError may escape.

At least 100,000 cases in total. Skipped unless ``TLSFENCE_FUZZ=1`` (see conftest.py); run with
``TLSFENCE_FUZZ=1 python -m pytest tests/probe/test_wire_fuzz.py -s`` to see the count.
"""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.probe.wire_fixtures import FIXTURES
from tlsfence.probe.wire import ProtocolError, parse_certificate_list, parse_flight, parse_server_reply

CASES = 35_000  # per test; three tests
COUNT = {"cases": 0}
FUZZ = settings(max_examples=CASES, deadline=None, database=None, derandomize=False,
                suppress_health_check=list(HealthCheck))


def _check(data: bytes, sslv2: bool) -> None:
    COUNT["cases"] += 1
    for parse in (lambda d: parse_server_reply(d, sslv2=sslv2), parse_flight, parse_certificate_list):
        try:
            parse(data)
        except ProtocolError:
            pass


def _record(ctype: int, version: int, body: bytes) -> bytes:
    return struct.pack("!BHH", ctype, version, len(body)) + body


@st.composite
def structured(draw: st.DrawFn) -> bytes:
    """Well-framed records around handshake messages with random bodies and lengths that may lie."""
    out = b""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([2, 2, 2, 11, 12, 14, 22, draw(st.integers(0, 255))]))
        body = draw(st.binary(max_size=120))
        declared = draw(st.one_of(st.just(len(body)), st.integers(0, 0xFFFFFF)))
        msg = bytes([kind]) + declared.to_bytes(3, "big") + body
        ctype = draw(st.sampled_from([22, 22, 22, 21, 20, 23]))
        out += _record(ctype, draw(st.sampled_from([0x0301, 0x0303, 0x0300, 0x0304])), msg)
    return out


@pytest.mark.fuzz
@FUZZ
@given(st.binary(max_size=512), st.booleans())
def test_fuzz_random_bytes(data, sslv2):
    _check(data, sslv2)


@pytest.mark.fuzz
@FUZZ
@given(st.sampled_from(sorted(FIXTURES)), st.data())
def test_fuzz_mutated_fixtures(name, data):
    raw = bytearray(FIXTURES[name][0])
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(st.integers(0, 2))
        pos = data.draw(st.integers(0, len(raw) - 1))
        if op == 0:
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == 1 and len(raw) > 1:
            del raw[pos]
        else:
            raw.insert(pos, data.draw(st.integers(0, 255)))
    _check(bytes(raw), FIXTURES[name][3])


@pytest.mark.fuzz
@FUZZ
@given(structured(), st.booleans())
def test_fuzz_structured_records(data, sslv2):
    _check(data, sslv2)


@pytest.mark.fuzz
def test_fuzz_case_count():
    """Runs last in this module: the three tests above ran at least 100,000 cases."""
    print(f"\nwire fuzz cases run: {COUNT['cases']}")
    assert COUNT["cases"] >= 100_000
