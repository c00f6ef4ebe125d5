"""ELBv2 listeners: explicit, omitted, unknown and non-TLS, for all three tokens."""

import json

import pytest

from tests.analyzers.conftest import PROFILE, one, res
from tlsfence.analyzers import analyze
from tlsfence.catalog import platform
from tlsfence.resources import UNKNOWN, Stack

TOKENS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws-native:elasticloadbalancingv2:Listener"]
REDIRECT = {"aws": {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}},
            "aws-native": {"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "statusCode": "HTTP_301"}}}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("props,verdict,setting,level", [
    ({"protocol": "HTTPS", "port": 443.0, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"},
     "conforming-with-excess", "sslPolicy=ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "advisory"),
    ({"protocol": "HTTPS", "port": 443.0}, "nonconforming",
     "sslPolicy=ELBSecurityPolicy-2016-08 (provider default)", "mandatory"),
    ({"protocol": "TLS", "port": 443.0, "sslPolicy": "ELBSecurityPolicy-TLS-1-0-2015-04"}, "nonconforming",
     "sslPolicy=ELBSecurityPolicy-TLS-1-0-2015-04", "mandatory"),
    ({"protocol": "HTTPS", "port": 443.0, "sslPolicy": UNKNOWN}, "unverifiable", "sslPolicy=<unknown>", "mandatory"),
    ({"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-CNSA2-2026-07"}, "unverifiable",
     "sslPolicy=ELBSecurityPolicy-CNSA2-2026-07", "mandatory"),
    ({"protocol": "HTTP", "port": 80.0, "defaultActions": [{"type": "forward", "targetGroupArn": "tg"}]},
     "nonconforming", "defaultActions=forward", "mandatory"),
    ({"protocol": "TCP", "port": 443.0}, "not-terminated", "protocol=TCP", "advisory"),
    ({"protocol": UNKNOWN, "port": 443.0}, "unverifiable", "protocol=<unknown>", "mandatory"),
])
def test_listener(token, props, verdict, setting, level):
    e = one(res(token, props))
    assert (e.decision.verdict.value, e.setting.describe(), e.level()) == (verdict, setting, level)
    assert e.family == "elbv2-listener"


@pytest.mark.parametrize("token", TOKENS)
def test_http_redirect_passes(token):
    action = REDIRECT["aws-native" if token.startswith("aws-native") else "aws"]
    e = one(res(token, {"protocol": "HTTP", "port": 80.0, "defaultActions": [action]}))
    assert e.decision.verdict.value == "conforming"
    assert e.exposure == "HTTP listener :80"


def test_redirect_to_http_or_unknown_action():
    bad = {"type": "redirect", "redirect": {"protocol": "HTTP", "port": "8080"}}
    assert one(res(TOKENS[0], {"protocol": "HTTP", "defaultActions": [bad]})).decision.verdict.value == \
        "nonconforming"
    assert one(res(TOKENS[0], {"protocol": "HTTP", "defaultActions": UNKNOWN})).decision.verdict.value == \
        "unverifiable"


def test_message_names_the_setting_the_verdict_and_the_fix():
    e = one(res(TOKENS[0], {"protocol": "HTTPS", "port": 443.0}, name="edge"))
    assert e.message() == (
        "HTTPS listener :443 of aws:lb/listener:Listener 'edge': sslPolicy=ELBSecurityPolicy-2016-08 (provider "
        "default) is nonconforming (accepts TLSv1.0, TLSv1.1 (below TLSv1.2)); use "
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06 instead")


def test_internet_facing_and_certificate_key_type_are_joined():
    lb = res("aws:lb/loadBalancer:LoadBalancer", {"internal": True, "arn": "arn:lb"}, name="lb")
    cert = res("aws:acm/certificate:Certificate", {"keyAlgorithm": "EC_prime256v1", "arn": "arn:cert"}, name="c")
    listener = res(TOKENS[0], {"protocol": "HTTPS", "loadBalancerArn": "arn:lb", "certificateArn": "arn:cert",
                               "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"})
    e = one(listener, Stack([lb, cert, listener]))
    assert e.internet_facing is False
    assert e.decision.excess == ("ECDHE-ECDSA-AES256-GCM-SHA384",)


LB = "aws:lb/loadBalancer:LoadBalancer"
NATIVE_LB = "aws-native:elasticloadbalancingv2:LoadBalancer"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
FWD = [{"type": "forward", "targetGroupArn": "tg"}]


def _joined(lb_props, listener_props, lb_token=LB, token=TOKENS[0]):
    lb = res(lb_token, {"arn": "arn:lb", "loadBalancerArn": "arn:lb", **lb_props}, name="lb")
    listener = res(token, {"loadBalancerArn": "arn:lb", "port": 443.0, "defaultActions": FWD, **listener_props})
    return one(listener, Stack([lb, listener])), one(listener)


# load balancer type x listener protocol present / absent / unknown / odd
@pytest.mark.parametrize(("lb_props", "listener_props", "verdict", "setting"), [
    ({}, {}, "nonconforming", "defaultActions=forward"),  # type omitted: application, protocol HTTP
    ({"loadBalancerType": "application"}, {}, "nonconforming", "defaultActions=forward"),
    ({"loadBalancerType": "application"}, {"protocol": "HTTPS", "sslPolicy": RES}, "conforming-with-excess",
     f"sslPolicy={RES}"),
    ({"loadBalancerType": "application"}, {"protocol": UNKNOWN}, "unverifiable", "protocol=<unknown>"),
    ({"loadBalancerType": "network"}, {}, "unverifiable", "protocol=<unknown>"),
    ({"loadBalancerType": "network"}, {"protocol": "TCP"}, "not-terminated", "protocol=TCP"),
    ({"loadBalancerType": "network"}, {"protocol": "TLS", "sslPolicy": RES}, "conforming-with-excess",
     f"sslPolicy={RES}"),
    ({"loadBalancerType": "network"}, {"protocol": "TCP_UDP"}, "not-terminated", "protocol=TCP_UDP"),
    ({"loadBalancerType": "gateway"}, {}, "conforming", "loadBalancerType=gateway (via lb)"),
    ({"loadBalancerType": UNKNOWN}, {}, "unverifiable", "protocol=<unknown>"),
    ({"loadBalancerType": "Gateway"}, {}, "unverifiable", "protocol=<unknown>"),  # exact case in the API enum
    ({"loadBalancerType": ["gateway"]}, {}, "unverifiable", "protocol=<unknown>"),
    ({"loadBalancerType": "gateway"}, {"protocol": "HTTP"}, "nonconforming", "defaultActions=forward"),
])
def test_listener_by_load_balancer_type(lb_props, listener_props, verdict, setting):
    joined, alone = _joined(lb_props, listener_props)
    assert (joined.decision.verdict.value, joined.setting.describe()) == (verdict, setting)
    if "protocol" not in listener_props:  # absent protocol: only the join decides, never HTTP on its own
        assert alone.needs_join and alone.decision.verdict.value == "unverifiable"
        assert "the load balancer's type decides" in alone.decision.reasons[0]


def test_gateway_listener_is_no_client_endpoint():
    joined, _ = _joined({"loadBalancerType": "gateway"}, {})
    assert joined.exposure == "gateway listener :443 (no client endpoint)" and joined.level() == "none"
    native, _ = _joined({"type": "gateway"}, {}, NATIVE_LB, TOKENS[2])
    assert native.exposure == "gateway listener :443 (no client endpoint)"


def test_missing_load_balancer_is_named():
    listener = res(TOKENS[0], {"loadBalancerArn": "arn:elsewhere", "defaultActions": FWD})
    e = one(listener, Stack([listener]))
    assert e.decision.unknown == ("protocol (not set, and its default depends on the load balancer named by "
                                  "loadBalancerArn (not in this stack))",)
    odd = _joined({"loadBalancerType": "Gateway"}, {})[0]
    assert odd.decision.unknown == ('protocol (not set, and its default depends on loadBalancerType="Gateway" (not '
                                    "one of application, network, gateway) of load balancer 'lb')",)


@pytest.mark.parametrize(("token", "protocol", "verdict"), [
    (TOKENS[0], "https", "conforming-with-excess"),  # the bridged provider folds case (StateFunc ToUpper)
    (TOKENS[1], "Https", "conforming-with-excess"),
    (TOKENS[2], "https", "unverifiable"),  # aws-native: the API's exact spelling
    (TOKENS[0], "HTTPS ", "unverifiable"),  # trailing space: never pass-through
    (TOKENS[0], " TCP", "unverifiable"),
    (TOKENS[0], 443.0, "unverifiable"),
    (TOKENS[0], ["HTTPS"], "unverifiable"),
    (TOKENS[0], "GENEVE", "unverifiable"),  # a target-group protocol, not a listener's
    (TOKENS[2], "QUIC", "not-terminated"),
])
def test_protocol_spelling(token, protocol, verdict):
    e = one(res(token, {"protocol": protocol, "sslPolicy": RES}))
    assert e.decision.verdict.value == verdict
    if verdict == "unverifiable":
        assert e.decision.unknown[0].startswith(f"protocol={json.dumps(protocol)} (not one of HTTP, HTTPS, TCP")


@pytest.mark.parametrize(("lb_props", "facing"), [
    ({}, True), ({"internal": False}, True), ({"internal": True}, False), ({"internal": "true"}, False),
    ({"internal": [False]}, None), ({"internal": "yes"}, None), ({"internal": 0}, None), ({"internal": UNKNOWN}, None),
    ({"scheme": "internal"}, False), ({"scheme": "internet-facing"}, True), ({"scheme": "Internal"}, None),
])
def test_internet_facing_from_the_load_balancer(lb_props, facing):
    joined, alone = _joined(lb_props, {"protocol": "HTTPS", "sslPolicy": RES})
    assert joined.internet_facing is facing
    assert alone.internet_facing is None and alone.joins_facing


@pytest.mark.parametrize(("actions", "verdict"), [
    ([{"type": "redirect", "redirect": {"protocol": "HTTPS"}}], "conforming"),
    ([{"type": "REDIRECT", "redirect": {"protocol": "HTTPS"}}], "conforming"),  # action type folds case
    ([{"type": "redirect", "redirect": {"protocol": "https"}}], "nonconforming"),  # redirect protocol is exact
    ([{"type": "redirect", "redirect": {}}], "nonconforming"),  # #{protocol}: stays HTTP
    ([{"type": "fixed-response"}], "nonconforming"),
    ([{"type": "redirect ", "redirect": {"protocol": "HTTPS"}}], "unverifiable"),
    ([{"type": 3}], "unverifiable"),
    (["redirect"], "unverifiable"),
    ([], "nonconforming"),
    ([UNKNOWN], "unverifiable"),
])
def test_http_default_actions(actions, verdict):
    assert one(res(TOKENS[0], {"protocol": "HTTP", "defaultActions": actions})).decision.verdict.value == verdict


def test_tls_listener_defers_only_what_a_certificate_could_change():
    excess = one(res(TOKENS[0], {"protocol": "HTTPS", "sslPolicy": RES, "certificateArn": "arn:c"}))
    weak = one(res(TOKENS[0], {"protocol": "HTTPS", "certificateArn": "arn:c"}))
    no_cert = one(res(TOKENS[0], {"protocol": "HTTPS", "sslPolicy": RES}))
    assert (excess.needs_join, weak.needs_join, no_cert.needs_join) == (True, False, False)


@pytest.mark.parametrize("name", sorted(platform("aws-elbv2").entries))
def test_a_certificate_never_changes_a_mandatory_verdict(name, profile):
    """Why a nonconforming/unverifiable TLS listener is reported before the join: narrowing cannot fix it."""
    plat = platform("aws-elbv2")
    wide = plat.decide(name, profile)
    if wide.verdict.value in ("nonconforming", "unverifiable"):
        for key_types in ({"RSA"}, {"ECDSA"}, {"RSA", "ECDSA"}):
            assert plat.decide(name, profile, frozenset(key_types)).verdict is wide.verdict


def _cert(name, algo=None, **props):
    return res("aws:acm/certificate:Certificate", {"arn": f"arn:{name}", **({"keyAlgorithm": algo} if algo else {}),
                                                   **props}, name=name)


def test_certificate_followed_through_its_validation_and_extra_certificates():
    rsa, ecdsa = _cert("rsa"), _cert("ecdsa", "EC_prime256v1")
    validation = res("aws:acm/certificateValidation:CertificateValidation", {"certificateArn": UNKNOWN},
                     name="v", property_dependencies={"certificateArn": (rsa.urn,)})
    listener = res(TOKENS[0], {"protocol": "HTTPS", "sslPolicy": RES, "certificateArn": UNKNOWN, "arn": "arn:l"},
                   name="l", property_dependencies={"certificateArn": (validation.urn,)})
    assert one(listener, Stack([rsa, validation, listener])).decision.excess == ("ECDHE-RSA-AES256-GCM-SHA384",)
    extra = res("aws:lb/listenerCertificate:ListenerCertificate",
                {"listenerArn": "arn:l", "certificateArn": "arn:ecdsa"}, name="x")
    both = one(listener, Stack([rsa, ecdsa, validation, listener, extra]))
    assert both.decision.excess == ("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384")
    foreign = res("aws:lb/listenerCertificate:ListenerCertificate", {"listenerArn": "arn:l", "certificateArn": "arn:z"},
                  name="z")
    assert len(one(listener, Stack([rsa, validation, listener, foreign])).decision.excess) == 2  # key type unknown
    assert analyze(extra, PROFILE, Stack([extra])) == []


def test_native_listener_certificates_list():
    ecdsa = _cert("ecdsa", "EC_secp384r1")
    listener = res(TOKENS[2], {"protocol": "HTTPS", "sslPolicy": RES,
                               "certificates": [{"certificateArn": "arn:ecdsa"}]})
    assert one(listener, Stack([ecdsa, listener])).decision.excess == ("ECDHE-ECDSA-AES256-GCM-SHA384",)
