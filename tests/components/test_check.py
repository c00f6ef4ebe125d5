"""Every component and the partner program through ``tlsfence check`` as a subprocess (the offline PR check)."""

import pytest

from tests.components.helpers import REPO, check, write_project

AWS_PROGRAM = """
import pulumi_aws
from tlsfence.components import aws

cert = "arn:aws:acm:us-east-1:1:certificate/x"
aws.HttpsLoadBalancer("alb", aws.HttpsLoadBalancerArgs(subnet_ids=["s"], certificate_arn=cert, target_group_arn="t"))
aws.HttpsLoadBalancer("nlb", aws.HttpsLoadBalancerArgs(subnet_ids=["s"], certificate_arn=cert, target_group_arn="t",
                                                       load_balancer_type="network"))
aws.RestApiDomain("rest", aws.RestApiDomainArgs(domain="r.example.com", body="{}", certificate_arn=cert))
aws.RestApiDomain("edge", aws.RestApiDomainArgs(domain="e.example.com", body="{}", certificate_arn=cert,
                                                endpoint_type="EDGE"))
api = pulumi_aws.apigatewayv2.Api("partner-api", protocol_type="HTTP", disable_execute_api_endpoint=True)
aws.HttpApiDomain("http", aws.HttpApiDomainArgs(domain="h.example.com", api_id=api.id, certificate_arn=cert))
aws.StrictClassicLoadBalancer("clb", aws.StrictClassicLoadBalancerArgs(subnet_ids=["s"], certificate_arn=cert,
                                                                       strict=True))
"""

GCP_PROGRAM = """
from tlsfence.components import gcp

gcp.HttpsLoadBalancer("web", gcp.HttpsLoadBalancerArgs(backend_service="b", domains=["w.example.com"], strict=True))
gcp.RegionalHttpsLoadBalancer("reg", gcp.RegionalHttpsLoadBalancerArgs(
    region="europe-west1", network="default", backend_service="b", certificates=["c"], strict=True))
gcp.SslProxyLoadBalancer("ssl", gcp.SslProxyLoadBalancerArgs(backend_service="b", domains=["s.example.com"],
                                                             strict=True))
gcp.ServerlessFront("run", gcp.ServerlessFrontArgs(region="europe-west1", image="gcr.io/p/i",
                                                   domains=["r.example.com"], strict=True))
"""


def _verdicts(report: dict) -> dict[str, tuple[str, list[str]]]:
    return {e["name"]: (e["verdict"], e["excess"]) for e in report["exposures"]}


def test_aws_components_pass_check_with_only_advisory_excess(tmp_path):
    code, report = check(write_project(tmp_path / "aws", AWS_PROGRAM))
    assert code == 0
    assert report["summary"]["mandatory"] == 0
    found = _verdicts(report)
    assert found["clb-elb"] == ("conforming", [])
    assert found["alb-http"] == ("conforming", [])
    assert found["rest-api"] == ("conforming", [])
    for name in ("alb-https", "nlb-tls", "rest-domain", "edge-domain", "http-domain"):
        assert found[name][0] == "conforming-with-excess", name
    assert found["alb-https"][1] == ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]


def test_gcp_components_pass_check_even_with_strict(tmp_path):
    code, report = check(write_project(tmp_path / "gcp", GCP_PROGRAM), "--strict", "--config", "gcp:project=p")
    assert code == 0
    assert report["summary"]["mandatory"] == 0
    assert report["summary"]["advisory"] == 0
    assert {v for v, _ in _verdicts(report).values()} == {"conforming"}


@pytest.mark.parametrize(("stack", "strict"), [("example-aws", False), ("example-gcp", True)])
def test_partner_program_example_stacks_pass_check(stack, strict):
    code, report = check(REPO, "--stack", stack, *(["--strict"] if strict else []))
    assert code == 0, report
    assert report["summary"]["mandatory"] == 0
    assert report["summary"]["exposures"] >= 2
