"""The call-count bound on a small account (the 100 × 10 run is ``benchmarks/bench_audit_calls.py``)."""

from __future__ import annotations

from tests.audit.calls import LIST_OPERATIONS, bound, counted_audit
from tests.audit.scenario import populate
from tlsfence.catalog import platform

LBS, LISTENERS = 5, 4


def test_no_call_per_listener(spare_server: str) -> None:
    # 20 distinct names, one batch; moto knows only some of them, the others come back as drift.
    policies = sorted(platform("aws-elbv2").entries)[:20]
    populate(spare_server, LBS, LISTENERS, policies, region="us-west-2")
    report, calls, _seconds = counted_audit(spare_server, region="us-west-2")
    assert len(report.exposures) == LBS * LISTENERS
    assert report.errors == []
    assert calls["elastic-load-balancing-v2.DescribeListeners"] == LBS
    assert calls["elastic-load-balancing-v2.DescribeSSLPolicies"] == 1
    assert set(calls) <= LIST_OPERATIONS | {"elastic-load-balancing-v2.DescribeListeners",
                                            "elastic-load-balancing-v2.DescribeSSLPolicies"}
    assert sum(calls.values()) <= bound(calls, LBS, LBS * LISTENERS)
    assert sum(calls.values()) == report.calls == 8 + LBS + 1
