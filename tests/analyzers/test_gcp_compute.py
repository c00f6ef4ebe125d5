"""Google Cloud SSL policies and target proxies."""

import pytest

from tests.analyzers.conftest import PROFILE, one, res
from tlsfence.analyzers import analyze_stack
from tlsfence.resources import UNKNOWN, Stack

POLICY, HTTPS = "gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
FOUR = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]


@pytest.mark.parametrize("token", [POLICY, "gcp:compute/regionSslPolicy:RegionSslPolicy"])
@pytest.mark.parametrize("props,verdict,excess", [
    ({"profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": FOUR}, "conforming", 0),
    ({"profile": "RESTRICTED", "minTlsVersion": "TLS_1_2"}, "conforming-with-excess", 2),
    ({"profile": "RESTRICTED", "minTlsVersion": "TLS_1_0"}, "conforming-with-excess", 2),
    ({"profile": "MODERN", "minTlsVersion": "TLS_1_2"}, "conforming-with-excess", 6),
    ({}, "nonconforming", 11),
    ({"profile": "CUSTOM", "minTlsVersion": "TLS_1_0", "customFeatures": [*FOUR, "TLS_RSA_WITH_AES_128_CBC_SHA"]},
     "nonconforming", 1),
    ({"profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": ["TLS_MADE_UP"]}, "unverifiable", 0),
    ({"profile": "FIPS_202205", "minTlsVersion": "TLS_1_2"}, "unverifiable", 0),
    ({"profile": UNKNOWN, "minTlsVersion": "TLS_1_2"}, "unverifiable", 0),
])
def test_ssl_policy(token, props, verdict, excess):
    e = one(res(token, props))
    assert e.decision.verdict.value == verdict, e.message()
    assert len(e.decision.excess) == excess


def test_proxy_without_policy_gets_the_default():
    e = one(res(HTTPS, {"urlMap": "m"}))
    assert e.setting.describe() == "sslPolicy=COMPATIBLE/TLS_1_0 (provider default)"
    assert e.decision.verdict.value == "nonconforming"
    assert "profile CUSTOM, minTlsVersion TLS_1_2" in e.tightest


@pytest.mark.parametrize("link", [UNKNOWN, "https://x/global/sslPolicies/strict"])
def test_proxy_joins_its_policy_by_dependency_or_value(link):
    pol = res(POLICY, {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": FOUR, "name": "strict"},
              name="strict")
    proxy = res(HTTPS, {"sslPolicy": link}, name="px",
                property_dependencies={"sslPolicy": (pol.urn,)} if link is UNKNOWN else {})
    found = {e.name: e for e in analyze_stack(Stack([pol, proxy]), PROFILE)}
    assert found["px"].decision.verdict.value == "conforming"
    assert found["px"].setting.via == "strict"


def test_unresolvable_policy_fails_closed_and_resource_view_defers():
    proxy = res(HTTPS, {"sslPolicy": UNKNOWN}, name="px")
    e = [e for e in analyze_stack(Stack([proxy]), PROFILE)][0]
    assert e.decision.verdict.value == "unverifiable" and not e.needs_join
    assert "unknown until deployed" in e.decision.reasons[0]
    assert one(proxy).needs_join


def test_http_proxy_redirect_and_tcp_proxy():
    redirect = res("gcp:compute/uRLMap:URLMap", {"defaultUrlRedirect": {"httpsRedirect": True}}, name="m")
    plain = res("gcp:compute/uRLMap:URLMap", {"defaultService": "svc"}, name="m2")
    ok = res("gcp:compute/targetHttpProxy:TargetHttpProxy", {"urlMap": UNKNOWN}, name="h1",
             property_dependencies={"urlMap": (redirect.urn,)})
    bad = res("gcp:compute/targetHttpProxy:TargetHttpProxy", {"urlMap": UNKNOWN}, name="h2",
              property_dependencies={"urlMap": (plain.urn,)})
    found = {e.name: e.decision.verdict.value for e in analyze_stack(Stack([redirect, plain, ok, bad]), PROFILE)}
    assert found["h1"] == "conforming" and found["h2"] == "nonconforming"
    assert one(res("gcp:compute/targetTCPProxy:TargetTCPProxy", {})).decision.verdict.value == "not-terminated"
