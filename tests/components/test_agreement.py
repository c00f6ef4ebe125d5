"""The component and the pack say the same thing: each component's exported ``verdict`` and ``excess`` equal what
``tlsfence check`` reports for its front door in a stack holding that component (issue 10, item 5).

The ALB with an ACM certificate is the case that used to disagree: its listener's ``certificateArn`` comes from the
``CertificateValidation``, whose ``certificateArn`` comes from the RSA ``Certificate``; the pack now follows that join
(one excess suite, like the component), instead of counting both ECDHE AES256 suites.
"""

import pytest

from tests.components.helpers import build, check, outputs, write_project
from tlsfence.components import aws, gcp

CERT = "arn:aws:acm:us-east-1:1:certificate/x"
S = {"subnet_ids": ["s"], "target_group_arn": "t"}

#: (component name, front-door exposure (resource name, exposure text), factory, program line)
CASES = [
    ("alb-acm", ("alb-acm-https", "HTTPS listener :443"),
     lambda: aws.HttpsLoadBalancer("alb-acm", aws.HttpsLoadBalancerArgs(**S, domain="a.example.com",
                                                                        hosted_zone_id="Z1")),
     'aws.HttpsLoadBalancer("alb-acm", aws.HttpsLoadBalancerArgs(subnet_ids=["s"], target_group_arn="t", '
     'domain="a.example.com", hosted_zone_id="Z1"))'),
    ("alb", ("alb-https", "HTTPS listener :443"),
     lambda: aws.HttpsLoadBalancer("alb", aws.HttpsLoadBalancerArgs(**S, certificate_arn=CERT)),
     f'aws.HttpsLoadBalancer("alb", aws.HttpsLoadBalancerArgs(subnet_ids=["s"], target_group_arn="t", '
     f'certificate_arn="{CERT}"))'),
    ("nlb", ("nlb-tls", "TLS listener :443"),
     lambda: aws.HttpsLoadBalancer("nlb", aws.HttpsLoadBalancerArgs(**S, certificate_arn=CERT,
                                                                    load_balancer_type="network")),
     f'aws.HttpsLoadBalancer("nlb", aws.HttpsLoadBalancerArgs(subnet_ids=["s"], target_group_arn="t", '
     f'certificate_arn="{CERT}", load_balancer_type="network"))'),
    ("rest", ("rest-domain", "regional custom domain r.example.com"),
     lambda: aws.RestApiDomain("rest", aws.RestApiDomainArgs(domain="r.example.com", body="{}", certificate_arn=CERT)),
     f'aws.RestApiDomain("rest", aws.RestApiDomainArgs(domain="r.example.com", body="{{}}", '
     f'certificate_arn="{CERT}"))'),
    ("edge", ("edge-domain", "edge custom domain e.example.com"),
     lambda: aws.RestApiDomain("edge", aws.RestApiDomainArgs(domain="e.example.com", body="{}", certificate_arn=CERT,
                                                             endpoint_type="EDGE")),
     f'aws.RestApiDomain("edge", aws.RestApiDomainArgs(domain="e.example.com", body="{{}}", '
     f'certificate_arn="{CERT}", endpoint_type="EDGE"))'),
    ("http", ("http-domain", "custom domain h.example.com"),
     lambda: aws.HttpApiDomain("http", aws.HttpApiDomainArgs(domain="h.example.com", api_id="a",
                                                             certificate_arn=CERT)),
     f'aws.HttpApiDomain("http", aws.HttpApiDomainArgs(domain="h.example.com", api_id="a", '
     f'certificate_arn="{CERT}"))'),
    ("clb", ("clb-elb", "HTTPS listener :443"),
     lambda: aws.StrictClassicLoadBalancer("clb", aws.StrictClassicLoadBalancerArgs(
         subnet_ids=["s"], certificate_arn=CERT, strict=True)),
     f'aws.StrictClassicLoadBalancer("clb", aws.StrictClassicLoadBalancerArgs(subnet_ids=["s"], '
     f'certificate_arn="{CERT}", strict=True))'),
]
GCP_CASES = [
    ("web", ("web-https", "HTTPS proxy"),
     lambda: gcp.HttpsLoadBalancer("web", gcp.HttpsLoadBalancerArgs(backend_service="b", domains=["w.example.com"],
                                                                     strict=True)),
     'gcp.HttpsLoadBalancer("web", gcp.HttpsLoadBalancerArgs(backend_service="b", domains=["w.example.com"], '
     'strict=True))'),
    ("reg", ("reg-https", "HTTPS proxy"),
     lambda: gcp.RegionalHttpsLoadBalancer("reg", gcp.RegionalHttpsLoadBalancerArgs(
         region="europe-west1", network="default", backend_service="b", certificates=["c"], strict=True)),
     'gcp.RegionalHttpsLoadBalancer("reg", gcp.RegionalHttpsLoadBalancerArgs(region="europe-west1", '
     'network="default", backend_service="b", certificates=["c"], strict=True))'),
    ("ssl", ("ssl-ssl", "SSL proxy"),
     lambda: gcp.SslProxyLoadBalancer("ssl", gcp.SslProxyLoadBalancerArgs(backend_service="b",
                                                                           domains=["s.example.com"], strict=True)),
     'gcp.SslProxyLoadBalancer("ssl", gcp.SslProxyLoadBalancerArgs(backend_service="b", domains=["s.example.com"], '
     'strict=True))'),
    ("run", ("run-https", "HTTPS proxy"),
     lambda: gcp.ServerlessFront("run", gcp.ServerlessFrontArgs(region="europe-west1", image="gcr.io/p/i",
                                                                domains=["r.example.com"], strict=True)),
     'gcp.ServerlessFront("run", gcp.ServerlessFrontArgs(region="europe-west1", image="gcr.io/p/i", '
     'domains=["r.example.com"], strict=True))'),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """One ``tlsfence check`` run per cloud over a program holding every component."""
    out = {}
    for cloud, cases, args in (("aws", CASES, ()), ("gcp", GCP_CASES, ("--config", "gcp:project=p"))):
        program = f"from tlsfence.components import {cloud}\n" + "\n".join(c[3] for c in cases) + "\n"
        _, report = check(write_project(tmp_path_factory.mktemp(cloud), program), *args)
        out[cloud] = {(e["name"], e["exposure"]): e for e in report["exposures"]}
    return out


@pytest.mark.parametrize(("cloud", "case"), [("aws", c) for c in CASES] + [("gcp", c) for c in GCP_CASES],
                         ids=lambda v: v if isinstance(v, str) else v[0])
def test_component_exports_what_check_reports(reports, cloud, case):
    _, front, factory, _ = case
    door, _ = build(factory, {"gcp:project": "p"} if cloud == "gcp" else None)
    exported = outputs(door)
    row = reports[cloud][front]
    assert (exported["verdict"], list(exported["excess"])) == (row["verdict"], row["excess"])


def test_acm_certificate_case_is_the_narrowed_one(reports):
    assert reports["aws"][("alb-acm-https", "HTTPS listener :443")]["excess"] == ["ECDHE-RSA-AES256-GCM-SHA384"]
