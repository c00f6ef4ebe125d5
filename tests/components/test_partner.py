"""tlsfence/components/partner.py and the root program: both clouds under mocks, the pack, config errors."""

import pytest

from tests.components.helpers import (
    CUSTOM,
    ELBV2_EXCESS,
    ELBV2_EXCESS_RSA,
    build,
    mandatory,
    outputs,
    pack,
    verdicts,
)
from tlsfence.components.base import ComponentConfigError
from tlsfence.components.partner import main

AWS = {"tlsfence:cloud": "aws", "tlsfence:domain": "api.partner.example.com", "tlsfence:hostedZoneId": "Z1",
       "tlsfence:subnetIds": '["subnet-a", "subnet-b"]', "tlsfence:vpcId": "vpc-1"}
GCP = {"gcp:project": "p", "tlsfence:cloud": "gcp", "tlsfence:domain": "api.partner.example.com",
       "tlsfence:region": "europe-west1", "tlsfence:image": "us-docker.pkg.dev/cloudrun/container/hello"}


def test_aws_partner_environment_is_an_alb_with_excess():
    door, regs = build(main, AWS)
    assert type(door).__name__ == "HttpsLoadBalancer"
    assert verdicts(regs)[("aws:lb/listener:Listener", "partner-https")] == \
        ("conforming-with-excess", ELBV2_EXCESS_RSA, "advisory")
    assert outputs(door)["endpoint"] == "https://api.partner.example.com"
    assert mandatory(pack(regs)) == []


def test_aws_nlb_with_certificate_and_target_group():
    cfg = {**AWS, "tlsfence:frontDoor": "nlb", "tlsfence:certificateArn": "arn:c", "tlsfence:targetGroupArn": "arn:t",
           "tlsfence:subnetIds": "subnet-a, subnet-b"}
    door, regs = build(main, cfg)
    assert verdicts(regs)[("aws:lb/listener:Listener", "partner-tls")] == \
        ("conforming-with-excess", ELBV2_EXCESS, "advisory")
    assert mandatory(pack(regs)) == []


def test_aws_strict_partner_environment_is_the_classic_elb():
    door, regs = build(main, {**AWS, "tlsfence:frontDoor": "classic", "tlsfence:strict": "true"})
    assert verdicts(regs)[("aws:elb/loadBalancer:LoadBalancer", "partner-elb")] == ("conforming", (), "none")
    assert outputs(door)["verdict"] == "conforming"
    assert pack(regs, strict=True) == []


def test_gcp_partner_environment_is_a_conforming_serverless_front():
    door, regs = build(main, GCP)
    found = verdicts(regs)
    assert found[("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "partner-https")] == ("conforming", (), "none")
    assert found[("gcp:cloudrunv2/service:Service", "partner-service")] == ("conforming", (), "none")
    assert outputs(door)["setting"] == CUSTOM
    assert pack(regs, strict=True) == []


@pytest.mark.parametrize(("config", "message"), [
    ({}, "config tlsfence:cloud is not set; set one of aws, gcp: pulumi config set tlsfence:cloud aws"),
    ({"tlsfence:cloud": "azure"}, "config tlsfence:cloud is 'azure'; set one of aws, gcp"),
    ({"tlsfence:cloud": "aws"}, "config tlsfence:domain is required (the name partners call): pulumi config set "
                                "tlsfence:domain api.partner.example.com"),
    ({**AWS, "tlsfence:hostedZoneId": ""}, "config tlsfence:certificateArn or tlsfence:hostedZoneId is required"),
    ({**AWS, "tlsfence:subnetIds": ""}, "config tlsfence:subnetIds is required"),
    ({**AWS, "tlsfence:subnetIds": "[1, 2]"}, "config tlsfence:subnetIds must be a list of strings"),
    ({**AWS, "tlsfence:vpcId": ""}, "config tlsfence:vpcId is required (or set tlsfence:targetGroupArn)"),
    ({**AWS, "tlsfence:frontDoor": "cloudfront"}, "config tlsfence:frontDoor is 'cloudfront'; set one of alb, nlb, "
                                                  "classic"),
    ({**AWS, "tlsfence:strict": "yes"}, "config tlsfence:strict is 'yes'; set true or false"),
    ({**AWS, "tlsfence:strict": "true"}, "is conforming-with-excess (offers 1 suite(s) outside the allowed set: "
                                         "ECDHE-RSA-AES256-GCM-SHA384) under profile partner-tls-2024-12-03 with "
                                         "strict. No setting of this platform is accepted under strict"),
    ({**GCP, "tlsfence:image": ""}, "config tlsfence:cloudRunService or tlsfence:image is required"),
    ({**GCP, "tlsfence:region": ""}, "config tlsfence:region is required"),
    ({**GCP, "tlsfence:profile": "nope"}, "profile: unknown profile 'nope'"),
])
def test_missing_or_invalid_config_is_a_clear_error(config, message):
    with pytest.raises(ComponentConfigError) as err:
        build(main, config)
    assert message in str(err.value)
