"""tlsfence/components/aws/classic.py: StrictClassicLoadBalancer, the strictly conforming AWS build."""

import pytest

from tests.components.helpers import build, mandatory, outputs, pack, verdicts
from tlsfence.components.aws import ComponentConfigError, StrictClassicLoadBalancer, StrictClassicLoadBalancerArgs
from tlsfence.components.aws.classic import default_ciphers, policy_attributes
from tlsfence.profiles import load_profile

ELB = "aws:elb/loadBalancer:LoadBalancer"
NEG = "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
FOUR = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-SHA256"]
DEFAULT = f"SSLNegotiationPolicyType Protocol-TLSv1.2 [{', '.join(FOUR)}]"


def classic(**kw):
    return StrictClassicLoadBalancer("clb", StrictClassicLoadBalancerArgs(**{
        "subnet_ids": ["subnet-a"], "certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x", **kw}))


def test_default_ciphers_are_the_allowed_suites_classic_elb_supports():
    assert default_ciphers(load_profile()) == FOUR


def test_every_protocol_attribute_is_explicit_and_only_tls12_is_on():
    attrs = policy_attributes(load_profile(), FOUR)
    assert {k: v for k, v in attrs.items() if k.startswith("Protocol-")} == {
        "Protocol-SSLv3": "false", "Protocol-TLSv1": "false", "Protocol-TLSv1.1": "false", "Protocol-TLSv1.2": "true"}
    assert sorted(k for k, v in attrs.items() if v == "true" and not k.startswith("Protocol-")) == \
        sorted(["Server-Defined-Cipher-Order", *FOUR])
    assert attrs["ECDHE-RSA-AES256-GCM-SHA384"] == "false"


def test_strict_classic_elb_is_conforming_through_analyzers_and_pack():
    door, regs = build(lambda: classic(strict=True, domain="c.example.com"))
    found = verdicts(regs)
    assert found[(ELB, "clb-elb")] == ("conforming", (), "none")
    assert found[(NEG, "clb-tls")] == ("conforming", (), "none")
    assert outputs(door) == {"endpoint": "https://c.example.com", "setting": DEFAULT, "protocols": ["TLSv1.2"],
                             "suites": FOUR, "verdict": "conforming", "excess": []}
    listeners = next(r for r in regs if r.type == ELB).inputs["listeners"]
    assert [(x["lbProtocol"], x["lbPort"]) for x in listeners] == [("HTTPS", 443.0)]
    assert mandatory(pack(regs, strict=True)) == []
    assert [d for d in pack(regs, strict=True)] == []


def test_a_subset_of_the_allowed_ciphers_is_accepted():
    door, _ = build(lambda: classic(ciphers=["ECDHE-RSA-AES128-GCM-SHA256"]))
    assert outputs(door)["suites"] == ["ECDHE-RSA-AES128-GCM-SHA256"]


def test_an_extra_cipher_is_refused():
    with pytest.raises(ComponentConfigError) as err:
        classic(ciphers=["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"])
    assert str(err.value) == (
        "StrictClassicLoadBalancer 'clb': custom policy SSLNegotiationPolicyType Protocol-TLSv1.2 "
        "[ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES256-GCM-SHA384] is conforming-with-excess (offers 1 suite(s) "
        "outside the allowed set: ECDHE-RSA-AES256-GCM-SHA384) under profile partner-tls-2024-12-03; its excess "
        "goes beyond what the platform's tightest setting is forced to offer. Conforming settings (best first): "
        f"{DEFAULT} (default), or any non-empty subset of its ciphers")


def test_chacha20_is_refused_because_aws_rejects_it():
    with pytest.raises(ComponentConfigError) as err:
        classic(ciphers=["ECDHE-RSA-CHACHA20-POLY1305"])
    assert "is unverifiable (cannot determine cipher attribute ECDHE-RSA-CHACHA20-POLY1305 (AWS rejects it in " \
           "classic ELB custom policies))" in str(err.value)


def test_placement_is_required():
    with pytest.raises(ComponentConfigError, match="give subnet_ids or availability_zones"):
        classic(subnet_ids=None)
