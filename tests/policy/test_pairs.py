"""Pack config as Pulumi users write it: ``all``, per-policy entries, and mandatory/advisory pairs.

Every documented combination goes through the engine-shaped ``configure_request`` and the pack's own
servicer. Three listeners: ``res`` (conforming with excess: advisory), ``weak`` (nonconforming: mandatory) and
``legacy-1`` (nonconforming, waived by the exemption when configured).
"""

from __future__ import annotations

import pytest
from pulumi.runtime import proto

from tests.policy import harness as h
from tlsfence.policy.config import PolicyConfigError
from tlsfence.policy.engine import analyze_request, analyze_stack_request, configure_request, diagnostics, make_servicer
from tlsfence.policy.rules import policy_names

EX = [{"name": "legacy-*", "reason": "retired in Q3"}]
ELB, ELB_A = "tlsfence-elbv2-listener", "tlsfence-elbv2-listener-advisory"
M, A = "mandatory", "advisory"
RESOURCES = [
    h.wire(h.LISTENER, "res", {"protocol": "HTTPS", "port": 443, "sslPolicy": h.RES}),
    h.wire(h.LISTENER, "weak", {"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-2016-08"}),
    h.wire(h.LISTENER, "legacy-1", {"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-2016-08"}),
]
EVERY = {name: {"exemptions": EX} for name in policy_names()}  # what `python -m tlsfence.policy` writes

CASES = [
    ("defaults", None, {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("shorthand exemptions", {"exemptions": EX}, {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB_A, A)]}),
    ("all mandatory: exempted and excess still advisory", {**EVERY, "all": "mandatory"},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB_A, A)]}),
    ("all as object", {"all": {"enforcementLevel": "mandatory"}},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("all remediate", {"all": "remediate"}, {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("all advisory: nothing blocks", {"all": "advisory"},
     {"res": [(ELB_A, A)], "weak": [(ELB, A)], "legacy-1": [(ELB, A)]}),
    ("all disabled", {"all": "disabled"}, {}),
    ("all disabled but one policy", {"all": "disabled", ELB: "mandatory"},
     {"weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("per-policy level beats all", {"all": "mandatory", ELB: {"enforcementLevel": "advisory"}},
     {"res": [(ELB_A, A)], "weak": [(ELB, A)], "legacy-1": [(ELB, A)]}),
    ("advisory twin set mandatory is capped", {ELB_A: "mandatory"},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("advisory twin disabled", {ELB_A: "disabled"}, {"weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("strict on the mandatory policy only: once", {ELB: {"strict": True}},
     {"res": [(ELB, M)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("strict on the advisory twin only: once", {ELB_A: {"strict": True}},
     {"res": [(ELB, M)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
    ("exemption on the mandatory policy only: once", {ELB: {"exemptions": EX}},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB_A, A)]}),
    ("exemption on the advisory twin only: once", {ELB_A: {"exemptions": EX, "enforcementLevel": "advisory"}},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB_A, A)]}),
    ("another family's settings do not leak", {"tlsfence-cloudfront": {"strict": True}},
     {"res": [(ELB_A, A)], "weak": [(ELB, M)], "legacy-1": [(ELB, M)]}),
]


@pytest.mark.parametrize(("config", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_combination(config, expected):
    assert h.by_name(h.in_process(RESOURCES, config), RESOURCES) == expected


@pytest.mark.parametrize(("config", "message"), [
    ({ELB: {"enforcementLevel": []}}, f"policy config '{ELB}': enforcementLevel must be one of advisory, mandatory, "
                                      "remediate, disabled, not []"),
    ({ELB: "loud"}, f"policy config '{ELB}': enforcementLevel must be one of advisory, mandatory, remediate, "
                    'disabled, not "loud"'),
    ({"all": 3}, "policy config 'all': enforcementLevel must be one of"),
    ({"all": {"strict": True}}, "policy config 'all': takes only an enforcement level"),
    ({ELB: 3}, f"policy config '{ELB}': must be an enforcement level or an object, not 3"),
    ({ELB: {"strict": True}, ELB_A: {"strict": False, "profile": {"name": "x", "must_support_one_of": []}}},
     "policy config 'profile'"),
    ({ELB: {"profile": "carriers"}, ELB_A: {"profile": "card-fop"}},
     f"policy config 'profile': {ELB} and {ELB_A} are one pair and must judge alike, but set it to 'carriers' and "
     "'card-fop'; set it once"),
    ({"tlsfence-nope": {}}, "policy config names unknown policies ['tlsfence-nope']"),
    ({ELB: {"strict": "yes"}}, "policy config 'strict': 'yes' is not boolean"),
])
def test_bad_shapes_are_one_clear_error(config, message):
    with pytest.raises(PolicyConfigError) as e:
        configure_request(config)
    assert str(e.value).startswith(message)


def _raw_request(entries):
    """A ConfigureAnalyzerRequest as the engine sends it after its own reconciliation (no tlsfence logic)."""
    request = proto.ConfigureAnalyzerRequest()
    for name in policy_names():
        level, props = entries.get(name, (proto.ADVISORY if name.endswith("-advisory") else proto.MANDATORY, {}))
        cfg = proto.PolicyConfig(enforcementLevel=level)
        cfg.properties.update({"profile": "partner-tls-2024-12-03", "strict": False, "allow-tls13-only": False,
                               "exemptions": [], "internet-facing-only": False, **props})
        request.policyConfig[name].CopyFrom(cfg)
    return request


def _run(servicer):
    out = []
    for res in RESOURCES:
        out.extend(diagnostics(servicer.Analyze(analyze_request(res), None), res.urn))
    out.extend(diagnostics(servicer.AnalyzeStack(analyze_stack_request(RESOURCES), None)))
    return out


def test_engine_all_mandatory_request_keeps_the_advisory_twin_advisory():
    """The request the engine builds for ``{"all": "mandatory"}``: every policy mandatory, exemptions set."""
    servicer = make_servicer()
    servicer.Configure(_raw_request({n: (proto.MANDATORY, {"exemptions": EX}) for n in policy_names()}), None)
    assert h.by_name(_run(servicer), RESOURCES) == {"res": [(ELB_A, A)], "weak": [(ELB, M)],
                                                    "legacy-1": [(ELB_A, A)]}


def test_bad_profile_reaching_the_pack_is_one_mandatory_diagnostic():
    servicer = make_servicer()
    servicer.Configure(_raw_request({ELB: (proto.MANDATORY, {"profile": "no-such-profile"})}), None)
    found = _run(servicer)
    assert [(d.policy, d.level) for d in found] == [(ELB, M)]
    assert found[0].message.startswith("invalid tlsfence policy config: policy config 'profile': unknown profile "
                                       "'no-such-profile'")
    servicer.Configure(_raw_request({}), None)  # a good config again: the pack judges normally
    assert h.by_name(_run(servicer), RESOURCES) == CASES[0][2]
