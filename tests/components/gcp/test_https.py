"""tlsfence/components/gcp/https.py: the global and regional external Application Load Balancers."""

import pytest

from tests.components.helpers import CUSTOM, GCP_CONFIG, build, children_of, outputs, pack, verdicts
from tlsfence.components.gcp import (
    ComponentConfigError,
    GlobalHttpsLoadBalancer,
    HttpsLoadBalancer,
    HttpsLoadBalancerArgs,
    RegionalHttpsLoadBalancer,
    RegionalHttpsLoadBalancerArgs,
)

CONFORMING = ("conforming", (), "none")
SUITES = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-RSA-CHACHA20-POLY1305"]


def web(**kw):
    return HttpsLoadBalancer("web", HttpsLoadBalancerArgs(**{"backend_service": "projects/p/global/backendServices/b",
                                                            "domains": ["www.example.com"], **kw}))


def test_the_alias_is_the_global_class():
    assert HttpsLoadBalancer is GlobalHttpsLoadBalancer


def test_global_alb_is_conforming_everywhere():
    door, regs = build(lambda: web(), GCP_CONFIG)
    found = verdicts(regs)
    assert found[("gcp:compute/sSLPolicy:SSLPolicy", "web-tls")] == CONFORMING
    assert found[("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "web-https")] == CONFORMING
    assert found[("gcp:compute/targetHttpProxy:TargetHttpProxy", "web-http")] == CONFORMING
    assert outputs(door) == {"endpoint": "https://www.example.com", "setting": CUSTOM,
                             "protocols": ["TLSv1.2", "TLSv1.3"], "suites": SUITES, "verdict": "conforming",
                             "excess": []}
    rules = {r.inputs["portRange"]: r for r in regs if r.type.endswith("globalForwardingRule:GlobalForwardingRule")}
    assert sorted(rules) == ["443", "80"]
    assert {r.type for r in children_of(regs, "GlobalHttpsLoadBalancer")} >= {
        "gcp:compute/managedSslCertificate:ManagedSslCertificate", "gcp:compute/uRLMap:URLMap",
        "gcp:compute/globalAddress:GlobalAddress"}
    redirect = next(r for r in regs if r.name == "web-redirect")
    assert redirect.inputs["defaultUrlRedirect"]["httpsRedirect"] is True
    assert pack(regs, strict=True) == []


def test_without_redirect_there_is_no_port_80_at_all():
    _, regs = build(lambda: web(redirect_http=False, certificates=["projects/p/global/sslCertificates/c"],
                                domains=None), GCP_CONFIG)
    assert not [r for r in regs if r.type.endswith("TargetHttpProxy")]
    assert not [r for r in regs if r.type.endswith("ManagedSslCertificate")]


def test_regional_alb_is_conforming():
    door, regs = build(lambda: RegionalHttpsLoadBalancer("reg", RegionalHttpsLoadBalancerArgs(
        region="europe-west1", network="default", backend_service="b", certificates=["c"],
        domain="r.example.com")), GCP_CONFIG)
    found = verdicts(regs)
    assert found[("gcp:compute/regionSslPolicy:RegionSslPolicy", "reg-tls")] == CONFORMING
    assert found[("gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy", "reg-https")] == CONFORMING
    assert found[("gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy", "reg-http")] == CONFORMING
    assert outputs(door)["endpoint"] == "https://r.example.com"
    assert pack(regs, strict=True) == []


def test_modern_is_refused_with_the_conforming_setting():
    with pytest.raises(ComponentConfigError) as err:
        web(ssl_profile="MODERN")
    assert str(err.value) == (
        "GlobalHttpsLoadBalancer 'web': SSL policy MODERN/TLS_1_2 is conforming-with-excess (offers 6 suite(s) "
        "outside the allowed set: ECDHE-ECDSA-AES128-SHA, ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-ECDSA-AES256-SHA, "
        "ECDHE-RSA-AES128-SHA, ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-SHA) under profile "
        "partner-tls-2024-12-03; its excess goes beyond what the platform's tightest setting is forced to offer. "
        f"Conforming settings (best first): {CUSTOM} (tightest)")


@pytest.mark.parametrize(("kw", "message"), [
    ({"domains": None}, "give domains (Google-managed certificate) or certificates"),
    ({"load_balancing_scheme": "INTERNAL_MANAGED"}, "load_balancing_scheme 'INTERNAL_MANAGED' is not one of"),
    ({"backend_service": None}, "argument 'backend_service' is required"),
])
def test_unusable_inputs_are_refused(kw, message):
    with pytest.raises(ComponentConfigError) as err:
        web(**kw)
    assert message in str(err.value)


def test_regional_needs_certificates():
    with pytest.raises(ComponentConfigError, match="argument 'certificates' is required"):
        RegionalHttpsLoadBalancer("reg", RegionalHttpsLoadBalancerArgs(region="r", network="n", backend_service="b"))
