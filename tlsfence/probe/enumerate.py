"""Which suites does each protocol version accept? Elimination in rounds of raw ClientHellos, adaptively split.

A hello offering a set of suites either is refused (none of them is accepted) or names one accepted suite; the
rest of that set is unknown until offered again (testssl.sh's "sockets" method; notes §1). One plain chain
costs accepted + 1 handshakes but as many sequential round trips, so each version runs in *rounds*: the
opening hellos are sent at once, and each answer sends its own follow-up at once, planned from all the answers
so far (no hello waits for the slowest of its round):

- the opening round offers the likeliest suites (``HEAD_TIER``: ECDHE AEAD/CBC and RSA AES, about 20 at TLS
  1.2) one per hello, which settles them at once, and deals the rest into ``TAIL_WAYS`` bundles (commonest
  first, round-robin, so each bundle meets about one accepted suite). TLS 1.2 and 1.3, which nearly every
  server accepts, open this way from the first hello; the older versions first send one full hello (one
  connection when refused, as on most servers) and open on the rest after it accepted, in bundles of about
  ``PART`` (a server that still speaks them tends to accept many suites there);
- a bundle that named a suite leaves a remainder: offered whole again while few bundles accept (a sparse
  server: one more refusal ends it), dealt into parts of ``PART`` once most bundles accept (a dense server),
  offered one per hello once ``SINGLE`` suites or fewer are left;
- every version keeps to ``2 × accepted + SLACK`` hellos: a split that would exceed it is not made (the
  remainder is offered whole, as a plain chain would, which the accepted suite pays for), so the count stays
  bounded whatever the server.

Rounds therefore stay at 1-2 on servers with a few common suites and 3 on servers with ~100. No prober can do
much better within that bound: for 77 accepted TLS 1.2 suites among the 352 offered, two rounds would need
more than 2 × 77 + 80 connections against some server with that many suites (each accepted bundle hides the
rest of its suites; docs/verify.md). Everything runs on one event loop (no thread per hello, no lock), under a
per-target connection cap and deadline; when hellos leave, the connections their follow-ups will likely need
are opened ahead (``Connector.prepare``), so a follow-up costs one round trip, not two.

Robustness rules from the notes: an unoffered pick switches that bundle to one suite per hello (testssl.sh
#793), at most ``FALLBACK`` at once; a refused hello of more than 127 suites is retried in chunks (testssl.sh
#806, #189); a timeout, reset or garbage makes the version ``unknown``, never ``refused``, and ends that version
at once (nothing more it could show would change the verdict, so a stalling server costs one timeout, not one
per remaining suite); a connection closed without a byte by a server that answers otherwise is asked again
once the rest is done (``Enumerator._recheck``: a server out of connections is not refusing); the deadline
ends whatever is still running, each with its reason.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from tlsfence.probe.limits import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE, fd_budget
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
#: Versions that open from the first hello (one round trip saved; the opening costs about 36 connections
#: only when the version is refused, which these two rarely are).
EAGER = ("TLSv1.2", "TLSv1.3")
#: Suites of this likelihood tier or better are offered one per hello in the opening round (20 at TLS 1.2).
HEAD_TIER = 2
HEAD_MAX = 24
#: Bundles the rest is dealt into in the opening round: 332 / 16 = 21 suites each, far below the 128 limit.
TAIL_WAYS = 16
#: A remainder of this many suites or fewer is offered one per hello (settled in one more round).
SINGLE = 3
#: On a dense server (more than ``DENSE`` of the bundles accept), remainders are dealt into parts this big.
PART = 4
DENSE = 0.5
#: Connections a version may use beyond 2 × its accepted suites (the opening round is 36 at most).
SLACK = 80
#: Connections opened ahead at most at any time (see ``Connector.prepare``): the waste is bounded by it. A
#: server with ~110 suites needs ~175 at once (for the third hellos of TLS 1.0, 1.1 and 1.2); a server with a
#: few common suites leaves ~8 unused.
SPARES = 256
#: Single-suite hellos of the unoffered-pick fallback out at once per version (``_one_by_one``).
FALLBACK = 32
#: Hellos asked again at once after a bare close (``_recheck``): few, whatever ``--concurrency`` is.
RECHECK_CONCURRENCY = 4
ALERT_PROTOCOL_VERSION = 70  # the version itself is refused: no point retrying with fewer suites
#: ``--split-ways``: anything above 1 is the adaptive rounds above; 1 is plain elimination chains.
SPLIT_WAYS = TAIL_WAYS


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


def _split(rest: list[int], dense: bool) -> list[list[int]]:
    """How a remainder is offered next: one suite per hello when that settles it in one more round at little
    cost, in parts of ``PART`` on a dense server, else whole."""
    if len(rest) <= SINGLE:
        return [[c] for c in rest]
    if dense:
        return deal(rest, -(-len(rest) // PART))
    return [list(rest)]


def opening(codes: Sequence[int], ways: int = TAIL_WAYS) -> list[list[int]]:
    """The opening round over ``codes`` (likeliest first): the head one per hello, the tail in ``ways`` bundles."""
    by_code = registry().by_code
    head = [c for c in codes if c in by_code and _likelihood(by_code[c])[0] <= HEAD_TIER][:HEAD_MAX]
    chosen = set(head)
    tail = [c for c in codes if c not in chosen]
    return [[c] for c in head] + (deal(tail, ways) if tail else [])


@dataclass(frozen=True)
class _Answer:
    kind: str  # accept | refuse | error
    cipher: int | None = None
    detail: str = ""
    alert: int | None = None


class _Density:
    """How often this version's multi-suite hellos named a suite, by size (bundles of the opening round, parts
    of a remainder): decides whether remainders are split, and how many connections to open ahead."""

    def __init__(self) -> None:
        self.sent = {False: 0, True: 0}  # answered hellos by "is a part" (size <= PART)
        self.accepted = {False: 0, True: 0}

    def record(self, size: int, accepted: bool) -> None:
        part = size <= PART
        self.sent[part] += 1
        self.accepted[part] += accepted

    @property
    def dense(self) -> bool:
        """Most bundles so far named a suite (a server with many suites): remainders are split."""
        multi = self.sent[False] + self.sent[True]
        return self.accepted[False] + self.accepted[True] > DENSE * multi

    def follow_ups(self, part: Sequence[int]) -> float:
        """Hellos a multi-suite hello will likely lead to: its remainder as ``_split`` would offer it, times a
        Laplace estimate of how often hellos of its size name a suite."""
        small = len(part) <= PART
        p = (self.accepted[small] + 1) / (self.sent[small] + 2)
        return p * len(_split(list(part[1:]), self.dense))


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
    unoffered: int | None = None  # the first suite the server picked without it being offered
    rounds: int = 0  # the longest sequence of hellos, each waiting for the answer to the one before
    launched: int = 0  # hellos planned by the rounds (sent or not yet): what the budget counts
    alerted: bool = False  # some hello was refused with an alert
    closed: list[list[int]] = field(default_factory=list)  # hellos refused by a bare close, for ``_recheck``
    retrying: bool = False  # in ``_recheck``: a bare close is now the server's refusal
    fallback: asyncio.Semaphore | None = None  # ``_one_by_one``'s hellos out at once

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
    """Runs the elimination rounds of one target.

    Attributes:
        endpoint: where to connect.
        counter: connections opened (all versions, spares included).
        concurrency: simultaneous connections to this target.
        split_ways: bundles of the opening round (1: plain chains, no rounds, no spares: accepted + 1
            handshakes per version).
        spares: connections pre-opened at most at any time (default ``SPARES``; 0 with plain chains).
        deadline: seconds the whole enumeration may take; what is still running then ends ``unknown``.
    """

    def __init__(self, endpoint: Endpoint, concurrency: int = DEFAULT_CONCURRENCY, split_ways: int = SPLIT_WAYS,
                 deadline: float = DEFAULT_DEADLINE, spares: int | None = None) -> None:
        self.endpoint = endpoint
        self.split_ways = max(1, split_ways)
        self.concurrency = max(1, min(concurrency, fd_budget()))
        self.deadline = deadline
        self.spares = (SPARES if self.split_ways > 1 else 0) if spares is None else spares
        self.counter = Counter()

    def run(self, protocols: Sequence[str] = PROTOCOLS) -> tuple[VersionResult, ...]:
        """Enumerate every version at once; results in ``protocols`` order."""
        return asyncio.run(self._run(protocols))

    async def _run(self, protocols: Sequence[str]) -> tuple[VersionResult, ...]:
        loop = asyncio.get_running_loop()
        self._deadline_at = loop.time() + self.deadline
        self._gentle = asyncio.Semaphore(RECHECK_CONCURRENCY)
        self._net = self._connector()
        chains = {p: _Chain(p) for p in protocols}
        try:
            await self._phase([(chain, self._version(chain)) for chain in chains.values()])
            answered = any(c.alerted for c in chains.values())
            again = [c for c in chains.values() if c.closed and not c.errors and (answered or c.accepted)]
            if again:  # second phase, inside the same deadline
                await self._phase([(chain, self._recheck(chain)) for chain in again])
        finally:
            self._net.close()
        return tuple(self._result(chains[p]) for p in protocols)

    async def _phase(self, jobs: Sequence[tuple[_Chain, Coroutine[Any, Any, None]]]) -> None:
        """Run one job per version at once until the target's deadline; a version whose job is still running then
        is cancelled and ends ``unknown`` with the deadline as its reason. A bug in a job surfaces, never a
        verdict."""
        loop = asyncio.get_running_loop()
        tasks = [(chain, asyncio.create_task(job)) for chain, job in jobs]
        _done, pending = await asyncio.wait([t for _, t in tasks], timeout=max(0.0, self._deadline_at - loop.time()))
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
        for chain, task in tasks:
            if task.cancelled():
                chain.fail(f"not finished within the {self.deadline:g} s deadline")
            elif task.exception() is not None:
                raise task.exception()  # type: ignore[misc]  # a bug: surfaced, not turned into a verdict

    def _connector(self) -> Connector:
        """The connection layer (tests substitute a fake server here)."""
        return Connector(self.endpoint, self.counter, self.concurrency, self.spares)

    async def _version(self, chain: _Chain) -> None:
        """The elimination for one version; ends at the first undeterminable exchange."""
        try:
            await self._eliminate(chain)
        except _Stop:
            return
        finally:
            self._net.finish(chain.protocol)

    async def _eliminate(self, chain: _Chain) -> None:
        """SSLv2, or the elimination of one TLS version."""
        if chain.protocol == "SSLv2":
            await self._sslv2(chain)
            return
        await self._enumerate(chain)

    async def _recheck(self, chain: _Chain) -> None:
        """Ask again, alone, what the server answered with a bare close (no byte, no alert) during the rounds.

        A server that answers other hellos (an accepted suite at this version, or an alert anywhere) and drops
        a connection without a byte was not refusing: it was out of connections (nginx past
        ``worker_connections``), rate-limiting or restarting. Counting that as a refusal would hide the suites
        of that hello: a pass where nothing was seen. Asked again once every version is done, at most
        ``RECHECK_CONCURRENCY`` at a time and with nothing else in flight, whatever is answered counts (an
        accepted bundle goes on as in the rounds); a bare close then is the server's refusal.
        """
        parts, chain.closed = chain.closed, []
        chain.note(f"{len(parts)} hello(s) got a closed connection without an answer while the server answered "
                   f"others: asked again, {RECHECK_CONCURRENCY} at a time, once the rest was done")
        chain.retrying = True
        try:
            await self._rounds(chain, parts, chain.rounds + 1)
        except _Stop:
            return

    async def _enumerate(self, chain: _Chain) -> None:
        """A plain chain, or rounds (opening at once, or after one full hello)."""
        codes = offered_codes(chain.protocol)
        if self.split_ways <= 1:
            await self._plain(chain, codes)
            return
        if chain.protocol in EAGER:
            await self._rounds(chain, opening(codes, self.split_ways), 1)
            return
        first = await self._offer(chain, codes, 1)
        if first.kind == "error":
            raise chain.fail(first.detail)
        if first.kind == "refuse":
            if len(codes) > CHUNK and first.alert != ALERT_PROTOCOL_VERSION:
                chain.note(f"full hello of {len(codes)} suites refused ({first.detail}); retried in chunks "
                           f"of {CHUNK}")
                chain.closed.clear()  # the chunks ask it again
                await self._rounds(chain, deal(codes, -(-len(codes) // CHUNK)), 2)
            return
        assert first.cipher is not None
        if first.cipher not in codes:
            chain.note(f"server picked 0x{first.cipher:04X}, which was not offered; tried the rest one per hello")
            await self._one_by_one(chain, codes, first.cipher, 2)
            return
        chain.add(first.cipher)
        rest = [c for c in codes if c != first.cipher]
        # A server of older versions: bundles of about PART suites, so the remainders are settled one per hello
        # in the round after (a version that is rarely accepted can afford the connections).
        await self._rounds(chain, opening(rest, max(self.split_ways, -(-len(rest) // PART))), 2)

    async def _rounds(self, chain: _Chain, plan: list[list[int]], depth: int) -> None:
        """Offer every set of ``plan`` at once; each answer plans its own follow-up as soon as it arrives.

        No round waits for its slowest hello: a bundle that named a suite has its remainder on the wire while
        the rest of its round is still out, so the sequential depth is the longest chain of answers, not the
        sum of every round's slowest. Whether remainders are split (``dense``) follows the answers so far.
        Bounded: every accepted hello removes one suite from what is left, every refused one closes its set.
        """
        density = _Density()
        # Hellos of this version sent before these rounds (the older versions' first one, or the rounds before a
        # recheck), less what ``launched`` already counts: base + launched is everything this version asked.
        base = chain.handshakes - chain.launched
        running: set[asyncio.Future[None]] = set()

        def launch(parts: list[list[int]], at: int) -> None:
            chain.launched += len(parts)
            running.update(asyncio.ensure_future(step(part, at)) for part in parts)
            # The connections their follow-ups will likely need, opened once these hellos have theirs (a spare
            # taken by one of these would be no quicker than a fresh connection, and missed by the follow-up).
            self._net.prepare(sum(density.follow_ups(p) for p in parts if len(p) > 1), chain.protocol)

        async def step(part: list[int], at: int) -> None:
            answer = await self._settled(chain, part, at)
            if len(part) > 1:
                density.record(len(part), answer.kind == "accept")
            if answer.kind != "accept":
                return
            assert answer.cipher is not None
            if answer.cipher not in part:
                chain.note(f"server picked 0x{answer.cipher:04X}, which was not offered; tried the rest one per "
                           "hello")
                await self._one_by_one(chain, part, answer.cipher, at + 1)
                return
            chain.add(answer.cipher)
            rest = [c for c in part if c != answer.cipher]
            if rest:
                launch(self._next(chain, rest, density.dense, base), at + 1)

        launch(plan, depth)
        try:
            while running:  # bounded: see above; each pass retires at least one hello
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                running -= done
                failed = [t.exception() for t in done if t.exception() is not None]  # each one retrieved
                if failed:  # a _Stop ends the version; a bug surfaces (a bug first)
                    raise next((e for e in failed if not isinstance(e, _Stop)), failed[0])
        except BaseException:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise

    async def _settled(self, chain: _Chain, part: Sequence[int], depth: int) -> _Answer:
        """One hello of a round; an answer that cannot be read ends the version (the round is cancelled)."""
        answer = await self._offer(chain, part, depth)
        if answer.kind == "error":
            if chain.errors:  # the version already ended (this hello was dropped or cut short)
                raise _Stop(chain.errors[0])
            if chain.unoffered is not None and len(part) == 1:
                raise chain.fail(_unanswered(chain.unoffered, part[0], answer.detail))
            raise chain.fail(answer.detail)
        if answer.kind == "accept" and answer.cipher not in part and chain.unoffered is None:
            chain.unoffered = answer.cipher  # known at once: a single-suite hello of this round may stall
        return answer

    @staticmethod
    def _next(chain: _Chain, rest: list[int], dense: bool, base: int) -> list[list[int]]:
        """How a remainder goes on: split as ``_split`` says if the version's budget of ``2 × accepted +
        SLACK`` hellos has room for the parts, else whole (one hello, which the accepted suite just paid for:
        each accept raises the budget by two), so the count stays bounded whatever the server."""
        parts = _split(rest, dense)
        if len(parts) > 1 and base + chain.launched + len(parts) > 2 * len(chain.accepted) + SLACK:
            return [rest]
        return parts

    async def _plain(self, chain: _Chain, codes: Sequence[int]) -> None:
        """``--split-ways 1``: one elimination chain per version (accepted + 1 hellos, as many rounds)."""
        first = await self._chain(chain, codes, 1)
        if first is not None and len(codes) > CHUNK and first.kind == "refuse" and \
                first.alert != ALERT_PROTOCOL_VERSION:
            chain.note(f"full hello of {len(codes)} suites refused ({first.detail}); retried in chunks of {CHUNK}")
            chain.closed.clear()  # the chunks ask it again
            chunks = deal(codes, -(-len(codes) // CHUNK))
            await self._all(chain, [self._chain(chain, c, 2) for c in chunks])

    @staticmethod
    async def _all(chain: _Chain, jobs: Sequence[object]) -> list:
        """Run jobs at once (their results, in order); the first that stops the version cancels the others."""
        tasks = [asyncio.ensure_future(job) for job in jobs]  # type: ignore[arg-type]
        try:
            return await asyncio.gather(*tasks)
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
            async with self._gentle if chain.retrying else contextlib.nullcontext():
                reply = await self._net.exchange(hello, parse_server_reply, self._deadline_at, on_connect=sent,
                                                 wanted=lambda: not chain.errors, owner=protocol)
        except Undetermined as e:
            return _Answer("error", detail=str(e))
        answer = classify(reply, protocol, chain)
        if reply is None and not chain.retrying:  # a bare close: asked again by ``_recheck`` if the server answers
            chain.closed.append(list(codes))
        elif answer.alert is not None:
            chain.alerted = True
        return answer

    async def _chain(self, chain: _Chain, codes: Sequence[int], depth: int) -> _Answer | None:
        """Eliminate over ``codes`` one hello after the other; returns the first answer (intolerance check)."""
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
        return first

    async def _one_by_one(self, chain: _Chain, codes: Sequence[int], unoffered: int, depth: int) -> None:
        """Fallback for servers that answer with suites we did not offer: one suite per hello.

        A server that then leaves a single-suite hello unanswered ends the version at once (``unknown``, with
        both findings in the reason) instead of costing one timeout per remaining suite. At most ``FALLBACK``
        of these hellos per version are out at once: a quirky server that stalls them costs that many
        connections, not one per suite (the rounds go on meanwhile, and may already have met a bundle of it).
        """
        if chain.fallback is None:
            chain.fallback = asyncio.Semaphore(FALLBACK)
        gate = chain.fallback

        async def single(code: int) -> None:
            async with gate:
                if chain.errors:
                    raise _Stop(chain.errors[0])
                answer = await self._offer(chain, [code], depth)
            if answer.kind == "error":
                if chain.errors:  # the version already ended (this hello was dropped or cut short)
                    raise _Stop(chain.errors[0])
                raise chain.fail(_unanswered(unoffered, code, answer.detail))
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


def _unanswered(unoffered: int, code: int, detail: str) -> str:
    return (f"server picked 0x{unoffered:04X}, which was not offered, and did not answer a single-suite hello "
            f"(0x{code:04X}: {detail})")


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
