"""Hypothesis: whatever a server answers, the enumeration ends with a result, never an exception.

A fake connection layer stands in for the network: each hello goes to a drawn *server model* (per version: the
suites it accepts and a quirk: none, unoffered picks, another version, HelloRetryRequests, alerts, closes,
resets, timeouts, truncated or garbage records, mutated ServerHellos, an SSLv2 answer to a TLS hello...). The
reply bytes go through the real parser, in two chunks, exactly as ``net`` feeds them. Properties:

- ``run()`` returns one result per version, in order, with a valid status, and ``unknown`` iff there is an error;
- a version whose server behaves has exactly its accepted set found, for at most 2 x accepted + 16 hellos;
- nothing is reported accepted that was not offered at that version, and the hello count stays bounded.

The normal run samples 50 models; the fuzz run (``TLSFENCE_FUZZ=1 python -m pytest
tests/probe/test_enumerate_fuzz.py -m fuzz -s``) runs 12,000 and prints the count.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.probe.fakes import parse_hello, server_hello
from tlsfence.probe.enumerate import PART, SLACK, Enumerator, offered_codes, opening
from tlsfence.probe.net import Counter, Endpoint, Undetermined
from tlsfence.probe.wire import HRR_RANDOM, VERSION_CODES, ProtocolError
from tlsfence.suites import PROTOCOLS

QUIRKS = ("none", "none", "none", "unoffered", "other-version", "hrr", "alert", "close", "reset", "timeout",
          "truncated", "garbage", "mutated", "sslv2-reply", "nth-fails", "empty-record")
COUNT = {"cases": 0, "hellos": 0}
SAMPLE = settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))
FUZZ = settings(max_examples=12_000, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@dataclass
class Model:
    """How the fake server treats one version."""

    accepted: list[int]  # in preference order
    quirk: str
    noise: bytes  # bytes for garbage/mutation
    nth: int  # for nth-fails: the hello number that fails


@st.composite
def models(draw: st.DrawFn) -> dict[str, Model]:
    out = {}
    for protocol in PROTOCOLS:
        codes = offered_codes(protocol)
        accepted = draw(st.lists(st.sampled_from(codes), max_size=min(24, len(codes)), unique=True))
        out[protocol] = Model(accepted, draw(st.sampled_from(QUIRKS)), draw(st.binary(min_size=1, max_size=64)),
                              draw(st.integers(1, 30)))
    return out


def _record(ctype: int, body: bytes, version: int = 0x0303) -> bytes:
    return struct.pack("!BHH", ctype, version, len(body)) + body


def _sslv2_reply(specs: list[int]) -> bytes:
    spec_bytes = b"".join(s.to_bytes(3, "big") for s in specs)
    body = bytes([4, 0, 1]) + struct.pack("!HHHH", 2, 0, len(spec_bytes), 16) + spec_bytes + bytes(16)
    return (0x8000 | len(body)).to_bytes(2, "big") + body


class FakeNet:
    """Answers hellos from the models; same contract as ``net.Connector``."""

    def __init__(self, model: dict[str, Model], counter: Counter) -> None:
        self.model = model
        self.counter = counter
        self.seen: dict[str, int] = {p: 0 for p in PROTOCOLS}

    def close(self) -> None:
        pass

    def prepare(self, wanted: int, owner: object = None) -> None:
        """No connection to open ahead: every hello is answered at once."""

    def finish(self, owner: object) -> None:
        pass

    async def exchange(self, hello: bytes, parse: Callable[[bytes], Any], deadline: float, *,
                       on_connect: Callable[[], None] | None = None,
                       wanted: Callable[[], bool] | None = None, owner: object = None) -> Any:
        if wanted is not None and not wanted():
            raise Undetermined("cancelled", "no longer needed")
        self.counter.bump()
        COUNT["hellos"] += 1
        if on_connect is not None:
            on_connect()
        await asyncio.sleep(0)  # let the other chains interleave, as on the wire
        data = self.reply(hello)
        if isinstance(data, Undetermined):
            raise data
        cut = zlib.crc32(hello[-8:]) % (len(data) + 1)  # two chunks, split somewhere
        try:
            for part in (data[:cut], data):
                if part:
                    message = parse(part)
                    if message is not None:
                        return message
        except ProtocolError as e:
            raise Undetermined("protocol", str(e)) from e
        if data:
            raise Undetermined("truncated", f"connection closed after {len(data)} bytes")
        return None

    def reply(self, hello: bytes) -> bytes | Undetermined:
        parsed = parse_hello(hello)
        assert parsed is not None, "the prober sent an unparseable hello"
        protocol = {2: "SSLv2"}.get(parsed.version) or next(p for p, c in VERSION_CODES.items()
                                                             if c == parsed.version)
        if protocol == "TLSv1.2" and VERSION_CODES["TLSv1.3"] == parsed.version:
            protocol = "TLSv1.3"
        m = self.model[protocol]
        self.seen[protocol] += 1
        n = self.seen[protocol]
        version = VERSION_CODES.get(protocol, 0x0303)
        if protocol == "SSLv2":
            specs = [c for c in m.accepted]
            if m.quirk in ("garbage", "mutated"):
                return m.noise
            return _sslv2_reply(specs) if specs else b""
        pick = next((c for c in m.accepted if c in parsed.suites), None)
        q = m.quirk
        if q == "nth-fails" and n == m.nth:
            return Undetermined("reset", "connection reset by the server")
        if q in ("reset", "timeout") and n % 3 == 0:
            return Undetermined(q, "drawn")
        if pick is None:
            if q == "unoffered" and m.accepted:
                return server_hello(version, m.accepted[0])
            if q == "close":
                return b""
            return _record(21, b"\x02\x28")
        if q == "unoffered" and len(parsed.suites) > 1 and n % 2:
            return server_hello(version, 0x0A0A)
        if q == "other-version":
            return server_hello(0x0301 if version != 0x0301 else 0x0303, pick)
        if q == "hrr" and protocol == "TLSv1.3":
            body = struct.pack("!H", 0x0303) + HRR_RANDOM + b"\x00" + struct.pack("!H", pick) + b"\x00"
            exts = struct.pack("!HHH", 43, 2, 0x0304) + struct.pack("!HHH", 51, 2, 23)
            body += struct.pack("!H", len(exts)) + exts
            return _record(22, b"\x02" + len(body).to_bytes(3, "big") + body)
        if q == "alert":
            return _record(21, m.noise[:2].ljust(2, b"\x00"))
        good = server_hello(version, pick)
        if q == "truncated":
            return good[:len(good) // 2]
        if q == "garbage":
            return m.noise
        if q == "mutated":
            raw = bytearray(good)
            for i, b in enumerate(m.noise[:4]):
                raw[(b * 7 + i) % len(raw)] = m.noise[-1 - i]
            return bytes(raw)
        if q == "sslv2-reply":
            return _sslv2_reply([0x010080])
        if q == "empty-record":
            return _record(22, b"") + good
        return good


class FuzzEnumerator(Enumerator):
    def __init__(self, model: dict[str, Model]) -> None:
        super().__init__(Endpoint("192.0.2.1", 443, "server.test", 5.0), deadline=30.0)
        self.model = model

    def _connector(self) -> FakeNet:  # type: ignore[override]
        return FakeNet(self.model, self.counter)


def check(model: dict[str, Model]) -> None:
    COUNT["cases"] += 1
    enumerator = FuzzEnumerator(model)
    results = enumerator.run()
    assert [r.protocol for r in results] == list(PROTOCOLS)
    for r in results:
        m = model[r.protocol]
        assert r.status in ("accepted", "refused", "unknown")
        assert (r.status == "unknown") == (r.error is not None)
        assert set(r.accepted) <= set(offered_codes(r.protocol))
        assert len(set(r.accepted)) == len(r.accepted)
        codes = offered_codes(r.protocol)  # at most: each suite accepted once and refused once, plus the opening
        assert r.handshakes <= 2 * len(codes) + len(opening(codes, max(16, -(-len(codes) // PART)))) + 1
        if m.quirk == "none":
            assert r.status == ("accepted" if m.accepted else "refused")
            assert set(r.accepted) == set(m.accepted)
            if r.protocol != "SSLv2":
                assert r.handshakes <= 2 * len(m.accepted) + SLACK
        if r.status == "accepted" and m.quirk not in ("unoffered", "sslv2-reply", "mutated"):  # what it claimed
            assert set(r.accepted) <= set(m.accepted)
    assert enumerator.counter.value == sum(r.handshakes for r in results)


@SAMPLE
@given(models())
def test_any_server_reply_ends_in_a_result(model):
    check(model)


@pytest.mark.fuzz
@FUZZ
@given(models())
def test_fuzz_any_server_reply_ends_in_a_result(model):
    check(model)


@pytest.mark.fuzz
def test_fuzz_enumeration_case_count():
    """Runs last in this module: the fuzz test above ran at least 10,000 server models."""
    print(f"\nenumeration fuzz: {COUNT['cases']} server models, {COUNT['hellos']} hellos answered")
    assert COUNT["cases"] >= 10_000
