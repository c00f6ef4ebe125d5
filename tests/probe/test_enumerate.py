"""Elimination chains: handshake counts on real servers, and the robustness rules against quirky fakes.

Every fake ends within the timeout with the right verdict (the certificate handshakes reach a real nginx
behind the fake, so the verdict is the real one).
"""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

from tests.probe.fakes import ALERT_ILLEGAL_PARAMETER, ALERT_PROTOCOL_VERSION, FakeServer, Hello, server_hello
from tests.probe.servers import Pki, s_client_accepted
from tlsfence.probe.cli import run_verify
from tlsfence.probe.enumerate import SLACK, SPARES, Enumerator, deal, offered_codes, opening
from tlsfence.probe.limits import fd_budget
from tlsfence.probe.net import Endpoint
from tlsfence.suites import registry

ECDHE_RSA_AES128_GCM = 0xC02F
AES256_SHA = 0x0035


def names(codes: tuple[int, ...]) -> set[str]:
    return {registry().by_code[c].openssl for c in codes}


def by_version(results: tuple[Any, ...]) -> dict[str, Any]:
    return {r.protocol: r for r in results}


def verify_json(port: int, pki: Pki, timeout: float = 2.0, deadline: float = 30.0) -> tuple[int, dict[str, Any], float]:
    out = io.StringIO()
    start = time.monotonic()
    code = run_verify([f"127.0.0.1:{port}"], sni="server.test", fmt="json", timeout=timeout, cafile=pki.ca, out=out,
                      deadline=deadline)
    return code, json.loads(out.getvalue())[0], time.monotonic() - start


def test_offered_lists_cover_the_registry_likeliest_first():
    assert len(offered_codes("TLSv1.2")) == 352 and len(offered_codes("TLSv1.3")) == 5
    assert len(offered_codes("SSLv2")) == 13
    assert offered_codes("TLSv1.2")[:2] == [0xC02B, 0xC02C]  # ECDHE-ECDSA AES-GCM: ECDHE, AEAD, SHA-2 first
    assert 0x0005 in offered_codes("TLSv1.0") and 0xC02F not in offered_codes("TLSv1.0")  # RC4 yes, GCM no
    parts = deal(list(range(10)), 4)
    assert parts == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]


def test_plain_chain_costs_accepted_plus_one_per_version(nginx):
    enumerator = Enumerator(Endpoint("127.0.0.1", nginx["allowed6"], "server.test", 3), split_ways=1)
    results = by_version(enumerator.run())
    assert {p: r.status for p, r in results.items()} == {
        "SSLv2": "refused", "SSLv3": "refused", "TLSv1.0": "refused", "TLSv1.1": "refused",
        "TLSv1.2": "accepted", "TLSv1.3": "accepted"}
    assert {p: r.handshakes for p, r in results.items()} == {
        "SSLv2": 1, "SSLv3": 1, "TLSv1.0": 1, "TLSv1.1": 1, "TLSv1.2": 7, "TLSv1.3": 4}
    assert enumerator.counter.value == 15
    # ssl_prefer_server_ciphers on: the plain chain sees nginx's order.
    assert [registry().by_code[c].openssl for c in results["TLSv1.2"].accepted] == [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256"]


def test_fan_out_finds_the_same_set_within_twice_the_accepted_plus_the_chains(nginx):
    plain = by_version(Enumerator(Endpoint("127.0.0.1", nginx["allowed6"], "server.test", 3), split_ways=1).run())
    fanned = by_version(Enumerator(Endpoint("127.0.0.1", nginx["allowed6"], "server.test", 3)).run())
    for version in ("TLSv1.2", "TLSv1.3"):
        assert set(fanned[version].accepted) == set(plain[version].accepted)
    # The six allowed suites are among the 20 likeliest, offered one per hello in the opening round; the other
    # 332 suites go in 16 bundles, all refused: one round (the plain chain: 6 finds + 1 refusal in sequence).
    assert fanned["TLSv1.2"].handshakes == len(opening(offered_codes("TLSv1.2"))) == 20 + 16
    assert fanned["TLSv1.2"].handshakes <= 2 * 6 + SLACK
    assert (plain["TLSv1.2"].rounds, fanned["TLSv1.2"].rounds) == (7, 1)
    assert fanned["TLSv1.3"].handshakes == 5 and fanned["TLSv1.3"].rounds == 1  # five single-suite hellos


def test_adaptive_split_keeps_rounds_near_the_minimum_on_a_server_with_many_suites(nginx):
    """80+ accepted suites: the plain chain needs accepted + 1 sequential hellos per version; the rounds need
    3 or 4 (plus the older versions' first hello), for at most 2 x accepted + SLACK connections per version."""
    port = nginx["many"]
    plain = by_version(Enumerator(Endpoint("127.0.0.1", port, "server.test", 3), split_ways=1).run())
    enumerator = Enumerator(Endpoint("127.0.0.1", port, "server.test", 3))
    adaptive = by_version(enumerator.run())
    assert {p: r.status for p, r in adaptive.items()} == {
        "SSLv2": "refused", "SSLv3": "refused", "TLSv1.0": "accepted", "TLSv1.1": "accepted",
        "TLSv1.2": "accepted", "TLSv1.3": "accepted"}
    for version in ("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"):
        found = adaptive[version]
        assert set(found.accepted) == set(plain[version].accepted)
        assert plain[version].rounds == len(found.accepted) + (version != "TLSv1.3" or len(found.accepted) < 5)
        assert found.handshakes <= 2 * len(found.accepted) + SLACK
    assert len(adaptive["TLSv1.2"].accepted) >= 40
    assert adaptive["TLSv1.2"].rounds <= 4 and adaptive["TLSv1.0"].rounds <= 5
    # Cross-checked with OpenSSL's own client (which knows every suite this nginx can have).
    assert names(adaptive["TLSv1.2"].accepted) == s_client_accepted(port, "TLSv1.2")
    assert names(adaptive["TLSv1.0"].accepted) == s_client_accepted(port, "TLSv1.0")
    total = sum(r.handshakes for r in adaptive.values())
    accepted = sum(len(r.accepted) for r in adaptive.values())
    assert total <= enumerator.counter.value <= total + SPARES  # plus at most SPARES pre-opened connections
    assert enumerator.counter.value <= 2 * accepted + 4 * SLACK + 2 + SPARES


def _unoffered(hello: Hello) -> bytes:
    """yaSSL-style (testssl.sh #793): at TLS 1.2 it answers AES256-SHA even when that was not offered."""
    if hello.version != 0x0303:
        return ALERT_PROTOCOL_VERSION
    for code in (AES256_SHA, ECDHE_RSA_AES128_GCM):
        if code in hello.suites:
            return server_hello(0x0303, code)
    return server_hello(0x0303, AES256_SHA)


def test_server_picking_an_unoffered_suite_is_enumerated_one_per_hello(nginx, pki):
    fake = FakeServer(_unoffered, backend_port=nginx["extra"])
    try:
        results = by_version(Enumerator(Endpoint("127.0.0.1", fake.port, "server.test", 2)).run())
        assert names(results["TLSv1.2"].accepted) == {"AES256-SHA", "ECDHE-RSA-AES128-GCM-SHA256"}
        assert results["TLSv1.2"].status == "accepted"
        assert any("was not offered" in n for n in results["TLSv1.2"].notes)
        assert any(len(h.suites) == 1 for h in fake.hellos)
        code, r, elapsed = verify_json(fake.port, pki)
        assert (code, r["verdict"], r["excess"]) == (0, "conforming-with-excess", ["AES256-SHA"])
        assert elapsed < 10
    finally:
        fake.stop()


def _unoffered_then_stall(hello: Hello) -> bytes | str:
    """The issue 11 server: a multi-suite TLS 1.2 hello gets a suite no hello offers (0x0A0A, a GREASE value),
    a single-suite hello is never answered, other versions get protocol_version."""
    if hello.version != 0x0303:
        return ALERT_PROTOCOL_VERSION
    if len(hello.suites) == 1:
        return "stall"
    return server_hello(0x0303, 0x0A0A)


@pytest.mark.parametrize(("timeout", "deadline", "why"), [
    # Per-connection timeout first: the first unanswered single-suite hello ends TLS 1.2 at once.
    (1.0, 30.0, "server picked 0x0A0A, which was not offered, and did not answer a single-suite hello (0x"),
    # Deadline first (a patient --timeout): everything still waiting is cut at the deadline.
    (60.0, 2.0, "server picked 0x0A0A, which was not offered, and did not answer a single-suite hello (0x"),
])
def test_unoffered_suite_then_silence_ends_within_the_deadline(nginx, pki, timeout, deadline, why):
    # The server stalls for 20 s, so a prober that waited for it could not finish inside the bound below; the
    # 4 s of slack are for a loaded machine (the certificate handshakes and start-up run on the same cores).
    fake = FakeServer(_unoffered_then_stall, backend_port=nginx["allowed6"], stall_s=20)
    try:
        code, r, elapsed = verify_json(fake.port, pki, timeout=timeout, deadline=deadline)
        assert (code, r["verdict"]) == (1, "unverifiable")
        assert elapsed < min(timeout, deadline) + 4  # was 139 s and 860 connections (issue 11)
        tls12 = {v["protocol"]: v for v in r["versions"]}["TLSv1.2"]
        assert tls12["status"] == "unknown" and tls12["error"].startswith(why)
        cause = "no complete answer within 1 s" if timeout < deadline else "no complete answer before the target's"
        assert cause in tls12["error"]
        assert r["reasons"][0].startswith("cannot determine whether TLSv1.2 is accepted (server picked 0x0A0A")
        # 20 first hellos, one gate-full (64) of single-suite hellos, spares and certificates: not 860.
        assert r["handshakes"] < 120
    finally:
        fake.stop()


def test_a_stalling_server_ends_at_the_deadline_whatever_the_timeout(pki):
    fake = FakeServer(lambda h: "stall", backend_port=None, stall_s=20)
    try:
        enumerator = Enumerator(Endpoint("127.0.0.1", fake.port, "server.test", 60), deadline=0.5)
        start = time.monotonic()
        results = enumerator.run()
        assert time.monotonic() - start < 0.5 + 3  # the server stalls 20 s; slack for a loaded machine
        assert {r.status for r in results} == {"unknown"}
        assert {r.error for r in results} == {"timeout: no complete answer before the target's deadline"}
    finally:
        fake.stop()


def _max128(hello: Hello) -> bytes | None:
    """Cisco-style (testssl.sh #806): illegal_parameter for a hello with more than 128 suites."""
    return ALERT_ILLEGAL_PARAMETER if len(hello.suites) > 128 else None


def test_more_than_128_suites_intolerance_is_retried_in_chunks(nginx, pki):
    fake = FakeServer(_max128, backend_port=nginx["allowed6"])
    try:
        code, r, _ = verify_json(fake.port, pki)
        assert (code, r["verdict"], r["protocols"]) == (0, "conforming", ["TLSv1.2", "TLSv1.3"])
        assert {s["openssl"] for s in r["suites"]["TLSv1.2"]} == {
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256"}
        assert {s["openssl"] for s in r["suites"]["TLSv1.2"]} == s_client_accepted(fake.port, "TLSv1.2")
        notes = {v["protocol"]: v["notes"] for v in r["versions"]}
        assert notes["TLSv1.0"] == ["full hello of 179 suites refused (alert 47); retried in chunks of 127"]
        assert notes["TLSv1.2"] == []  # dealt into 16 chains of ≤22 suites from the start
        # The plain chain meets the intolerance at TLS 1.2 too, and recovers the same way.
        plain = by_version(Enumerator(Endpoint("127.0.0.1", fake.port, "server.test", 2), split_ways=1).run())
        assert plain["TLSv1.2"].notes == ("full hello of 352 suites refused (alert 47); retried in chunks of 127",)
        assert names(plain["TLSv1.2"].accepted) == {s["openssl"] for s in r["suites"]["TLSv1.2"]}
        assert plain["TLSv1.2"].handshakes == 1 + 6 + 3
    finally:
        fake.stop()


@pytest.mark.parametrize(("quirk", "version", "kind"), [
    ("reset", 0x0302, "reset"),
    ("stall", 0x0301, "timeout"),
])
def test_reset_or_stall_is_unverifiable_within_the_timeout(nginx, pki, quirk, version, kind):
    fake = FakeServer(lambda h: quirk if h.version == version else None, backend_port=nginx["allowed6"], stall_s=20)
    try:
        code, r, elapsed = verify_json(fake.port, pki, timeout=1.0)
        assert (code, r["verdict"]) == (1, "unverifiable")
        name = {0x0302: "TLSv1.1", 0x0301: "TLSv1.0"}[version]
        assert r["reasons"][0].startswith(f"cannot determine whether {name} is accepted ({kind}: ")
        assert r["errors"] == [f"{name}: could not determine ({r['reasons'][0].split('(', 1)[1]}"]
        assert elapsed < 1.0 + 4  # the server stalls 20 s; slack for a loaded machine
    finally:
        fake.stop()


def test_a_server_that_never_answers_ends_within_the_timeout(pki):
    fake = FakeServer(lambda h: "stall", backend_port=None, stall_s=20)
    fake.quirk = lambda h: "stall"
    try:
        enumerator = Enumerator(Endpoint("127.0.0.1", fake.port, "server.test", 0.5))
        start = time.monotonic()
        results = enumerator.run()
        assert time.monotonic() - start < 0.5 + 3  # the server stalls 20 s; slack for a loaded machine
        assert {r.status for r in results} == {"unknown"}
    finally:
        fake.stop()


def test_sslv2_server_hello_lists_the_shared_specs():
    body = bytes.fromhex("04" "00" "01" "0002" "0000" "0006" "0010") + bytes.fromhex("0700c0" "010080") + bytes(16)
    reply = (0x8000 | len(body)).to_bytes(2, "big") + body
    fake = FakeServer(lambda h: reply if h.version == 2 else b"")
    try:
        results = by_version(Enumerator(Endpoint("127.0.0.1", fake.port, None, 2)).run(["SSLv2", "TLSv1.2"]))
        assert results["SSLv2"].status == "accepted" and results["SSLv2"].accepted == (0x0700C0, 0x010080)
        assert results["TLSv1.2"].status == "refused"
    finally:
        fake.stop()


@pytest.mark.parametrize(("soft", "budget"), [
    (1024, 120),  # the common soft limit: 8 targets x 120 connections + 64 for the rest
    (20000, 2492),
    (100, 16),  # never below 16
])
def test_connections_per_target_fit_the_file_descriptor_limit(monkeypatch, soft, budget):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, resource.RLIM_INFINITY))
    assert fd_budget() == budget
    assert Enumerator(Endpoint("127.0.0.1", 1, None, 1), concurrency=256).concurrency == min(256, budget)


def test_no_file_descriptor_limit_leaves_the_concurrency_asked_for(monkeypatch):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda which: (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    assert Enumerator(Endpoint("127.0.0.1", 1, None, 1), concurrency=200).concurrency == 200


def test_a_server_out_of_connections_is_asked_again_not_read_as_refusing(nginx, pki, tmp_path):
    """nginx out of ``worker_connections`` closes connections without a byte. Read as refusals, those closes
    hid suites (TLS 1.0 came out "accepted" with 2 of its 15 suites: a pass where nothing was seen). The
    server answers other hellos, so the bare closes are asked again once the rest is done, a few at a time:
    every set comes out whole, the same as the full-capacity server's."""
    from tests.probe.conftest import NGINX_CONFIGS
    from tests.probe.servers import Nginx, free_port, nginx_server_block

    port = free_port()
    small = Nginx(tmp_path, [nginx_server_block(port, pki, *NGINX_CONFIGS["many"])], [port], connections=24)
    try:
        results = by_version(Enumerator(Endpoint("127.0.0.1", port, "server.test", 3), concurrency=512).run())
    finally:
        small.stop()
    reference = by_version(Enumerator(Endpoint("127.0.0.1", nginx["many"], "server.test", 3)).run())
    for version, found in results.items():
        assert (version, found.status, set(found.accepted)) == (
            version, reference[version].status, set(reference[version].accepted))
    asked_again = [v for v, r in results.items() if any("asked again" in n for n in r.notes)]
    assert {"TLSv1.0", "TLSv1.2"} <= set(asked_again), "the small nginx never ran out of connections"
    assert len(reference["TLSv1.0"].accepted) >= 10
