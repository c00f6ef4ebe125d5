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
#: No connections are opened ahead once an answer came back quicker than this: saving a round trip of a few
#: milliseconds is not worth the connections (and the CPU) a wrong guess wastes.
SPARE_MIN_RTT = 0.003


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
            data, message = _absorb(data, sock.recv(65536), parse)
            if message is not _MORE:
                return message  # type: ignore[return-value]
        raise Undetermined("protocol", f"no complete answer in {MAX_READ} bytes")
    except TimeoutError as e:
        raise Undetermined("timeout", f"no complete answer within {endpoint.timeout:g} s") from e
    except ConnectionResetError as e:
        raise Undetermined("reset", "connection reset by the server") from e
    except OSError as e:
        raise Undetermined("reset", f"connection error: {e.strerror or e}") from e
    finally:
        _close(sock)


#: :func:`_absorb`'s answer when the reply is not complete yet.
_MORE = object()


def _absorb(data: bytes, chunk: bytes, parse: Callable[[bytes], T | None]) -> tuple[bytes, T | None | object]:
    """One received chunk, for the blocking and the asyncio readers alike: ``(data so far, reply)`` where the
    reply is the parsed message, None for a close before any byte, or ``_MORE`` to read on. A close after
    some bytes is ``truncated``; a reply that does not parse is ``protocol``."""
    if not chunk:
        if data:
            raise Undetermined("truncated", f"connection closed after {len(data)} bytes")
        return data, None
    data += chunk
    try:
        message = parse(data)
    except ProtocolError as e:
        raise Undetermined("protocol", str(e)) from e
    return data, _MORE if message is None else message


def _close(sock: socket.socket) -> None:
    """Close without lingering; a reset on close is of no interest once we have the answer."""
    try:
        sock.close()
    except OSError:
        pass


@dataclass
class _Pool:
    """Spares opened for one owner's (version's) next round: only its own hellos take them."""

    idle: list[socket.socket]
    opening: int = 0
    wanted: float = 0.0  # expected hellos not yet covered (fractions add up across hellos)
    done: bool = False


class _Slots:
    """A counting gate whose free slots can also be taken without waiting (spares never queue for a slot: a
    spare waiting at the gate would hold back the hellos that wait for it)."""

    def __init__(self, size: int) -> None:
        import asyncio

        self.free = max(1, size)
        self._waiters: list[asyncio.Future[None]] = []

    def try_take(self) -> bool:
        if self.free > 0 and not self._waiters:
            self.free -= 1
            return True
        return False

    async def take(self) -> None:
        import asyncio

        if self.try_take():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # the slot is handed over by give()
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.give()  # handed over just as we were cancelled: pass it on
            elif waiter in self._waiters:  # (give() drops cancelled waiters itself)
                self._waiters.remove(waiter)
            raise

    def give(self) -> None:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1


class Connector:
    """Connections to one endpoint for the enumeration's event loop, capped, counted, optionally pre-opened.

    A follow-up hello can only be written once the previous answer is known, but its TCP connection can be
    opened before: while a round is on the wire the enumeration asks for the connections its answers will
    likely need (:meth:`prepare`), so the next round costs one round trip instead of two (connect, then
    hello). Spares belong to the version that asked for them (another version's round would use them up
    otherwise) and are closed when it ends (:meth:`finish`). At most ``spares`` connections are open ahead of
    need at any time, so whatever the server at most that many are wasted: part of the constant in
    "2 × accepted + constant". A spare the server closed meanwhile is replaced by a fresh connection once
    (``exchange`` retries), so a stale spare never reads as a refusal.

    Attributes:
        endpoint: where to connect.
        counter: connections opened (spares included).
        limit: simultaneous connections (spares included).
        spares: connections open ahead of need at most (0: none).
    """

    def __init__(self, endpoint: Endpoint, counter: Counter, limit: int, spares: int = 0) -> None:
        import asyncio

        self.endpoint = endpoint
        self.counter = counter
        self.spares = max(0, min(spares, limit - 1))
        self._gate = _Slots(limit)
        self._pools: dict[object, _Pool] = {}
        self._acquiring = 0  # hellos waiting for a connection: spares are opened once every one has its own
        self._spare_done = asyncio.Event()  # set whenever a spare finished opening (or failed to)
        self._closed = False
        self._tasks: set[object] = set()
        #: Quickest answer so far (seconds from hello to answer): about one round trip. Infinite until known.
        self.rtt = float("inf")

    def _pool(self, owner: object) -> _Pool:
        return self._pools.setdefault(owner, _Pool([]))

    async def _connect(self, timeout: float) -> socket.socket:
        import asyncio

        loop = asyncio.get_running_loop()
        self.counter.bump()
        sock = socket.socket(socket.AF_INET6 if ":" in self.endpoint.address else socket.AF_INET,
                             socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        where = f"{self.endpoint.address}:{self.endpoint.port}"
        try:
            async with asyncio.timeout(timeout):
                await loop.sock_connect(sock, (self.endpoint.address, self.endpoint.port))
        except TimeoutError as e:
            _close(sock)
            raise Undetermined("timeout", f"connect to {where} timed out") from e
        except OSError as e:
            _close(sock)
            raise Undetermined("connect", f"cannot connect to {where}: {e.strerror or e}") from e
        except BaseException:  # cancelled (deadline, or the version ended)
            _close(sock)
            raise
        return sock

    def prepare(self, wanted: float, owner: object = None) -> None:
        """Open up to ``wanted`` more connections in the background for ``owner``'s hellos not written yet,
        within ``spares`` (idle and opening ones of every owner count) and while the gate has room for them.

        Called as hellos start; the spares are opened once every hello so far has its own connection, so
        they queue behind those at a server that serves one connection at a time (``openssl s_server``),
        which then answers those first. ``wanted`` may be a fraction (an expectation): they add up.
        """
        import asyncio

        asyncio.get_running_loop().call_soon(self._want, self._pool(owner), max(0.0, wanted))

    def _want(self, pool: _Pool, wanted: float) -> None:
        """``prepare``'s wish, counted once the hellos started just before it have asked for their connections
        (a callback runs after the tasks created before it): none of them takes a spare meant for later."""
        if not pool.done:
            pool.wanted += wanted
            self._maybe_open()

    def finish(self, owner: object) -> None:
        """``owner`` needs no more connections: its spares are closed (a server serving one connection at a
        time would otherwise sit on them)."""
        pool = self._pool(owner)
        pool.done, pool.wanted = True, 0
        while pool.idle:
            self.release(pool.idle.pop())

    def _maybe_open(self) -> None:
        import asyncio

        if self._acquiring or self._closed or self.rtt < SPARE_MIN_RTT:
            return
        loop = asyncio.get_running_loop()
        held = sum(len(p.idle) + p.opening for p in self._pools.values())
        for pool in self._pools.values():
            while pool.wanted >= 1 and held < self.spares and self._gate.try_take():
                pool.wanted -= 1
                pool.opening += 1
                held += 1
                task = loop.create_task(self._open_spare(pool))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            pool.wanted %= 1  # what did not fit now is not carried over: the next hellos ask again

    async def _open_spare(self, pool: _Pool) -> None:
        """Connect one spare; its gate slot was taken by ``_maybe_open``."""
        try:
            sock = await self._connect(self.endpoint.timeout)
        except BaseException as e:
            self._gate.give()
            if isinstance(e, Undetermined):
                return
            raise
        finally:
            pool.opening -= 1
            self._spare_done.set()
        if self._closed or pool.done:
            self.release(sock)
        else:
            pool.idle.append(sock)

    async def acquire(self, timeout: float, wanted: Callable[[], bool] | None = None,
                      owner: object = None) -> tuple[socket.socket, bool]:
        """A connected socket (and whether it was a spare); release it with :meth:`release`.

        ``wanted`` is asked once a slot is free, before connecting: False raises :class:`Undetermined`
        (``cancelled``), so hellos queued behind a server's silence are dropped without a connection.
        """
        self._acquiring += 1
        try:
            return await self._acquire(timeout, wanted, self._pool(owner))
        finally:
            self._acquiring -= 1
            self._maybe_open()

    async def _acquire(self, timeout: float, wanted: Callable[[], bool] | None,
                       pool: _Pool) -> tuple[socket.socket, bool]:
        while not pool.idle and pool.opening and not self._closed:
            # A spare on its way is as quick as a fresh connection, and a fresh one would queue behind it at a
            # server that serves one connection at a time, while the spare might never be used.
            self._spare_done.clear()
            await self._spare_done.wait()
        if pool.idle:
            return pool.idle.pop(0), True  # oldest first: the order a one-connection-at-a-time server accepts them
        if not self._gate.try_take() and not self._reclaim():
            await self._gate.take()
        if wanted is not None and not wanted():
            self._gate.give()
            raise Undetermined("cancelled", "no longer needed")
        try:
            sock = await self._connect(timeout)
        except BaseException:
            self._gate.give()
            raise
        return sock, False

    def _reclaim(self) -> bool:
        """Close another owner's oldest idle spare and keep its slot for a hello that needs one now: a spare is
        a guess about a later round, a hello waiting at a full gate is a certain need."""
        pool = max((p for p in self._pools.values() if p.idle), key=lambda p: len(p.idle), default=None)
        if pool is None:
            return False
        _close(pool.idle.pop(0))
        return True

    def release(self, sock: socket.socket) -> None:
        """Close ``sock`` and free its slot."""
        _close(sock)
        self._gate.give()

    def close(self) -> None:
        """Close every spare (the enumeration is over)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()  # type: ignore[attr-defined]
        for owner in list(self._pools):
            self.finish(owner)

    async def exchange(self, hello: bytes, parse: Callable[[bytes], T | None], deadline: float, *,
                       on_connect: Callable[[], None] | None = None,
                       wanted: Callable[[], bool] | None = None, owner: object = None) -> T | None:
        """:func:`exchange` on the event loop, ending by ``deadline`` (``loop.time()``) at the latest.

        ``on_connect`` is called once a connection is ready (the hello is about to be sent); ``wanted`` and
        ``owner`` (whose spares it may take) as in :meth:`acquire`.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        for attempt in (0, 1):
            left = deadline - loop.time()
            if left <= 0:
                raise Undetermined("timeout", "the target's deadline was reached")
            sock, spare = await self.acquire(min(self.endpoint.timeout, left), wanted, owner)
            if on_connect is not None and not attempt:
                on_connect()
            sent = loop.time()
            try:
                reply = await _exchange_async(loop, sock, hello, parse, self.endpoint.timeout, deadline)
                self.rtt = min(self.rtt, loop.time() - sent)
            except _Stale:
                if spare and not attempt:
                    continue
                raise Undetermined("reset", "connection reset by the server") from None
            finally:
                self.release(sock)
            if reply is None and spare and not attempt:
                continue  # a closed spare proves nothing: ask again on a fresh connection
            return reply
        raise AssertionError("unreachable")  # pragma: no cover


class _Stale(Exception):
    """The connection was reset before any byte of an answer (a refusal by RST, or a spare the server dropped)."""


async def _exchange_async(loop: object, sock: socket.socket, hello: bytes, parse: Callable[[bytes], T | None],
                          timeout: float, deadline: float) -> T | None:
    """Send and read until ``parse`` is satisfied, within ``timeout`` and before ``deadline`` (loop time).

    Same outcomes as :func:`_exchange`, except that a reset before any answer raises :class:`_Stale`.
    """
    import asyncio

    data = b""
    now = loop.time()  # type: ignore[attr-defined]
    cut_by_deadline = deadline < now + timeout
    try:
        async with asyncio.timeout_at(min(now + timeout, deadline)):
            await loop.sock_sendall(sock, hello)  # type: ignore[attr-defined]
            while len(data) < MAX_READ:
                data, message = _absorb(data, await loop.sock_recv(sock, 65536), parse)  # type: ignore[attr-defined]
                if message is not _MORE:
                    return message  # type: ignore[return-value]
            raise Undetermined("protocol", f"no complete answer in {MAX_READ} bytes")
    except TimeoutError as e:
        why = "before the target's deadline" if cut_by_deadline else f"within {timeout:g} s"
        raise Undetermined("timeout", f"no complete answer {why}") from e
    except (ConnectionResetError, BrokenPipeError) as e:
        if not data:
            raise _Stale() from e
        raise Undetermined("reset", "connection reset by the server") from e
    except OSError as e:
        raise Undetermined("reset", f"connection error: {e.strerror or e}") from e
