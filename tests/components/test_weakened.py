"""The same front doors built from raw resources, each with one setting weakened: the analyzers and the pack
reject every one, which is what the components make impossible to write."""

import pulumi_aws as aws
import pulumi_gcp as gcp
import pytest

from tests.components.helpers import GCP_CONFIG, build, exposures, mandatory, pack

CERT = "arn:aws:acm:us-east-1:1:certificate/x"
TG = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1"
FORWARD = [aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=TG)]
REDIRECT = [aws.lb.ListenerDefaultActionArgs(type="redirect", redirect=aws.lb.ListenerDefaultActionRedirectArgs(
    protocol="HTTPS", port="443", status_code="HTTP_301"))]
TIGHT = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"


def raw_alb(weaken: str) -> None:
    """HttpsLoadBalancer's resources by hand; ``weaken`` names the one setting to get wrong."""
    lb = aws.lb.LoadBalancer("edge-lb", load_balancer_type="application", subnets=["subnet-a"])
    policy = {"no-ssl-policy": None, "tls10-policy": "ELBSecurityPolicy-TLS-1-0-2015-04"}.get(weaken, TIGHT)
    aws.lb.Listener("edge-https", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", ssl_policy=policy,
                    certificate_arn=CERT, default_actions=FORWARD)
    aws.lb.Listener("edge-http", load_balancer_arn=lb.arn, port=80, protocol="HTTP",
                    default_actions=FORWARD if weaken == "plaintext-80" else REDIRECT)


def raw_rest(weaken: str) -> None:
    """RestApiDomain's resources by hand (the API carries the domain's policy: AWS negotiates with the API's)."""
    pq = "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
    default, open_ = weaken.startswith("api-policy-default"), weaken.endswith("execute-api-on")
    api = aws.apigateway.RestApi("api-api", body="{}", disable_execute_api_endpoint=not open_,
                                 security_policy=None if default else pq,
                                 endpoint_access_mode=None if default else "STRICT",
                                 endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                                     types="REGIONAL"))
    domain = aws.apigateway.DomainName(
        "api-domain", domain_name="api.example.com", security_policy=pq,
        endpoint_access_mode="STRICT", regional_certificate_arn=CERT,
        endpoint_configuration=aws.apigateway.DomainNameEndpointConfigurationArgs(types="REGIONAL"))
    aws.apigateway.BasePathMapping("api-mapping", rest_api=api.id, stage_name="live", domain_name=domain.domain_name)


def raw_gcp(weaken: str) -> None:
    """GlobalHttpsLoadBalancer's resources by hand."""
    policy = gcp.compute.SSLPolicy("web-tls", profile="CUSTOM", min_tls_version="TLS_1_2", custom_features=[
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"])
    url_map = gcp.compute.URLMap("web-urlmap", default_service="b")
    gcp.compute.TargetHttpsProxy("web-https", url_map=url_map.self_link, ssl_certificates=["c"],
                                 ssl_policy=None if weaken == "no-ssl-policy" else policy.self_link)
    port80 = url_map if weaken == "plaintext-80" else gcp.compute.URLMap(
        "web-redirect", default_url_redirect=gcp.compute.URLMapDefaultUrlRedirectArgs(https_redirect=True,
                                                                                       strip_query=False))
    gcp.compute.TargetHttpProxy("web-http", url_map=port80.self_link)


CASES = [
    (raw_alb, "no-ssl-policy", "edge-https", "nonconforming"),
    (raw_alb, "tls10-policy", "edge-https", "nonconforming"),
    (raw_alb, "plaintext-80", "edge-http", "nonconforming"),
    (raw_rest, "api-policy-default", "api-mapping", "nonconforming"),
    (raw_rest, "api-policy-default+execute-api-on", ("api-api", "api-mapping"), "nonconforming"),
    (raw_gcp, "no-ssl-policy", "web-https", "nonconforming"),
    (raw_gcp, "plaintext-80", "web-http", "nonconforming"),
]


@pytest.mark.parametrize("builder", [raw_alb, raw_rest, raw_gcp])
def test_the_raw_builds_pass_when_nothing_is_weakened(builder):
    _, regs = build(lambda: builder("nothing"), GCP_CONFIG)
    assert [e.decision.verdict.value for e in exposures(regs) if e.level() == "mandatory"] == []
    assert mandatory(pack(regs)) == []


@pytest.mark.parametrize(("builder", "weaken", "name", "verdict"), CASES,
                         ids=[f"{c[0].__name__}-{c[1]}" for c in CASES])
def test_each_weakened_setting_is_rejected(builder, weaken, name, verdict):
    _, regs = build(lambda: builder(weaken), GCP_CONFIG)
    names = (name,) if isinstance(name, str) else name
    bad = [e for e in exposures(regs) if e.level() == "mandatory"]
    assert [(e.name, e.decision.verdict.value) for e in bad] == [(n, verdict) for n in names]
    rejected = mandatory(pack(regs))
    assert rejected, "the pack let a weakened front door through"
    assert all(d.urn.rsplit("::", 1)[1] in names for d in rejected), [(d.policy, d.urn) for d in rejected]
