"""Elastic Beanstalk option settings and CloudFront viewer protocol policies: weak, default, odd and good."""

import pulumi
import pulumi_aws as aws

RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
STACK = "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"


def eb(name, *settings, **kw):
    return aws.elasticbeanstalk.Environment(name, application="app", solution_stack_name=STACK, settings=[
        {"namespace": n, "name": k, "value": v} for n, k, v in settings], **kw)


ALB = ("aws:elasticbeanstalk:environment", "LoadBalancerType", "application")
NO_80 = ("aws:elbv2:listener:default", "ListenerEnabled", "false")
eb("eb-weak", ALB, NO_80, ("aws:elbv2:listener:443", "Protocol", "HTTPS"),
   ("aws:elbv2:listener:443", "SSLPolicy", "ELBSecurityPolicy-2016-08"))
eb("eb-default")  # a classic load balancer with the default HTTP :80 listener
eb("eb-good", ALB, NO_80, ("aws:elbv2:listener:443", "Protocol", "HTTPS"), ("aws:elbv2:listener:443", "SSLPolicy", RES))
eb("eb-odd", ALB, NO_80, ("aws:elbv2:listener:443", "Protocol", "Https"))
eb("eb-worker", tier="Worker")

ORIGIN = [{"domain_name": "origin.example.com", "origin_id": "o", "custom_origin_config": {
    "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}]
BEHAVIOR = {"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"], "target_origin_id": "o",
            "viewer_protocol_policy": "redirect-to-https"}
aws.cloudfront.Distribution("cdn-mixed", enabled=True, origins=ORIGIN, default_cache_behavior=BEHAVIOR,
                            ordered_cache_behaviors=[{**BEHAVIOR, "path_pattern": "/api/*",
                                                      "viewer_protocol_policy": "allow-all"}],
                            restrictions={"geo_restriction": {"restriction_type": "none"}}, aliases=["api.example.com"],
                            viewer_certificate={"acm_certificate_arn": CERT, "ssl_support_method": "sni-only",
                                                "minimum_protocol_version": "TLSv1.2_2021"})
pulumi.CustomResource("aws-native:cloudfront:Distribution", "cdn-native", {"distributionConfig": {
    "enabled": True, "defaultCacheBehavior": {"targetOriginId": "o", "viewerProtocolPolicy": "allow-all"},
    "viewerCertificate": {"cloudFrontDefaultCertificate": True}}})
