"""Classic ELB listeners joined to their policies."""

from tests.analyzers.conftest import PROFILE, one, res
from tlsfence.analyzers import analyze, analyze_stack
from tlsfence.resources import UNKNOWN, Stack

LB, NEG = "aws:elb/loadBalancer:LoadBalancer", "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
POL, ATT = "aws:elb/loadBalancerPolicy:LoadBalancerPolicy", "aws:elb/listenerPolicy:ListenerPolicy"
STRICT = [("Protocol-TLSv1.2", "true"), ("Protocol-TLSv1.1", "false"), ("Protocol-TLSv1", "false"),
          ("Protocol-SSLv3", "false"), ("ECDHE-ECDSA-AES128-GCM-SHA256", "true"),
          ("ECDHE-RSA-AES128-GCM-SHA256", "true"), ("ECDHE-ECDSA-AES128-SHA256", "true"),
          ("ECDHE-RSA-AES128-SHA256", "true"), ("ECDHE-RSA-AES256-SHA384", "false")]


def lb(listeners=None):
    return res(LB, {"name": "web", "listeners": listeners or [
        {"lbPort": 443.0, "lbProtocol": "https", "instancePort": 80.0, "instanceProtocol": "http"}]}, name="web")


def policy(attrs, name="strict"):
    return res(POL, {"loadBalancerName": "web", "policyName": name, "policyTypeName": "SSLNegotiationPolicyType",
                     "policyAttributes": [{"name": k, "value": v} for k, v in attrs]}, name=name)


def attach(names, port=443.0):
    return res(ATT, {"loadBalancerName": "web", "loadBalancerPort": port, "policyNames": names}, name="attach")


def listener_verdict(*resources):
    found = [e for e in analyze_stack(Stack(resources), PROFILE) if e.type == LB]
    assert len(found) == 1
    return found[0]


def test_exact_custom_policy_is_strictly_conforming():
    e = listener_verdict(lb(), policy(STRICT), attach(["strict"]))
    assert e.decision.verdict.value == "conforming"
    assert e.setting.origin.value == "joined"
    assert e.decision.suites == ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
                                 "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256")


def test_no_policy_means_the_2016_08_default():
    e = listener_verdict(lb())
    assert e.decision.verdict.value == "nonconforming"
    assert e.setting.describe() == "listener :443 policy=ELBSecurityPolicy-2016-08 (provider default)"


def test_weak_policy_and_ssl_negotiation_policy_resource():
    weak = [("Protocol-TLSv1", "true"), ("Protocol-TLSv1.2", "true"), ("ECDHE-RSA-AES128-SHA", "true")]
    assert listener_verdict(lb(), policy(weak, "weak"), attach(["weak"])).decision.verdict.value == "nonconforming"
    neg = res(NEG, {"name": "neg", "loadBalancer": "web", "lbPort": 443.0,
                    "attributes": [{"name": k, "value": v} for k, v in STRICT]}, name="neg")
    assert listener_verdict(lb(), neg).decision.verdict.value == "conforming"


def test_reference_policy_and_unknowns():
    ref = policy([("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01")], "ref")
    e = listener_verdict(lb(), ref, attach(["ref"]))
    assert (e.decision.verdict.value, len(e.decision.excess)) == ("conforming-with-excess", 8)
    unknown = res(ATT, {"loadBalancerName": "web", "loadBalancerPort": 443.0, "policyNames": UNKNOWN}, name="a")
    assert listener_verdict(lb(), unknown).decision.verdict.value == "unverifiable"
    chacha = policy([*STRICT, ("ECDHE-RSA-CHACHA20-POLY1305", "true")], "c")
    assert "AWS rejects it" in listener_verdict(lb(), chacha, attach(["c"])).decision.reasons[0]


def test_resource_level_view_defers_to_the_stack_and_policies_stand_alone():
    e = one(lb())
    assert e.needs_join and e.decision.verdict.value == "unverifiable"
    assert one(policy(STRICT)).decision.verdict.value == "conforming"
    assert analyze(attach(["x"]), PROFILE) == []


def test_plaintext_and_tcp_listeners():
    found = analyze(lb([{"lbPort": 80.0, "lbProtocol": "HTTP"}, {"lbPort": 443.0, "lbProtocol": "TCP"}]), PROFILE)
    assert [e.decision.verdict.value for e in found] == ["nonconforming", "not-terminated"]


def test_an_rsa_certificate_cannot_use_an_ecdsa_only_policy():
    ecdsa_only = [("Protocol-TLSv1.2", "true"), ("Protocol-TLSv1.1", "false"), ("Protocol-TLSv1", "false"),
                  ("Protocol-SSLv3", "false"), ("ECDHE-ECDSA-AES128-GCM-SHA256", "true")]
    cert = res("aws:acm/certificate:Certificate", {"arn": "arn:aws:acm:us-east-1:1:certificate/rsa",
                                                   "keyAlgorithm": "RSA_2048"}, name="cert")
    listener = [{"lbPort": 443.0, "lbProtocol": "HTTPS", "instancePort": 80.0, "instanceProtocol": "HTTP",
                 "sslCertificateId": "arn:aws:acm:us-east-1:1:certificate/rsa"}]
    e = listener_verdict(lb(listener), cert, policy(ecdsa_only, "ec"), attach(["ec"]))
    assert e.decision.verdict.value == "nonconforming"
    assert "no protocol version can be negotiated with an RSA certificate" in e.decision.reasons[0]
    # the same policy without a known certificate is judged on what it enables
    assert listener_verdict(lb(), policy(ecdsa_only, "ec"), attach(["ec"])).decision.verdict.value == "conforming"
