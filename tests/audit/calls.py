"""Count the AWS calls of one in-process audit with botocore's ``before-call`` event (shared with the benchmark).

The bound the issue sets: no call per listener. Allowed: every page of the list operations, one
``sts:GetCallerIdentity``, one ``describe_listeners`` per ELBv2 load balancer, one ``describe_load_balancer_policies``
per classic load balancer, one ``describe_rules`` per HTTP listener that redirects, and one
``describe_ssl_policies`` per batch of distinct policy names.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import boto3

from tests.audit.moto_server import CREDS, REGION
from tlsfence.audit.aws_audit import AuditReport, run_audit
from tlsfence.audit.aws_reader import SSL_POLICY_BATCH
from tlsfence.profiles import load_profile

LIST_OPERATIONS = frozenset({
    "elastic-load-balancing-v2.DescribeLoadBalancers", "elastic-load-balancing.DescribeLoadBalancers",
    "api-gateway.GetDomainNames", "api-gateway.GetRestApis", "apigatewayv2.GetDomainNames", "apigatewayv2.GetApis",
    "cloudfront.ListDistributions", "sts.GetCallerIdentity",
})


def counted_audit(url: str, region: str = REGION) -> tuple[AuditReport, Counter[str], float]:
    """Run the audit against ``url``; returns the report, calls per ``service.Operation`` and wall seconds."""
    session = boto3.Session(aws_access_key_id=CREDS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=CREDS["AWS_SECRET_ACCESS_KEY"], region_name=region)
    calls: Counter[str] = Counter()

    def count(event_name: str, **_kw: Any) -> None:
        calls[event_name.removeprefix("before-call.")] += 1

    session.events.register("before-call", count)
    start = time.perf_counter()
    report = run_audit(session, [region], load_profile(None), endpoint_url=url)
    return report, calls, time.perf_counter() - start


def bound(calls: Counter[str], load_balancers: int, distinct_policies: int) -> int:
    """The most calls the audit may make for an account of ELBv2 HTTPS listeners only."""
    lists = sum(n for op, n in calls.items() if op in LIST_OPERATIONS)
    return lists + load_balancers + math.ceil(distinct_policies / SSL_POLICY_BATCH)
