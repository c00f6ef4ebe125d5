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
