"""API Gateway domains and execute-api endpoints."""

import pytest

from tests.analyzers.conftest import one, res
from tlsfence.resources import UNKNOWN


@pytest.mark.parametrize("token,props,verdict,excess", [
    ("aws:apigateway/domainName:DomainName",
     {"securityPolicy": "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "endpointAccessMode": "STRICT",
      "endpointConfiguration": {"types": "REGIONAL"}}, "conforming-with-excess", 2),
    ("aws:apigateway/domainName:DomainName", {"endpointConfiguration": {"types": "REGIONAL"}},
     "conforming-with-excess", 8),
    ("aws:apigateway/domainName:DomainName", {"securityPolicy": "TLS_1_0", "endpointConfiguration":
                                              {"types": "REGIONAL"}}, "nonconforming", 14),
    ("aws:apigateway/domainName:DomainName", {"securityPolicy": "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
                                              "endpointConfiguration": {"types": "REGIONAL"}}, "unverifiable", 0),
    ("aws:apigateway/domainName:DomainName", {"securityPolicy": "SecurityPolicy_TLS12_PFS_2025_EDGE",
                                              "endpointAccessMode": "BASIC"}, "conforming-with-excess", 2),
    ("aws-native:apigateway:DomainName", {"securityPolicy": "TLS_1_2", "endpointConfiguration":
                                          {"types": ["REGIONAL"]}}, "conforming-with-excess", 8),
    ("aws:apigateway/domainName:DomainName", {"securityPolicy": UNKNOWN, "endpointConfiguration":
                                              {"types": "REGIONAL"}}, "unverifiable", 0),
    ("aws:apigateway/restApi:RestApi", {}, "nonconforming", 14),
    ("aws:apigateway/restApi:RestApi", {"disableExecuteApiEndpoint": True}, "conforming", 0),
    ("aws:apigateway/restApi:RestApi", {"endpointConfiguration": {"types": "PRIVATE"}}, "conforming-with-excess", 8),
    ("aws:apigateway/restApi:RestApi", {"disableExecuteApiEndpoint": UNKNOWN}, "unverifiable", 0),
    ("aws-native:apigateway:RestApi", {"disableExecuteApiEndpoint": "true"}, "conforming", 0),
    ("aws:apigatewayv2/domainName:DomainName", {"domainNameConfiguration": {"securityPolicy": "TLS_1_2"}},
     "conforming-with-excess", 8),
    ("aws-native:apigatewayv2:DomainName", {"domainNameConfigurations": [{"securityPolicy": "TLS_1_2"}]},
     "conforming-with-excess", 8),
    ("aws:apigatewayv2/api:Api", {"protocolType": "HTTP"}, "conforming-with-excess", 8),
    ("aws:apigatewayv2/api:Api", {"protocolType": "HTTP", "disableExecuteApiEndpoint": True}, "conforming", 0),
])
def test_apigateway(token, props, verdict, excess):
    e = one(res(token, props))
    assert e.decision.verdict.value == verdict, e.message()
    assert len(e.decision.excess) == excess


def test_execute_api_message_says_how_to_fix():
    e = one(res("aws:apigateway/restApi:RestApi", {}))
    assert e.setting.describe() == "disableExecuteApiEndpoint=false (execute-api serves TLS_1_0) (provider default)"
    assert "use disableExecuteApiEndpoint: true" in e.message()


REST_DOMAIN, V2_DOMAIN = "aws:apigateway/domainName:DomainName", "aws:apigatewayv2/domainName:DomainName"
REST_API, V2_API = "aws:apigateway/restApi:RestApi", "aws:apigatewayv2/api:Api"
PQ = "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
REGIONAL = {"types": "REGIONAL"}


@pytest.mark.parametrize("types,problem", [
    ("regional", "endpointConfiguration.types=\"regional\" (not one of EDGE, REGIONAL, PRIVATE)"),
    ("REGIONAL ", "endpointConfiguration.types=\"REGIONAL \" (not one of"),
    (["REGIONAL", "EDGE"], "(not one of"),
    (7, "endpointConfiguration.types=7 (not one of"),
    (UNKNOWN, "endpointConfiguration.types (unknown until deployed)"),
])
@pytest.mark.parametrize("token", [REST_DOMAIN, REST_API])
def test_odd_endpoint_types_fail_closed(token, types, problem):
    e = one(res(token, {"endpointConfiguration": {"types": types}, "securityPolicy": "TLS_1_2"}))
    assert e.decision.verdict.value == "unverifiable"
    assert problem in e.decision.reasons[0], e.decision.reasons


def test_edge_rest_api_policy_is_read_on_the_edge_catalog():
    e = one(res(REST_API, {"endpointConfiguration": {"types": "EDGE"},
                           "securityPolicy": "SecurityPolicy_TLS12_PFS_2025_EDGE"}))
    assert e.decision.verdict.value == "conforming-with-excess", e.message()


def _mapping(token, props, *targets, deps):
    from tlsfence.analyzers import analyze_stack
    from tlsfence.profiles import load_profile
    from tlsfence.resources import Stack

    by_name = {t.name: t for t in targets}
    mapping = res(token, props, name="map",
                  property_dependencies={prop: (by_name[name].urn,) for prop, name in deps.items()})
    found = [e for e in analyze_stack(Stack([*targets, mapping]), load_profile()) if e.name == "map"]
    assert len(found) == 1
    return found[0]


def _rest_api(**props):
    return res(REST_API, {"endpointConfiguration": REGIONAL, **props}, name="api")


DOMAIN_PQ = res(REST_DOMAIN, {"domainName": "api.example.com", "securityPolicy": PQ, "endpointAccessMode": "STRICT",
                              "endpointConfiguration": REGIONAL}, name="dom")
DOMAIN_12 = res(REST_DOMAIN, {"domainName": "api.example.com", "securityPolicy": "TLS_1_2",
                              "endpointConfiguration": REGIONAL}, name="dom")
BPM, V2_MAP = "aws:apigateway/basePathMapping:BasePathMapping", "aws:apigatewayv2/apiMapping:ApiMapping"


@pytest.mark.parametrize("token,api_prop,domain_prop", [
    (BPM, "restApi", "domainName"), ("aws-native:apigateway:BasePathMapping", "restApiId", "domainName"),
    (V2_MAP, "apiId", "domainName"), ("aws-native:apigatewayv2:ApiMapping", "apiId", "domainName"),
])
@pytest.mark.parametrize("api,domain,verdict,says", [
    (_rest_api(securityPolicy=PQ, endpointAccessMode="STRICT"), DOMAIN_PQ, "conforming-with-excess",
     f"securityPolicy (API/domain)={PQ}/{PQ} (via api, dom)"),
    (_rest_api(), DOMAIN_PQ, "nonconforming", f"=TLS_1_0/{PQ}"),  # omitted: the REST API default, TLS_1_0
    (_rest_api(securityPolicy="TLS_1_0"), DOMAIN_12, "nonconforming", "the API's security policy (TLS_1_0)"),
    (_rest_api(securityPolicy=PQ), DOMAIN_12, "conforming-with-excess", "offers 8 suite(s)"),  # worse: the domain
    (_rest_api(securityPolicy=UNKNOWN), DOMAIN_PQ, "unverifiable", "securityPolicy of API api (unknown until"),
    (_rest_api(securityPolicy=["TLS_1_2"]), DOMAIN_PQ, "unverifiable", "is not a policy name"),
    (_rest_api(securityPolicy="tls_1_2"), DOMAIN_PQ, "unverifiable", "'tls_1_2' (not in the catalog"),
    (res(REST_API, {"endpointConfiguration": {"types": "PRIVATE"}}, name="api"), DOMAIN_12, "conforming-with-excess",
     "=TLS_1_2/TLS_1_2"),
    (res(V2_API, {"protocolType": "HTTP"}, name="api"), DOMAIN_PQ, "unverifiable",
     "You can't map an HTTP API to a domain name that uses an enhanced security policy"),
    (res(V2_API, {"protocolType": "WEBSOCKET"}, name="api"), DOMAIN_PQ, "conforming-with-excess", "=TLS_1_2/"),
    (res(V2_API, {"protocolType": "HTTP"}, name="api"), DOMAIN_12, "conforming-with-excess", "=TLS_1_2/TLS_1_2"),
    (res(V2_API, {"protocolType": "http"}, name="api"), DOMAIN_12, "unverifiable", "protocolType of API api=\"http\""),
    (res(V2_API, {}, name="api"), DOMAIN_12, "unverifiable", "protocolType of API api=null"),
])
def test_mapping_is_judged_by_the_worse_of_api_and_domain(token, api_prop, domain_prop, api, domain, verdict, says):
    e = _mapping(token, {api_prop: UNKNOWN, domain_prop: UNKNOWN, "basePath": "v1"}, api, domain,
                 deps={api_prop: "api", domain_prop: "dom"})
    assert e.decision.verdict.value == verdict, e.message()
    assert says in e.message()


def test_mapping_onto_a_v2_domain_and_unresolvable_joins():
    v2 = res(V2_DOMAIN, {"domainName": "h.example.com", "domainNameConfiguration": {"securityPolicy": "TLS_1_2"}},
             name="dom")
    http = res(V2_API, {"protocolType": "HTTP"}, name="api")
    ok = _mapping(V2_MAP, {"apiId": UNKNOWN, "domainName": UNKNOWN}, http, v2,
                  deps={"apiId": "api", "domainName": "dom"})
    assert ok.decision.verdict.value == "conforming-with-excess" and ok.exposure == "API mapping / on h.example.com"
    foreign = _mapping(V2_MAP, {"apiId": "a1b2c3", "domainName": UNKNOWN}, v2, deps={"domainName": "dom"})
    assert foreign.decision.verdict.value == "unverifiable"
    assert "the API Gateway API named by apiId (no API Gateway API in this stack matches)" in foreign.message()
    nothing = _mapping(BPM, {"restApi": UNKNOWN, "domainName": UNKNOWN}, deps={})
    assert "domain name named by domainName (unknown until deployed)" in nothing.message()
    alone = one(res(BPM, {"restApi": "x", "domainName": "api.example.com"}))
    assert alone.needs_join and alone.decision.verdict.value == "unverifiable"


RULE = "aws:apigatewayv2/routingRule:RoutingRule"


@pytest.mark.parametrize("token,domain_prop", [(RULE, "domainName"), ("aws-native:apigatewayv2:RoutingRule",
                                                                       "domainNameArn")])
@pytest.mark.parametrize("actions,api,verdict,says", [
    ([{"invokeApi": {"apiId": UNKNOWN, "stage": "live"}}], _rest_api(), "nonconforming", f"=TLS_1_0/{PQ}"),
    ([{"invokeApi": {"apiId": UNKNOWN, "stage": "live"}}], _rest_api(securityPolicy=PQ, endpointAccessMode="STRICT"),
     "conforming-with-excess", f"={PQ}/{PQ}"),
    ([{"invokeApi": {"apiId": UNKNOWN}}], res(V2_API, {"protocolType": "HTTP"}, name="api"), "unverifiable",
     "You can't map an HTTP API"),
    (UNKNOWN, _rest_api(), "unverifiable", "actions (unknown until deployed)"),
    ([], _rest_api(), "unverifiable", "actions=[] (not exactly one action)"),
    ({"invokeApi": {"apiId": "x"}}, _rest_api(), "unverifiable", "(not exactly one action)"),
])
def test_routing_rule_is_judged_like_a_mapping(token, domain_prop, actions, api, verdict, says):
    e = _mapping(token, {"actions": actions, domain_prop: UNKNOWN, "priority": 1.0}, api, DOMAIN_PQ,
                 deps={"actions": "api", domain_prop: "dom"})
    assert e.decision.verdict.value == verdict, e.message()
    assert says in e.message()


def test_routing_rule_joins_its_api_by_id_without_dependencies():
    api = res(REST_API, {"endpointConfiguration": REGIONAL, "id": "abc123"}, name="api")
    e = _mapping(RULE, {"actions": [{"invokeApi": {"apiId": "abc123"}}], "domainName": UNKNOWN}, api, DOMAIN_PQ,
                 deps={"domainName": "dom"})
    assert e.decision.verdict.value == "nonconforming" and e.exposure == "routing rule on api.example.com"
    foreign = _mapping(RULE, {"actions": [{"invokeApi": {"apiId": "zzz"}}], "domainName": UNKNOWN}, DOMAIN_PQ,
                       deps={"domainName": "dom"})
    assert "the API named by actions[0].invokeApi.apiId (no API Gateway API in this stack matches)" \
        in foreign.message()
