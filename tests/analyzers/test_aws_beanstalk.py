"""Elastic Beanstalk environments: the listeners their option settings create."""

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze
from tlsfence.resources import UNKNOWN, Stack

T = "aws:elasticbeanstalk/environment:Environment"
N = "aws-native:elasticbeanstalk:Environment"
ENV = "aws:elasticbeanstalk:environment"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"


def env(*settings, token=T, **props):
    if token == N:
        return res(N, {"optionSettings": [{"namespace": n, "optionName": k, "value": v} for n, k, v in settings],
                       **props})
    return res(T, {"settings": [{"namespace": n, "name": k, "value": v} for n, k, v in settings], **props})


def table(resource, stack=None):
    return {e.exposure: (e.decision.verdict.value, e.setting.describe()) for e in analyze(resource, PROFILE, stack)}


ALB = (ENV, "LoadBalancerType", "application")
NO_80 = ("aws:elbv2:listener:default", "ListenerEnabled", "false")
HTTPS_443 = ("aws:elbv2:listener:443", "Protocol", "HTTPS")


@pytest.mark.parametrize("token", [T, N])
@pytest.mark.parametrize(("settings", "expected"), [
    # omitted: classic load balancer, default listener :80 HTTP
    ((), {"HTTP listener :80 (classic load balancer)": (
        "nonconforming", "aws:elb:listener ListenerProtocol=HTTP")}),
    ((ALB,), {"HTTP listener :80 (application load balancer)": (
        "nonconforming", "aws:elbv2:listener:default Protocol=HTTP")}),
    ((ALB, NO_80, HTTPS_443, ("aws:elbv2:listener:443", "SSLPolicy", RES)), {
        "HTTPS listener :443 (application load balancer)": (
            "conforming-with-excess", f"aws:elbv2:listener:443 SSLPolicy={RES}")}),
    ((ALB, NO_80, HTTPS_443), {"HTTPS listener :443 (application load balancer)": (
        "nonconforming", "aws:elbv2:listener:443 SSLPolicy=ELBSecurityPolicy-2016-08 (provider default)")}),
    ((ALB, NO_80, HTTPS_443, ("aws:elbv2:listener:443", "SSLPolicy", "ELBSecurityPolicy-2016-08")), {
        "HTTPS listener :443 (application load balancer)": (
            "nonconforming", "aws:elbv2:listener:443 SSLPolicy=ELBSecurityPolicy-2016-08")}),
    ((ALB, ("aws:elbv2:listener:80", "ListenerEnabled", "false"), HTTPS_443,
      ("aws:elbv2:listener:443", "SSLPolicy", RES)), {"HTTPS listener :443 (application load balancer)": (
          "conforming-with-excess", f"aws:elbv2:listener:443 SSLPolicy={RES}")}),  # :80 is the default listener
    (((ENV, "LoadBalancerType", "network"), ("aws:elbv2:listener:default", "ListenerEnabled", "false"),
      ("aws:elbv2:listener:443", "ListenerEnabled", "true")), {
        "TCP listener :443 (network load balancer)": ("not-terminated", "aws:elbv2:listener:443 Protocol=TCP")}),
    (((ENV, "EnvironmentType", "SingleInstance"),), {"single instance (no load balancer)": (
        "unverifiable", f"{ENV} EnvironmentType=SingleInstance")}),
    # unknown, wrong type and odd spelling: unverifiable, never a pass
    ((ALB, NO_80, ("aws:elbv2:listener:443", "Protocol", "Https")), {"load balancer listeners": (
        "unverifiable", "settings=<unknown>")}),
    ((ALB, ("aws:elbv2:listener:default", "ListenerEnabled", "no")), {"load balancer listeners": (
        "unverifiable", "settings=<unknown>")}),
    (((ENV, "LoadBalancerType", "Application"),), {"load balancer listeners": ("unverifiable", "settings=<unknown>")}),
    ((ALB, ("aws:elbv2:listener:default", "ListenerEnabled", UNKNOWN)), {"load balancer listeners": (
        "unverifiable", "settings=<unknown>")}),
    ((ALB, (ENV, "LoadBalancerIsShared", "true")), {"load balancer listeners": (
        "unverifiable", "settings=<unknown>")}),
])
def test_environment(token, settings, expected):
    assert table(env(*settings, token=token)) == expected


def test_messages_name_the_option_and_value():
    [e] = analyze(env(ALB, NO_80, ("aws:elbv2:listener:443", "Protocol", "HTTPS ")), PROFILE)
    assert e.decision.unknown == ('aws:elbv2:listener:443 Protocol="HTTPS " (not one of HTTP, HTTPS)',)
    [e] = analyze(env(ALB, ("aws:elbv2:listener:default", "ListenerEnabled", ["false"])), PROFILE)
    assert e.decision.unknown == ('aws:elbv2:listener:default ListenerEnabled=["false"] (not a boolean)',)
    [e] = analyze(res(T, {"settings": UNKNOWN}), PROFILE)
    assert e.decision.unknown == ("settings (unknown until deployed)",)


CLASSIC_443 = ("aws:elb:listener:443", "ListenerProtocol", "HTTPS")


@pytest.mark.parametrize(("settings", "verdict", "setting"), [
    ((CLASSIC_443,), "nonconforming", "aws:elb:listener:443 policy=ELBSecurityPolicy-2016-08 (provider default)"),
    ((CLASSIC_443, ("aws:elb:listener:443", "PolicyNames", "tls12"),
      ("aws:elb:policies:tls12", "SSLReferencePolicy", "ELBSecurityPolicy-TLS-1-2-2017-01")),
     "conforming-with-excess", "aws:elb:listener:443 policy=tls12"),
    ((CLASSIC_443, ("aws:elb:policies:strict", "LoadBalancerPorts", "443"),
      ("aws:elb:policies:strict", "SSLProtocols", "Protocol-TLSv1.2,ECDHE-RSA-AES128-GCM-SHA256")),
     "conforming", "aws:elb:listener:443 policy=strict"),
    ((CLASSIC_443, ("aws:elb:policies:old", "LoadBalancerPorts", ":all"),
      ("aws:elb:policies:old", "SSLReferencePolicy", "ELBSecurityPolicy-2015-05")),
     "nonconforming", "aws:elb:listener:443 policy=old"),
    ((CLASSIC_443, ("aws:elb:policies:sticky", "LoadBalancerPorts", ":all"),
      ("aws:elb:policies:sticky", "CookieName", "x")),
     "nonconforming", "aws:elb:listener:443 policy=ELBSecurityPolicy-2016-08 (provider default)"),
])
def test_classic_listener_policies(settings, verdict, setting):
    found = table(env(("aws:elb:listener", "ListenerEnabled", "false"), *settings))
    assert found == {"HTTPS listener :443 (classic load balancer)": (verdict, setting)}


def test_deprecated_secure_listener_and_scheme():
    found = analyze(env(("aws:elb:loadbalancer", "LoadBalancerHTTPSPort", "443"),
                        ("aws:ec2:vpc", "ELBScheme", "internal")), PROFILE)
    assert [(e.exposure, e.internet_facing) for e in found] == [
        ("HTTP listener :80 (classic load balancer)", False), ("HTTPS listener :443 (classic load balancer)", False)]
    assert analyze(env(("aws:elb:loadbalancer", "LoadBalancerHTTPSPort", "444")), PROFILE)[0].decision.unknown == (
        'aws:elb:loadbalancer LoadBalancerHTTPSPort="444" (not one of OFF, 443, 8443)',)


def test_worker_tier_has_no_listener():
    assert analyze(res(T, {"tier": "Worker"}), PROFILE) == []
    assert analyze(res(N, {"tier": {"name": "Worker", "type": "SQS/HTTP"}}), PROFILE) == []


def test_configuration_template_is_joined():
    template = res("aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate", {"name": "base", "settings": [
        {"namespace": ENV, "name": "LoadBalancerType", "value": "application"},
        {"namespace": "aws:elbv2:listener:default", "name": "ListenerEnabled", "value": "false"}]}, name="base")
    environment = env(HTTPS_443, ("aws:elbv2:listener:443", "SSLPolicy", RES), templateName="base")
    alone = analyze(environment, PROFILE)
    assert alone[0].needs_join and alone[0].decision.verdict.value == "unverifiable"
    assert table(environment, Stack([template, environment])) == {
        "HTTPS listener :443 (application load balancer)": (
            "conforming-with-excess", f"aws:elbv2:listener:443 SSLPolicy={RES}")}
    orphan = table(environment, Stack([environment]))
    assert orphan == {"load balancer listeners": ("unverifiable", "settings=<unknown>")}


def test_acm_certificate_narrows_the_policy():
    cert = res("aws:acm/certificate:Certificate", {"arn": "arn:cert"}, name="c")
    environment = env(ALB, NO_80, HTTPS_443, ("aws:elbv2:listener:443", "SSLPolicy", RES),
                      ("aws:elbv2:listener:443", "SSLCertificateArns", "arn:cert"))
    [e] = analyze(environment, PROFILE, Stack([cert, environment]))
    assert e.decision.excess == ("ECDHE-RSA-AES256-GCM-SHA384",)
