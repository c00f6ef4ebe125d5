"""One connection, one hello, one answer: the prober's unit of work (STYLE.md §7).

Every socket has a timeout and every read loop is bounded by bytes and by a deadline, so a server that
stalls or trickles bytes ends the job within ``timeout`` seconds. A timeout or a reset is not a refusal: it
is reported as :class:`Undetermined`, which turns the verdict into ``unverifiable``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tlsfence.probe.wire import ProtocolError

T = TypeVar("T")
MAX_READ = 1 << 20  # a server flight up to ServerHelloDone is a few KiB; cap what we buffer


class Undetermined(Exception):
    """The exchange ended without an answer (timeout, reset, garbage): nothing can be concluded.

    Attributes:
        kind: ``timeout``, ``reset``, ``connect``, ``protocol`` or ``truncated``.
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Endpoint:
    """Where to connect and what name to present.

    Attributes:
        address: IP address to connect to (already resolved).
        port: TCP port.
        sni: server name for SNI and the certificate check (None for an IP-only target).
        timeout: seconds allowed for each connection (connect plus answer).
    """

    address: str
    port: int
    sni: str | None
    timeout: float


class Counter:
    """Thread-safe count of TCP connections opened, reported as ``handshakes``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def bump(self) -> None:
        """Count one more connection."""
        with self._lock:
            self.value += 1


def exchange(endpoint: Endpoint, hello: bytes, parse: Callable[[bytes], T | None], *,
             counter: Counter | None = None, gate: threading.Semaphore | None = None) -> T | None:
    """Send ``hello`` and feed the answer to ``parse`` until it returns a message.

    Returns the parsed message, or ``None`` when the server closed the connection cleanly before sending
    anything (a refusal). Raises :class:`Undetermined` for timeouts, resets, truncated or malformed answers.
    ``gate`` caps concurrent connections per target.
    """
    if gate is not None:
        gate.acquire()
    try:
        return _exchange(endpoint, hello, parse, counter)
    finally:
        if gate is not None:
            gate.release()


def _exchange(endpoint: Endpoint, hello: bytes, parse: Callable[[bytes], T | None],
              counter: Counter | None) -> T | None:
    deadline = time.monotonic() + endpoint.timeout
    if counter is not None:
        counter.bump()
    try:
        sock = socket.create_connection((endpoint.address, endpoint.port), timeout=endpoint.timeout)
    except TimeoutError as e:
        raise Undetermined("timeout", f"connect to {endpoint.address}:{endpoint.port} timed out") from e
    except OSError as e:
        raise Undetermined("connect", f"cannot connect to {endpoint.address}:{endpoint.port}: "
                                      f"{e.strerror or e}") from e
    data = b""
    try:
        sock.sendall(hello)
        while len(data) < MAX_READ:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Undetermined("timeout", f"no complete answer within {endpoint.timeout:g} s")
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                if data:
                    raise Undetermined("truncated", f"connection closed after {len(data)} bytes")
                return None
            data += chunk
            try:
                message = parse(data)
            except ProtocolError as e:
                raise Undetermined("protocol", str(e)) from e
            if message is not None:
                return message
        raise Undetermined("protocol", f"no complete answer in {MAX_READ} bytes")
    except TimeoutError as e:
        raise Undetermined("timeout", f"no complete answer within {endpoint.timeout:g} s") from e
    except ConnectionResetError as e:
        raise Undetermined("reset", "connection reset by the server") from e
    except OSError as e:
        raise Undetermined("reset", f"connection error: {e.strerror or e}") from e
    finally:
        _close(sock)


def _close(sock: socket.socket) -> None:
    """Close without lingering; a reset on close is of no interest once we have the answer."""
    try:
        sock.close()
    except OSError:
        pass
