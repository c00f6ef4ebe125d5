"""ELBv2 listeners: explicit, omitted, unknown and non-TLS, for all three tokens."""

import pytest

from tests.analyzers.conftest import one, res
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
