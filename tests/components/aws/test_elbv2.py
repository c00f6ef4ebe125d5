"""tlsfence/components/aws/elbv2.py: HttpsLoadBalancer (ALB and NLB)."""

import pytest

from tests.components.helpers import (
    ELBV2_EXCESS,
    ELBV2_EXCESS_RSA,
    build,
    children_of,
    mandatory,
    outputs,
    pack,
    verdicts,
)
from tlsfence.components.aws import ComponentConfigError, HttpsLoadBalancer, HttpsLoadBalancerArgs

LISTENER = "aws:lb/listener:Listener"
TIGHTEST = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
ACCEPTED = ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10, "
            "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, "
            "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09, "
            "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07")
INSTEAD = ("For a strictly conforming AWS front door use StrictClassicLoadBalancer (a classic ELB with a custom "
           "SSLNegotiationPolicyType policy)")
BASE = dict(subnet_ids=["subnet-a", "subnet-b"], certificate_arn="arn:aws:acm:us-east-1:1:certificate/x",
            target_group_arn="arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1")


def alb(**kw):
    return HttpsLoadBalancer("edge", HttpsLoadBalancerArgs(**{**BASE, **kw}))


def test_alb_with_acm_certificate_is_excess_with_the_rsa_suite_only():
    door, regs = build(lambda: HttpsLoadBalancer("edge", HttpsLoadBalancerArgs(
        subnet_ids=["subnet-a"], domain="api.example.com", hosted_zone_id="Z1", vpc_id="vpc-1")))
    found = verdicts(regs)
    # ACM certificates are RSA: the ECDSA AES256 suite is not negotiable, so one excess suite remains.
    assert found[(LISTENER, "edge-https")] == ("conforming-with-excess", ELBV2_EXCESS_RSA, "advisory")
    assert found[(LISTENER, "edge-http")] == ("conforming", (), "none")
    assert outputs(door) == {
        "endpoint": "https://api.example.com", "setting": TIGHTEST, "protocols": ["TLSv1.2", "TLSv1.3"],
        "suites": ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"],
        "verdict": "conforming-with-excess", "excess": list(ELBV2_EXCESS_RSA)}
    types = {r.type for r in children_of(regs, "HttpsLoadBalancer")}
    assert {"aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
            "aws:route53/record:Record", "aws:lb/targetGroup:TargetGroup", LISTENER} <= types
    assert all(r.parent for r in regs if r.type != "tlsfence:index:HttpsLoadBalancer")
    assert mandatory(pack(regs)) == []


def test_alb_with_given_certificate_reports_both_aes256_suites():
    door, regs = build(lambda: alb())
    assert door.decision.excess == ELBV2_EXCESS
    assert verdicts(regs)[(LISTENER, "edge-https")] == ("conforming-with-excess", ELBV2_EXCESS, "advisory")
    redirect = next(r for r in regs if r.name == "edge-http")
    assert redirect.inputs["defaultActions"][0]["redirect"] == {"port": "443", "protocol": "HTTPS",
                                                              "statusCode": "HTTP_301"}
    diags = pack(regs)
    assert mandatory(diags) == []
    assert any(d.level == "advisory" and "ECDHE-ECDSA-AES256-GCM-SHA384" in d.message for d in diags)


def test_nlb_has_a_tls_listener_and_no_port_80():
    door, regs = build(lambda: alb(load_balancer_type="network"))
    listeners = [r for r in regs if r.type == LISTENER]
    assert [(r.inputs["protocol"], r.inputs["port"]) for r in listeners] == [("TLS", 443.0)]
    assert verdicts(regs)[(LISTENER, "edge-tls")] == ("conforming-with-excess", ELBV2_EXCESS, "advisory")
    assert outputs(door)["verdict"] == "conforming-with-excess"
    assert mandatory(pack(regs)) == []


def test_strict_pack_makes_the_excess_mandatory():
    _, regs = build(lambda: alb())
    assert [d.level for d in pack(regs, strict=True) if "edge-https" in d.urn] == ["mandatory"]


def test_an_equally_tight_fips_policy_is_accepted():
    door, _ = build(lambda: alb(ssl_policy="ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04"))
    assert outputs(door)["setting"] == "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04"


def test_weak_policy_is_refused_with_verdict_reason_and_alternatives():
    with pytest.raises(ComponentConfigError) as err:
        alb(ssl_policy="ELBSecurityPolicy-2016-08")
    assert str(err.value) == (
        "HttpsLoadBalancer 'edge': ssl_policy 'ELBSecurityPolicy-2016-08' is nonconforming (accepts TLSv1.0, "
        "TLSv1.1 (below TLSv1.2)) under profile partner-tls-2024-12-03. Conforming settings (best first): "
        f"{ACCEPTED}. {INSTEAD}")


def test_policy_with_more_excess_than_the_platform_forces_is_refused():
    with pytest.raises(ComponentConfigError) as err:
        alb(ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    assert str(err.value).startswith(
        "HttpsLoadBalancer 'edge': ssl_policy 'ELBSecurityPolicy-TLS13-1-2-2021-06' is conforming-with-excess "
        "(offers 4 suite(s) outside the allowed set: ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-ECDSA-AES256-SHA384, "
        "ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-SHA384) under profile partner-tls-2024-12-03; its excess "
        "goes beyond what the platform's tightest setting is forced to offer. Conforming settings (best first): "
        f"{TIGHTEST},")


def test_strict_refuses_every_elbv2_policy_and_names_the_classic_elb():
    with pytest.raises(ComponentConfigError) as err:
        alb(strict=True)
    assert str(err.value) == (
        f"HttpsLoadBalancer 'edge': ssl_policy '{TIGHTEST}' is conforming-with-excess (offers 2 suite(s) outside "
        "the allowed set: ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384) under profile "
        f"partner-tls-2024-12-03 with strict. No setting of this platform is accepted under strict. {INSTEAD}")


@pytest.mark.parametrize(("kw", "message"), [
    ({"ssl_policy": "ELBSecurityPolicy-Made-Up"}, "is unverifiable (cannot determine aws-elbv2 setting "
                                                  "'ELBSecurityPolicy-Made-Up' (not in the catalog"),
    ({"load_balancer_type": "gateway"}, "load_balancer_type 'gateway' is not one of application, network"),
    ({"certificate_arn": None}, "give certificate_arn, or domain and hosted_zone_id"),
    ({"target_group_arn": None}, "argument 'vpc_id' is required (or give target_group_arn)"),
    ({"sslPolicy": "x"}, "unknown argument(s) ['sslPolicy']"),
    ({"profile": "no-such-profile"}, "profile: unknown profile 'no-such-profile'"),
])
def test_unusable_inputs_are_refused(kw, message):
    with pytest.raises(ComponentConfigError, match=None) as err:
        alb(**kw)
    assert message in str(err.value)
