"""``tlsfence audit aws`` against moto: every case of the issue, verdicts asserted exactly, through a subprocess."""

from __future__ import annotations

from typing import Any

import pytest

from tests.audit.conftest import CliRun, run_many

RES_EXCESS = ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]
APIGW_TLS12_EXCESS = ["AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256",
                      "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
                      "ECDHE-RSA-AES256-SHA384"]
SHA1 = ["AES128-SHA", "AES256-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA",
        "ECDHE-RSA-AES256-SHA"]
STRICT = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-SHA256"]


def _by(run: CliRun, **match: Any) -> dict[str, Any]:
    found = [e for e in run.json["exposures"] if all(e.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [e["name"] for e in run.json["exposures"]])
    return found[0]


def test_exit_code_and_summary(audit_json: CliRun) -> None:
    assert audit_json.code == 1, audit_json.stderr
    assert audit_json.stderr == ""
    summary = audit_json.json["summary"]
    assert summary["by_verdict"] == {"conforming": 4, "conforming-with-excess": 4, "nonconforming": 6}
    assert (summary["exposures"], summary["failing"], summary["errors"]) == (14, 6, 0)
    assert (summary["skipped_internal"], summary["drift"], summary["regions"]) == (1, 2, ["us-east-1"])
    assert audit_json.json["errors"] == []


@pytest.mark.parametrize(("key", "verdict", "setting", "excess", "level"), [
    ("res", "conforming-with-excess", "sslPolicy=ELBSecurityPolicy-TLS13-1-2-Res-2021-06", RES_EXCESS, "advisory"),
    # AWS (and moto) store ELBSecurityPolicy-2016-08 on an HTTPS listener created without a policy.
    ("no_policy", "nonconforming", "sslPolicy=ELBSecurityPolicy-2016-08", None, "mandatory"),
    ("tls10", "nonconforming", "sslPolicy=ELBSecurityPolicy-TLS-1-0-2015-04", None, "mandatory"),
    ("redirect", "conforming", "defaultActions=redirect", [], "none"),
    ("forward", "nonconforming", "defaultActions=forward", [], "mandatory"),
])
def test_elbv2_listeners(audit_json: CliRun, account: tuple[str, dict[str, Any]], key: str, verdict: str,
                         setting: str, excess: list[str] | None, level: str) -> None:
    exp = _by(audit_json, arn=account[1][key])
    assert (exp["verdict"], exp["setting"], exp["level"]) == (verdict, setting, level)
    assert (exp["type"], exp["family"], exp["region"], exp["internet_facing"]) == (
        "aws:lb/listener:Listener", "elbv2-listener", "us-east-1", True)
    assert exp["urn"] == exp["arn"]
    if excess is not None:
        assert exp["excess"] == excess
    if verdict == "nonconforming" and key in ("no_policy", "tls10"):
        assert exp["protocols"] == ["TLSv1.0", "TLSv1.1", "TLSv1.2"]
        assert "accepts TLSv1.0, TLSv1.1 (below TLSv1.2)" in exp["message"]


def test_messages(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    ids = account[1]
    assert _by(audit_json, arn=ids["forward"])["message"] == (
        "HTTP listener :8080 of aws:lb/listener:Listener 'front:8080': defaultActions=forward is nonconforming "
        "(serves plaintext HTTP (a default action does not redirect to HTTPS)); use a redirect action to HTTPS "
        "(statusCode HTTP_301) instead")
    assert _by(audit_json, arn=ids["res"])["message"] == (
        "HTTPS listener :443 of aws:lb/listener:Listener 'front:443': "
        "sslPolicy=ELBSecurityPolicy-TLS13-1-2-Res-2021-06 is conforming-with-excess (offers 2 suite(s) outside the "
        "allowed set: ECDHE-ECDSA-AES256-GCM-SHA384, "
        "ECDHE-RSA-AES256-GCM-SHA384); this is already the tightest setting the provider offers")


def test_internal_load_balancer_skipped(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    assert not [e for e in audit_json.json["exposures"] if e["arn"] == account[1]["internal"]]


def test_drift_not_returned_keeps_catalog(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    """moto's policy list lacks ELBSecurityPolicy-TLS-1-0-2015-04: reported, catalog verdict kept."""
    exp = _by(audit_json, arn=account[1]["tls10"])
    assert exp["drift"]["kind"] == "not-returned"
    assert "DES-CBC3-SHA" in exp["excess"]


def test_drift_live_values_decide(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    """The catalog copies Ext1-PQ from its non-PQ twin (uncertain); moto returns six more SHA1 suites."""
    exp = _by(audit_json, arn=account[1]["pq_ext1"])
    assert exp["drift"] == {"policy": "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", "region": "us-east-1",
                            "kind": "differs", "protocols_added": [], "protocols_removed": [],
                            "ciphers_added": SHA1, "ciphers_removed": []}
    assert exp["verdict"] == "conforming-with-excess"
    assert len(exp["excess"]) == 14 and set(SHA1) <= set(exp["excess"])
    assert "decided from the live describe_ssl_policies answer" in exp["message"]
    assert [d["policy"] for d in audit_json.json["drift"]] == [
        "ELBSecurityPolicy-TLS-1-0-2015-04", "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09"]


def test_classic_elb_exact_and_weak(audit_json: CliRun) -> None:
    strict = _by(audit_json, type="aws:elb/loadBalancer:LoadBalancer", name="strict-classic")
    assert (strict["verdict"], strict["excess"], strict["protocols"], strict["suites"]) == (
        "conforming", [], ["TLSv1.2"], STRICT)
    assert strict["setting_origin"] == "joined"
    assert strict["arn"] == "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/strict-classic"
    weak = _by(audit_json, type="aws:elb/loadBalancer:LoadBalancer", name="weak-classic")
    assert (weak["verdict"], weak["protocols"]) == ("nonconforming", ["TLSv1.0", "TLSv1.2"])
    assert weak["excess"] == ["ECDHE-RSA-AES128-SHA"]
    assert "accepts TLSv1.0 (below TLSv1.2)" in weak["message"]


def test_api_gateway(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    ids = account[1]
    open_api = _by(audit_json, arn=f"arn:aws:apigateway:us-east-1::/restapis/{ids['rest_open']}")
    assert (open_api["verdict"], open_api["setting"]) == (
        "nonconforming", "disableExecuteApiEndpoint=false (execute-api serves TLS_1_0) (provider default)")
    closed = _by(audit_json, arn=f"arn:aws:apigateway:us-east-1::/restapis/{ids['rest_closed']}")
    assert (closed["verdict"], closed["exposure"]) == ("conforming", "execute-api endpoint (disabled)")
    domain = _by(audit_json, type="aws:apigateway/domainName:DomainName")
    assert (domain["verdict"], domain["excess"], domain["exposure"]) == (
        "conforming-with-excess", APIGW_TLS12_EXCESS, "regional custom domain api.example.com")
    http_api = _by(audit_json, arn=f"arn:aws:apigateway:us-east-1::/apis/{ids['http_api']}")
    assert (http_api["verdict"], http_api["excess"]) == ("conforming-with-excess", APIGW_TLS12_EXCESS)


def test_cloudfront_default_certificate(audit_json: CliRun, account: tuple[str, dict[str, Any]]) -> None:
    dist = _by(audit_json, type="aws:cloudfront/distribution:Distribution", exposure="viewer HTTPS on the default "
                                                                                      "certificate")
    assert dist["arn"].endswith(f"distribution/{account[1]['distribution']}")
    assert (dist["verdict"], dist["region"], dist["setting"]) == (
        "nonconforming", "global", "viewerCertificate.cloudfrontDefaultCertificate=true (forces TLSv1) "
                                   "(provider default)")
    http = _by(audit_json, type="aws:cloudfront/distribution:Distribution", exposure="viewer HTTP")
    assert (http["verdict"], http["setting"]) == ("conforming", "viewerProtocolPolicy=redirect-to-https")


def test_json_keys_are_exposure_fields_plus_audit_fields(audit_json: CliRun) -> None:
    keys = {"urn", "type", "name", "exposure", "family", "setting", "setting_value", "setting_origin", "verdict",
            "excess", "protocols", "suites", "unknown", "level", "message", "tightest", "internet_facing", "arn",
            "region", "drift"}
    assert all(set(e) == keys for e in audit_json.json["exposures"])
    assert set(audit_json.json) == {"exposures", "errors", "drift", "summary"}


def test_sarif_and_text(account: tuple[str, dict[str, Any]]) -> None:
    sarif, text = run_many(("--endpoint-url", account[0], "--format", "sarif", "--strict"),
                           ("--endpoint-url", account[0], "--region", "us-east-1"))
    assert sarif.code == 1
    log = sarif.json
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert len(results) == 14
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    levels = sorted(r["level"] for r in results)
    assert levels == ["error"] * 10 + ["none"] * 4  # --strict makes excess an error
    assert text.code == 1
    assert text.stdout.splitlines()[-1].startswith("summary: account 123456789012, regions us-east-1: 14 exposures")
