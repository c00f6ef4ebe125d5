"""Every AWS exposure family with present, absent, weakened, unknown-at-preview and exempted settings."""

import pulumi
import pulumi_aws as aws

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
FIXED = [{"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "200"}}]

# ELBv2: aws:lb, aws:alb and aws-native tokens
lb = aws.lb.LoadBalancer("front", internal=False, load_balancer_type="application", subnets=["s-1", "s-2"])
aws.lb.Listener("https-res", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn=CERT,
                ssl_policy=RES, default_actions=FIXED)
aws.alb.Listener("https-absent", load_balancer_arn=lb.arn, port=8443, protocol="HTTPS", certificate_arn=CERT,
                 default_actions=FIXED)
aws.lb.Listener("https-weak", load_balancer_arn=lb.arn, port=9443, protocol="HTTPS", certificate_arn=CERT,
                ssl_policy="ELBSecurityPolicy-TLS-1-0-2015-04", default_actions=FIXED)
param = aws.ssm.Parameter("policy-name", type="String", value=RES)
aws.lb.Listener("https-late", load_balancer_arn=lb.arn, port=10443, protocol="HTTPS", certificate_arn=CERT,
                ssl_policy=param.arn.apply(lambda _: RES), default_actions=FIXED)
aws.lb.Listener("http-redirect", load_balancer_arn=lb.arn, port=80, protocol="HTTP", default_actions=[
    {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}])
aws.lb.Listener("http-forward", load_balancer_arn=lb.arn, port=8080, protocol="HTTP", default_actions=FIXED)
aws.lb.Listener("tcp-pass", load_balancer_arn=lb.arn, port=5000, protocol="TCP", default_actions=FIXED)
aws.lb.Listener("legacy-exempt", load_balancer_arn=lb.arn, port=7443, protocol="HTTPS", certificate_arn=CERT,
                ssl_policy="ELBSecurityPolicy-2016-08", default_actions=FIXED)
pulumi.CustomResource("aws-native:elasticloadbalancingv2:Listener", "native-https", {
    "loadBalancerArn": lb.arn, "port": 443, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS-1-1-2017-01",
    "certificates": [{"certificateArn": CERT}], "defaultActions": [{"type": "fixed-response"}]})

# Classic ELB: an SslNegotiationPolicy, a LoadBalancerPolicy + ListenerPolicy, none, and plaintext HTTP
HTTPS_LISTENER = [{"lb_port": 443, "lb_protocol": "https", "instance_port": 80, "instance_protocol": "http",
                   "ssl_certificate_id": CERT}]
strict_lb = aws.elb.LoadBalancer("classic-strict", availability_zones=["us-east-1a"], listeners=HTTPS_LISTENER)
aws.elb.SslNegotiationPolicy("strict-neg", load_balancer=strict_lb.id, lb_port=443, attributes=[
    {"name": n, "value": v} for n, v in [
        ("Protocol-TLSv1.2", "true"), ("Protocol-TLSv1.1", "false"), ("Protocol-TLSv1", "false"),
        ("Protocol-SSLv3", "false"), ("ECDHE-ECDSA-AES128-GCM-SHA256", "true"),
        ("ECDHE-RSA-AES128-GCM-SHA256", "true"), ("ECDHE-ECDSA-AES128-SHA256", "true"),
        ("ECDHE-RSA-AES128-SHA256", "true")]])
ref_lb = aws.elb.LoadBalancer("classic-ref", availability_zones=["us-east-1a"], listeners=HTTPS_LISTENER)
ref_policy = aws.elb.LoadBalancerPolicy("ref-policy", load_balancer_name=ref_lb.name, policy_name="ref-2015",
                                        policy_type_name="SSLNegotiationPolicyType", policy_attributes=[
                                            {"name": "Reference-Security-Policy",
                                             "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}])
aws.elb.ListenerPolicy("ref-attach", load_balancer_name=ref_lb.name, load_balancer_port=443,
                       policy_names=[ref_policy.policy_name])
aws.elb.LoadBalancer("classic-default", availability_zones=["us-east-1a"], listeners=[
    *HTTPS_LISTENER, {"lb_port": 80, "lb_protocol": "http", "instance_port": 80, "instance_protocol": "http"}])

# API Gateway: REST domains, REST APIs (execute-api), HTTP API and its domain
aws.apigateway.DomainName("rest-domain", domain_name="api.example.com", regional_certificate_arn=CERT,
                          endpoint_configuration={"types": "REGIONAL"}, security_policy="TLS_1_2")
aws.apigateway.DomainName("rest-domain-pq", domain_name="pq.example.com", regional_certificate_arn=CERT,
                          endpoint_configuration={"types": "REGIONAL"},
                          security_policy="SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", endpoint_access_mode="STRICT")
aws.apigateway.RestApi("rest-open", endpoint_configuration={"types": "REGIONAL"})
aws.apigateway.RestApi("rest-closed", endpoint_configuration={"types": "REGIONAL"}, disable_execute_api_endpoint=True)
aws.apigatewayv2.Api("http-api", protocol_type="HTTP")
aws.apigatewayv2.DomainName("v2-domain", domain_name="v2.example.com", domain_name_configuration={
    "certificate_arn": CERT, "endpoint_type": "REGIONAL", "security_policy": "TLS_1_2"})

# CloudFront: the default certificate, and a custom one at TLSv1.2_2021
ORIGIN = [{"domain_name": "origin.example.com", "origin_id": "o", "custom_origin_config": {
    "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}]
BEHAVIOR = {"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"], "target_origin_id": "o",
            "viewer_protocol_policy": "redirect-to-https"}
RESTRICT = {"geo_restriction": {"restriction_type": "none"}}
aws.cloudfront.Distribution("cdn-default", enabled=True, origins=ORIGIN, default_cache_behavior=BEHAVIOR,
                            restrictions=RESTRICT, viewer_certificate={"cloudfront_default_certificate": True})
aws.cloudfront.Distribution("cdn-2021", enabled=True, origins=ORIGIN, default_cache_behavior=BEHAVIOR,
                            restrictions=RESTRICT, aliases=["www.example.com"], viewer_certificate={
                                "acm_certificate_arn": CERT, "ssl_support_method": "sni-only",
                                "minimum_protocol_version": "TLSv1.2_2021"})
