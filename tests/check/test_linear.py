"""``check`` analyzes each resource once per view per run: the stack policy's two levels and check's own table
share one analysis (memoized on content), and joins are looked up in per-stack indexes, not by scanning."""

from __future__ import annotations

from collections import Counter

from tests.policy import harness as h
from tlsfence.check.cli import judge
from tlsfence.policy import rules
from tlsfence.policy.engine import configure_request
from tlsfence.resources import Resource, Stack


def test_each_resource_is_analyzed_once_per_view(monkeypatch):
    calls: Counter[tuple[str, bool]] = Counter()
    real = rules.analyze

    def counting(resource, profile, stack=None):
        calls[(resource.urn, stack is not None)] += 1
        return real(resource, profile, stack)

    monkeypatch.setattr(rules, "analyze", counting)
    resources = list(h.recorded("aws_mix")) + list(h.recorded("gcp_mix"))
    result = judge(resources, configure_request(), "both")
    assert result["summary"]["mandatory"] > 0
    # alone: the inputs (resource policies and check's table) and the outputs (stack policy) at most
    assert max(n for (_, joined), n in calls.items() if not joined) <= 2
    # joined: once, though the mandatory and advisory stack policies and check's table all need it
    joined = {urn: n for (urn, j), n in calls.items() if j}
    assert joined and set(joined.values()) == {1}


def test_value_joins_use_the_index_and_keep_stack_order():
    policies = [Resource(type="gcp:compute/sSLPolicy:SSLPolicy", name=f"p{i}", urn=f"u{i}",
                         props={"name": f"p{i % 3}", "selfLink": f"https://x/sslPolicies/p{i}"}) for i in range(9)]
    proxy = Resource(type="gcp:compute/targetHttpsProxy:TargetHttpsProxy", name="px", urn="px",
                     props={"sslPolicy": "https://x/sslPolicies/p1"})
    stack = Stack([*policies, proxy])
    found = stack.resolve(proxy, "sslPolicy", ("gcp:compute/sSLPolicy:SSLPolicy",))
    # by self-link (p1) and by name tail "p1" (p1, p4, p7: names p{i % 3}), each once, in stack order
    assert [r.name for r in found] == ["p1", "p4", "p7"]
    assert stack.matching(("gcp:compute/sSLPolicy:SSLPolicy",), ("selfLink",), "https://x/sslPolicies/p8") == \
        [policies[8]]
    assert stack.matching(("gcp:compute/sSLPolicy:SSLPolicy",), ("selfLink",), "") == []
