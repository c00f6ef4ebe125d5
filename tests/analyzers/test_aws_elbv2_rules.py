"""ELBv2 listener rules (joined to their listener) and listener certificates."""

import pytest

from tests.analyzers.conftest import PROFILE, one, res
from tlsfence.analyzers import analyze
from tlsfence.resources import UNKNOWN, Stack

RULES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule",
         "aws-native:elasticloadbalancingv2:ListenerRule"]
LISTENER = "aws:lb/listener:Listener"
FWD = [{"type": "forward", "targetGroupArn": "tg"}]
TO_HTTPS = [{"type": "redirect", "redirect": {"protocol": "HTTPS", "statusCode": "HTTP_301"}}]
TO_HTTPS_NATIVE = [{"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "statusCode": "HTTP_301"}}]


def _listener(**props):
    return res(LISTENER, {"arn": "arn:l", "port": 80.0, "defaultActions": TO_HTTPS, **props}, name="front")


@pytest.mark.parametrize("token", RULES)
@pytest.mark.parametrize(("listener", "actions", "verdict", "setting"), [
    ({"protocol": "HTTP"}, FWD, "nonconforming", "listenerArn=HTTP listener (via front)"),
    ({"protocol": "HTTP"}, [{"type": "fixed-response"}], "nonconforming", "listenerArn=HTTP listener (via front)"),
    ({"protocol": "HTTP"}, [{"type": "authenticate-cognito"}, *FWD], "nonconforming",
     "listenerArn=HTTP listener (via front)"),
    ({"protocol": "HTTPS"}, FWD, "conforming", "listenerArn=HTTPS listener (via front)"),
    ({"protocol": "TCP"}, FWD, "unverifiable", "listenerArn=TCP listener (via front)"),
    ({"protocol": UNKNOWN}, FWD, "unverifiable", "listenerArn=<unknown>"),
    ({"protocol": "HTTP"}, "redirect", "conforming", "actions=redirect"),
    ({"protocol": "HTTP"}, UNKNOWN, "unverifiable", "actions=<unknown>"),
    ({"protocol": "HTTP"}, [{"type": "forwards"}], "unverifiable", "actions=<unknown>"),
])
def test_rule_on_its_listener(token, listener, actions, verdict, setting):
    if actions == "redirect":
        actions = TO_HTTPS_NATIVE if token.startswith("aws-native") else TO_HTTPS
    lst = _listener(**listener)
    rule = res(token, {"listenerArn": "arn:l", "priority": 10.0, "actions": actions})
    e = one(rule, Stack([lst, rule]))
    assert (e.decision.verdict.value, e.setting.describe(), e.family) == (verdict, setting, "elbv2-listener-rule")
    assert e.exposure == "listener rule (priority 10)"


def test_rule_alone_is_left_to_the_join_unless_it_only_redirects():
    alone = one(res(RULES[0], {"listenerArn": "arn:l", "actions": FWD}))
    assert alone.needs_join and alone.decision.verdict.value == "unverifiable"
    redirect = one(res(RULES[0], {"listenerArn": "arn:l", "actions": TO_HTTPS}))
    assert not redirect.needs_join and redirect.level() == "none"


def test_rule_joined_by_dependency_and_missing_listener():
    lst = _listener(protocol="HTTP")
    rule = res(RULES[0], {"listenerArn": UNKNOWN, "actions": FWD}, property_dependencies={"listenerArn": (lst.urn,)})
    assert one(rule, Stack([lst, rule])).decision.verdict.value == "nonconforming"
    orphan = res(RULES[0], {"listenerArn": "arn:other", "actions": FWD})
    e = one(orphan, Stack([lst, orphan]))
    assert e.decision.unknown == ("the listener named by listenerArn (not in this stack): a rule that forwards serves "
                                  "plaintext HTTP on an HTTP listener",)


def test_rule_on_a_protocol_less_listener_follows_the_load_balancer():
    lb = res("aws:lb/loadBalancer:LoadBalancer", {"arn": "arn:lb"}, name="lb")
    lst = res(LISTENER, {"arn": "arn:l", "loadBalancerArn": "arn:lb", "defaultActions": TO_HTTPS}, name="front")
    rule = res(RULES[1], {"listenerArn": "arn:l", "actions": FWD})
    e = one(rule, Stack([lb, lst, rule]))
    assert e.decision.verdict.value == "nonconforming" and e.internet_facing is True


@pytest.mark.parametrize("token", ["aws:lb/listenerCertificate:ListenerCertificate",
                                   "aws:alb/listenerCertificate:ListenerCertificate",
                                   "aws-native:elasticloadbalancingv2:ListenerCertificate"])
def test_listener_certificate_has_no_exposure_of_its_own(token):
    cert = res(token, {"listenerArn": "arn:l", "certificateArn": "arn:c"})
    assert analyze(cert, PROFILE) == [] and analyze(cert, PROFILE, Stack([cert])) == []
