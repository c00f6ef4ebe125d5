"""One exchange: the outcomes that are not answers (closed, truncated, garbage, reset, refused) are told apart."""

from __future__ import annotations

import pytest

from tests.probe.fakes import FakeServer
from tests.probe.servers import free_port
from tests.probe.wire_fixtures import ALERT_HANDSHAKE_FAILURE, TLS12_SERVER_HELLO
from tlsfence.probe.net import Counter, Endpoint, Undetermined, exchange
from tlsfence.probe.wire import Alert, build_client_hello, parse_server_reply

HELLO = build_client_hello("TLSv1.2", [0xC02F], "server.test")


@pytest.mark.parametrize(("reply", "expected"), [
    (ALERT_HANDSHAKE_FAILURE, Alert(2, 40)),
    (b"", None),  # clean close before any byte: a refusal
])
def test_answers(reply, expected):
    fake = FakeServer(lambda h: reply)
    try:
        counter = Counter()
        assert exchange(Endpoint("127.0.0.1", fake.port, None, 2), HELLO, parse_server_reply,
                        counter=counter) == expected
        assert counter.value == 1
    finally:
        fake.stop()


@pytest.mark.parametrize(("reply", "kind"), [
    (TLS12_SERVER_HELLO[:40], "truncated"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", "protocol"),
    ("reset", "reset"),
    ("stall", "timeout"),
])
def test_non_answers_are_undetermined(reply, kind):
    fake = FakeServer(lambda h: reply, stall_s=3)
    try:
        with pytest.raises(Undetermined) as info:
            exchange(Endpoint("127.0.0.1", fake.port, None, 0.5), HELLO, parse_server_reply)
        assert info.value.kind == kind
    finally:
        fake.stop()


def test_nothing_listening_is_a_connect_error():
    with pytest.raises(Undetermined) as info:
        exchange(Endpoint("127.0.0.1", free_port(), None, 1), HELLO, parse_server_reply)
    assert info.value.kind == "connect" and "Connection refused" in info.value.detail


def test_spares_serve_only_their_owner_and_close_when_it_finishes():
    """``prepare`` opens connections for one version's next round once the current hellos have theirs; another
    version's hello does not take them (it connects afresh), the owner's does, and ``finish`` closes the rest."""
    import asyncio

    from tlsfence.probe.net import Connector

    fake = FakeServer(lambda h: ALERT_HANDSHAKE_FAILURE)

    async def scenario() -> tuple[list[bool], int, int]:
        counter = Counter()
        net = Connector(Endpoint("127.0.0.1", fake.port, None, 2), counter, limit=16, spares=3)
        net.prepare(5, "TLSv1.2")  # capped at 3
        for _ in range(50):  # bounded wait for the three to connect
            if len(net._pool("TLSv1.2").idle) == 3:
                break
            await asyncio.sleep(0.01)
        used = []
        for owner in ("TLSv1.0", "TLSv1.2", "TLSv1.2"):
            sock, spare = await net.acquire(2, owner=owner)
            used.append(spare)
            net.release(sock)
        opened = counter.value
        net.finish("TLSv1.2")
        left = len(net._pool("TLSv1.2").idle)
        net.close()
        return used, opened, left

    try:
        used, opened, left = asyncio.run(scenario())
        assert used == [False, True, True]  # TLSv1.0 connected afresh; TLSv1.2 took two of its three spares
        assert opened == 3 + 1 and left == 0
    finally:
        fake.stop()


def test_slots_hand_a_freed_slot_to_a_waiter_and_pass_on_a_cancelled_one():
    """The connection gate: a slot freed while hellos wait goes to the first of them; a waiter cancelled just
    as it was handed a slot passes it on (a lost slot would shrink the gate for the rest of the run)."""
    import asyncio

    from tlsfence.probe.net import _Slots

    async def scenario() -> tuple[bool, bool, int, list[str]]:
        slots = _Slots(1)
        first = slots.try_take()
        second = slots.try_take()  # full
        order: list[str] = []

        async def waiter(name: str) -> None:
            await slots.take()
            order.append(name)

        a = asyncio.ensure_future(waiter("a"))
        b = asyncio.ensure_future(waiter("b"))
        await asyncio.sleep(0)
        slots.give()  # handed to a...
        a.cancel()  # ...which is cancelled before it runs: b gets it
        await asyncio.gather(a, return_exceptions=True)
        await asyncio.wait_for(b, 1)
        slots.give()
        return first, second, slots.free, order

    first, second, free, order = asyncio.run(scenario())
    assert (first, second, order, free) == (True, False, ["b"], 1)


def test_the_cli_raises_the_soft_descriptor_limit_within_the_hard_one():
    """A soft limit of 256 (macOS) or 1024 would cap every target far below the default --concurrency."""
    import subprocess
    import sys

    code = ("import resource; hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; "
            "resource.setrlimit(resource.RLIMIT_NOFILE, (200, hard)); "
            "from tlsfence.probe.limits import fd_budget, raise_fd_limit; "
            "before = fd_budget(); now = raise_fd_limit(4000); "
            "print(before, now, fd_budget(), hard == resource.RLIM_INFINITY or now == min(4000, hard))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    before, now, after, within = out.stdout.split()
    assert (int(before), within) == (17, "True")
    assert int(now) > 200 and int(after) == max(16, (int(now) - 64) // 8)
