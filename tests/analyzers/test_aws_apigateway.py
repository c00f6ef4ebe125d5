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
