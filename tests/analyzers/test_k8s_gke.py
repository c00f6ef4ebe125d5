"""GKE Ingress with FrontendConfig, GKE Gateway with GCPGatewayPolicy and HTTPRoutes, joined to SSL policies; and
the Helm/YAML resources the pack cannot see into."""

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze, analyze_stack
from tlsfence.resources import UNKNOWN, Stack

ING = "kubernetes:networking.k8s.io/v1:Ingress"
FC = "kubernetes:networking.gke.io/v1beta1:FrontendConfig"
GW = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
GWP = "kubernetes:networking.gke.io/v1:GCPGatewayPolicy"
ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"
POLICY, REGIONAL = "gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy"
KEY = "networking.gke.io/v1beta1.FrontendConfig"
FOUR = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]
STRICT = {"name": "strict", "profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": FOUR}
TLS = [{"hosts": ["api.example.com"], "secretName": "api-tls"}]
DEFAULT = "FrontendConfig spec.sslPolicy=COMPATIBLE/TLS_1_0 (provider default)"


def ingress(annotations, cls="gce", name="ing", **spec):
    return res(ING, {"metadata": {"name": name, "annotations": {"kubernetes.io/ingress.class": cls, **annotations}},
                     "spec": spec}, name=name)


def frontend(name="fc", **spec):
    return res(FC, {"metadata": {"name": name}, "spec": spec}, name=name)


def table(resources, name="ing"):
    return [(e.exposure, e.decision.verdict.value, e.setting.describe())
            for e in analyze_stack(Stack(resources), PROFILE) if e.name == name]


@pytest.mark.parametrize(("resources", "expected"), [
    # present: a CUSTOM policy joined by name, redirect on
    ([ingress({KEY: "fc"}, tls=TLS), frontend(sslPolicy="strict", redirectToHttps={"enabled": True}),
      res(POLICY, STRICT, name="strict")],
     [("GKE Ingress (gce) HTTPS :443", "conforming", "FrontendConfig spec.sslPolicy=CUSTOM/TLS_1_2[" + ", ".join(FOUR)
       + "] (via strict)"),
      ("GKE Ingress (gce) HTTP :80", "conforming", "FrontendConfig spec.redirectToHttps.enabled=true (via fc)")]),
    # absent: no FrontendConfig = the Google Cloud default, port 80 plaintext
    ([ingress({}, tls=TLS)],
     [("GKE Ingress (gce) HTTPS :443", "nonconforming", DEFAULT),
      ("GKE Ingress (gce) HTTP :80", "nonconforming",
       "FrontendConfig spec.redirectToHttps.enabled=false (provider default)")]),
    # weakened: RESTRICTED carries excess; HTTP closed
    ([ingress({KEY: "fc", "kubernetes.io/ingress.allow-http": "false"}, tls=TLS), frontend(sslPolicy="r"),
      res(POLICY, {"name": "r", "profile": "RESTRICTED", "minTlsVersion": "TLS_1_2"}, name="r")],
     [("GKE Ingress (gce) HTTPS :443", "conforming-with-excess", "FrontendConfig spec.sslPolicy=RESTRICTED/TLS_1_2 "
       "(via r)")]),
    # a policy that is not in the stack, a FrontendConfig that is not in the stack
    ([ingress({KEY: "fc", "kubernetes.io/ingress.allow-http": "false"}, tls=TLS), frontend(sslPolicy="shared")],
     [("GKE Ingress (gce) HTTPS :443", "unverifiable", "FrontendConfig spec.sslPolicy=shared")]),
    ([ingress({KEY: "missing"}, tls=TLS)], [("GKE Ingress", "unverifiable", "ingress=<unknown>")]),
    # regional external uses regional SSL policies
    ([ingress({KEY: "fc", "kubernetes.io/ingress.allow-http": "false"}, cls="gce-regional-external", tls=TLS),
      frontend(sslPolicy="strict"), res(REGIONAL, STRICT, name="strict")],
     [("GKE Ingress (gce-regional-external) HTTPS :443", "conforming", "FrontendConfig spec.sslPolicy=CUSTOM/TLS_1_2["
       + ", ".join(FOUR) + "] (via strict)")]),
    # internal: no redirect and no FrontendConfig SSL policy
    ([ingress({KEY: "fc"}, cls="gce-internal", tls=TLS), frontend(sslPolicy="strict", redirectToHttps={
        "enabled": True}), res(POLICY, STRICT, name="strict")],
     [("GKE Ingress (gce-internal) HTTPS :443", "unverifiable", "FrontendConfig spec.sslPolicy=strict"),
      ("GKE Ingress (gce-internal) HTTP :80", "unverifiable", "FrontendConfig spec.redirectToHttps.enabled=true")]),
    # wrong type / odd spelling
    ([ingress({KEY: "fc"}, tls=TLS), frontend(redirectToHttps={"enabled": "true"})],
     [("GKE Ingress (gce) HTTPS :443", "nonconforming", DEFAULT),
      ("GKE Ingress (gce) HTTP :80", "unverifiable", "FrontendConfig spec.redirectToHttps.enabled=true")]),
    ([ingress({"kubernetes.io/ingress.allow-http": "no"}, tls=TLS)],
     [("GKE Ingress", "unverifiable", "ingress=<unknown>")]),
])
def test_gke_ingress(resources, expected):
    assert table(resources) == expected


def test_frontend_config_joined_by_dependency_when_its_name_is_unknown():
    fc = frontend(name="fc-x", sslPolicy=UNKNOWN)
    pol = res(POLICY, STRICT, name="strict")
    fc = res(FC, fc.props, name="fc-x", property_dependencies={"spec": (pol.urn,)})
    ing = res(ING, {"metadata": {"annotations": {"kubernetes.io/ingress.class": "gce", KEY: UNKNOWN,
                                                 "kubernetes.io/ingress.allow-http": "false"}}, "spec": {"tls": TLS}},
              name="ing", property_dependencies={"metadata": (fc.urn,)})
    assert table([ing, fc, pol])[0][1] == "conforming"
    alone = analyze(ing, PROFILE)
    assert [e.needs_join for e in alone] == [True]


def gateway(name="gw", cls="gke-l7-global-external-managed", listeners=None):
    return res(GW, {"metadata": {"name": name}, "spec": {"gatewayClassName": cls, "listeners": listeners or [
        {"name": "https", "protocol": "HTTPS", "port": 443}, {"name": "http", "protocol": "HTTP", "port": 80}]}},
        name=name)


def gw_policy(ssl="strict", target="gw"):
    return res(GWP, {"metadata": {"name": "p"}, "spec": {"default": {"sslPolicy": ssl}, "targetRef": {
        "group": "gateway.networking.k8s.io", "kind": "Gateway", "name": target}}}, name="p")


def route(filters, section="http"):
    return res(ROUTE, {"metadata": {"name": "rt"}, "spec": {"parentRefs": [{"name": "gw", "sectionName": section}],
                                                            "rules": [{"filters": filters}]}}, name="rt")


REDIRECT = [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]


@pytest.mark.parametrize(("resources", "expected"), [
    ([gateway(), gw_policy(), res(POLICY, STRICT, name="strict"), route(REDIRECT)],
     ["conforming", "conforming"]),
    ([gateway()], ["nonconforming", "nonconforming"]),  # default SSL policy, no redirect route
    ([gateway(), gw_policy(target="other"), route([{"type": "URLRewrite"}])], ["nonconforming", "nonconforming"]),
    ([gateway(), gw_policy(ssl="foreign"), route(REDIRECT, section="https")], ["unverifiable", "nonconforming"]),
    ([gateway(cls="gke-l7-rilb"), gw_policy(), res(REGIONAL, STRICT, name="strict"), route(REDIRECT)],
     ["conforming", "conforming"]),
    ([gateway(cls="gke-l7-rilb"), gw_policy(), res(POLICY, STRICT, name="strict")],  # a global policy: not found
     ["unverifiable", "nonconforming"]),
    ([gateway(listeners=[{"name": "tls", "protocol": "TLS", "port": 443}])], ["unverifiable"]),
    ([gateway(cls="istio")], ["unverifiable"]),
    ([gateway(cls=UNKNOWN)], ["unverifiable"]),
])
def test_gke_gateway(resources, expected):
    assert [v for _, v, _ in table(resources, "gw")] == expected


def test_gateway_waits_for_the_stack_and_internal_classes_are_not_internet_facing():
    assert [e.needs_join for e in analyze(gateway(), PROFILE)] == [True]
    found = analyze_stack(Stack([gateway(cls="gke-l7-rilb")]), PROFILE)
    assert {e.internet_facing for e in found} == {False}


RELEASE, CHART = "kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"


def test_helm_release_is_advisory_always_and_charts_unless_their_children_reached_the_pack():
    rel = analyze(res(RELEASE, {"chart": "nginx"}), PROFILE)
    assert [(e.family, e.level(), e.decision.verdict.value) for e in rel] == [("k8s-opaque", "advisory",
                                                                               "not-terminated")]
    assert "cannot see into a Helm Release" in rel[0].message()
    chart = res(CHART, {"chart": "podinfo"}, name="podinfo")
    assert [e.level() for e in analyze_stack(Stack([chart]), PROFILE)] == ["advisory"]
    child = res(ING, {"metadata": {"annotations": {"kubernetes.io/ingress.class": "gce"}}}, name="child",
                parent=chart.urn)
    assert [e.name for e in analyze_stack(Stack([chart, child]), PROFILE)] == ["child"]  # its HTTP :80 only
    assert [e.needs_join for e in analyze(chart, PROFILE)] == [True]
