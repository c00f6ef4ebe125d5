"""One audit run: read → adapt → analyze (the pack's analyzers) → drift → report.

Why a separate module: the CLI, the tests and the call-count benchmark all drive the same function with their
own boto3 session, so the benchmark counts exactly the calls a user's run makes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import boto3

from tlsfence.analyzers import analyze_stack
from tlsfence.audit import aws_adapt, drift
from tlsfence.audit.aws_reader import AuditError, AwsReader, ResponseError
from tlsfence.exposure import Exposure
from tlsfence.profiles import Profile
from tlsfence.resources import Resource, Stack

#: A custom classic ELB policy is judged where it takes effect (the listener it is attached to); the
#: analyzer's stand-alone policy exposure is for pull-request checks, where a policy is written before use.
SKIP_FAMILIES = frozenset({"classic-elb-policy"})


@dataclass
class AuditReport:
    """Everything an audit found.

    Attributes:
        account: the audited account id.
        regions: regions read (CloudFront is read once, as ``global``).
        exposures: one per exposure, with ``arn``, ``region`` and ``drift`` in ``extra``.
        errors: services/regions that could not be read.
        drift: catalog drift records.
        skipped_internal: exposures left out because their load balancer is internal.
        calls: AWS API calls made.
    """

    account: str
    regions: list[str]
    exposures: list[Exposure] = field(default_factory=list)
    errors: list[AuditError] = field(default_factory=list)
    drift: list[dict[str, Any]] = field(default_factory=list)
    skipped_internal: int = 0
    calls: int = 0

    def summary(self, *, strict: bool = False) -> dict[str, Any]:
        """Counts by verdict and level, the exit-relevant totals, and the call count."""
        by_verdict: dict[str, int] = {}
        for exp in self.exposures:
            by_verdict[exp.decision.verdict.value] = by_verdict.get(exp.decision.verdict.value, 0) + 1
        failing = sum(1 for e in self.exposures if e.level(strict=strict) == "mandatory")
        return {"account": self.account, "regions": self.regions, "exposures": len(self.exposures),
                "by_verdict": dict(sorted(by_verdict.items())), "failing": failing, "errors": len(self.errors),
                "drift": len(self.drift), "skipped_internal": self.skipped_internal, "api_calls": self.calls,
                "strict": strict}

    def exit_code(self, *, strict: bool = False) -> int:
        """1 when any exposure is mandatory-level (nonconforming, unverifiable, excess under strict) or a
        service could not be read (its exposures are unverifiable by definition); else 0."""
        return 1 if self.summary(strict=strict)["failing"] or self.errors else 0


def _with_extra(exposures: list[Exposure], resources: dict[str, Resource]) -> list[Exposure]:
    out = []
    for exp in exposures:
        res = resources.get(exp.urn)
        extra = dict(res.extra) if res is not None else {}
        out.append(replace(exp, extra=(*exp.extra, ("arn", extra.get("arn", exp.urn)),
                                       ("region", extra.get("region")))))
    return out


def run_audit(session: boto3.Session, regions: Sequence[str], profile: Profile, *, endpoint_url: str | None = None,
              include_internal: bool = False, progress: Callable[[str], None] | None = None) -> AuditReport:
    """Audit ``regions`` of the session's account.

    Raises botocore's ``NoCredentialsError``/``EndpointConnectionError``/``ClientError`` only from the first
    call (``sts:GetCallerIdentity``), which the CLI turns into exit 2; later failures are recorded per
    service and region in the report.
    """
    reader = AwsReader(session, endpoint_url=endpoint_url, progress=progress)
    account = reader.account_id(regions[0])
    try:
        data = [reader.read_region(r) for r in regions]
        distributions = reader.read_cloudfront()
        groups = aws_adapt.groups_of(data, distributions, account)
    except (KeyError, TypeError, AttributeError, ValueError) as e:  # botocore parsed it, but not AWS's shape
        raise ResponseError(f"an AWS answer lacks what every such answer has ({type(e).__name__}: {e}); is the "
                            "endpoint AWS?") from e
    exposures: list[Exposure] = []
    for group in groups:
        by_urn = {r.urn: r for r in group}
        exposures.extend(_with_extra(analyze_stack(Stack(group), profile), by_urn))
    exposures = [e for e in exposures if e.family not in SKIP_FAMILIES]
    report = AuditReport(account=account, regions=list(regions))
    if not include_internal:
        report.skipped_internal = sum(1 for e in exposures if e.internet_facing is False)
        exposures = [e for e in exposures if e.internet_facing is not False]
    live: dict[str, dict[str, drift.LivePolicy] | None] = {}
    for region, names in sorted(drift.policy_names(exposures).items()):
        if progress:
            progress(f"resolving {len(names)} ELBv2 policies in {region}")
        raw = reader.ssl_policies(region, names)
        live[region] = None if raw is None else {n: drift.LivePolicy.from_api(p) for n, p in raw.items()}
    exposures, report.drift = drift.apply(exposures, live, profile)
    report.exposures = [e if any(k == "drift" for k, _ in e.extra) else replace(e, extra=(*e.extra, ("drift", None)))
                        for e in exposures]
    report.errors = list(reader.errors)
    report.calls = reader.calls
    return report
