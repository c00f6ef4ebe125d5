"""``tlsfence verify --from-state / --from-preview / --stack-outputs``: probe every endpoint a stack exposes and
set each next to the verdict the pack gave for its setting.

The configuration side is exactly ``tlsfence check --from-state``: the same readers (:mod:`tlsfence.check.inputs`)
and the same findings (:func:`tlsfence.check.report.findings`, the pack's rule functions over the analyzers).
:mod:`tlsfence.probe.endpoints` says where each exposure is reached; every place is probed in parallel by the
ordinary prober. *Drift* is a disagreement between the configuration's verdict and the verdict of what the wire
offers (protocols and suites; certificate findings are the wire's own and shown with it): the state is stale,
something changed outside Pulumi, or a catalog entry is wrong. Exit 1 on any failing wire verdict, any drift, or
an exposure that could not be probed for a reason other than serving no TLS (fail closed).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TextIO

from tlsfence import readers
from tlsfence.errors import InputError
from tlsfence.probe import endpoints
from tlsfence.probe.limits import MAX_PARALLEL_TARGETS
from tlsfence.probe.report import TargetResult
from tlsfence.probe.verify import VerifyOptions, offer_decision, verify_target

_RANK = {"conforming": 0, "conforming-with-excess": 1, "unverifiable": 2, "nonconforming": 3}
_COMPARABLE = ("conforming", "conforming-with-excess", "nonconforming")


@dataclass(frozen=True)
class Configured:
    """One exposure as the pack judged it (the ``check`` row)."""

    urn: str
    type: str
    name: str
    exposure: str
    verdict: str
    setting: str
    level: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Probed:
    """One place probed, with the configuration that serves it and the comparison.

    Attributes:
        host: name probed (SNI) or IP address.
        port: TCP port.
        origins: where the stack names it.
        exposures: the exposures served here, as the pack judged them (empty for a stack-output name).
        config_verdict: worst configuration verdict of ``exposures`` (None without any).
        wire: what the prober found.
        wire_tls_verdict: the wire's verdict on protocols and suites alone (what a configuration decides).
        drift: why configuration and wire disagree, or None.
    """

    host: str
    port: int
    origins: tuple[str, ...]
    exposures: tuple[Configured, ...]
    config_verdict: str | None
    wire: TargetResult
    wire_tls_verdict: str | None
    drift: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "origins": list(self.origins),
                "configuration": {"verdict": self.config_verdict, "exposures": [e.to_dict() for e in self.exposures]},
                "wire": self.wire.to_dict(), "wire_tls_verdict": self.wire_tls_verdict, "drift": self.drift}


@dataclass(frozen=True)
class NotProbed:
    """An exposure with no place to probe; ``fails`` unless it serves no TLS at all."""

    exposure: Configured
    why: str
    fails: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.exposure.to_dict(), "why": self.why, "fails": self.fails}


def parse_resolve(entries: Sequence[str]) -> dict[str, str]:
    """``--resolve HOST:IP`` (repeatable; IPv6 after the first colon) → {host: ip}."""
    out = {}
    for entry in entries:
        host, sep, ip = entry.partition(":")
        try:
            out[host.rstrip(".").lower()] = str(ipaddress.ip_address(ip.strip("[]")))
        except ValueError:
            raise InputError(f"--resolve {entry!r}: expected HOST:IP") from None
        if not sep or not host:
            raise InputError(f"--resolve {entry!r}: expected HOST:IP")
    return out


def parse_connect_to(entries: Sequence[str]) -> dict[tuple[str, int], tuple[str, int]]:
    """``--connect-to HOST:PORT:IP:PORT`` (as curl's; IPv6 in brackets) → {(host, port): (ip, port)}."""
    out = {}
    for entry in entries:
        host, _, rest = entry.partition(":")
        port, _, rest = rest.partition(":")
        if rest.startswith("["):
            ip, _, tail = rest[1:].partition("]")
            to_port = tail.removeprefix(":")
        else:
            ip, _, to_port = rest.rpartition(":")
        try:
            target = (str(ipaddress.ip_address(ip)), int(to_port))
            key = (host.rstrip(".").lower(), int(port))
        except ValueError:
            raise InputError(f"--connect-to {entry!r}: expected HOST:PORT:IP:PORT") from None
        if not host or not all(0 < p < 65536 for p in (key[1], target[1])):
            raise InputError(f"--connect-to {entry!r}: expected HOST:PORT:IP:PORT with ports 1-65535")
        out[key] = target
    return out


def load(state: str | None, preview: str | None, outputs: str | None, overrides: Mapping[str, Any]
         ) -> tuple[list[endpoints.Place], dict[str, list[Configured]], list[NotProbed]]:
    """Places to probe, the exposures by URN, and the exposures that cannot be probed."""
    places: list[endpoints.Place] = []
    configured: dict[str, list[Configured]] = {}
    not_probed: list[NotProbed] = []
    if state or preview:
        from tlsfence.check import inputs, report
        from tlsfence.check.cli import policy_settings
        from tlsfence.policy.convert import from_wire
        from tlsfence.policy.engine import configure_request

        resources, _ = inputs.from_state(state) if state else inputs.from_preview(preview)  # type: ignore[arg-type]
        found, _ = report.findings(resources, policy_settings(configure_request(None, dict(overrides))))
        stack = endpoints.Stack((w.urn, w.type, from_wire(w.outputs)) for w in resources)
        by_urn: dict[str, list[Configured]] = {}
        for f in found:
            e = f.exposure
            by_urn.setdefault(e.urn, []).append(Configured(e.urn, e.type, e.name, e.exposure, e.decision.verdict.value,
                                                           e.setting.describe(), f.level))
        for urn, rows in by_urn.items():
            configured[urn] = rows
            if urn not in stack.by_urn:
                continue
            found_places, gap = endpoints.places_of(urn, stack, [c.exposure for c in rows])
            if gap is not None:
                not_probed += [NotProbed(c, gap.why, gap.fails) for c in rows]
            ports = {p.port for p in found_places}
            for c in rows if found_places else ():
                named, plain = endpoints.exposure_ports(c.exposure)
                if named and not set(named) & ports:  # e.g. the HTTP :80 side of an Ingress probed on :443
                    why = "plaintext: no TLS to probe" if plain else f"port {named[0]} is not among the places probed"
                    not_probed.append(NotProbed(c, why, not plain))
            places += found_places
        places += endpoints.dns_aliases(places, stack)
    if outputs:
        doc = readers.load_json(outputs, what="`pulumi stack output --json` output")
        if not isinstance(doc, Mapping):
            raise InputError(f"{outputs}: not `pulumi stack output --json` output (expected a JSON object)")
        places += endpoints.from_outputs(doc)
    return endpoints.merge(places), configured, not_probed


def _address(place: endpoints.Place, resolve: Mapping[str, str], dns: bool) -> tuple[str | None, str | None]:
    """(address, None) or (None, why it cannot be reached); ``--resolve`` first, then the stack, then DNS."""
    if place.host in resolve:
        return resolve[place.host], None
    if place.address:
        return place.address, None
    try:
        return str(ipaddress.ip_address(place.host)), None
    except ValueError:
        pass
    if not dns:
        return None, f"{place.host!r} has no --resolve/--connect-to entry and --no-dns is set"
    try:
        return socket.getaddrinfo(place.host, None, type=socket.SOCK_STREAM)[0][4][0], None
    except (OSError, UnicodeError) as e:
        return None, f"cannot resolve {place.host!r}: {getattr(e, 'strerror', None) or e}"


def _unreached(place: endpoints.Place, why: str, profile: str) -> TargetResult:
    return TargetResult(target=f"{place.host}:{place.port}", ip="", port=place.port, sni=place.host, versions=(),
                        certificates=(), verdict="unverifiable", excess=(), reasons=(f"not probed: {why}",),
                        warnings=(), handshakes=0, elapsed_s=0.0, errors=(why,), profile=profile)


def probe(places: Sequence[endpoints.Place], configured: Mapping[str, list[Configured]], resolve: Mapping[str, str],
          connect_to: Mapping[tuple[str, int], tuple[str, int]], options: VerifyOptions, err: TextIO,
          dns: bool = True) -> list[Probed]:
    """Probe every place in parallel (progress on ``err`` when it is a terminal) and compare with the config."""
    progress = err.isatty()
    done = 0

    def one(place: endpoints.Place) -> Probed:
        nonlocal done
        port = place.port
        if (place.host, place.port) in connect_to:
            (address, port), why = connect_to[(place.host, place.port)], None
        else:
            address, why = _address(place, resolve, dns)
        sni = None if _is_ip(place.host) else place.host
        result = (_unreached(place, why or "no address", options.profile.name) if address is None else
                  verify_target(f"{place.host}:{place.port}", address, port, sni, options))
        done += 1
        if progress:
            err.write(f"\r\x1b[Ktlsfence verify: {done}/{len(places)} endpoints, last {place.host}:{place.port}: "
                      f"{result.verdict}")
            err.flush()
        return _compare(place, configured, result, options)

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_TARGETS, len(places)))) as pool:
        results = list(pool.map(one, places))
    if progress:
        err.write("\r\x1b[K")
    return results


def _compare(place: endpoints.Place, configured: Mapping[str, list[Configured]], result: TargetResult,
             options: VerifyOptions) -> Probed:
    rows = tuple(c for u in place.urns for c in configured.get(u, []) if _serves(c, place.port))
    # an exposure that names hosts (a CloudFront alias, its default *.cloudfront.net domain) speaks for those only
    rows = tuple(c for c in rows if _names(c.exposure, place.host)) or rows
    config = max((c.verdict for c in rows), key=lambda v: _RANK.get(v, 2)) if rows else None
    settled = result.versions and all(v.status != "unknown" for v in result.versions)
    tls = offer_decision(result.versions, options.profile).verdict.value if settled else None
    drift = None
    if config in _COMPARABLE and tls in _COMPARABLE and config != tls:
        hint = ("the wire is better than the setting: stale state or a catalog entry to check"
                if _RANK[tls] < _RANK[config] else "changed outside Pulumi, or something else answers on this name")
        drift = f"configuration says {config}, the wire offers {tls} ({hint})"
    return Probed(place.host, place.port, tuple(place.origins), rows, config, result, tls, drift)


def _serves(row: Configured, port: int) -> bool:
    """An exposure that names its port (``HTTPS listener :8443``) is compared only with that port."""
    named, _plain = endpoints.exposure_ports(row.exposure)
    return not named or port in named


def _names(text: str, host: str) -> bool:
    """Whether ``text`` names ``host`` as a whole name (not inside a longer one)."""
    return re.search(rf"(?<![\w.-]){re.escape(host)}(?![\w.-])", text) is not None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def exit_code(probed: Sequence[Probed], not_probed: Sequence[NotProbed], *, strict: bool) -> int:
    failing = {"nonconforming", "unverifiable"} | ({"conforming-with-excess"} if strict else set())
    bad = any(p.wire.verdict in failing or p.drift for p in probed) or any(n.fails for n in not_probed)
    return 1 if bad else 0


def run(*, state: str | None, preview: str | None, outputs: str | None, resolve: Sequence[str],
        connect_to: Sequence[str] = (), options: VerifyOptions, overrides: Mapping[str, Any], fmt: str,
        strict: bool, dns: bool = True, out: TextIO | None = None, err: TextIO | None = None,
        output_file: str | None = None, quiet: bool = False) -> int:
    """Load, probe, compare, print (or ``--output-file`` / ``--quiet``); returns the exit code."""
    import argparse

    from tlsfence.cli.output import emit
    from tlsfence.probe import stack_output

    out, err = out or sys.stdout, err or sys.stderr
    hosts, ports = parse_resolve(resolve), parse_connect_to(connect_to)
    places, configured, not_probed = load(state, preview, outputs, overrides)
    if not places and not not_probed:
        raise InputError("the stack names no endpoint to verify (no exposure with a hostname, no hostname in the "
                         "outputs)")
    probed = probe(places, configured, hosts, ports, options, err, dns)
    emit(argparse.Namespace(output_file=output_file, quiet=quiet),
         stack_output.render(probed, not_probed, fmt, strict=strict), fmt=fmt, out=out)
    return exit_code(probed, not_probed, strict=strict)
