"""tlsfence/components/aws/apigateway.py: RestApiDomain and HttpApiDomain."""

import pulumi_aws
import pytest

from tests.components.helpers import ELBV2_EXCESS, V2_EXCESS, build, mandatory, outputs, pack, verdicts
from tlsfence.components.aws import (
    ComponentConfigError,
    HttpApiDomain,
    HttpApiDomainArgs,
    RestApiDomain,
    RestApiDomainArgs,
)

DOMAIN = "aws:apigateway/domainName:DomainName"
REST = "aws:apigateway/restApi:RestApi"
V2_DOMAIN = "aws:apigatewayv2/domainName:DomainName"
CERT = "arn:aws:acm:us-east-1:1:certificate/x"
BODY = '{"openapi": "3.0.1", "info": {"title": "partner", "version": "1"}, "paths": {}}'


def rest(**kw):
    return RestApiDomain("api", RestApiDomainArgs(**{"domain": "api.example.com", "body": BODY,
                                                     "certificate_arn": CERT, **kw}))


def http(**kw):
    """The component over an HTTP API of the same stack (a foreign api_id leaves the mapping unverifiable)."""
    if "api_id" not in kw:
        kw["api_id"] = pulumi_aws.apigatewayv2.Api("partner-api", protocol_type="HTTP",
                                                   disable_execute_api_endpoint=True).id
    return HttpApiDomain("http", HttpApiDomainArgs(**{"domain": "h.example.com", "certificate_arn": CERT, **kw}))


def test_regional_rest_domain_is_excess_and_execute_api_is_disabled():
    door, regs = build(lambda: rest(hosted_zone_id="Z1", certificate_arn=None))
    found = verdicts(regs)
    assert found[(DOMAIN, "api-domain")] == ("conforming-with-excess", ELBV2_EXCESS, "advisory")
    assert found[(REST, "api-api")] == ("conforming", (), "none")
    domain = next(r for r in regs if r.name == "api-domain")
    assert domain.inputs["securityPolicy"] == "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
    assert domain.inputs["endpointAccessMode"] == "STRICT"
    assert next(r for r in regs if r.type == REST).inputs["disableExecuteApiEndpoint"] is True
    mapping = next(r for r in regs if r.type == "aws:apigateway/basePathMapping:BasePathMapping")
    assert mapping.parent and mapping.parent.endswith("RestApiDomain::api")
    assert outputs(door)["excess"] == list(ELBV2_EXCESS)
    assert mandatory(pack(regs)) == []


def test_edge_rest_domain_uses_the_edge_policy_and_a_us_east_1_certificate():
    door, regs = build(lambda: rest(endpoint_type="EDGE", hosted_zone_id="Z1", certificate_arn=None))
    assert verdicts(regs)[(DOMAIN, "api-domain")] == ("conforming-with-excess", ELBV2_EXCESS, "advisory")
    assert outputs(door)["setting"] == "SecurityPolicy_TLS12_PFS_2025_EDGE"
    assert next(r for r in regs if r.type == "aws:acm/certificate:Certificate").inputs["region"] == "us-east-1"
    assert "certificateArn" in next(r for r in regs if r.name == "api-domain").inputs
    assert mandatory(pack(regs)) == []


def test_http_api_domain_reports_its_eight_excess_suites():
    door, regs = build(lambda: http())
    assert verdicts(regs)[(V2_DOMAIN, "http-domain")] == ("conforming-with-excess", V2_EXCESS, "advisory")
    assert outputs(door) == {"endpoint": "https://h.example.com", "setting": "TLS_1_2",
                             "protocols": ["TLSv1.2", "TLSv1.3"], "suites": list(door.decision.suites),
                             "verdict": "conforming-with-excess", "excess": list(V2_EXCESS)}
    assert mandatory(pack(regs)) == []


def test_http_api_domain_under_strict_refuses_and_says_why():
    with pytest.raises(ComponentConfigError) as err:
        http(strict=True)
    assert str(err.value) == (
        "HttpApiDomain 'http': security_policy 'TLS_1_2' is conforming-with-excess (offers 8 suite(s) outside the "
        f"allowed set: {', '.join(V2_EXCESS)}) under profile partner-tls-2024-12-03 with strict. No setting of "
        "this platform is accepted under strict. API Gateway HTTP and WebSocket APIs offer no other policy. For a "
        "strictly conforming AWS front door use StrictClassicLoadBalancer")


def test_weak_rest_policy_is_refused():
    with pytest.raises(ComponentConfigError) as err:
        rest(security_policy="TLS_1_0")
    assert str(err.value) == (
        "RestApiDomain 'api': security_policy 'TLS_1_0' is nonconforming (accepts TLSv1.0, TLSv1.1 (below "
        "TLSv1.2)) under profile partner-tls-2024-12-03. Conforming settings (best first): "
        "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09. For a strictly conforming AWS front door use "
        "StrictClassicLoadBalancer")


@pytest.mark.parametrize(("kw", "message"), [
    ({"endpoint_type": "PRIVATE"}, "endpoint_type 'PRIVATE' is not one of REGIONAL, EDGE"),
    ({"endpoint_access_mode": "OPEN"}, "endpoint_access_mode 'OPEN' is not one of STRICT, BASIC"),
    ({"body": None}, "argument 'body' is required (the OpenAPI definition of the API this domain serves)"),
    ({"security_policy": "TLS_1_2"}, "its excess goes beyond what the platform's tightest setting"),
])
def test_unusable_rest_inputs_are_refused(kw, message):
    with pytest.raises(ComponentConfigError) as err:
        rest(**kw)
    assert message in str(err.value)
