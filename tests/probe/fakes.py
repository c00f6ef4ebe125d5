"""Quirky TLS servers in plain Python sockets, for the robustness rules of the prober.

Each fake answers the prober's raw hellos itself (recognised by the brainpool groups only the prober lists)
and forwards every other connection (the stdlib ``ssl`` certificate handshakes) to a real backend, so the
certificate part stays real and the verdict can be asserted end to end. Every socket has a timeout; the
server thread ends when ``stop()`` closes the listening socket.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

ALERT_PROTOCOL_VERSION = bytes.fromhex("15030300020246")
ALERT_ILLEGAL_PARAMETER = bytes.fromhex("1503030002022f")
ALERT_HANDSHAKE_FAILURE = bytes.fromhex("15030300020228")


@dataclass(frozen=True)
class Hello:
    """What a ClientHello offers: probed version, suites, and whether it is one of the prober's raw hellos."""

    version: int
    suites: tuple[int, ...]
    raw_probe: bool


def parse_hello(data: bytes) -> Hello | None:
    """Decode a one-record ClientHello; None until complete. SSLv2 hellos come back as version 2."""
    if data and data[0] & 0x80:
        return Hello(2, (), True)
    if len(data) < 5:
        return None
    length = struct.unpack_from("!H", data, 3)[0]
    if len(data) < 5 + length:
        return None
    body = data[9:5 + length]
    legacy = struct.unpack_from("!H", body, 0)[0]
    pos = 34 + 1 + body[34]
    n = struct.unpack_from("!H", body, pos)[0]
    suites = struct.unpack_from(f"!{n // 2}H", body, pos + 2)
    pos += 2 + n
    pos += 1 + body[pos]
    version, raw_probe = legacy, False
    if pos < len(body):
        end = pos + 2 + struct.unpack_from("!H", body, pos)[0]
        pos += 2
        while pos < end:
            kind, size = struct.unpack_from("!HH", body, pos)
            ext = body[pos + 4:pos + 4 + size]
            if kind == 43 and b"\x03\x04" in [ext[i:i + 2] for i in range(1, len(ext), 2)]:
                version = 0x0304
            if kind == 10 and b"\x00\x1a" in ext:
                raw_probe = True
            pos += 4 + size
    return Hello(version, tuple(suites), raw_probe)


def server_hello(version: int, cipher: int) -> bytes:
    """A minimal ServerHello record (TLS 1.3 via supported_versions)."""
    exts = b""
    legacy = version
    if version == 0x0304:
        legacy = 0x0303
        exts = struct.pack("!HHH", 43, 2, 0x0304)
    body = struct.pack("!H", legacy) + b"\x11" * 32 + b"\x00" + struct.pack("!H", cipher) + b"\x00"
    body += struct.pack("!H", len(exts)) + exts
    msg = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(msg)) + msg


#: A quirk sees the prober's hello and returns the bytes to send, b"" to close, None to forward to the backend,
#: "reset" to send a TCP RST, or "stall" to say nothing.
Quirk = Callable[[Hello], "bytes | str | None"]


class FakeServer:
    """A listening socket on 127.0.0.1 that applies ``quirk`` to the prober's hellos."""

    def __init__(self, quirk: Quirk, backend_port: int | None = None, stall_s: float = 5.0) -> None:
        self.quirk = quirk
        self.backend_port = backend_port
        self.stall_s = stall_s
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hellos: list[Hello] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(self.stall_s)
        try:
            data = b""
            hello = None
            while hello is None and len(data) < 65536:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
                hello = parse_hello(data)
            if hello is None:
                return
            action = self.quirk(hello) if hello.raw_probe else None
            if hello.raw_probe:
                self.hellos.append(hello)
            if action is None:
                self._forward(conn, data)
            elif action == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif action == "stall":
                self._stop.wait(self.stall_s)
            elif isinstance(action, bytes):
                conn.sendall(action)
        except OSError:
            pass
        finally:
            conn.close()

    def _forward(self, conn: socket.socket, first: bytes) -> None:
        if self.backend_port is None:
            conn.sendall(ALERT_HANDSHAKE_FAILURE)
            return
        with socket.create_connection(("127.0.0.1", self.backend_port), timeout=self.stall_s) as back:
            back.sendall(first)
            pump = threading.Thread(target=_pipe, args=(back, conn), daemon=True)
            pump.start()
            _pipe(conn, back)
            pump.join(timeout=self.stall_s)


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
