"""Which suites does each protocol version accept? Elimination chains of raw ClientHellos.

Per version: offer every code point usable there, record the server's pick, remove it, repeat until the
server refuses: accepted + 1 handshakes (testssl.sh's "sockets" method; ../shared/reference/
tls_probing_notes.md §1). All versions run at once, each connection under a per-target cap. Once a version
accepts a suite, the rest is dealt into ``split_ways`` parallel chains (likeliest suites first, so each chain
meets about one accepted suite): about 3 round trips per version instead of 2 × (accepted + 1), for at most
``split_ways - 1`` extra handshakes (``split_ways=1`` is the plain chain). TLS 1.2 and 1.3 are dealt out from
the start, saving one more round trip. Robustness rules from the notes: an
unoffered pick switches to one suite per hello (testssl.sh #793); a refused hello of more than 127 suites is
retried in chunks (testssl.sh #806, #189); a timeout or reset makes the version ``unknown``, never ``refused``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tlsfence.probe.net import Counter, Endpoint, Undetermined, exchange
from tlsfence.probe.report import SSLV2_SPECS, VersionResult
from tlsfence.probe.wire import (
    VERSION_CODES,
    Alert,
    ServerHello,
    SSLv2ServerHello,
    build_client_hello,
    build_sslv2_client_hello,
    parse_server_reply,
)
from tlsfence.suites import PROTOCOLS, CipherSuite, registry

CHUNK = 127  # largest hello that 128-suite-intolerant servers accept (with the SCSV/extension: 128)
SPLIT_WAYS = 12  # fan-out after the first accepted suite: the 12 commonest suites land in different chains
#: Versions nearly every server accepts fan out from the first hello (one round trip saved; costs SPLIT_WAYS - 1
#: extra connections only when the version is refused). Their chunks are far below the 128-suite limit.
EAGER = ("TLSv1.2", "TLSv1.3")
ALERT_PROTOCOL_VERSION = 70  # the version itself is refused: no point retrying with fewer suites


def offered_codes(protocol: str) -> list[int]:
    """Every code point a client may offer at ``protocol``, likeliest first: the full IANA registry, or SSLv2's."""
    if protocol == "SSLv2":
        return list(SSLV2_SPECS)
    return [s.code for s in sorted((s for s in registry().suites if s.usable_at(protocol)), key=_likelihood)]


def _likelihood(suite: CipherSuite) -> tuple[int, int, int]:
    """Sort key, commonest configurations first, so suites a server enables together land in different chains.

    Tiers: ECDHE with AES-GCM/CHACHA20 (the six allowed suites rank 0-8 of TLS 1.2), ECDHE with AES-CBC,
    RSA key exchange with AES, DHE with AES, other ciphers with those key exchanges (3DES, RC4, CAMELLIA, ARIA,
    CCM...), then everything else (anonymous, NULL, EXPORT, PSK, SRP, static DH/ECDH, GOST...).
    """
    name = suite.iana
    aes = "_AES_" in name and "CCM" not in name
    aead = "AES_128_GCM" in name or "AES_256_GCM" in name or ("CHACHA20_POLY1305" in name and "_OLD" not in name)
    plain = not any(w in name for w in ("anon", "NULL", "EXPORT", "PSK", "SRP", "KRB5", "GOST", "FIPS"))
    kx = suite.kx if plain and suite.auth in ("RSA", "ECDSA", "DSS", "any") else "other"
    if kx in ("any", "ECDH") and (aead or aes):
        tier = 0 if aead or kx == "any" else 1
    elif kx in ("RSA", "DH") and aes:
        tier = 2 if kx == "RSA" else 3
    else:
        tier = 4 if kx != "other" else 5
    sha2 = 0 if name.endswith(("SHA256", "SHA384")) or aead else 1
    return tier, sha2, suite.code


def deal(codes: Sequence[int], ways: int) -> list[list[int]]:
    """Deal ``codes`` round-robin into ``ways`` non-empty lists, so the likeliest land in different lists."""
    ways = max(1, min(ways, len(codes)))
    return [list(codes[i::ways]) for i in range(ways)]


@dataclass(frozen=True)
class _Answer:
    kind: str  # accept | refuse | error
    cipher: int | None = None
    detail: str = ""
    alert: int | None = None


@dataclass
class _Chain:
    """Mutable state of one version's enumeration (threads append under the lock)."""

    protocol: str
    accepted: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    handshakes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> None:
        with self.lock:
            self.handshakes += 1

    def add(self, cipher: int) -> None:
        with self.lock:
            if cipher not in self.accepted:
                self.accepted.append(cipher)

    def note(self, text: str, *, error: bool = False, once: bool = False) -> None:
        with self.lock:
            target = self.errors if error else self.notes
            if not (once and text in target):
                target.append(text)


class Enumerator:
    """Runs the elimination chains of one target.

    Attributes:
        endpoint: where to connect.
        counter: connections opened (all versions).
        gate: caps concurrent connections to this target.
        split_ways: parallel chains a version fans out into after its first accepted suite (1: plain chain).
    """

    def __init__(self, endpoint: Endpoint, concurrency: int = 32, split_ways: int = SPLIT_WAYS) -> None:
        self.endpoint = endpoint
        self.split_ways = max(1, split_ways)
        self.counter = Counter()
        self.gate = threading.BoundedSemaphore(max(1, concurrency))

    def run(self, protocols: Sequence[str] = PROTOCOLS) -> tuple[VersionResult, ...]:
        """Enumerate every version in parallel; results in ``protocols`` order."""
        with ThreadPoolExecutor(max_workers=len(protocols), thread_name_prefix="tlsfence-chain") as pool:
            return tuple(pool.map(self.version, protocols))

    def version(self, protocol: str) -> VersionResult:
        """The elimination chain for one version."""
        chain = _Chain(protocol)
        if protocol == "SSLv2":
            self._sslv2(chain)
        else:
            codes = offered_codes(protocol)
            if self.split_ways > 1 and protocol in EAGER:
                parts = deal(codes, self.split_ways)
                self._parallel([lambda p=p: self._chain(chain, p, split=False) for p in parts])
                return self._result(chain)
            first = self._chain(chain, codes, split=True)
            if first is not None and len(codes) > CHUNK and first.kind == "refuse" and \
                    first.alert != ALERT_PROTOCOL_VERSION:
                chain.note(f"full hello of {len(codes)} suites refused ({first.detail}); retried in chunks of {CHUNK}")
                chunks = deal(codes, -(-len(codes) // CHUNK))
                self._parallel([lambda c=c: self._chain(chain, c, split=False) for c in chunks])
        return self._result(chain)

    @staticmethod
    def _result(chain: _Chain) -> VersionResult:
        handshakes = chain.handshakes
        if chain.errors:
            return VersionResult(chain.protocol, "unknown", tuple(chain.accepted), handshakes, "; ".join(chain.errors),
                                 tuple(chain.notes))
        status = "accepted" if chain.accepted else "refused"
        return VersionResult(chain.protocol, status, tuple(chain.accepted), handshakes, None, tuple(chain.notes))

    def _offer(self, chain: _Chain, codes: Sequence[int]) -> _Answer:
        """One hello, classified: the server accepted a suite at this version, refused, or we cannot tell."""
        protocol = chain.protocol
        chain.count()
        hello = build_client_hello(protocol, codes, self.endpoint.sni)
        try:
            reply = exchange(self.endpoint, hello, parse_server_reply, counter=self.counter, gate=self.gate)
        except Undetermined as e:
            return _Answer("error", detail=str(e))
        if reply is None:
            return _Answer("refuse", detail="connection closed")
        if isinstance(reply, Alert):
            return _Answer("refuse", detail=f"alert {reply.description}", alert=reply.description)
        if isinstance(reply, ServerHello) and reply.version != VERSION_CODES[protocol]:
            return _Answer("refuse", detail=f"server chose version 0x{reply.version:04x}")
        assert isinstance(reply, ServerHello)
        if reply.hrr:
            chain.note("HelloRetryRequest received: counted as accepted (ssllabs-scan #845)", once=True)
        return _Answer("accept", cipher=reply.cipher)

    def _chain(self, chain: _Chain, codes: Sequence[int], *, split: bool) -> _Answer | None:
        """Eliminate over ``codes``; returns the first answer (so the caller can detect intolerance)."""
        remaining = list(codes)
        first: _Answer | None = None
        for _ in range(len(codes) + 1):  # bounded: each round removes one suite or ends
            if not remaining:
                break
            answer = self._offer(chain, remaining)
            first = first or answer
            if answer.kind == "error":
                chain.note(answer.detail, error=True)
                break
            if answer.kind == "refuse":
                break
            cipher = answer.cipher
            assert cipher is not None
            if cipher not in remaining:
                chain.note(f"server picked 0x{cipher:04X}, which was not offered; tried the rest one per hello")
                self._one_by_one(chain, remaining)
                break
            chain.add(cipher)
            remaining.remove(cipher)
            if split and self.split_ways > 1 and len(remaining) > 1:
                parts = deal(remaining, self.split_ways)
                self._parallel([lambda p=p: self._chain(chain, p, split=False) for p in parts])
                break
        return first

    def _one_by_one(self, chain: _Chain, codes: Sequence[int]) -> None:
        """Fallback for servers that answer with suites we did not offer: one suite per hello."""
        def single(code: int) -> None:
            answer = self._offer(chain, [code])
            if answer.kind == "error":
                chain.note(f"0x{code:04X}: {answer.detail}", error=True)
            elif answer.kind == "accept" and answer.cipher == code:
                chain.add(code)

        self._parallel([lambda c=c: single(c) for c in codes])

    def _parallel(self, jobs: Sequence[Callable[[], object]]) -> None:
        """Run jobs on threads; the gate, not the pool size, limits connections."""
        workers = max(1, min(len(jobs), self.gate._initial_value))  # type: ignore[attr-defined]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tlsfence-sub") as pool:
            for future in [pool.submit(job) for job in jobs]:
                future.result()

    def _sslv2(self, chain: _Chain) -> None:
        """SSLv2 needs one round trip: the SERVER-HELLO lists every cipher spec in common."""
        codes = offered_codes("SSLv2")
        chain.count()
        try:
            reply = exchange(self.endpoint, build_sslv2_client_hello(codes),
                             lambda data: parse_server_reply(data, sslv2=True), counter=self.counter, gate=self.gate)
        except Undetermined as e:
            chain.note(str(e), error=True)
            return
        if isinstance(reply, SSLv2ServerHello):
            for code in reply.ciphers:
                if code in codes:
                    chain.add(code)
