"""The pack through pulumi-policy's own servicer, as the engine drives it: Analyze, AnalyzeStack, Configure,
GetAnalyzerInfo with protobuf requests carrying real unknown sentinels and secrets."""

from __future__ import annotations

import pytest
from pulumi.runtime import proto

from tests.policy import harness as h
from tlsfence.policy.config import SCHEMA
from tlsfence.policy.engine import Router, configure_request, make_servicer
from tlsfence.policy.metadata import FAMILIES
from tlsfence.policy.rules import policy_names


@pytest.mark.parametrize(("program", "preview", "expected"), [
    ("aws_mix", False, h.AWS_EXPECTED), ("aws_mix", True, h.AWS_PREVIEW_EXPECTED),
    ("gcp_mix", False, h.GCP_EXPECTED), ("gcp_mix", True, h.GCP_EXPECTED),
    ("gcp_lb", False, h.GCP_LB_EXPECTED), ("gcp_lb", True, h.GCP_LB_EXPECTED),
    ("elbv2_joins", False, h.ELBV2_EXPECTED), ("elbv2_joins", True, h.ELBV2_PREVIEW_EXPECTED),
    ("gwlb", False, {}), ("gwlb", True, {}),
    ("aws_families", False, h.FAMILIES_EXPECTED), ("aws_families", True, h.FAMILIES_EXPECTED),
    ("k8s_mix", False, h.K8S_EXPECTED), ("k8s_mix", True, h.K8S_PREVIEW_EXPECTED),
    ("managed_mix", False, h.MANAGED_EXPECTED), ("managed_mix", True, h.MANAGED_EXPECTED),
])
def test_programs_give_exact_diagnostics(program, preview, expected):
    resources = h.recorded(program, preview)
    found = h.in_process(resources)
    assert h.by_name(found, resources) == expected
    assert not [d for d in found if "can't run policy" in d.message]


def test_sentinels_and_secrets():
    resources = h.sentinel_cases()
    found = h.in_process(resources)
    assert h.by_name(found, resources) == h.SENTINEL_EXPECTED
    messages: dict[str, str] = {}
    for d in found:  # the first diagnostic of each resource
        messages.setdefault(d.urn.rsplit("::", 1)[1], d.message)
    for kind in h.SENTINELS:  # all seven sentinels: mandatory, naming the property, never "can't run policy"
        assert messages[f"unknown-{kind}"] == (
            f"HTTPS listener :443 of aws:lb/listener:Listener 'unknown-{kind}': sslPolicy=<unknown> is unverifiable "
            "(cannot determine sslPolicy (unknown until the resource is deployed)); use "
            "ELBSecurityPolicy-TLS13-1-2-Res-2021-06 instead")
    assert "sslPolicy=ELBSecurityPolicy-2016-08 is nonconforming" in messages["secret-weak"]
    assert "defaultActions=<unknown> is unverifiable" in messages["actions-unknown"]
    assert "defaultActions=<unknown> is unverifiable" in messages["redirect-unknown"]
    assert "viewerCertificate.minimumProtocolVersion=<unknown> is unverifiable" in messages["cdn-unknown"]
    assert "customFeatures=<unknown> is unverifiable" in messages["features-unknown"]
    assert "ingress=<unknown> is unverifiable" in messages["run-ingress-unknown"]
    assert "sslPolicy=<unknown> is unverifiable (cannot determine the SSL policy named by sslPolicy (unknown until " \
           "deployed))" in messages["proxy-unjoinable"]
    # unknown ARNs, names and tags decide nothing: only the excess note remains
    assert "is conforming-with-excess" in messages["unknown-arns"]


def test_forwarding_rule_and_url_map_cases():
    resources = h.lb_cases()
    found = h.in_process(resources)
    assert h.by_name(found, resources) == h.LB_CASES_EXPECTED
    messages = {d.urn.rsplit("::", 1)[1]: d.message for d in found}
    assert messages["lb-scheme-internal"].startswith(
        "HTTPS/SSL forwarding rule :443 (internal) of gcp:compute/globalForwardingRule:GlobalForwardingRule "
        "'lb-scheme-internal': target.sslPolicy=COMPATIBLE/TLS_1_0 (via lb-proxy) is nonconforming")
    assert "loadBalancingScheme=External_Managed is unverifiable (cannot determine loadBalancingScheme " \
           "'External_Managed' (not a scheme tlsfence knows" in messages["lb-scheme-odd-spelling"]
    assert "loadBalancingScheme=<unknown> is unverifiable" in messages["lb-scheme-unknown"]
    assert "httpsRedirect='true' (not a boolean)" in messages["lb-http-string-flag"]
    assert "target=absent is unverifiable (cannot determine target (neither target nor backendService is set))" \
        in messages["lb-target-none"]
    inside = h.in_process(h.recorded("gcp_lb"), {"internet-facing-only": True})
    assert h.by_name(inside, h.recorded("gcp_lb")) == h.GCP_LB_FACING_EXPECTED


def test_api_mapping_cases():
    resources = h.mapping_cases()
    found = h.in_process(resources)
    assert h.by_name(found, resources) == h.MAPPING_CASES_EXPECTED
    messages = {d.urn.rsplit("::", 1)[1]: d.message for d in found}
    assert "restApi=42.0 is unverifiable (cannot determine the API Gateway API named by restApi (no API Gateway API " \
           "in this stack matches))" in messages["m-api-wrong-type"]
    assert "restApi=<unknown> is unverifiable (cannot determine the API Gateway API named by restApi (absent))" \
        in messages["m-api-omitted"]
    assert "protocolType of API m-odd-api=\"Http\" (not one of HTTP, WEBSOCKET)" in messages["m-odd-protocol"]
    assert "securityPolicy (API/domain)=TLS_1_2/TLS_1_2 (via m-api, m-domain) is conforming-with-excess" \
        in messages["m-secret-policy"]
    program = h.recorded("apigw_mappings")
    got = {d.urn.rsplit("::", 1)[1]: d.message for d in h.in_process(program)}
    assert "You can't map an HTTP API to a domain name that uses an enhanced security policy" \
        in got["map-http-enhanced"]
    assert got["map-default"].startswith(
        "API mapping /legacy on api.example.com of aws:apigateway/basePathMapping:BasePathMapping 'map-default': "
        "securityPolicy (API/domain)=TLS_1_0/SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09 (via api-default, dom-pq) is "
        "nonconforming")


def test_messages_say_what_setting_verdict_and_replacement():
    resources = h.recorded("aws_mix")
    found = {(d.urn.rsplit("::", 1)[1], d.policy): d for d in h.in_process(resources)}
    d = found[("https-absent", "tlsfence-elbv2-listener")]
    assert d.message == ("HTTPS listener :8443 of aws:alb/listener:Listener 'https-absent': "
                         "sslPolicy=ELBSecurityPolicy-2016-08 (provider default) is nonconforming (accepts TLSv1.0, "
                         "TLSv1.1 (below TLSv1.2)); use ELBSecurityPolicy-TLS13-1-2-Res-2021-06 instead")
    assert d.description.startswith("ELBv2 HTTPS/TLS listeners must use an SSL policy")
    join = found[("classic-default", "tlsfence-stack-join")]
    assert join.message.startswith("HTTPS listener :443 of aws:elb/loadBalancer:LoadBalancer 'classic-default': "
                                   "listener :443 policy=ELBSecurityPolicy-2016-08 (provider default) is nonconforming")


def test_exemptions_are_echoed_as_advisory():
    aws, gcp = h.recorded("aws_mix"), h.recorded("gcp_mix")
    config = {"exemptions": h.EXEMPTIONS}
    got_aws = h.in_process(aws, config)
    assert h.by_name(got_aws, aws) == {**h.AWS_EXPECTED, "legacy-exempt": [h.ELB_A]}
    legacy = next(d for d in got_aws if d.urn.endswith("::legacy-exempt"))
    assert legacy.message.startswith("exempted (retired in Q3, tracked in OPS-12): HTTPS listener :7443 of ")
    run_exempt = [("tlsfence-serverless-advisory", "advisory")]
    assert h.by_name(h.in_process(gcp, config), gcp) == {**h.GCP_EXPECTED, "run-exempt": run_exempt}


def test_strict_makes_excess_mandatory():
    resources = h.recorded("gcp_mix")
    got = h.by_name(h.in_process(resources, {"strict": True}), resources)
    assert got == {**h.GCP_EXPECTED, "restricted": [h.SSLPOL], "proxy-restricted": [h.JOIN]}


def test_allow_tls13_only_and_internet_facing_only():
    tls13 = h.wire(h.LISTENER, "tls13", {"protocol": "HTTPS", "port": 443,
                                          "sslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06"})
    internal = h.wire("aws:elb/loadBalancer:LoadBalancer", "internal-clb", {"internal": True, "listeners": [
        {"lbPort": 80, "lbProtocol": "http", "instancePort": 80, "instanceProtocol": "http"}]})
    assert [(d.policy, d.level) for d in h.in_process([tls13, internal])] == [h.ELB, h.CLASSIC]
    assert "TLS 1.3 only" in h.in_process([tls13])[0].message
    assert h.in_process([tls13, internal], {"allow-tls13-only": True, "internet-facing-only": True}) == []


def test_configure_overrides_enforcement_level_and_disables():
    resources = [h.wire(h.LISTENER, "weak", {"protocol": "HTTPS", "port": 443})]
    got = h.in_process(resources, {"tlsfence-elbv2-listener": {"enforcementLevel": "advisory"}})
    assert [(d.policy, d.level) for d in got] == [("tlsfence-elbv2-listener", "advisory")]
    assert h.in_process(resources, {"tlsfence-elbv2-listener": "disabled"}) == []


def test_get_analyzer_info():
    info = make_servicer().GetAnalyzerInfo(None, None)
    assert info.name == "tlsfence" and info.version == "0.0.1" and info.supportsConfig
    assert [p.name for p in info.policies] == policy_names()
    assert len(info.policies) == 2 * len(FAMILIES) + 2
    for p in info.policies:
        advisory = p.name.endswith("-advisory")
        assert p.enforcementLevel == (proto.ADVISORY if advisory else proto.MANDATORY)
        stack = p.name.startswith("tlsfence-stack-join")
        assert p.policy_type == (proto.PolicyType.POLICY_TYPE_STACK if stack else proto.PolicyType.POLICY_TYPE_RESOURCE)
        schema = {k: dict(v) for k, v in p.configSchema.properties.items()}
        assert set(schema) == set(SCHEMA)
        assert schema["strict"]["default"] is False and schema["profile"]["default"] == "partner-tls-2024-12-03"
        assert p.remediation_steps and p.url.startswith("https://")


@pytest.mark.parametrize(("program", "preview"), [
    ("aws_mix", True), ("gcp_mix", False), ("elbv2_joins", False), ("k8s_mix", False), ("managed_mix", False),
    ("apigw_mappings", False), ("aws_families", False), ("gcp_lb", False), ("gwlb", False)])
def test_router_gives_the_whole_pack_answer(program, preview):
    """Routing (resource policies by predicted family and level, stack policies by predicted level) loses nothing."""
    from tlsfence.check.report import findings
    from tlsfence.policy.config import settings_from
    from tlsfence.policy.engine import STACK_ROUTE

    resources = list(h.recorded(program, preview))
    settings = settings_from({})
    _, families = findings(resources, {n: settings for n in policy_names()})
    router = Router(configure_request())
    routed = router.evaluate(resources, families)
    assert routed == h.in_process(resources)
    stack_levels = {d.level for d in routed if d.policy.startswith("tlsfence-stack-join")}
    assert set(families[STACK_ROUTE]) == stack_levels
    assert set(router.stacks) == ({frozenset(stack_levels)} if stack_levels else set())  # no needless AnalyzeStack


def test_internet_facing_only_reaches_listeners_through_the_stack_join():
    resources = h.recorded("elbv2_joins")
    got = h.in_process(resources, {"internet-facing-only": True})
    assert h.by_name(got, resources) == h.ELBV2_IFO_EXPECTED
    # without the join (the load balancer outside the stack) the internal listener is still reported
    alone = [r for r in resources if r.name == "inner-forward"]
    assert h.by_name(h.in_process(alone, {"internet-facing-only": True}), alone) == {"inner-forward": [h.JOIN]}


def test_listener_rule_and_gateway_messages():
    resources = h.recorded("elbv2_joins")
    found = {d.urn.rsplit("::", 1)[1]: d.message for d in h.in_process(resources)}
    assert found["api-plain"] == (
        "listener rule (priority 10) of aws:lb/listenerRule:ListenerRule 'api-plain': listenerArn=HTTP listener "
        "(via http-redirect) is nonconforming (serves plaintext HTTP: the rule forwards on HTTP listener "
        "'http-redirect', whatever its default action says); use an HTTPS listener for the rule (keep the HTTP "
        "listener redirect-only) instead")
    assert "cannot determine protocol (not set, and its default depends on the load balancer named by " \
           "loadBalancerArn (not in this stack))" in found["outside-absent"]
    assert 'cannot determine protocol="HTTPS " (not one of HTTP, HTTPS' in found["odd-protocol"]
    assert "offers 1 suite(s) outside the allowed set: ECDHE-RSA-AES256-GCM-SHA384" in found["one-cert"]
    assert "offers 2 suite(s) outside the allowed set" in found["two-certs"]
    assert "gw-listener" not in found
