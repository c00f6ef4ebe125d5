"""TLS wire format: just enough to send a ClientHello and read the server's first answer.

The prober never finishes a handshake: it needs the ServerHello (or HelloRetryRequest, or Alert) and nothing
after it, so no cryptography runs on the client. Parsing is pure (bytes in, message out) so it can be fuzzed:
``parse_server_reply`` returns a message, ``None`` when more bytes are needed, or raises :class:`ProtocolError`
(the only exception this module raises; STYLE.md §6, after mitmproxy's ``parse_client_hello``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: legacy_version / record version per protocol (RFC 8446 §4.1.2, RFC 6101).
VERSION_CODES: dict[str, int] = {"SSLv3": 0x0300, "TLSv1.0": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303,
                                 "TLSv1.3": 0x0304}
VERSION_NAMES: dict[int, str] = {v: k for k, v in VERSION_CODES.items()} | {0x0002: "SSLv2"}
#: Random of a HelloRetryRequest: SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()
RENEGOTIATION_SCSV = 0x00FF
MAX_RECORD = 2**14 + 2048  # RFC 5246 §6.2.3: the largest TLSCiphertext fragment
MAX_HANDSHAKE = 2**16  # a ServerHello is far smaller; anything bigger is garbage, not "need more bytes"

# supported_groups: X25519 and P-256 first (P-256 is required by default OpenSSL servers for TLS 1.2,
# openssl/openssl#28427), then every other named curve and the FFDHE groups (RFC 8422, RFC 7919).
GROUPS: tuple[int, ...] = (29, 23, 24, 25, 30, 26, 27, 28, *range(1, 23), 256, 257, 258, 259, 260)
# signature_algorithms: ECDSA, EdDSA, PSS, PKCS#1, then SHA-1/MD5 and DSA pairs so old servers still answer.
SIGALGS: tuple[int, ...] = (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A,
                            0x080B, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
                            0x0203, 0x0201, 0x0202, 0x0101, 0x0102)


class ProtocolError(ValueError):
    """The server's bytes are not a well-formed TLS (or SSLv2) answer."""


@dataclass(frozen=True)
class ServerHello:
    """The part of a ServerHello (or HelloRetryRequest) the prober needs.

    Attributes:
        version: negotiated version code (supported_versions if present, else legacy_version).
        cipher: chosen cipher suite code point.
        hrr: True for a HelloRetryRequest, which still proves the suite is accepted (ssllabs-scan #845).
        extensions: extension type codes present, in order (e.g. 5 = status_request means OCSP stapling).
    """

    version: int
    cipher: int
    hrr: bool = False
    extensions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Alert:
    """A TLS alert: the server refused (level 2 = fatal; description per RFC 8446 §6)."""

    level: int
    description: int


@dataclass(frozen=True)
class SSLv2ServerHello:
    """SSLv2 SERVER-HELLO: one round trip lists every cipher spec the server shares with us."""

    ciphers: tuple[int, ...]


ServerReply = ServerHello | Alert | SSLv2ServerHello


def _u16(n: int) -> bytes:
    return struct.pack("!H", n)


def _vec(data: bytes, width: int = 2) -> bytes:
    return len(data).to_bytes(width, "big") + data


def _ext(kind: int, body: bytes) -> bytes:
    return _u16(kind) + _vec(body)


_GROUPS_EXT = _ext(10, _vec(struct.pack(f"!{len(GROUPS)}H", *GROUPS)))
_SIGALGS_EXT = _ext(13, _vec(struct.pack(f"!{len(SIGALGS)}H", *SIGALGS)))


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def encode_sni(name: str) -> bytes:
    """The SNI host_name for ``name`` (IDNA, RFC 6066 §3), or :class:`ValueError` saying why it cannot be sent.

    Checked once before probing (``verify`` turns the error into a one-line usage error) so that no prober
    task ever meets an unencodable name.
    """
    try:
        encoded = name.rstrip(".").encode("idna")
    except UnicodeError as e:
        reason = str(e.__cause__ or e).removeprefix("encoding with 'idna' codec failed (UnicodeError: ").rstrip(")")
        raise ValueError(f"server name {name[:80]!r} cannot be encoded with IDNA: {reason}") from None
    if not encoded or len(encoded) > 253:
        raise ValueError(f"server name {name[:80]!r} is not a DNS name of 1 to 253 characters")
    return encoded


def _padding_needed(length: int) -> int:
    """Bytes of padding extension (header included) so the hello avoids 256-511 and ≡10/14 mod 256.

    F5 and other middleboxes hang on hellos of 256-511 bytes (RFC 7685 §1); some stacks fail at lengths
    ≡10 or 14 (mod 256) (testssl.sh PR #1113). 0 means no padding extension.
    """
    pad = 0
    if 256 <= length <= 511:
        pad = max(4, 512 - length)
    while (length + pad) % 256 in (10, 14):
        pad = pad + 1 if pad >= 4 else 4
    return pad


def build_client_hello(version: str, ciphers: Sequence[int], server_name: str | None = None, *,
                       status_request: bool = False, random: bytes | None = None) -> bytes:
    """One TLS record holding a ClientHello that offers ``ciphers`` at ``version`` (``SSLv3`` … ``TLSv1.3``).

    Always signals secure renegotiation (extension, or the SCSV for SSLv3; testssl.sh PR #991), lists P-256
    among the groups, and pads the message away from intolerant lengths. TLS 1.3 hellos carry
    supported_versions=[1.3] and one X25519 key share of random bytes: the handshake is never finished, so
    no private key is needed; a server preferring another group answers with a HelloRetryRequest.
    """
    if version not in VERSION_CODES:
        raise ValueError(f"cannot build a {version} hello with this builder")
    tls13 = version == "TLSv1.3"
    legacy = 0x0303 if tls13 else VERSION_CODES[version]
    suites = list(ciphers) + ([RENEGOTIATION_SCSV] if version == "SSLv3" else [])
    exts = b""
    if server_name and not _is_ip(server_name):
        host = encode_sni(server_name)
        exts += _ext(0, _vec(b"\x00" + _vec(host)))
    exts += _GROUPS_EXT
    exts += _ext(11, _vec(b"\x00\x01\x02", 1))
    if version in ("TLSv1.2", "TLSv1.3"):
        exts += _SIGALGS_EXT
    if version != "SSLv3":
        exts += _ext(0xFF01, b"\x00")
    exts += _ext(23, b"")
    if status_request:
        exts += _ext(5, b"\x01\x00\x00\x00\x00")
    if tls13:
        exts += _ext(43, _vec(_u16(0x0304), 1))
        exts += _ext(51, _vec(_u16(29) + _vec(os.urandom(32))))
        exts += _ext(45, _vec(b"\x01", 1))
    rnd = random if random is not None else os.urandom(32)
    body = _u16(legacy) + rnd + _vec(os.urandom(32), 1) + _vec(struct.pack(f"!{len(suites)}H", *suites)) + b"\x01\x00"
    pad = _padding_needed(4 + len(body) + 2 + len(exts))
    if pad:
        exts += _ext(21, bytes(pad - 4))
    body += _vec(exts)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    record_version = 0x0300 if version == "SSLv3" else 0x0301
    return b"\x16" + _u16(record_version) + _vec(handshake)


def build_sslv2_client_hello(specs: Sequence[int]) -> bytes:
    """An SSLv2 CLIENT-HELLO (2-byte header) offering 3-byte cipher ``specs`` with a 16-byte challenge."""
    spec_bytes = b"".join(s.to_bytes(3, "big") for s in specs)
    body = b"\x01" + _u16(0x0002) + _u16(len(spec_bytes)) + _u16(0) + _u16(16) + spec_bytes + os.urandom(16)
    return _u16(0x8000 | len(body)) + body


def iter_records(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Complete TLS records in ``data`` as (content type, version, fragment); stops at a partial record."""
    pos = 0
    while len(data) - pos >= 5:
        ctype, ver, length = struct.unpack_from("!BHH", data, pos)
        if ctype not in (20, 21, 22, 23, 24) or ver >> 8 != 3:
            raise ProtocolError(f"not a TLS record (type {ctype}, version 0x{ver:04x})")
        if length > MAX_RECORD:
            raise ProtocolError(f"record length {length} exceeds the TLS maximum")
        if len(data) - pos - 5 < length:
            return
        yield ctype, ver, data[pos + 5:pos + 5 + length]
        pos += 5 + length


def handshake_messages(records: Iterator[tuple[int, int, bytes]]) -> Iterator[tuple[int, bytes] | Alert]:
    """Handshake messages reassembled across records and split where coalesced; alerts are passed through.

    Ends (without error) when the bytes run out mid-message; a ChangeCipherSpec before the server's first
    flight is skipped (TLS 1.3 middlebox compatibility mode sends one after the ServerHello).
    """
    buf = b""
    for ctype, _ver, fragment in records:
        if ctype == 21:
            if buf:
                raise ProtocolError("alert interleaved with a fragmented handshake message")
            if len(fragment) != 2:
                raise ProtocolError(f"alert record of {len(fragment)} bytes")
            yield Alert(fragment[0], fragment[1])
            continue
        if ctype == 20:
            continue
        if ctype != 22:
            raise ProtocolError(f"unexpected record type {ctype} before the handshake finished")
        if not fragment:
            raise ProtocolError("empty handshake record")
        buf += fragment
        while len(buf) >= 4:
            length = int.from_bytes(buf[1:4], "big")
            if length > MAX_HANDSHAKE:
                raise ProtocolError(f"handshake message of {length} bytes")
            if len(buf) < 4 + length:
                break
            yield buf[0], buf[4:4 + length]
            buf = buf[4 + length:]


def parse_server_hello(body: bytes) -> ServerHello:
    """Decode a ServerHello body (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3); extensions are optional before TLS 1.2."""
    if len(body) < 38:
        raise ProtocolError(f"ServerHello of {len(body)} bytes is too short")
    legacy = int.from_bytes(body[0:2], "big")
    random = body[2:34]
    sid_len = body[34]
    if sid_len > 32:
        raise ProtocolError(f"session id of {sid_len} bytes")
    pos = 35 + sid_len
    if len(body) < pos + 3:
        raise ProtocolError("ServerHello truncated before the cipher suite")
    cipher = int.from_bytes(body[pos:pos + 2], "big")
    pos += 3
    version, exts = legacy, []
    if pos < len(body):
        if len(body) < pos + 2:
            raise ProtocolError("ServerHello extensions length truncated")
        end = pos + 2 + int.from_bytes(body[pos:pos + 2], "big")
        if end != len(body):
            raise ProtocolError("ServerHello extensions length does not match the message")
        pos += 2
        while pos < end:
            if end - pos < 4:
                raise ProtocolError("truncated extension header")
            kind, size = struct.unpack_from("!HH", body, pos)
            if pos + 4 + size > end:
                raise ProtocolError(f"extension {kind} overruns the message")
            if kind == 43:
                if size != 2:
                    raise ProtocolError("supported_versions in a ServerHello must hold one version")
                version = int.from_bytes(body[pos + 4:pos + 6], "big")
            exts.append(kind)
            pos += 4 + size
    if version >> 8 != 3:
        raise ProtocolError(f"ServerHello with version 0x{version:04x}")
    return ServerHello(version, cipher, random == HRR_RANDOM, tuple(exts))


def parse_sslv2(data: bytes) -> SSLv2ServerHello | None:
    """Decode an SSLv2 SERVER-HELLO (2-byte record header); ``None`` until the whole record is there."""
    if len(data) < 2:
        return None
    length = ((data[0] & 0x7F) << 8) | data[1]
    if len(data) < 2 + length:
        return None
    msg = data[2:2 + length]
    if len(msg) < 11 or msg[0] != 4:
        raise ProtocolError("SSLv2 record is not a SERVER-HELLO")
    cert_len, specs_len, conn_len = struct.unpack_from("!HHH", msg, 5)
    if specs_len % 3 or 11 + cert_len + specs_len + conn_len != len(msg):
        raise ProtocolError("SSLv2 SERVER-HELLO lengths do not add up")
    specs = msg[11 + cert_len:11 + cert_len + specs_len]
    return SSLv2ServerHello(tuple(int.from_bytes(specs[i:i + 3], "big") for i in range(0, len(specs), 3)))


def parse_server_reply(data: bytes, *, sslv2: bool = False) -> ServerReply | None:
    """The server's first answer: ServerHello/HRR, Alert or SSLv2 SERVER-HELLO; ``None`` if incomplete.

    ``sslv2`` allows an SSLv2 record (high bit set in the first byte) in reply to an SSLv2 CLIENT-HELLO.
    Raises only :class:`ProtocolError`.
    """
    if not data:
        return None
    if sslv2 and data[0] & 0x80:
        return parse_sslv2(data)
    for item in handshake_messages(iter_records(data)):
        if isinstance(item, Alert):
            return item
        kind, body = item
        if kind != 2:
            raise ProtocolError(f"expected a ServerHello, got handshake message type {kind}")
        return parse_server_hello(body)
    return None


def parse_flight(data: bytes) -> list[tuple[int, bytes]] | None:
    """Every handshake message of a TLS 1.2 server flight up to ServerHelloDone (14); ``None`` if incomplete.

    Used to read the stapled OCSP response (CertificateStatus, 22) that travels in clear before TLS 1.3.
    """
    messages: list[tuple[int, bytes]] = []
    for item in handshake_messages(iter_records(data)):
        if isinstance(item, Alert):
            raise ProtocolError(f"alert {item.description} in the server's flight")
        messages.append(item)
        if item[0] == 14:
            return messages
    return None


def parse_certificate_list(body: bytes) -> list[bytes]:
    """The DER certificates of a TLS ≤1.2 Certificate message body (RFC 5246 §7.4.2), leaf first."""
    if len(body) < 3 or int.from_bytes(body[:3], "big") != len(body) - 3:
        raise ProtocolError("Certificate message length does not match its list")
    ders, pos = [], 3
    while pos < len(body):
        if len(body) - pos < 3:
            raise ProtocolError("truncated certificate length")
        size = int.from_bytes(body[pos:pos + 3], "big")
        if size == 0 or pos + 3 + size > len(body):
            raise ProtocolError(f"certificate entry of {size} bytes overruns the message")
        ders.append(body[pos + 3:pos + 3 + size])
        pos += 3 + size
    return ders
