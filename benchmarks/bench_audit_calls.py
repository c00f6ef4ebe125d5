"""Benchmark: AWS API calls and wall time of ``tlsfence audit aws`` for 100 load balancers × 10 listeners.

Run: ``python benchmarks/bench_audit_calls.py`` (starts its own moto server on 127.0.0.1, writes
``benchmarks/RESULTS-audit.md``). Calls are counted with botocore's ``before-call`` event on the audit's session
and checked against the issue's bound: the paginated list calls, plus one ``describe_listeners`` per load
balancer, plus one ``describe_ssl_policies`` per batch of distinct policy names; nothing per listener.
"""

from __future__ import annotations

import math
import platform as host
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.audit.calls import LIST_OPERATIONS, bound, counted_audit  # noqa: E402
from tests.audit.moto_server import moto_server  # noqa: E402
from tests.audit.scenario import populate  # noqa: E402
from tlsfence.audit.aws_reader import SSL_POLICY_BATCH  # noqa: E402
from tlsfence.catalog import platform  # noqa: E402

LBS, LISTENERS, DISTINCT = 100, 10, 25
COMMAND = "python benchmarks/bench_audit_calls.py"


def main() -> int:
    """Populate moto, audit it, assert the bound, write the results file."""
    policies = sorted(platform("aws-elbv2").entries)[:DISTINCT]
    with moto_server() as url:
        start = time.perf_counter()
        populate(url, LBS, LISTENERS, policies)
        setup = time.perf_counter() - start
        report, calls, seconds = counted_audit(url)
    total = sum(calls.values())
    limit = bound(calls, LBS, DISTINCT)
    lists = sum(n for op, n in calls.items() if op in LIST_OPERATIONS)
    assert len(report.exposures) == LBS * LISTENERS, len(report.exposures)
    assert report.errors == [], report.errors
    assert calls["elastic-load-balancing-v2.DescribeListeners"] == LBS
    assert calls["elastic-load-balancing-v2.DescribeSSLPolicies"] == math.ceil(DISTINCT / SSL_POLICY_BATCH)
    assert total <= limit, (total, limit)
    batches = math.ceil(DISTINCT / SSL_POLICY_BATCH)
    rows = "\n".join(f"| `{op}` | {n} |" for op, n in sorted(calls.items()))
    text = f"""# `tlsfence audit aws`: API calls and wall time

Command: `{COMMAND}` (moto {_moto_version()} in server mode on 127.0.0.1, one region, Python
{host.python_version()}, {host.machine()}).

Account: {LBS} application load balancers × {LISTENERS} HTTPS listeners = {LBS * LISTENERS} listeners, using
{DISTINCT} distinct ELBv2 policy names (batches of {SSL_POLICY_BATCH} for `describe_ssl_policies`).

| measure | value |
|---|---|
| exposures judged | {len(report.exposures)} |
| AWS API calls (botocore `before-call`) | **{total}** |
| bound: list calls {lists} + describe_listeners {LBS} + describe_ssl_policies {batches} | {limit} |
| calls per listener | {total / (LBS * LISTENERS):.3f} |
| audit wall time | **{seconds:.2f} s** |
| moto set-up (not part of the audit) | {setup:.1f} s |

Calls by operation:

| operation | calls |
|---|---|
{rows}

`sts.GetCallerIdentity` is counted with the list calls: it is the audit's single fixed first call (account id for
classic ELB ARNs, and the fail-fast check for credentials and endpoint). No call is made per listener.
"""
    out = ROOT / "benchmarks" / "RESULTS-audit.md"
    out.write_text(text)
    print(text)
    return 0


def _moto_version() -> str:
    import moto

    return str(moto.__version__)


if __name__ == "__main__":
    sys.exit(main())
