"""``tlsfence verify TARGET...``: does a live endpoint meet the requirement right now?

Exit codes (DESIGN.md, shared by every command): 0 every target conforming (excess too, unless ``--strict``),
1 any target nonconforming or unverifiable, 2 usage error or a target that cannot be resolved.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from tlsfence import readers
from tlsfence.cli.options import add_judging_options
from tlsfence.errors import InputError
from tlsfence.probe.limits import (
    DEFAULT_CONCURRENCY,
    DEFAULT_DEADLINE,
    MAX_CONCURRENCY,
    MAX_PARALLEL_TARGETS,
    raise_fd_limit,
)
from tlsfence.profiles import load_profile


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``verify``."""
    p = sub.add_parser("verify", help="probe live endpoints from the wire and judge them",
                       description="Enumerate the protocols and cipher suites a live endpoint accepts with raw "
                                   "ClientHellos, check its certificate, and judge it against a profile.")
    p.add_argument("targets", nargs="*", metavar="TARGET", help="HOST[:PORT] (default port 443)")
    p.add_argument("--targets-file", help="file with one target per line (# comments allowed)")
    p.add_argument("--sni", help="server name to send and check (default: the target's host name)")
    p.add_argument("--ip", help="connect to this address instead of resolving the host")
    p.add_argument("--resolve", action="append", default=[], metavar="HOST:IP",
                   help="connect to IP for HOST instead of resolving it (repeatable; like a hosts file entry)")
    p.add_argument("--connect-to", action="append", default=[], metavar="HOST:PORT:IP:PORT",
                   help="connect to IP:PORT for HOST:PORT of the stack (repeatable; as curl's --connect-to)")
    p.add_argument("--no-dns", action="store_true",
                   help="with --from-state & co: never resolve names; endpoints without --resolve/--connect-to or an "
                        "address in the stack are reported unverifiable")
    stack = p.add_mutually_exclusive_group()
    stack.add_argument("--from-state", metavar="FILE",
                       help="verify every endpoint a `pulumi stack export` file exposes, next to its setting's verdict")
    stack.add_argument("--from-preview", metavar="FILE", help="the same from `pulumi preview --json` output")
    p.add_argument("--stack-outputs", metavar="FILE",
                   help="also verify the hostnames and https:// URLs in `pulumi stack output --json` output")
    add_judging_options(p)
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per connection (default 5)")
    p.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE,
                   help="seconds one target may take in all; what is still undetermined then is unverifiable "
                        f"(default {DEFAULT_DEADLINE:g})")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                   help=f"simultaneous connections per target (default {DEFAULT_CONCURRENCY}, at most "
                        f"{MAX_CONCURRENCY}; fewer if the file-descriptor limit is low)")
    p.add_argument("--ca-file", help="PEM file of private roots trusted besides Mozilla's (reported as private-ca)")
    p.add_argument("--no-revocation", action="store_true",
                   help="do not ask OCSP responders or fetch CRLs (air-gapped runs); revocation is 'not checked'")
    p.add_argument("--split-ways", type=int, default=16, help=argparse.SUPPRESS)  # 1: plain elimination chains
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Entry point used by ``tlsfence.cli.main``."""
    # Room for every target probed at once at the full --concurrency (fd_budget shares the limit among them).
    raise_fd_limit(MAX_PARALLEL_TARGETS * (max(1, args.concurrency) + 16) + 64)
    if args.from_state or args.from_preview or args.stack_outputs:
        return _run_stack(args)
    return run_verify(args.targets, targets_file=args.targets_file, sni=args.sni, ip=args.ip, profile=args.profile,
                      strict=args.strict, allow_tls13_only=args.allow_tls13_only, timeout=args.timeout,
                      fmt=args.format, concurrency=args.concurrency, cafile=args.ca_file,
                      split_ways=args.split_ways, revocation=not args.no_revocation, resolve=args.resolve,
                      deadline=args.deadline, output_file=args.output_file, quiet=args.quiet,
                      sarif_root=args.sarif_root)


def _run_stack(args: argparse.Namespace) -> int:
    """``--from-state``/``--from-preview``/``--stack-outputs``: every endpoint the stack exposes."""
    from tlsfence.probe import stack
    from tlsfence.probe.verify import VerifyOptions

    if args.targets or args.targets_file or args.ip or args.sni:
        raise InputError("--from-state/--from-preview/--stack-outputs take their targets from the stack: drop "
                         "TARGET, --targets-file, --ip and --sni (use --resolve HOST:IP to redirect a name)")
    options = _options(args.profile, args.allow_tls13_only, args.timeout, args.concurrency, args.ca_file,
                       args.split_ways, not args.no_revocation, args.deadline)
    overrides = {k: v for k, v in (("profile", args.profile), ("strict", args.strict or None),
                                   ("allow-tls13-only", args.allow_tls13_only or None)) if v is not None}
    return stack.run(state=args.from_state, preview=args.from_preview, outputs=args.stack_outputs,
                     resolve=args.resolve, connect_to=args.connect_to, options=VerifyOptions(**options),
                     overrides=overrides, fmt=args.format, strict=args.strict,
                     dns=not args.no_dns, output_file=args.output_file, quiet=args.quiet)


def _options(profile: str | None, allow_tls13_only: bool, timeout: float, concurrency: int, cafile: str | None,
             split_ways: int, revocation: bool, deadline: float = DEFAULT_DEADLINE) -> dict[str, Any]:
    """Validated :class:`~tlsfence.probe.verify.VerifyOptions` fields (bad values are input errors)."""
    if not 0 < timeout <= 300:
        raise InputError(f"--timeout must be between 0 and 300 seconds, not {timeout:g}")
    if not 0 < concurrency <= MAX_CONCURRENCY:
        raise InputError(f"--concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency}")
    if not 0 < deadline <= 3600:
        raise InputError(f"--deadline must be between 0 and 3600 seconds, not {deadline:g}")
    if cafile:
        _check_ca_file(cafile)  # an unreadable or empty --ca-file is a usage error before any probing
    return {"profile": load_profile(profile).with_options(allow_tls13_only=allow_tls13_only or None),
            "timeout": timeout, "concurrency": concurrency, "cafile": cafile, "split_ways": max(1, split_ways),
            "revocation": revocation, "deadline": deadline}


def _check_ca_file(path: str) -> None:
    """Readable, bounded, with PEM certificates OpenSSL can load; checked with ``ssl`` so that ``cryptography``
    (which ``certificate.file_store`` parses it with, on the certificate thread) is not imported before probing."""
    import ssl

    data = readers.read_bytes(path, what="--ca-file")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=data.decode("ascii", "ignore"))
    except (ssl.SSLError, ValueError, TypeError) as e:
        raise InputError(f"--ca-file {path!r}: no PEM certificate OpenSSL can load in it") from e


def parse_target(text: str) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]:port`` or ``https://host:port/`` → (host, port)."""
    raw = text.strip()
    if "://" in raw:
        scheme, _, raw = raw.partition("://")
        if scheme.lower() != "https":
            raise InputError(f"target {text!r}: only https:// targets can be verified")
        raw = raw.split("/", 1)[0]
    host, port = raw, "443"
    if raw.startswith("["):
        host, _, rest = raw[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise InputError(f"target {text!r}: expected [ADDRESS]:PORT")
            port = rest[1:]
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise InputError(f"target {text!r}: expected HOST[:PORT] with a port between 1 and 65535")
    return host, int(port)


def _resolve(host: str, ip: str | None) -> str:
    if ip:
        try:
            return str(ipaddress.ip_address(ip))
        except ValueError as e:
            raise InputError(f"--ip {ip!r} is not an IP address") from e
    try:
        return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0]
    except (socket.gaierror, UnicodeError) as e:
        raise InputError(f"cannot resolve {host!r}: {getattr(e, 'strerror', None) or e}") from e


def _read_targets(path: str) -> list[tuple[str, int]]:
    """(target, line number) for every target in the file."""
    lines = readers.read_text(path, what="targets file").splitlines()
    return [(line.split("#", 1)[0].strip(), n) for n, line in enumerate(lines, 1) if line.split("#", 1)[0].strip()]


def run_verify(targets: Sequence[str], *, targets_file: str | None = None, sni: str | None = None,
               ip: str | None = None, profile: str | None = None, strict: bool = False,
               allow_tls13_only: bool = False, timeout: float = 5.0, fmt: str = "text",
               concurrency: int = DEFAULT_CONCURRENCY,
               cafile: str | None = None, split_ways: int = 16, revocation: bool = True,
               resolve: Sequence[str] = (), out: TextIO | None = None, err: TextIO | None = None,
               deadline: float = DEFAULT_DEADLINE, output_file: str | None = None, quiet: bool = False,
               sarif_root: str | None = None) -> int:
    """Verify every target and print the report; returns the exit code. Input errors raise ``InputError``."""
    # Imported here so that building the CLI parser does not load the prober for other commands; the writers and
    # SARIF only when they are used, after the probing (tests/probe/test_startup.py).
    from tlsfence.probe.report import TargetResult
    from tlsfence.probe.verify import VerifyOptions, verify_target
    from tlsfence.probe.wire import encode_sni

    out = out or sys.stdout
    err = err or sys.stderr
    from_file = _read_targets(targets_file) if targets_file else []
    names = list(targets) + [name for name, _ in from_file]
    positions = {name: (targets_file, line) for name, line in from_file}
    root = None
    if fmt == "sarif":
        from tlsfence.sarif import repository_root

        root = repository_root(sarif_root, Path(targets_file).parent if targets_file else ".")
    if not names:
        raise InputError("no target given: pass HOST[:PORT] or --targets-file FILE")
    options = VerifyOptions(**_options(profile, allow_tls13_only, timeout, concurrency, cafile, split_ways,
                                       revocation, deadline))
    hosts: dict[str, str] = {}
    if resolve:  # the stack module (endpoint tables, resources) is not needed otherwise: start-up
        from tlsfence.probe.stack import parse_resolve

        hosts = parse_resolve(resolve)
    jobs = []
    for name in names:
        host, port = parse_target(name)
        address = hosts.get(host.rstrip(".").lower()) or _resolve(host, ip)
        server_name = sni or (None if _is_ip(host) else host)
        if server_name and not _is_ip(server_name):
            try:
                encode_sni(server_name)
            except ValueError as e:
                raise InputError(f"{'--sni' if sni else 'target ' + repr(name)}: {e}") from None
        jobs.append((name, address, port, server_name))
    progress = err.isatty()
    done = 0

    def one(job: tuple[str, str, int, str | None]) -> TargetResult:
        nonlocal done
        result = verify_target(*job, options)
        done += 1
        if progress:
            err.write(f"\r\x1b[Ktlsfence verify: {done}/{len(jobs)} done, last {job[0]}: {result.verdict}")
            err.flush()
        return result

    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_TARGETS, len(jobs))) as pool:
        results = list(pool.map(one, jobs))
    if progress:
        err.write("\r\x1b[K")
    from tlsfence.cli.output import emit
    from tlsfence.probe.output import render

    text = render(results, fmt, strict=strict, positions=positions, root=root)
    emit(argparse.Namespace(output_file=output_file, quiet=quiet), text, fmt=fmt, out=out)
    failing = {"nonconforming", "unverifiable"} | ({"conforming-with-excess"} if strict else set())
    return 1 if any(r.verdict in failing for r in results) else 0


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
