"""REST, HTTP and WebSocket APIs mapped onto custom domains whose policy matches, differs or is enhanced."""

import pulumi_aws as aws

CERT = "arn:aws:acm:us-east-1:1:certificate/x"
PQ = "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
REGIONAL = {"types": "REGIONAL"}

api_pq = aws.apigateway.RestApi("api-pq", endpoint_configuration=REGIONAL, security_policy=PQ,
                                endpoint_access_mode="STRICT", disable_execute_api_endpoint=True)
api_default = aws.apigateway.RestApi("api-default", endpoint_configuration=REGIONAL, disable_execute_api_endpoint=True)
dom_pq = aws.apigateway.DomainName("dom-pq", domain_name="api.example.com", security_policy=PQ,
                                   endpoint_access_mode="STRICT", regional_certificate_arn=CERT,
                                   endpoint_configuration=REGIONAL)
aws.apigateway.BasePathMapping("map-pq", rest_api=api_pq.id, stage_name="live", domain_name=dom_pq.domain_name,
                               base_path="v1")
aws.apigateway.BasePathMapping("map-default", rest_api=api_default.id, stage_name="live",
                               domain_name=dom_pq.domain_name, base_path="legacy")

http = aws.apigatewayv2.Api("http-api", protocol_type="HTTP", disable_execute_api_endpoint=True)
ws = aws.apigatewayv2.Api("ws-api", protocol_type="WEBSOCKET", route_selection_expression="$request.body.action",
                          disable_execute_api_endpoint=True)
v2 = aws.apigatewayv2.DomainName("v2-dom", domain_name="h.example.com", domain_name_configuration={
    "certificate_arn": CERT, "endpoint_type": "REGIONAL", "security_policy": "TLS_1_2"})
aws.apigatewayv2.ApiMapping("map-http", api_id=http.id, domain_name=v2.id, stage="$default")
aws.apigatewayv2.ApiMapping("map-http-enhanced", api_id=http.id, domain_name=dom_pq.domain_name, stage="$default",
                            api_mapping_key="h")
aws.apigatewayv2.ApiMapping("map-ws", api_id=ws.id, domain_name=v2.id, stage="prod", api_mapping_key="ws")
aws.apigatewayv2.ApiMapping("map-foreign", api_id="a1b2c3", domain_name=v2.id, stage="$default", api_mapping_key="x")
aws.apigateway.RestApi("api-odd-type", endpoint_configuration={"types": "regional"}, disable_execute_api_endpoint=True)
aws.apigatewayv2.RoutingRule("rule-default", domain_name=dom_pq.domain_name, priority=1,
                             actions=[{"invoke_api": {"api_id": api_default.id, "stage": "live"}}],
                             conditions=[{"match_base_paths": {"any_ofs": ["old"]}}])
