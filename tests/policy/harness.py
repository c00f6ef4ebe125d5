"""Shared test material: the check programs recorded under mocks, engine-encoded cases, expected diagnostics.

The same wire resources feed the in-process servicer (test_servicer), the pack over gRPC (test_grpc) and,
through the program directories, ``tlsfence check`` as a subprocess (tests/check). Expected tables list, per
resource name, the (policy, level) pairs the pack must return, in pack order.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from pulumi_policy import proxy

from tlsfence.check.inputs import from_registrations
from tlsfence.check.program import load_project, run_project
from tlsfence.policy.engine import Diagnostic, WireResource, configure_request, evaluate, make_servicer

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "check" / "programs"
SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
SENTINELS = {
    "bool": proxy.UNKNOWN_BOOLEAN_VALUE, "number": proxy.UNKNOWN_NUMBER_VALUE, "string": proxy.UNKNOWN_STRING_VALUE,
    "array": proxy.UNKNOWN_ARRAY_VALUE, "asset": proxy.UNKNOWN_ASSET_VALUE, "archive": proxy.UNKNOWN_ARCHIVE_VALUE,
    "object": proxy.UNKNOWN_OBJECT_VALUE,
}
U = proxy.UNKNOWN_STRING_VALUE
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

M, A = "mandatory", "advisory"
ELB, ELB_A = ("tlsfence-elbv2-listener", M), ("tlsfence-elbv2-listener-advisory", A)
APIGW, APIGW_A = ("tlsfence-apigateway", M), ("tlsfence-apigateway-advisory", A)
CF, CF_A = ("tlsfence-cloudfront", M), ("tlsfence-cloudfront-advisory", A)
CF_DOMAIN = ("tlsfence-cloudfront-default-domain", M)
EB, EB_A = ("tlsfence-beanstalk", M), ("tlsfence-beanstalk-advisory", A)
CLASSIC, CLASSIC_POL_A = ("tlsfence-classic-elb", M), ("tlsfence-classic-elb-policy-advisory", A)
GCP_PROXY, SSLPOL, SSLPOL_A = ("tlsfence-gcp-proxy", M), ("tlsfence-gcp-ssl-policy", M), \
    ("tlsfence-gcp-ssl-policy-advisory", A)
RUN = ("tlsfence-serverless", M)
MANAGED, MANAGED_A = ("tlsfence-managed-endpoint", M), ("tlsfence-managed-endpoint-advisory", A)
JOIN, JOIN_A = ("tlsfence-stack-join", M), ("tlsfence-stack-join-advisory", A)

#: aws_mix, default config: name → diagnostics (policy, level); resources not listed must have none.
AWS_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "https-res": [JOIN_A], "https-absent": [ELB], "https-weak": [ELB], "https-late": [JOIN_A], "http-forward": [ELB],
    "tcp-pass": [ELB_A], "legacy-exempt": [ELB], "native-https": [ELB],
    "classic-default": [CLASSIC, JOIN], "classic-ref": [JOIN_A], "ref-policy": [CLASSIC_POL_A],
    "rest-domain": [APIGW_A], "rest-domain-pq": [APIGW_A], "rest-open": [APIGW], "http-api": [APIGW_A],
    "v2-domain": [APIGW_A], "cdn-default": [CF], "cdn-2021": [CF_A, CF_DOMAIN],
}
#: the same program as a first preview: the listener whose policy is computed fails closed.
AWS_PREVIEW_EXPECTED = {**AWS_EXPECTED, "https-late": [ELB]}
#: aws_families, default config: Elastic Beanstalk option settings and CloudFront cache behaviors.
FAMILIES_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "eb-weak": [EB], "eb-default": [EB], "eb-good": [EB_A], "eb-odd": [EB],
    "cdn-mixed": [CF, CF_A, CF_DOMAIN], "cdn-native": [CF, CF],
}
#: elbv2_joins, default config: listeners decided through their load balancer, certificates and rules.
ELBV2_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "alb-absent": [JOIN], "nlb-absent": [JOIN], "nlb-tcp": [ELB_A], "nlb-tls-weak": [ELB], "outside-absent": [JOIN],
    "odd-protocol": [ELB], "inner-forward": [ELB], "one-cert": [JOIN_A], "two-certs": [JOIN_A],
    "api-plain": [JOIN], "api-elsewhere": [JOIN],
}
#: at preview the late load balancer's type is unknown: its protocol-less listener fails closed.
ELBV2_PREVIEW_EXPECTED = {**ELBV2_EXPECTED, "late-absent": [JOIN]}
#: internet-facing-only: a listener's scheme is on its load balancer, so the stack policy reports every listener,
#: and drops the internal load balancer's plaintext listener (the join says it is internal).
ELBV2_IFO_EXPECTED = {k: [{ELB: JOIN, ELB_A: JOIN_A}.get(d, d) for d in v] for k, v in ELBV2_EXPECTED.items()
                      if k != "inner-forward"}
GCP_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "restricted": [SSLPOL_A], "weak": [SSLPOL], "absent": [SSLPOL], "run-open": [RUN], "run-exempt": [RUN],
    "proxy-none": [GCP_PROXY], "proxy-foreign": [JOIN], "http-plain": [JOIN], "proxy-restricted": [JOIN_A],
    "ssl-proxy": [JOIN],
}
K8S_ING, K8S_ING_A = ("tlsfence-k8s-ingress", M), ("tlsfence-k8s-ingress-advisory", A)
K8S_SVC, K8S_SVC_A = ("tlsfence-k8s-service", M), ("tlsfence-k8s-service-advisory", A)
K8S_GW, K8S_OPAQUE_A = ("tlsfence-k8s-gateway", M), ("tlsfence-k8s-opaque-advisory", A)
#: k8s_mix, default config. Ingresses naming an IngressClass or a FrontendConfig, IngressGroup members, Gateways and
#: Charts are decided with their joins, by the stack policy.
K8S_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "alb-strict": [K8S_ING_A], "alb-absent": [JOIN], "alb-weak": [K8S_ING], "alb-plain": [K8S_ING],
    "alb-made-up": [K8S_ING], "alb-bad-ports": [K8S_ING], "grp-strong": [JOIN], "grp-weak": [JOIN],
    "ok-https": [JOIN_A], "ok-http": [JOIN_A], "alb-params": [JOIN_A], "nginx-ing": [K8S_ING], "no-class": [JOIN],
    "svc-nlb": [K8S_SVC_A, K8S_SVC_A], "svc-nlb-default": [K8S_SVC, K8S_SVC_A], "svc-classic": [K8S_SVC, K8S_SVC],
    "svc-plain": [K8S_SVC_A, K8S_SVC_A], "gke-default": [K8S_ING, K8S_ING], "gke-foreign": [JOIN],
    "gke-internal": [K8S_ING], "gw-default": [JOIN], "gw-istio": [K8S_GW], "ingress-nginx": [K8S_OPAQUE_A],
    "podinfo": [JOIN_A], "alb-acm": [K8S_ING_A], "alb-late": [K8S_ING_A], "svc-acm": [K8S_SVC_A, K8S_SVC_A],
}
#: the same program as a first preview: the ssl-policy computed from another resource's output fails closed.
K8S_PREVIEW_EXPECTED = {**K8S_EXPECTED, "alb-late": [K8S_ING]}
#: managed_mix: every managed-endpoint / simple-setting family; the controls (not listed) must have none.
MANAGED_EXPECTED: dict[str, list[tuple[str, str]]] = {
    **{name: [MANAGED] for name in (
        "fn-url", "runner-public", "runner-domain", "graphql", "appsync-domain", "amplify-domain", "cognito-domain",
        "ls-container", "ls-lb", "search-weak", "iot-old", "lattice-http", "native-url", "native-search",
        "native-lattice", "future-type", "fn-v1-open", "fn-v1-secure", "gae", "gae-modern", "gae-domain", "hosting",
        "run-domain", "site")},
    "search-open": [MANAGED, MANAGED], "ga-listener": [MANAGED_A], "lattice-pass": [MANAGED_A],
    "ls-lb-plain": [MANAGED, JOIN], "native-ls-lb": [MANAGED, JOIN],  # HTTP :80 joined: no redirect in the stack
}
MANAGED_CONTROLS = ("runner-private", "graphql-private", "ls-container-off", "iot-disabled",
                    "fn-v1-internal", "gae-off", "site-redirect")
EXEMPTIONS = [{"name": "legacy-*", "reason": "retired in Q3, tracked in OPS-12"},
              {"urn": "*::run-exempt", "reason": "internal demo, no card data"}]


@cache
def recorded(program: str, preview: bool = False) -> tuple[WireResource, ...]:
    """A check program run under mocks in-process, as engine-encoded resources (cached per session)."""
    regs = run_project(load_project(PROGRAMS / program), preview=preview)
    return tuple(from_registrations(regs)[0])


def secret(value: Any) -> dict[str, Any]:
    """A secret as the engine marshals it with KeepSecrets."""
    return {SECRET[0]: SECRET[1], "value": value}


def wire(type_: str, name: str, inputs: dict[str, Any], outputs: dict[str, Any] | None = None,
         **kw: Any) -> WireResource:
    """A hand-made engine-encoded resource (URN in the real engine's shape)."""
    return WireResource(type=type_, name=name, urn=f"urn:pulumi:dev::cases::{type_}::{name}", inputs=inputs,
                        outputs=dict(inputs if outputs is None else outputs), **kw)


LISTENER = "aws:lb/listener:Listener"
GCP_POLICY, GCP_HTTPS = "gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
STRICT_FEATURES = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]


def sentinel_cases() -> list[WireResource]:
    """Real unknown sentinels and secrets in deciding and non-deciding properties."""
    cases = [wire(LISTENER, f"unknown-{kind}", {"protocol": "HTTPS", "port": 443, "sslPolicy": s})
             for kind, s in SENTINELS.items()]
    strict_pol = wire(GCP_POLICY, "joined-policy", {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2",
                                                     "customFeatures": STRICT_FEATURES},
                      {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": STRICT_FEATURES,
                       "selfLink": U})
    cases += [
        wire(LISTENER, "unknown-arns", {"protocol": "HTTPS", "port": 443, "sslPolicy": RES, "loadBalancerArn": U,
                                        "certificateArn": secret(U), "name": U, "tags": {"team": U}}),
        wire(LISTENER, "secret-weak", {"protocol": "HTTPS", "port": 443,
                                       "sslPolicy": secret("ELBSecurityPolicy-2016-08"),
                                       "certificateArn": secret("arn:aws:acm:us-east-1:1:certificate/x")}),
        wire(LISTENER, "actions-unknown", {"protocol": "HTTP", "port": 80, "defaultActions": SENTINELS["array"]}),
        wire(LISTENER, "redirect-unknown", {"protocol": "HTTP", "port": 80,
                                            "defaultActions": [{"type": "redirect", "redirect": SENTINELS["object"]}]}),
        wire("aws:cloudfront/distribution:Distribution", "cdn-unknown", {
            "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only"}, "viewerCertificate": {
            "acmCertificateArn": secret("arn:x"), "minimumProtocolVersion": U, "sslSupportMethod": "sni-only"}}),
        wire(GCP_POLICY, "features-unknown", {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2",
                                              "customFeatures": SENTINELS["array"], "__defaults": []}),
        wire("gcp:cloudrunv2/service:Service", "run-ingress-unknown", {"ingress": U, "defaultUriDisabled": True}),
        strict_pol,
        wire(GCP_HTTPS, "proxy-joined", {"sslPolicy": U, "urlMap": U}, property_dependencies={
            "sslPolicy": [strict_pol.urn], "urlMap": []}),
        wire(GCP_HTTPS, "proxy-unjoinable", {"sslPolicy": U, "urlMap": U}),
    ]
    return cases


#: sentinel_cases(): name → diagnostics.
SENTINEL_EXPECTED: dict[str, list[tuple[str, str]]] = {
    **{f"unknown-{kind}": [ELB] for kind in SENTINELS}, "unknown-arns": [JOIN_A], "secret-weak": [ELB],
    "actions-unknown": [ELB], "redirect-unknown": [ELB], "cdn-unknown": [CF, CF_DOMAIN], "features-unknown": [SSLPOL],
    "run-ingress-unknown": [RUN], "proxy-unjoinable": [JOIN],
}


def in_process(resources: Any, policy_config: dict[str, Any] | None = None) -> list[Diagnostic]:
    """The whole pack's servicer, configured like the CLI would, over ``resources`` (the engine's order)."""
    servicer = make_servicer()
    servicer.Configure(configure_request(policy_config), None)
    return evaluate(servicer, list(resources))


def by_name(diagnostics: list[Diagnostic], resources: Any) -> dict[str, list[tuple[str, str]]]:
    """Diagnostics grouped by resource name, as (policy, level) in the order returned."""
    names = {r.urn: r.name for r in resources}
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in diagnostics:
        out[names[d.urn]].append((d.policy, d.level))
    return dict(out)


#: gcp_lb: forwarding rules, HTTP proxies and URL-map routes (default config): name → diagnostics.
GCP_LB_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "weak": [SSLPOL], "proxy-none": [GCP_PROXY], "fr-nlb": [("tlsfence-gcp-proxy-advisory", A)],
    "fr-odd-scheme": [GCP_PROXY], "proxy-internal": [JOIN], "http-leaky": [JOIN], "fr-none": [JOIN],
    "fr-leaky": [JOIN], "fr-internal": [JOIN], "fr-foreign": [JOIN], "fr-pool": [JOIN_A],
}
#: the same with internet-facing-only: the internal forwarding rule and the proxy only it reaches drop out.
GCP_LB_FACING_EXPECTED = {k: v for k, v in GCP_LB_EXPECTED.items() if k not in ("fr-internal", "proxy-internal")}
GCP_RULE, GCP_URL_MAP = "gcp:compute/globalForwardingRule:GlobalForwardingRule", "gcp:compute/uRLMap:URLMap"


def lb_cases() -> list[WireResource]:
    """Forwarding-rule schemes and targets, URL-map flags: explicit, omitted, unknown, wrong type, odd spelling."""
    proxy = wire(GCP_HTTPS, "lb-proxy", {"urlMap": U})
    odd_map = wire(GCP_URL_MAP, "lb-map-string-flag", {"defaultUrlRedirect": {"httpsRedirect": "true"}})
    http = wire("gcp:compute/targetHttpProxy:TargetHttpProxy", "lb-http-string-flag", {"urlMap": U},
                property_dependencies={"urlMap": [odd_map.urn]})
    cases = [proxy, odd_map, http]
    for name, scheme in (("omitted", None), ("explicit", "EXTERNAL"), ("internal", "INTERNAL_MANAGED"),
                         ("unknown", U), ("wrong-type", ["EXTERNAL"]), ("odd-spelling", "External_Managed")):
        inputs = {"target": U, "portRange": "443"} | ({} if scheme is None else {"loadBalancingScheme": scheme})
        cases.append(wire(GCP_RULE, f"lb-scheme-{name}", inputs, property_dependencies={"target": [proxy.urn]}))
    cases += [
        wire(GCP_RULE, "lb-target-unknown", {"target": U}),
        wire(GCP_RULE, "lb-target-wrong-type", {"target": 443}),
        wire(GCP_RULE, "lb-target-none", {"portRange": "443"}),
    ]
    return cases


#: lb_cases(): name → diagnostics (lb-proxy has no SSL policy: the default is nonconforming).
LB_CASES_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "lb-proxy": [GCP_PROXY], "lb-http-string-flag": [JOIN],
    **{f"lb-scheme-{n}": [JOIN] for n in ("omitted", "explicit", "internal")},
    **{f"lb-scheme-{n}": [GCP_PROXY] for n in ("unknown", "wrong-type", "odd-spelling")},
    "lb-target-unknown": [JOIN], "lb-target-wrong-type": [JOIN], "lb-target-none": [GCP_PROXY],
}


def crash_cases() -> list[WireResource]:
    """Properties that make an analyzer raise, at the resource level or only in the stack pass (a join).

    ``clb-join`` is fine alone (its listener waits for the join) and raises only when the stack policy joins
    its ``SslNegotiationPolicy`` with ``lbPort: "abc"``; ``clb-fine`` beside it must still be decided.
    """
    def w(t: str, n: str, inputs: dict[str, Any]) -> WireResource:
        return wire(t, n, inputs)

    lb, neg = "aws:elb/loadBalancer:LoadBalancer", "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
    https = {"lbPort": 443, "lbProtocol": "HTTPS", "instancePort": 80, "instanceProtocol": "HTTP"}
    return [
        w("aws:lb/listener:Listener", "port-abc", {"port": "abc", "protocol": "HTTPS", "sslPolicy": RES}),
        w("aws:lb/listener:Listener", "actions-5", {"port": 80, "protocol": "HTTP", "defaultActions": [5]}),
        w(lb, "clb-empty-port", {"listeners": [{**https, "lbPort": ""}]}),
        w("aws:lb/listener:Listener", "port-list", {"port": [443], "protocol": "HTTPS", "sslPolicy": RES}),
        w(lb, "clb-join", {"name": "clb-join", "listeners": [https]}),
        w(neg, "neg-abc", {"loadBalancer": "clb-join", "lbPort": "abc", "attributes": []}),
        w(lb, "clb-fine", {"name": "clb-fine", "listeners": [https]}),
    ]


#: apigw_mappings: APIs on custom domains (default config): name → diagnostics.
APIGW_MAP_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "dom-pq": [APIGW_A], "v2-dom": [APIGW_A], "api-odd-type": [APIGW], "map-default": [JOIN],
    "map-http-enhanced": [JOIN], "map-foreign": [JOIN], "map-pq": [JOIN_A], "map-http": [JOIN_A], "map-ws": [JOIN_A],
    "rule-default": [JOIN],
}
BPM, V2_MAP = "aws:apigateway/basePathMapping:BasePathMapping", "aws:apigatewayv2/apiMapping:ApiMapping"


def mapping_cases() -> list[WireResource]:
    """Mappings whose API or domain is omitted, unknown, secret, wrongly typed or oddly spelt."""
    domain = wire("aws:apigateway/domainName:DomainName", "m-domain", {
        "domainName": "api.example.com", "securityPolicy": "TLS_1_2", "endpointConfiguration": {"types": "REGIONAL"}})
    odd_api = wire("aws:apigatewayv2/api:Api", "m-odd-api", {"protocolType": "Http",
                                                              "disableExecuteApiEndpoint": True})
    api = wire("aws:apigateway/restApi:RestApi", "m-api", {"securityPolicy": secret("TLS_1_2"),
                                                            "endpointConfiguration": {"types": "REGIONAL"},
                                                            "disableExecuteApiEndpoint": True})
    both = {"restApi": [api.urn], "domainName": [domain.urn]}
    return [
        domain, odd_api, api,
        wire(BPM, "m-secret-policy", {"restApi": U, "domainName": U}, property_dependencies=both),
        wire(BPM, "m-api-omitted", {"domainName": U}, property_dependencies={"domainName": [domain.urn]}),
        wire(BPM, "m-api-unknown", {"restApi": U, "domainName": U}, property_dependencies={"domainName": [
            domain.urn]}),
        wire(BPM, "m-api-wrong-type", {"restApi": 42, "domainName": U}, property_dependencies={"domainName": [
            domain.urn]}),
        wire(V2_MAP, "m-odd-protocol", {"apiId": U, "domainName": U}, property_dependencies={
            "apiId": [odd_api.urn], "domainName": [domain.urn]}),
    ]


#: mapping_cases(): name → diagnostics.
MAPPING_CASES_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "m-domain": [APIGW_A], "m-secret-policy": [JOIN_A], "m-api-omitted": [JOIN],
    "m-api-unknown": [JOIN], "m-api-wrong-type": [JOIN], "m-odd-protocol": [JOIN],
}
