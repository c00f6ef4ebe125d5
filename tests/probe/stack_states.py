"""Pulumi state (``pulumi stack export``), preview (``pulumi preview --json``) and stack-output documents whose
endpoints are the test servers on 127.0.0.1. Hostnames are under ``server.test`` (the test PKI's wildcard) and
never resolved: tests map them with ``--resolve``/``--connect-to`` and pass ``--no-dns``."""

from __future__ import annotations

from typing import Any

STACK = "urn:pulumi:prod::edge::"
LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/front/50dc6c495c0c9188"
GCP = "https://www.googleapis.com/compute/v1/projects/p/global/"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown sentinel


def urn(token: str, name: str) -> str:
    return f"{STACK}{token}::{name}"


def _res(token: str, name: str, outputs: dict[str, Any], deps: dict[str, list[str]] | None = None
         ) -> dict[str, Any]:
    return {"urn": urn(token, name), "custom": True, "type": token, "id": f"{name}-id", "inputs": outputs,
            "outputs": outputs, **({"propertyDependencies": deps} if deps else {})}


def resources(gcp_port: int) -> list[dict[str, Any]]:
    """An ALB with three listeners and a Route 53 alias, CloudFront, an API Gateway custom domain, a REST API with
    its execute-api endpoint switched off, and a GCP HTTPS load balancer whose address is in the state."""
    listener = "aws:lb/listener:Listener"
    policy_link = GCP + "sslPolicies/custom"
    proxy_link = GCP + "targetHttpsProxies/proxy"
    cert_link = GCP + "sslCertificates/cert"
    return [
        {"urn": f"{STACK}pulumi:pulumi:Stack::edge-prod", "custom": False, "type": "pulumi:pulumi:Stack"},
        _res("aws:lb/loadBalancer:LoadBalancer", "front", {
            "arn": LB_ARN, "dnsName": "lb.server.test", "internal": False, "loadBalancerType": "application"}),
        _res(listener, "https", {"arn": LB_ARN + "/l1", "loadBalancerArn": LB_ARN, "port": 443, "protocol": "HTTPS",
                                 "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "certificateArn": "arn:c"}),
        _res(listener, "legacy", {"arn": LB_ARN + "/l2", "loadBalancerArn": LB_ARN, "port": 8443, "protocol": "HTTPS",
                                  "sslPolicy": "ELBSecurityPolicy-2016-08", "certificateArn": "arn:c"}),
        _res(listener, "http", {"arn": LB_ARN + "/l3", "loadBalancerArn": LB_ARN, "port": 80, "protocol": "HTTP",
                                "defaultActions": [{"type": "redirect", "redirect": {
                                    "protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]}),
        _res("aws:route53/record:Record", "api", {
            "name": "api.server.test", "fqdn": "api.server.test", "type": "A",
            "aliases": [{"name": "dualstack.lb.server.test.", "zoneId": "Z2", "evaluateTargetHealth": True}]}),
        _res("aws:cloudfront/distribution:Distribution", "cdn", {
            "domainName": "d1.server.test", "aliases": ["cdn.server.test"], "enabled": True,
            "defaultCacheBehavior": {"viewerProtocolPolicy": "redirect-to-https", "targetOriginId": "o"},
            "viewerCertificate": {"acmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/d",
                                  "minimumProtocolVersion": "TLSv1.2_2021", "sslSupportMethod": "sni-only",
                                  "cloudfrontDefaultCertificate": False}}),
        _res("aws:apigateway/domainName:DomainName", "pay", {
            "domainName": "pay.server.test", "securityPolicy": "TLS_1_2",
            "endpointConfiguration": {"types": ["REGIONAL"]}, "regionalCertificateArn": "arn:c"}),
        _res("aws:apigateway/restApi:RestApi", "api", {
            "executionArn": "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5", "id": "a1b2c3d4e5",
            "disableExecuteApiEndpoint": True, "endpointConfiguration": {"types": ["REGIONAL"]}}),
        _res("gcp:compute/sSLPolicy:SSLPolicy", "custom", {
            "name": "custom", "profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "selfLink": policy_link,
            "customFeatures": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                               "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                               "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]}),
        _res("gcp:compute/managedSslCertificate:ManagedSslCertificate", "cert", {
            "name": "cert", "selfLink": cert_link, "managed": {"domains": ["gcp.server.test"]}}),
        _res("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "proxy", {
            "name": "proxy", "selfLink": proxy_link, "sslPolicy": policy_link, "sslCertificates": [cert_link],
            "urlMap": GCP + "urlMaps/site", "quicOverride": "NONE"},
            deps={"sslPolicy": [urn("gcp:compute/sSLPolicy:SSLPolicy", "custom")]}),
        _res("gcp:compute/globalForwardingRule:GlobalForwardingRule", "rule", {
            "name": "rule", "target": proxy_link, "ipAddress": "127.0.0.1", "portRange": f"{gcp_port}-{gcp_port}",
            "loadBalancingScheme": "EXTERNAL_MANAGED", "ipProtocol": "TCP"},
            deps={"target": [urn("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "proxy")]}),
    ]


def state(gcp_port: int) -> dict[str, Any]:
    return {"version": 3,
            "deployment": {"manifest": {"time": "2026-12-01T10:00:00Z"}, "resources": resources(gcp_port)}}


def preview() -> dict[str, Any]:
    """A first preview: the listener's load balancer name is computed (unknown), CloudFront's alias is not."""
    steps = []
    for res in resources(443):
        if res["type"] not in ("aws:lb/loadBalancer:LoadBalancer", "aws:lb/listener:Listener",
                               "aws:cloudfront/distribution:Distribution"):
            continue
        inputs = dict(res["inputs"])
        for computed in ("dnsName", "domainName", "arn"):
            if computed in inputs:
                inputs[computed] = UNKNOWN
        new_state = {k: v for k, v in res.items() if k not in ("outputs", "id")}
        steps.append({"op": "create", "urn": res["urn"], "newState": {**new_state, "inputs": inputs}})
    return {"steps": steps, "changeSummary": {"create": len(steps)}}


def k8s_state(https_port: int) -> dict[str, Any]:
    """An AWS Load Balancer Controller Ingress listening on HTTP :80 (redirect) and HTTPS :``https_port``, with a
    TLS host and the ALB's DNS name in its status, as pulumi-kubernetes records them."""
    a = "alb.ingress.kubernetes.io/"
    ingress = _res("kubernetes:networking.k8s.io/v1:Ingress", "shop", {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "shop", "annotations": {
            "kubernetes.io/ingress.class": "alb", a + "certificate-arn": "arn:aws:acm:us-east-1:1:certificate/x",
            a + "ssl-policy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", a + "ssl-redirect": str(https_port),
            a + "listen-ports": f'[{{"HTTP": 80}}, {{"HTTPS": {https_port}}}]'}},
        "spec": {"tls": [{"hosts": ["shop.server.test"]}], "rules": [{"host": "shop.server.test"}]},
        "status": {"loadBalancer": {"ingress": [{"hostname": "k8s-shop.server.test"}]}}})
    return {"version": 3, "deployment": {"resources": [ingress]}}
