"""Which suites does each protocol version accept? Elimination chains of raw ClientHellos, adaptively split.

Per version: offer the code points usable there, record the server's pick, remove it, repeat until the server
refuses (testssl.sh's "sockets" method; ../shared/reference/tls_probing_notes.md §1). One plain chain costs
accepted + 1 handshakes but as many sequential round trips, so chains split as they find suites:

- TLS 1.2 and 1.3, which nearly every server accepts, are dealt into ``EAGER_WAYS`` chains from the first hello
  (commonest suites first, round-robin, so each chain meets about one accepted suite);
- the older versions start with one full hello (one connection when refused, as on most servers) and deal the
  rest into ``FIRST_SPLIT`` chains after their first accepted suite;
- after that, every chain that finds a suite splits its remainder in two.

Every chain ends with one refusal and each acceptance creates at most one chain, so a version costs at most
2 × accepted + its initial chains: about 2 × accepted + 40 connections in all (plus at most ``SPARES``
pre-opened ones), while the rounds grow with log2 of the accepted count instead of linearly. Everything runs
on one event loop (no thread per chain, no lock), under a per-target connection cap and deadline.

Robustness rules from the notes: an unoffered pick switches the chain to one suite per hello (testssl.sh #793);
a refused hello of more than 127 suites is retried in chunks (testssl.sh #806, #189); a timeout, reset or garbage
makes the version ``unknown``, never ``refused``, and ends that version at once (nothing more it could show would
change the verdict, so a stalling server costs one timeout, not one per remaining suite); the deadline ends
whatever is still running, each with its reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from tlsfence.probe.net import Connector, Counter, Endpoint, Undetermined
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
#: TLS 1.2 and 1.3 fan out from the first hello (one round trip saved; costs up to EAGER_WAYS - 1 extra
#: connections only when the version is refused). 352 / 16 = 22 suites a chain, far below the 128 limit.
EAGER = ("TLSv1.2", "TLSv1.3")
EAGER_WAYS = 16
#: Chains an older version's remainder is dealt into after its first accepted suite.
FIRST_SPLIT = 16
#: Connections kept open ahead of need (see ``Connector``): the later rounds then cost one round trip each.
SPARES = 8
DEFAULT_CONCURRENCY = 64
DEFAULT_DEADLINE = 30.0
ALERT_PROTOCOL_VERSION = 70  # the version itself is refused: no point retrying with fewer suites
#: kept for callers of the first version (``--split-ways``): the eager fan-out and first split.
SPLIT_WAYS = EAGER_WAYS


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


class _Stop(Exception):
    """The version is over (an exchange could not be read): its other chains are cancelled."""


@dataclass
class _Chain:
    """State of one version's enumeration (one event loop: no lock needed)."""

    protocol: str
    accepted: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    handshakes: int = 0
    rounds: int = 0  # the longest sequence of hellos, each waiting for the answer to the one before

    def add(self, cipher: int) -> None:
        if cipher not in self.accepted:
            self.accepted.append(cipher)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def fail(self, text: str) -> _Stop:
        if not self.errors:
            self.errors.append(text)
        return _Stop(text)


class Enumerator:
    """Runs the elimination chains of one target.

    Attributes:
        endpoint: where to connect.
        counter: connections opened (all versions, spares included).
        concurrency: simultaneous connections to this target.
        split_ways: chains of the eager fan-out and of an older version's first split (1: plain chains, no
            splitting at all, no spares: accepted + 1 handshakes per version).
        deadline: seconds the whole enumeration may take; what is still running then ends ``unknown``.
    """

    def __init__(self, endpoint: Endpoint, concurrency: int = DEFAULT_CONCURRENCY, split_ways: int = SPLIT_WAYS,
                 deadline: float = DEFAULT_DEADLINE, spares: int | None = None) -> None:
        self.endpoint = endpoint
        self.split_ways = max(1, split_ways)
        self.concurrency = max(1, concurrency)
        self.deadline = deadline
        self.spares = (SPARES if self.split_ways > 1 else 0) if spares is None else spares
        self.counter = Counter()

    def run(self, protocols: Sequence[str] = PROTOCOLS) -> tuple[VersionResult, ...]:
        """Enumerate every version at once; results in ``protocols`` order."""
        return asyncio.run(self._run(protocols))

    async def _run(self, protocols: Sequence[str]) -> tuple[VersionResult, ...]:
        loop = asyncio.get_running_loop()
        self._deadline_at = loop.time() + self.deadline
        self._net = self._connector()
        chains = {p: _Chain(p) for p in protocols}
        tasks = [asyncio.create_task(self._version(chains[p])) for p in protocols]
        try:
            _done, pending = await asyncio.wait(tasks, timeout=self.deadline)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        finally:
            self._net.close()
        for task, protocol in zip(tasks, protocols, strict=True):
            if task.cancelled():
                chains[protocol].fail(f"not finished within the {self.deadline:g} s deadline")
            elif task.exception() is not None:
                raise task.exception()  # type: ignore[misc]  # a bug: surfaced, not turned into a verdict
        return tuple(self._result(chains[p]) for p in protocols)

    def _connector(self) -> Connector:
        """The connection layer (tests substitute a fake server here)."""
        return Connector(self.endpoint, self.counter, self.concurrency, self.spares)

    async def _version(self, chain: _Chain) -> None:
        """The elimination for one version; ends at the first undeterminable exchange."""
        try:
            if chain.protocol == "SSLv2":
                await self._sslv2(chain)
                return
            codes = offered_codes(chain.protocol)
            if self.split_ways > 1 and chain.protocol in EAGER:
                await self._all(chain, [self._chain(chain, part, 1) for part in deal(codes, self.split_ways)])
                return
            first = await self._chain(chain, codes, 1, first_split=self.split_ways)
            if first is not None and len(codes) > CHUNK and first.kind == "refuse" and \
                    first.alert != ALERT_PROTOCOL_VERSION:
                chain.note(f"full hello of {len(codes)} suites refused ({first.detail}); retried in chunks of {CHUNK}")
                chunks = deal(codes, -(-len(codes) // CHUNK))
                await self._all(chain, [self._chain(chain, c, 2) for c in chunks])
        except _Stop:
            return

    @staticmethod
    async def _all(chain: _Chain, jobs: Sequence[object]) -> None:
        """Run chains at once; the first that stops the version cancels the others."""
        tasks = [asyncio.ensure_future(job) for job in jobs]  # type: ignore[arg-type]
        try:
            await asyncio.gather(*tasks)
        except _Stop:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            raise

    @staticmethod
    def _result(chain: _Chain) -> VersionResult:
        if chain.errors:
            return VersionResult(chain.protocol, "unknown", tuple(chain.accepted), chain.handshakes,
                                 "; ".join(chain.errors), tuple(chain.notes), chain.rounds)
        status = "accepted" if chain.accepted else "refused"
        return VersionResult(chain.protocol, status, tuple(chain.accepted), chain.handshakes, None, tuple(chain.notes),
                             chain.rounds)

    async def _offer(self, chain: _Chain, codes: Sequence[int], depth: int) -> _Answer:
        """One hello (the ``depth``-th in sequence), classified: accepted a suite, refused, or we cannot tell."""
        protocol = chain.protocol
        hello = build_client_hello(protocol, codes, self.endpoint.sni)

        def sent() -> None:  # counted once connected: a hello cancelled while queued for the gate never went out
            chain.handshakes += 1
            chain.rounds = max(chain.rounds, depth)

        try:
            reply = await self._net.exchange(hello, parse_server_reply, self._deadline_at, on_connect=sent,
                                             wanted=lambda: not chain.errors)
        except Undetermined as e:
            return _Answer("error", detail=str(e))
        return classify(reply, protocol, chain)

    async def _chain(self, chain: _Chain, codes: Sequence[int], depth: int, *,
                     first_split: int = 0) -> _Answer | None:
        """Eliminate over ``codes``, splitting after each find; returns the first answer (intolerance check)."""
        remaining = list(codes)
        first: _Answer | None = None
        while remaining:  # bounded: each round removes one suite, or ends
            answer = await self._offer(chain, remaining, depth)
            depth += 1
            first = first or answer
            if answer.kind == "error":
                raise chain.fail(answer.detail)
            if answer.kind == "refuse":
                break
            cipher = answer.cipher
            assert cipher is not None
            if cipher not in remaining:
                chain.note(f"server picked 0x{cipher:04X}, which was not offered; tried the rest one per hello")
                await self._one_by_one(chain, remaining, cipher, depth)
                break
            chain.add(cipher)
            remaining.remove(cipher)
            if self.split_ways > 1 and len(remaining) > 1:
                ways = first_split if first_split > 1 else 2
                await self._all(chain, [self._chain(chain, part, depth) for part in deal(remaining, ways)])
                break
        return first

    async def _one_by_one(self, chain: _Chain, codes: Sequence[int], unoffered: int, depth: int) -> None:
        """Fallback for servers that answer with suites we did not offer: one suite per hello.

        A server that then leaves a single-suite hello unanswered ends the version at once (``unknown``, with
        both findings in the reason) instead of costing one timeout per remaining suite.
        """
        async def single(code: int) -> None:
            answer = await self._offer(chain, [code], depth)
            if answer.kind == "error":
                if chain.errors:  # the version already ended (this hello was dropped or cut short)
                    raise _Stop(chain.errors[0])
                raise chain.fail(f"server picked 0x{unoffered:04X}, which was not offered, and did not answer "
                                 f"a single-suite hello (0x{code:04X}: {answer.detail})")
            if answer.kind == "accept" and answer.cipher == code:
                chain.add(code)

        await self._all(chain, [single(c) for c in codes])

    async def _sslv2(self, chain: _Chain) -> None:
        """SSLv2 needs one round trip: the SERVER-HELLO lists every cipher spec in common."""
        codes = offered_codes("SSLv2")
        chain.handshakes, chain.rounds = 1, 1
        try:
            reply = await self._net.exchange(build_sslv2_client_hello(codes),
                                             lambda data: parse_server_reply(data, sslv2=True), self._deadline_at)
        except Undetermined as e:
            raise chain.fail(str(e)) from None
        if isinstance(reply, SSLv2ServerHello):
            for code in reply.ciphers:
                if code in codes:
                    chain.add(code)


def classify(reply: object, protocol: str, chain: _Chain | None = None) -> _Answer:
    """What a parsed reply to a hello at ``protocol`` means: accept (with the suite), refuse, or error."""
    if reply is None:
        return _Answer("refuse", detail="connection closed")
    if isinstance(reply, Alert):
        return _Answer("refuse", detail=f"alert {reply.description}", alert=reply.description)
    if isinstance(reply, ServerHello):
        if reply.version != VERSION_CODES[protocol]:
            return _Answer("refuse", detail=f"server chose version 0x{reply.version:04x}")
        if reply.hrr and chain is not None:
            chain.note("HelloRetryRequest received: counted as accepted (ssllabs-scan #845)")
        return _Answer("accept", cipher=reply.cipher)
    return _Answer("error", detail=f"unexpected answer to a {protocol} hello: {type(reply).__name__}")
