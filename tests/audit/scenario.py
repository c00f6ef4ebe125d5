"""The account the audit tests read: one resource per case the issue names, created through boto3 on moto."""

from __future__ import annotations

from typing import Any

from tests.audit.moto_server import REGION, certificate, client, network

STRICT_SUITES = ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
                 "ECDHE-RSA-AES128-SHA256")
PROTOCOLS = ("Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2")
_FIXED = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]


def _attrs(on: dict[str, bool]) -> list[dict[str, str]]:
    return [{"AttributeName": k, "AttributeValue": "true" if v else "false"} for k, v in on.items()]


def strict_policy() -> list[dict[str, str]]:
    """Protocol-TLSv1.2 only and exactly the four ECDHE AES128 suites (the catalog's strict classic policy)."""
    return _attrs({**{p: p == "Protocol-TLSv1.2" for p in PROTOCOLS}, **{s: True for s in STRICT_SUITES}})


def weak_policy() -> list[dict[str, str]]:
    """TLS 1.0 and 1.2 with an allowed suite and a CBC-SHA1 one."""
    return _attrs({**{p: p in ("Protocol-TLSv1", "Protocol-TLSv1.2") for p in PROTOCOLS},
                   "ECDHE-RSA-AES128-GCM-SHA256": True, "ECDHE-RSA-AES128-SHA": True})


def build(url: str) -> dict[str, Any]:
    """Create every case; returns the identifiers the tests look results up by."""
    vpc, subnets = network(url)
    cert = certificate(url)
    elbv2 = client(url, "elbv2")
    ids: dict[str, Any] = {}
    alb = elbv2.create_load_balancer(Name="front", Subnets=subnets, Scheme="internet-facing",
                                     Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    ids["alb"] = alb

    def listener(key: str, protocol: str, port: int, actions: list[dict[str, Any]], policy: str | None = None,
                 lb: str = alb) -> None:
        kw: dict[str, Any] = {"LoadBalancerArn": lb, "Protocol": protocol, "Port": port, "DefaultActions": actions}
        if protocol == "HTTPS":
            kw["Certificates"] = [{"CertificateArn": cert}]
        if policy:
            kw["SslPolicy"] = policy
        ids[key] = elbv2.create_listener(**kw)["Listeners"][0]["ListenerArn"]

    listener("res", "HTTPS", 443, _FIXED, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
    listener("no_policy", "HTTPS", 8443, _FIXED)
    listener("tls10", "HTTPS", 4443, _FIXED, "ELBSecurityPolicy-TLS-1-0-2015-04")
    listener("pq_ext1", "HTTPS", 9443, _FIXED, "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09")
    listener("redirect", "HTTP", 80, [{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    tg = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    listener("forward", "HTTP", 8080, [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
    internal = elbv2.create_load_balancer(Name="inside", Subnets=subnets, Scheme="internal",
                                          Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    listener("internal", "HTTPS", 443, _FIXED, "ELBSecurityPolicy-2016-08", lb=internal)

    elb = client(url, "elb")
    for name, attrs in (("strict-classic", strict_policy()), ("weak-classic", weak_policy())):
        elb.create_load_balancer(LoadBalancerName=name, AvailabilityZones=["us-east-1a"], Listeners=[
            {"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP", "InstancePort": 80,
             "SSLCertificateId": cert}])
        # The same policy name on both balancers: the audit must join each listener to its own balancer's policy.
        elb.create_load_balancer_policy(LoadBalancerName=name, PolicyName="tls-policy",
                                        PolicyTypeName="SSLNegotiationPolicyType", PolicyAttributes=attrs)
        elb.set_load_balancer_policies_of_listener(LoadBalancerName=name, LoadBalancerPort=443,
                                                   PolicyNames=["tls-policy"])

    apigw = client(url, "apigateway")
    ids["rest_open"] = apigw.create_rest_api(name="open-api", endpointConfiguration={"types": ["REGIONAL"]})["id"]
    ids["rest_closed"] = apigw.create_rest_api(name="closed-api", endpointConfiguration={"types": ["REGIONAL"]},
                                               disableExecuteApiEndpoint=True)["id"]
    apigw.create_domain_name(domainName="api.example.com", regionalCertificateArn=cert, securityPolicy="TLS_1_2",
                             endpointConfiguration={"types": ["REGIONAL"]})
    ids["http_api"] = client(url, "apigatewayv2").create_api(Name="http-api", ProtocolType="HTTP")["ApiId"]

    cf = client(url, "cloudfront")
    ids["distribution"] = cf.create_distribution(DistributionConfig={
        "CallerReference": "tlsfence-audit", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "origin.example.com", "CustomOriginConfig": {
            "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0}},
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True}})["Distribution"]["Id"]
    return ids


def populate(url: str, load_balancers: int, listeners: int, policies: list[str], region: str = REGION) -> None:
    """``load_balancers`` ALBs with ``listeners`` HTTPS listeners each, cycling through ``policies``."""
    _vpc, subnets = network(url, region)
    cert = certificate(url, region)
    elbv2 = client(url, "elbv2", region)
    n = 0
    for i in range(load_balancers):
        arn = elbv2.create_load_balancer(Name=f"lb-{i}", Subnets=subnets, Scheme="internet-facing",
                                         Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
        for j in range(listeners):
            elbv2.create_listener(LoadBalancerArn=arn, Protocol="HTTPS", Port=1000 + j, SslPolicy=policies[n % len(
                policies)], Certificates=[{"CertificateArn": cert}], DefaultActions=_FIXED)
            n += 1
