"""``tlsfence verify`` for one target: enumerate, fetch certificates, decide through the core.

The suite/protocol verdict is the core's ``judge()`` (the same one the pack uses), fed with what the wire
showed. Three things the core cannot see are layered on top, each with its reason: a version that could not be
determined makes the verdict ``unverifiable`` (fail closed); SSLv2, which the suite registry cannot express,
and a certificate that breaks the requirement's name or validity rule make it ``nonconforming``.
"""

from __future__ import annotations

import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tlsfence.probe.enumerate import SPLIT_WAYS, Enumerator
from tlsfence.probe.limits import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE
from tlsfence.probe.net import Endpoint
from tlsfence.probe.report import CertificateInfo, TargetResult, VersionResult, suite_names
from tlsfence.probe.wire import encode_sni
from tlsfence.profiles import Profile
from tlsfence.suites import registry
from tlsfence.verdicts import Decision, TlsOffer, Verdict, judge, unverifiable

if TYPE_CHECKING:
    from tlsfence.probe import certificate


@dataclass(frozen=True)
class VerifyOptions:
    """Settings shared by every target of one run.

    Attributes:
        profile: requirement profile (``allow-tls13-only`` already applied).
        timeout: seconds per connection.
        concurrency: simultaneous connections per target.
        cafile: PEM bundle of trusted roots; None means Mozilla's roots from certifi.
        split_ways: parallel chains per version after the first accepted suite (1: plain elimination).
        revocation: ask each leaf's OCSP responder / CRL distribution point (``--no-revocation``: no).
        deadline: seconds one target may take in all; what is still undetermined then is ``unverifiable``.
    """

    profile: Profile
    timeout: float = 5.0
    concurrency: int = DEFAULT_CONCURRENCY
    cafile: str | None = None
    split_ways: int = SPLIT_WAYS
    revocation: bool = True
    deadline: float = DEFAULT_DEADLINE


def verify_target(target: str, address: str, port: int, sni: str | None, options: VerifyOptions) -> TargetResult:
    """Probe one endpoint; never raises for network trouble (it becomes ``errors`` and ``unverifiable``)."""
    started = time.monotonic()
    if sni is not None:
        try:
            encode_sni(sni)
        except ValueError as e:  # a name from a stack file: reported for this endpoint, never raised in a task
            return TargetResult(target=target, ip=address, port=port, sni=sni, versions=(), certificates=(),
                                verdict=Verdict.UNVERIFIABLE.value, excess=(), reasons=(f"not probed: {e}",),
                                warnings=(), handshakes=0, elapsed_s=0.0, errors=(str(e),),
                                profile=options.profile.name)
    endpoint = Endpoint(address, port, sni, min(options.timeout, options.deadline))
    enumerator = Enumerator(endpoint, options.concurrency, options.split_ways, deadline=options.deadline)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tlsfence-cert")
    try:
        certs_f = pool.submit(_certificates, endpoint, sni or address, options)
        versions = enumerator.run()
        try:
            certs, cert_errors, extra = certs_f.result(timeout=max(0.0, started + options.deadline - time.monotonic()))
        except TimeoutError:
            certs, cert_errors, extra = (), [f"not finished within the {options.deadline:g} s deadline"], 0
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    decision, warnings, errors = decide(versions, certs, cert_errors, options.profile, sni or address)
    return TargetResult(
        target=target, ip=address, port=port, sni=sni, versions=versions, certificates=certs,
        verdict=decision.verdict.value, excess=decision.excess, reasons=decision.reasons, warnings=warnings,
        handshakes=enumerator.counter.value + extra, elapsed_s=time.monotonic() - started, errors=errors,
        profile=options.profile.name,
    )


def _certificates(endpoint: Endpoint, name: str, options: VerifyOptions
                  ) -> tuple[tuple[CertificateInfo, ...], list[str], int]:
    """Certificate handshakes (one per key type), the OCSP staple and revocation, alongside the enumeration.

    The handshakes (``handshake``: stdlib ``ssl`` only) go on the wire first; ``certificate``, and with it
    ``cryptography``, the slowest import, is loaded meanwhile, so the import overlaps their round trips and those
    of the enumeration. Revocation is asked as soon as the leaves are known, within one per-connection timeout
    and inside the target's deadline. Returns (certificates, errors, connections).
    """
    from tlsfence.probe import handshake

    ends = time.monotonic() + options.deadline
    address, port, sni, timeout = endpoint.address, endpoint.port, endpoint.sni, endpoint.timeout
    variants = handshake.variants()
    with ThreadPoolExecutor(max_workers=len(variants) + 1, thread_name_prefix="tlsfence-cert") as pool:
        futures = [pool.submit(handshake.fetch_chain, address, port, sni, timeout, v) for v in variants]
        ocsp_f = pool.submit(handshake.fetch_staple, endpoint)
        from tlsfence.probe import certificate

        chains: dict[bytes, list[bytes]] = {}
        errors: list[str] = []
        used = 1
        for (label, _c, _t), fut in zip(variants, futures, strict=True):
            used += 1
            try:
                chain = fut.result()
            except (OSError, ssl.SSLError, ValueError) as e:
                errors.append(f"{label} handshake: {e}")
                continue
            chains.setdefault(chain[0], chain)
        judged = []
        for chain in chains.values():
            try:
                judged.append(certificate.describe(chain, name, options.cafile))
            except ValueError as e:  # a certificate cryptography cannot parse
                errors.append(f"certificate: cannot be parsed ({e})")
        budget = min(timeout, ends - time.monotonic())  # <= 0: "no time left inside the target's deadline"
        checks = [pool.submit(_revocation, j, budget) if options.revocation else None for j in judged]
        stapled, status = certificate.staple_status(*ocsp_f.result())
        certs = []
        for j, check in zip(judged, checks, strict=True):
            revocation = ("not checked", "--no-revocation") if check is None else check.result()
            certs.append(replace(j.info, ocsp_stapled=stapled, ocsp_status=status, revocation=revocation[0],
                                 revocation_detail=revocation[1]))
    return tuple(certs), errors, used


def _revocation(judged: certificate.Judged, timeout: float) -> tuple[str, str]:
    """(status, detail) from the CA; a self-signed leaf has no CA to ask."""
    from tlsfence.probe import revocation

    if judged.info.self_signed:
        return revocation.UNKNOWN, "self-signed: no CA can revoke it"
    answer = revocation.check(judged.leaf, judged.issuer, timeout)
    return answer.status, answer.detail


def offer_decision(versions: tuple[VersionResult, ...], profile: Profile) -> Decision:
    """The core's verdict on the protocols and suites alone (what a configuration decides; no certificate)."""
    accepted = [v for v in versions if v.status == "accepted"]
    legacy = [suite_names(v.protocol, c)["openssl"] for v in accepted if v.protocol not in ("SSLv2", "TLSv1.3")
              for c in v.accepted]
    tls13 = [suite_names(v.protocol, c)["iana"] for v in accepted if v.protocol == "TLSv1.3" for c in v.accepted]
    return judge(TlsOffer.of([v.protocol for v in accepted if v.protocol != "SSLv2"], legacy, tls13), profile)


def decide(versions: tuple[VersionResult, ...], certs: tuple[CertificateInfo, ...], cert_errors: list[str],
           profile: Profile, name: str) -> tuple[Decision, tuple[str, ...], tuple[str, ...]]:
    """The verdict for what was observed; returns (decision, warnings, errors)."""
    errors = [f"{v.protocol}: could not determine ({v.error})" for v in versions if v.status == "unknown"]
    accepted = [v for v in versions if v.status == "accepted"]
    unknown_codes = [f"0x{c:04X}" for v in accepted if v.protocol != "SSLv2" for c in v.accepted
                     if c not in registry().by_code]
    decision = offer_decision(versions, profile)
    if errors or unknown_codes:
        what = [f"whether {v.protocol} is accepted ({v.error})" for v in versions if v.status == "unknown"]
        if len({v.error for v in versions}) == 1 and all(v.status == "unknown" for v in versions):
            what = [f"anything about the endpoint ({versions[0].error})"]
        what += [f"suite {c} (not in the catalog)" for c in unknown_codes]
        fail = unverifiable(*what)
        decision = replace(fail, protocols=decision.protocols, suites=decision.suites,
                           tls13_suites=decision.tls13_suites, allowed_present=decision.allowed_present,
                           excess=decision.excess, reasons=fail.reasons + decision.reasons)
    failures: list[str] = []
    if any(v.protocol == "SSLv2" for v in accepted):
        failures.append("accepts SSLv2")
    warnings: list[str] = []
    if accepted and not certs:
        errors.append("certificate: no handshake completed (" + "; ".join(cert_errors) + ")")
        if decision.verdict is not Verdict.NONCONFORMING:
            fail = unverifiable("the certificate (no handshake completed)")
            decision = replace(decision, verdict=Verdict.UNVERIFIABLE, reasons=fail.reasons + decision.reasons,
                               unknown=decision.unknown + fail.unknown)
    for cert in certs:
        label = f"{cert.key_type} certificate"
        if not cert.name_match:
            failures.append(f"{label} does not match {name} ({cert.name_error}; names: "
                            f"{', '.join(cert.names) or 'none'})")
        if cert.expired:
            failures.append(f"{label} is outside its validity period (not after {cert.not_after})")
        if cert.ocsp_status == "revoked":
            failures.append(f"{label} is revoked (stapled OCSP response): replace the certificate at once")
        if cert.revocation == "revoked":
            failures.append(f"{label} is revoked ({cert.revocation_detail}): replace the certificate at once")
        elif cert.revocation == "unknown" and not cert.self_signed:
            warnings.append(f"{label}: revocation unknown ({cert.revocation_detail})")
        if cert.trust == "private-ca":
            warnings.append(f"{label} chains to a private CA (--ca-file), not to a Mozilla-trusted root "
                            "(strongly recommended)")
        elif cert.self_signed and not cert.chain_trusted:
            warnings.append(f"{label} is self-signed (allowed by the requirement; a Mozilla-trusted root is "
                            "strongly recommended)")
        elif not cert.chain_trusted:
            warnings.append(f"{label} does not chain to a trusted root ({cert.chain_error})")
    if failures:
        decision = replace(decision, verdict=Verdict.NONCONFORMING, reasons=tuple(failures) + decision.reasons)
    return decision, tuple(warnings), tuple(errors)
