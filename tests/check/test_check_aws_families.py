"""``tlsfence check`` on Elastic Beanstalk environments and CloudFront cache behaviors (aws_families)."""

from __future__ import annotations

import json

from tests.check.test_check_cli import PROGRAMS, check, table
from tests.policy import harness as h


def test_beanstalk_and_cloudfront_program():
    run = check(str(PROGRAMS / "aws_families"), "--format", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert table(report) == h.FAMILIES_EXPECTED
    rows = {(e["name"], e["exposure"]): (e["verdict"], e["setting"]) for e in report["exposures"]}
    assert rows[("eb-weak", "HTTPS listener :443 (application load balancer)")] == (
        "nonconforming", "aws:elbv2:listener:443 SSLPolicy=ELBSecurityPolicy-2016-08")
    assert rows[("eb-default", "HTTP listener :80 (classic load balancer)")] == (
        "nonconforming", "aws:elb:listener ListenerProtocol=HTTP")
    assert rows[("cdn-mixed", "viewer HTTP (api.example.com)")] == (
        "nonconforming", "viewerProtocolPolicy=allow-all on orderedCacheBehaviors[0] (/api/*)")
    assert not any(e["name"] == "eb-worker" for e in report["exposures"])
