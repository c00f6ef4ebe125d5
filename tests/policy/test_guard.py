"""One fail-closed guard: ``check``, the in-process servicer (and, in test_grpc, the pack over gRPC) report an
analyzer's exception as the same mandatory violations; one resource's crash in the stack pass hides nothing else."""

from __future__ import annotations

from tests.policy import harness as h
from tlsfence.check.cli import judge
from tlsfence.policy.engine import configure_request
from tlsfence.policy.metadata import FAMILIES
from tlsfence.policy.rules import failure_message, guard

FAMILY_POLICIES = len(FAMILIES)  # every resource policy's mandatory member reports a resource whose analysis raised


def _mandatory(diagnostics):
    return [(d.policy, d.urn, d.message) for d in diagnostics if d.level == "mandatory"]


def test_check_reports_exactly_what_the_pack_reports():
    cases = h.crash_cases()
    result = judge(cases, configure_request(), "cases")
    pack = h.in_process(cases)
    assert [(v["policy"], v["urn"], v["message"]) for v in result["violations"]] == \
        [(d.policy, d.urn, d.message) for d in pack]
    assert not result["summary"]["passed"]


def test_a_resource_level_crash_is_mandatory_and_named():
    cases = h.crash_cases()
    pack = _mandatory(h.in_process(cases))
    crashed = [m for m in pack if m[1].endswith("::clb-empty-port")]
    message = ("tlsfence cannot evaluate aws:elb/loadBalancer:LoadBalancer 'clb-empty-port' (ValueError: could not "
               "convert string to float: ''); treated as unverifiable")
    assert [m[2] for m in crashed] == [message] * (FAMILY_POLICIES + 1)  # + the stack pass on its outputs
    assert crashed[-1][0] == "tlsfence-stack-join"
    result = judge(cases, configure_request(), "cases")
    row = [e for e in result["exposures"] if e["name"] == "clb-empty-port"]
    assert [(r["verdict"], r["level"], r["message"]) for r in row] == [("unverifiable", "mandatory", message)] * 2


def test_a_crash_in_the_join_is_that_resource_only():
    cases = h.crash_cases()
    joins = [(d.urn.rsplit("::", 1)[1], d.level, d.message) for d in h.in_process(cases)
             if d.policy.startswith("tlsfence-stack-join")]
    by_name = {}
    for name, level, message in joins:
        by_name.setdefault(name, []).append((level, message))
    assert by_name["clb-join"] == [("mandatory", "tlsfence cannot evaluate aws:elb/loadBalancer:LoadBalancer "
                                                 "'clb-join' (ValueError: could not convert string to float: "
                                                 "'abc'); treated as unverifiable")]
    # the load balancer beside it is still joined and decided: no policy attached = the provider default
    assert [lvl for lvl, _ in by_name["clb-fine"]] == ["mandatory"]
    assert "ELBSecurityPolicy-2016-08 (provider default) is nonconforming" in by_name["clb-fine"][0][1]


def test_guard_passes_findings_and_turns_any_error_into_the_message():
    assert guard("x", lambda: []) == ([], None)
    found, failure = guard("aws:lb/listener:Listener 'l'", lambda: {}["k"])
    assert found == [] and failure == failure_message("aws:lb/listener:Listener 'l'", KeyError("k")) == \
        "tlsfence cannot evaluate aws:lb/listener:Listener 'l' (KeyError: 'k'); treated as unverifiable"
