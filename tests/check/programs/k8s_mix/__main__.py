"""ALB Ingresses (alone, grouped, with IngressClassParams), AWS LoadBalancer Services, GKE Ingresses with
FrontendConfigs and SSL policies, GKE Gateways with GCPGatewayPolicy and HTTPRoutes, and opaque Helm/YAML."""

import pulumi_aws as aws
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/partner"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
WEAK = "ELBSecurityPolicy-TLS-1-1-2017-01"
STRICT_FEATURES = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                   "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]
A = "alb.ingress.kubernetes.io/"
BOTH = '[{"HTTP": 80}, {"HTTPS": 443}]'
RULES = [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
                              "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]


def ingress(name, annotations, **spec):
    """An Ingress with the given annotations and spec fields."""
    return k8s.networking.v1.Ingress(name, metadata={"name": name, "annotations": annotations},
                                     spec={"rules": RULES, **spec})


def alb(name, annotations, **spec):
    """An ALB Ingress by the legacy class annotation."""
    return ingress(name, {"kubernetes.io/ingress.class": "alb", **annotations}, **spec)


# ALB Ingresses on their own
alb("alb-strict", {A + "listen-ports": BOTH, A + "ssl-redirect": "443", A + "ssl-policy": RES,
                   A + "certificate-arn": CERT, A + "scheme": "internet-facing"})
ingress("alb-absent", {A + "certificate-arn": CERT, A + "scheme": "internet-facing"}, ingressClassName="alb")
alb("alb-weak", {A + "certificate-arn": CERT, A + "ssl-policy": WEAK})
alb("alb-plain", {A + "scheme": "internet-facing"})
alb("alb-made-up", {A + "certificate-arn": CERT, A + "ssl-policy": "ELBSecurityPolicy-Made-Up"})
alb("alb-bad-ports", {A + "listen-ports": '[{"HTTPS": "443"}]', A + "certificate-arn": CERT})

# An ACM certificate of the stack (RSA: only the RSA excess suite is negotiable), its ARN unknown at preview; a policy
# computed from another resource's output is unknown at preview (unverifiable then, known on update)
acm = aws.acm.Certificate("api-cert", domain_name="api.example.com", validation_method="DNS")
alb("alb-acm", {A + "certificate-arn": acm.arn, A + "ssl-policy": RES, A + "scheme": "internet-facing"})
alb("alb-late", {A + "certificate-arn": CERT, A + "ssl-policy": acm.arn.apply(lambda _: RES)})

# An IngressGroup with one weak member: both members are judged by the weakest
alb("grp-strong", {A + "group.name": "shop", A + "ssl-policy": RES, A + "certificate-arn": CERT})
alb("grp-weak", {A + "group.name": "shop", A + "ssl-policy": WEAK, A + "certificate-arn": CERT})
# An IngressGroup whose ssl-redirect, set on one member, covers the other member's HTTP listener
alb("ok-https", {A + "group.name": "site", A + "listen-ports": BOTH, A + "ssl-redirect": "443", A + "ssl-policy": RES,
                 A + "certificate-arn": CERT})
alb("ok-http", {A + "group.name": "site", A + "listen-ports": '[{"HTTP": 80}]'})

# IngressClassParams win over the annotation
params = k8s.apiextensions.CustomResource("partner-params", api_version="elbv2.k8s.aws/v1beta1",
                                          kind="IngressClassParams", metadata={"name": "partner-params"},
                                          spec={"sslPolicy": RES, "scheme": "internet-facing"})
k8s.networking.v1.IngressClass("partner-alb", metadata={"name": "partner-alb"}, spec={
    "controller": "ingress.k8s.aws/alb",
    "parameters": {"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "partner-params"}})
ingress("alb-params", {A + "certificate-arn": CERT, A + "ssl-policy": WEAK}, ingressClassName="partner-alb")

# Other classes
ingress("nginx-ing", {"kubernetes.io/ingress.class": "nginx"})
ingress("no-class", {})

# AWS LoadBalancer Services
S = "service.beta.kubernetes.io/aws-load-balancer-"
PORTS = [{"name": "https", "port": 443, "targetPort": 8443}, {"name": "http", "port": 80, "targetPort": 8080}]


def service(name, annotations, **spec):
    """A LoadBalancer Service."""
    return k8s.core.v1.Service(name, metadata={"name": name, "annotations": annotations},
                               spec={"type": "LoadBalancer", "ports": PORTS, "selector": {"app": "api"}, **spec})


service("svc-nlb", {S + "type": "external", S + "ssl-cert": CERT, S + "ssl-ports": "443",
                    S + "ssl-negotiation-policy": RES, S + "scheme": "internet-facing"})
service("svc-nlb-default", {S + "type": "external", S + "ssl-cert": CERT, S + "ssl-ports": "https"})
service("svc-classic", {S + "ssl-cert": CERT, S + "ssl-ports": "443", S + "backend-protocol": "http"})
service("svc-plain", {})
service("svc-acm", {S + "type": "external", S + "ssl-cert": acm.arn, S + "ssl-ports": "443",
                    S + "ssl-negotiation-policy": RES})
k8s.core.v1.Service("svc-cluster", spec={"ports": PORTS, "selector": {"app": "api"}})

# GKE Ingresses, FrontendConfigs and SSL policies
strict = gcp.compute.SSLPolicy("gke-strict", name="gke-strict", profile="CUSTOM", min_tls_version="TLS_1_2",
                               custom_features=STRICT_FEATURES)
G = "networking.gke.io/v1beta1.FrontendConfig"


def frontend(name, **spec):
    """A FrontendConfig custom resource."""
    return k8s.apiextensions.CustomResource(name, api_version="networking.gke.io/v1beta1", kind="FrontendConfig",
                                            metadata={"name": name}, spec=spec)


frontend("fc-strict", sslPolicy=strict.name, redirectToHttps={"enabled": True})
frontend("fc-foreign", sslPolicy="shared-policy")
TLS = [{"hosts": ["api.example.com"], "secretName": "api-tls"}]
ingress("gke-ok", {"kubernetes.io/ingress.class": "gce", G: "fc-strict"}, tls=TLS)
ingress("gke-default", {"kubernetes.io/ingress.class": "gce"}, tls=TLS)
ingress("gke-foreign", {"kubernetes.io/ingress.class": "gce", G: "fc-foreign",
                        "kubernetes.io/ingress.allow-http": "false"}, tls=TLS)
ingress("gke-internal", {"kubernetes.io/ingress.class": "gce-internal"})

# GKE Gateways
gw = k8s.apiextensions.CustomResource("gw", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
                                      metadata={"name": "gw"}, spec={
                                          "gatewayClassName": "gke-l7-global-external-managed",
                                          "listeners": [{"name": "https", "protocol": "HTTPS", "port": 443,
                                                         "tls": {"certificateRefs": [{"name": "api-tls"}]}},
                                                        {"name": "http", "protocol": "HTTP", "port": 80}]})
k8s.apiextensions.CustomResource("gw-policy", api_version="networking.gke.io/v1", kind="GCPGatewayPolicy",
                                 metadata={"name": "gw-policy"}, spec={
                                     "default": {"sslPolicy": strict.name},
                                     "targetRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                                   "name": "gw"}})
k8s.apiextensions.CustomResource("gw-redirect", api_version="gateway.networking.k8s.io/v1", kind="HTTPRoute",
                                 metadata={"name": "gw-redirect"}, spec={
                                     "parentRefs": [{"name": "gw", "sectionName": "http"}],
                                     "rules": [{"filters": [{"type": "RequestRedirect",
                                                             "requestRedirect": {"scheme": "https"}}]}]})
k8s.apiextensions.CustomResource("gw-default", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
                                 metadata={"name": "gw-default"}, spec={
                                     "gatewayClassName": "gke-l7-regional-external-managed",
                                     "listeners": [{"name": "https", "protocol": "HTTPS", "port": 443}]})
k8s.apiextensions.CustomResource("gw-istio", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
                                 metadata={"name": "gw-istio"}, spec={
                                     "gatewayClassName": "istio",
                                     "listeners": [{"name": "https", "protocol": "HTTPS", "port": 443}]})

# What the pack cannot see into
k8s.helm.v3.Release("ingress-nginx", chart="ingress-nginx",
                    repository_opts={"repo": "https://kubernetes.github.io/ingress-nginx"})
k8s.helm.v4.Chart("podinfo", chart="oci://ghcr.io/stefanprodan/charts/podinfo")
