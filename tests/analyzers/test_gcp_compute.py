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


URL_MAP, HTTP = "gcp:compute/uRLMap:URLMap", "gcp:compute/targetHttpProxy:TargetHttpProxy"
GLOBAL_RULE, RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule", "gcp:compute/forwardingRule:ForwardingRule"
TO_HTTPS = {"httpsRedirect": True}
PLAIN_MATCHER = {"name": "api", "defaultUrlRedirect": TO_HTTPS, "pathRules": [{"paths": ["/api/*"], "service": "be"}]}


def _http_verdict(url_map_props: dict, token: str = HTTP) -> tuple[str, str]:
    url_map = res(URL_MAP, url_map_props, name="m")
    proxy = res(token, {"urlMap": UNKNOWN}, name="h", property_dependencies={"urlMap": (url_map.urn,)})
    e = next(e for e in analyze_stack(Stack([url_map, proxy]), PROFILE) if e.name == "h")
    return e.decision.verdict.value, e.message()


@pytest.mark.parametrize("token", [HTTP, "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy"])
@pytest.mark.parametrize("props,verdict,says", [
    ({"defaultUrlRedirect": TO_HTTPS}, "conforming", "urlMap.defaultUrlRedirect.httpsRedirect=true (via m)"),
    ({"defaultUrlRedirect": {**TO_HTTPS, "stripQuery": False}, "hostRules": [{"hosts": ["*"], "pathMatcher": "r"}],
      "pathMatchers": [{"name": "r", "defaultUrlRedirect": TO_HTTPS,
                        "pathRules": [{"paths": ["/x"], "urlRedirect": TO_HTTPS}]}]}, "conforming", "only redirects"),
    ({"defaultService": "be"}, "nonconforming", "defaultService routes plaintext HTTP to a backend"),
    ({}, "nonconforming", "urlMap.defaultUrlRedirect=absent"),
    ({"defaultUrlRedirect": {"hostRedirect": "example.com"}}, "nonconforming", "redirects without httpsRedirect"),
    ({"defaultUrlRedirect": {"httpsRedirect": False}}, "nonconforming", "httpsRedirect=false (via m)"),
    ({"defaultUrlRedirect": TO_HTTPS, "pathMatchers": [PLAIN_MATCHER]}, "nonconforming",
     "urlMap.pathMatchers[0].pathRules[0].service=be (via m)"),
    ({"defaultUrlRedirect": TO_HTTPS, "pathMatchers": [{"name": "a", "defaultService": "be"}]}, "nonconforming",
     "pathMatchers[0].defaultService routes plaintext HTTP"),
    ({"defaultUrlRedirect": TO_HTTPS, "pathMatchers": [{"name": "a", "defaultUrlRedirect": TO_HTTPS,
                                                         "routeRules": [{"priority": 1, "routeAction": {}}]}]},
     "nonconforming", "pathMatchers[0].routeRules[0].routeAction routes plaintext HTTP"),
    ({"defaultUrlRedirect": UNKNOWN}, "unverifiable", "defaultUrlRedirect (unknown until deployed)"),
    ({"defaultUrlRedirect": {"httpsRedirect": UNKNOWN}}, "unverifiable", "unknown until deployed"),
    ({"defaultUrlRedirect": {"httpsRedirect": "true"}}, "unverifiable", "httpsRedirect='true' (not a boolean)"),
    ({"defaultUrlRedirect": {"httpsRedirect": [True]}}, "unverifiable", "(not a boolean)"),
    ({"defaultUrlRedirect": "https"}, "unverifiable", "defaultUrlRedirect (not an object: str)"),
    ({"defaultUrlRedirect": TO_HTTPS, "pathMatchers": UNKNOWN}, "unverifiable", "pathMatchers (unknown until"),
    ({"defaultUrlRedirect": TO_HTTPS, "pathMatchers": {"name": "a"}}, "unverifiable", "pathMatchers (not a list"),
])
def test_http_proxy_is_plaintext_unless_every_route_redirects(token, props, verdict, says):
    got, message = _http_verdict(props, token)
    assert got == verdict, message
    assert says in message


def _rule(token: str, props: dict, *targets, dep: bool = True):
    rule = res(token, props, name="fr",
               property_dependencies={"target": tuple(t.urn for t in targets)} if dep and targets else {})
    found = [e for e in analyze_stack(Stack([*targets, rule]), PROFILE) if e.name == "fr"]
    assert len(found) == 1, found
    return found[0]


STRICT_POLICY = {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2", "customFeatures": FOUR}


@pytest.mark.parametrize("token", [GLOBAL_RULE, RULE])
@pytest.mark.parametrize("scheme,facing,verdict", [
    (None, True, "conforming"),
    ("EXTERNAL", True, "conforming"),
    ("EXTERNAL_MANAGED", True, "conforming"),
    ("INTERNAL_MANAGED", False, "conforming"),
    ("INTERNAL_SELF_MANAGED", False, "conforming"),
    (UNKNOWN, None, "unverifiable"),
    ("external_managed", None, "unverifiable"),
    ("EXTERNAL ", None, "unverifiable"),
    ("", None, "unverifiable"),
    (["EXTERNAL"], None, "unverifiable"),
])
def test_forwarding_rule_carries_the_proxy_verdict_and_scheme(token, scheme, facing, verdict):
    pol = res(POLICY, STRICT_POLICY, name="strict")
    proxy = res(HTTPS, {"sslPolicy": UNKNOWN}, name="px", property_dependencies={"sslPolicy": (pol.urn,)})
    props = {"target": UNKNOWN, "portRange": "443"} | ({} if scheme is None else {"loadBalancingScheme": scheme})
    e = _rule(token, props, pol, proxy)
    assert e.decision.verdict.value == verdict, e.message()
    assert e.internet_facing is facing
    if verdict == "unverifiable":
        assert e.message().startswith("forwarding rule :443 of ")
        assert "cannot determine loadBalancingScheme" in e.message()
    else:
        assert e.exposure == f"HTTPS/SSL forwarding rule :443 ({'internet-facing' if facing else 'internal'})"
        assert e.setting.describe().startswith("target.sslPolicy=CUSTOM/TLS_1_2") and e.setting.via == "px"


def test_forwarding_rule_to_a_weak_or_unresolvable_proxy():
    proxy = res(HTTPS, {}, name="px")
    e = _rule(GLOBAL_RULE, {"target": UNKNOWN, "portRange": 443.0}, proxy)
    assert e.decision.verdict.value == "nonconforming"
    assert e.exposure == "HTTPS/SSL forwarding rule :443 (internet-facing)"
    assert e.setting.describe() == "target.sslPolicy=COMPATIBLE/TLS_1_0 (via px)"
    assert "profile CUSTOM, minTlsVersion TLS_1_2" in e.tightest
    late = res(HTTPS, {"sslPolicy": UNKNOWN}, name="late")
    assert _rule(GLOBAL_RULE, {"target": UNKNOWN}, late).decision.verdict.value == "unverifiable"


@pytest.mark.parametrize("props,targets,verdict,says", [
    ({"target": UNKNOWN}, "redirect", "conforming", "target.urlMap.defaultUrlRedirect.httpsRedirect=true (via h)"),
    ({"target": UNKNOWN}, "plain", "nonconforming", "serves plaintext HTTP"),
    ({"target": UNKNOWN}, "tcp", "not-terminated", "TCP proxy"),
    ({"target": UNKNOWN}, "pool", "not-terminated", "target pool"),
    ({"backendService": "projects/p/regions/r/backendServices/be"}, "", "not-terminated", "backend service"),
    ({"target": "projects/p/regions/r/targetPools/pool"}, "", "not-terminated", "target pool"),
    ({"target": "all-apis", "loadBalancingScheme": "EXTERNAL"}, "", "not-terminated", "Private Service Connect"),
    ({"target": "projects/p/global/targetHttpsProxies/elsewhere"}, "", "unverifiable", "not a target proxy in this"),
    ({"target": "projects/p/global/targetGrpcProxies/g"}, "", "unverifiable", "not a target tlsfence knows"),
    ({"target": UNKNOWN}, "", "unverifiable", "unknown until deployed"),
    ({"target": 7}, "", "unverifiable", "not a target tlsfence knows"),
    ({}, "", "unverifiable", "neither target nor backendService"),
])
def test_forwarding_rule_targets(props, targets, verdict, says):
    redirect = res(URL_MAP, {"defaultUrlRedirect": TO_HTTPS}, name="m1")
    plain = res(URL_MAP, {"defaultService": "be"}, name="m2")
    def http(url_map):
        return [url_map, res(HTTP, {"urlMap": UNKNOWN}, name="h", property_dependencies={"urlMap": (url_map.urn,)})]

    pick = {
        "redirect": http(redirect),
        "plain": http(plain),
        "tcp": [res("gcp:compute/targetTCPProxy:TargetTCPProxy", {}, name="t")],
        "pool": [res("gcp:compute/targetPool:TargetPool", {}, name="p")],
        "": [],
    }[targets]
    e = _rule(RULE, props, *pick, dep=bool(pick))
    assert e.decision.verdict.value == verdict, e.message()
    assert says in e.message()


def test_forwarding_rule_alone_defers_to_the_stack_and_proxy_learns_its_scheme():
    pol = res(POLICY, STRICT_POLICY, name="strict")
    proxy = res(HTTPS, {}, name="px")
    alone = one(res(GLOBAL_RULE, {"target": UNKNOWN}))
    assert alone.needs_join and alone.decision.verdict.value == "unverifiable"
    assert not one(res(RULE, {"backendService": "be"})).needs_join
    internal = res(GLOBAL_RULE, {"target": UNKNOWN, "loadBalancingScheme": "INTERNAL_MANAGED"}, name="in",
                   property_dependencies={"target": (proxy.urn,)})
    external = res(GLOBAL_RULE, {"target": UNKNOWN}, name="out", property_dependencies={"target": (proxy.urn,)})
    facing = {e.name: e.internet_facing for e in analyze_stack(Stack([pol, proxy, internal]), PROFILE)}
    assert facing["px"] is False and facing["in"] is False
    facing = {e.name: e.internet_facing for e in analyze_stack(Stack([pol, proxy, internal, external]), PROFILE)}
    assert facing["px"] is True
    assert one(proxy).internet_facing is None
