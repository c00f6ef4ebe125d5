"""Server replies in hex, commented by layer. Each entry: (bytes, length of the prefix that completes the
first message, expected parse). Shared by the unit tests and the fuzz test."""

from __future__ import annotations

from tlsfence.probe.wire import HRR_RANDOM, Alert, ServerHello, SSLv2ServerHello

RANDOM = bytes(range(32)).hex()

TLS12_SERVER_HELLO = bytes.fromhex(
    "16 0303 005d"                      # record: handshake, TLS 1.2, 93 bytes
    "02 000059"                         # handshake: ServerHello, 89 bytes
    "0303" + RANDOM +                   # legacy_version 1.2, random
    "20" + "aa" * 32 +                  # session id, 32 bytes
    "c02f 00"                           # ECDHE-RSA-AES128-GCM-SHA256, null compression
    "0011"                              # extensions, 17 bytes
    "ff01 0001 00"                      # renegotiation_info (empty)
    "000b 0004 03 000102"               # ec_point_formats
    "0017 0000"                         # extended_master_secret
)

TLS13_HRR = bytes.fromhex(
    "16 0303 0058"                      # record: handshake, 88 bytes
    "02 000054"                         # ServerHello (HelloRetryRequest), 84 bytes
    "0303" + HRR_RANDOM.hex() +         # legacy_version, the HRR magic random
    "20" + "bb" * 32 +                  # echoed session id
    "1302 00"                           # TLS_AES_256_GCM_SHA384, null compression
    "000c"                              # extensions, 12 bytes
    "002b 0002 0304"                    # supported_versions: TLS 1.3
    "0033 0002 0017"                    # key_share: please send secp256r1
)

ALERT_HANDSHAKE_FAILURE = bytes.fromhex(
    "15 0303 0002"                      # record: alert, 2 bytes
    "02 28"                             # fatal, handshake_failure
)

TLS10_COALESCED = bytes.fromhex(
    "16 0301 0035"                      # one record, 53 bytes, three handshake messages
    "02 000026"                         # ServerHello, 38 bytes, no extensions (allowed before TLS 1.2)
    "0301" + RANDOM +                   # TLS 1.0
    "00"                                # no session id
    "002f 00"                           # AES128-SHA, null compression
    "0b 000003 000000"                  # Certificate with an empty list
    "0e 000000"                         # ServerHelloDone
)

TLS12_SPLIT = bytes.fromhex(
    "16 0303 0010" + TLS12_SERVER_HELLO[5:21].hex() +   # first 16 bytes of the ServerHello
    "16 0303 004d" + TLS12_SERVER_HELLO[21:].hex()      # the remaining 77 bytes in a second record
)

SSLV2_SERVER_HELLO = bytes.fromhex(
    "8024"                              # SSLv2 record header: 36 bytes
    "04 00 01 0002"                     # SERVER-HELLO, no session hit, X.509, version 2
    "0003 0006 0010"                    # certificate 3, cipher specs 6, connection id 16 bytes
    "616263"                            # "certificate"
    "0700c0 010080"                     # DES-CBC3-MD5, RC4-MD5
    + "cc" * 16                         # connection id
)

#: name → (bytes, prefix length completing the first message, expected result, sslv2 flag)
FIXTURES: dict[str, tuple[bytes, int, object, bool]] = {
    "tls12_server_hello": (TLS12_SERVER_HELLO, 98, ServerHello(0x0303, 0xC02F, False, (0xFF01, 11, 23)), False),
    "tls13_hrr": (TLS13_HRR, 93, ServerHello(0x0304, 0x1302, True, (43, 51)), False),
    "alert": (ALERT_HANDSHAKE_FAILURE, 7, Alert(2, 40), False),
    "tls10_coalesced": (TLS10_COALESCED, 58, ServerHello(0x0301, 0x002F, False, ()), True),
    "tls12_split": (TLS12_SPLIT, 103, ServerHello(0x0303, 0xC02F, False, (0xFF01, 11, 23)), False),
    "sslv2": (SSLV2_SERVER_HELLO, 38, SSLv2ServerHello((0x0700C0, 0x010080)), True),
}
