"""``tlsfence check`` as a subprocess on real program directories and CLI output files: JSON, SARIF, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.policy import harness as h

DATA = Path(__file__).parent / "data"
PROGRAMS = Path(__file__).parent / "programs"
TIMEOUT = 120


def check(*args: str, cwd: Path = h.ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m tlsfence check ARGS``; bounded."""
    env = {**os.environ, "PYTHONPATH": str(h.ROOT)}
    return subprocess.run([sys.executable, "-m", "tlsfence", "check", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT, env=env)


def failing_report(program: str) -> dict:
    """``check PROGRAM --format json`` on a program with mandatory violations: exit 1 and its JSON report."""
    run = check(str(PROGRAMS / program), "--format", "json")
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def table(report: dict) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    names = {e["urn"]: e["name"] for e in report["exposures"]}
    for v in report["violations"]:
        out.setdefault(names.get(v["urn"], v["urn"]), []).append((v["policy"], v["level"]))
    return out


def test_aws_program_json():
    report = failing_report("aws_mix")
    assert table(report) == h.AWS_EXPECTED
    by_name = {(e["name"], e["exposure"]): e for e in report["exposures"]}
    absent = by_name[("https-absent", "HTTPS listener :8443")]
    assert (absent["verdict"], absent["level"], absent["setting"], absent["excess"]) == \
        ("nonconforming", "mandatory", "sslPolicy=ELBSecurityPolicy-2016-08 (provider default)", [
            "AES128-GCM-SHA256", "AES128-SHA", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA", "AES256-SHA256",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-SHA",
            "ECDHE-RSA-AES256-SHA384"])
    res = by_name[("https-res", "HTTPS listener :443")]
    assert (res["verdict"], res["level"]) == ("conforming-with-excess", "advisory")
    assert res["excess"] == ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]
    assert by_name[("classic-strict", "HTTPS listener :443")]["verdict"] == "conforming"
    assert by_name[("tcp-pass", "TCP listener :5000")]["verdict"] == "not-terminated"
    for e in report["exposures"]:
        assert {"urn", "type", "name", "exposure", "setting", "verdict", "excess", "level", "message"} <= set(e)
    assert report["summary"]["mandatory"] == 10 and report["summary"]["advisory"] == 10
    assert report["summary"]["passed"] is False


def test_gcp_program_preview_with_policy_config(tmp_path):
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"exemptions": h.EXEMPTIONS}))
    run = check(str(PROGRAMS / "gcp_mix"), "--preview", "--policy-config", str(config), "--format", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert table(report) == {**h.GCP_EXPECTED, "run-exempt": [("tlsfence-serverless-advisory", "advisory")]}
    exempt = next(e for e in report["exposures"] if e["name"] == "run-exempt")
    assert (exempt["verdict"], exempt["level"], exempt["exemption"]) == \
        ("unverifiable", "advisory", "internal demo, no card data")
    joined = next(e for e in report["exposures"] if e["name"] == "proxy-strict")
    assert (joined["verdict"], joined["setting_origin"]) == ("conforming", "joined")
    assert report["summary"]["source"].endswith("(stack dev, preview)")


def test_stack_config_and_overrides():
    ok = check(str(PROGRAMS / "configured"), "--stack", "prod", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    # an excess listener with a certificate is decided by the stack policy: the certificate's key type may narrow it
    assert [(v["policy"], v["level"]) for v in json.loads(ok.stdout)["violations"]] == [h.JOIN_A]
    strict = check(str(PROGRAMS / "configured"), "--stack", "prod", "--strict", "--format", "json")
    assert strict.returncode == 1 and [(v["policy"], v["level"]) for v in json.loads(strict.stdout)["violations"]] \
        == [h.JOIN]
    weak = check(str(PROGRAMS / "configured"), "--stack", "prod", "--config", "sslPolicy=ELBSecurityPolicy-2016-08")
    assert weak.returncode == 1
    assert "sslPolicy=ELBSecurityPolicy-2016-08 is nonconforming" in weak.stdout
    assert weak.stdout.rstrip().endswith("1 mandatory, 0 advisory violation(s) under profile partner-tls-2024-12-03: "
                                         "FAIL")


def test_no_stack_checks_every_stack_file():
    """``configured`` has a legacy stack (ELBSecurityPolicy-2016-08) and a prod one: both run, legacy fails."""
    report = failing_report("configured")
    assert report["summary"] == {"stacks": ["legacy", "prod"], "mandatory": 1, "advisory": 1, "passed": False}
    by_stack = {s["stack"]: s for s in report["stacks"]}
    assert [(v["policy"], v["level"]) for v in by_stack["legacy"]["violations"]] == [h.ELB]
    assert by_stack["legacy"]["summary"]["source"].endswith("(stack legacy)")
    assert [(v["policy"], v["level"]) for v in by_stack["prod"]["violations"]] == [h.JOIN_A]
    text = check(str(PROGRAMS / "configured"))
    assert text.returncode == 1
    assert text.stdout.startswith("== stack legacy ==\n") and "\n== stack prod ==\n" in text.stdout
    assert text.stdout.endswith("\n2 stacks checked: FAIL (legacy)\n")
    sarif = json.loads(check(str(PROGRAMS / "configured"), "--format", "sarif", "--sarif-root", str(PROGRAMS)).stdout)
    assert len(sarif["runs"]) == 1 and len(sarif["runs"][0]["results"]) == 2
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]} \
        == {"configured/__main__.py"}  # both stacks relative to --sarif-root


def test_the_partner_program_checks_out_of_the_box():
    """``tlsfence check .`` on a fresh checkout: both example stacks of the partner program, and they pass."""
    run = check(".")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "== stack example-aws ==" in run.stdout and "== stack example-gcp ==" in run.stdout
    assert run.stdout.endswith("\n2 stacks checked: PASS\n")


@pytest.mark.parametrize(("args", "message"), [
    (["tests/check/programs/raises"],
     "tlsfence: error: the program failed: ValueError: tlsfence:domain is required (got None)\n"),
    (["tests/check/programs/configured", "--stack", "prod", "--config", "novalue"],
     "tlsfence: error: --config 'novalue': expected KEY=VALUE\n"),
    (["tests/check/programs/missing"], "tlsfence: error: tests/check/programs/missing: not a directory\n"),
    (["tests/check/programs/configured", "--stack", "prod", "--profile", "nope"], None),
])
def test_exit_2_with_one_line(args, message):
    run = check(*args)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    if message is not None:
        assert run.stderr == message
    else:
        assert run.stderr.startswith("tlsfence: error: policy config 'profile': unknown profile 'nope'")


def test_sarif_validates_against_the_official_schema():
    run = check(str(PROGRAMS / "aws_mix"), "--format", "sarif")
    assert run.returncode == 1, run.stderr
    log = json.loads(run.stdout)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]][:2] == ["tlsfence-elbv2-listener", "tlsfence-elbv2-listener-advisory"]
    results = log["runs"][0]["results"]
    assert len(results) == 20
    weak = next(r for r in results if "'https-weak'" in r["message"]["text"])
    assert (weak["ruleId"], weak["level"]) == ("tlsfence-elbv2-listener", "error")
    assert driver["rules"][weak["ruleIndex"]]["id"] == weak["ruleId"]
    location = weak["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/check/programs/aws_mix/__main__.py"
    source = (PROGRAMS / "aws_mix" / "__main__.py").read_text().splitlines()
    assert source[location["region"]["startLine"] - 1].startswith('aws.lb.Listener("https-weak"')


def test_from_preview_and_from_state():
    preview = check("--from-preview", str(DATA / "preview.json"), "--format", "json")
    assert preview.returncode == 1, preview.stderr
    report = json.loads(preview.stdout)
    assert [(e["name"], e["verdict"], e["level"]) for e in report["exposures"]] == [
        ("strict", "conforming", "none"), ("proxy", "conforming", "none"), ("https", "nonconforming", "mandatory")]
    state = check("--from-state", str(DATA / "state.json"), "--format", "json")
    assert state.returncode == 1, state.stderr
    report = json.loads(state.stdout)
    assert [(e["name"], e["verdict"], e["level"]) for e in report["exposures"]] == [
        ("restricted", "conforming-with-excess", "advisory"), ("proxy", "conforming-with-excess", "advisory"),
        ("https", "nonconforming", "mandatory")]
    assert table(report) == {"restricted": [("tlsfence-gcp-ssl-policy-advisory", "advisory")],
                             "https": [h.ELB], "proxy": [h.JOIN_A]}
    bad = check("--from-state", str(DATA / "preview.json"))
    assert bad.returncode == 2 and bad.stderr == \
        f"tlsfence: error: {DATA / 'preview.json'}: unsupported deployment version None (3 and 4 are read)\n"


def test_gcp_load_balancer_program(tmp_path):
    report = failing_report("gcp_lb")
    assert table(report) == h.GCP_LB_EXPECTED
    by_name = {e["name"]: e for e in report["exposures"]}
    rule = by_name["fr-internal"]
    assert (rule["exposure"], rule["verdict"], rule["internet_facing"], rule["setting"]) == (
        "HTTPS/SSL forwarding rule :443 (internal)", "nonconforming", False,
        "target.sslPolicy=MODERN/TLS_1_0 (via proxy-internal)")
    assert (by_name["fr-redirect"]["verdict"], by_name["fr-strict"]["verdict"]) == ("conforming", "conforming")
    assert by_name["http-leaky"]["setting"] == "urlMap.pathMatchers[0].pathRules[0].service=backend (via leaky)"
    assert by_name["fr-nlb"]["verdict"] == "not-terminated"
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"internet-facing-only": True}))
    inside = check(str(PROGRAMS / "gcp_lb"), "--format", "json", "--preview", "--policy-config", str(config))
    assert inside.returncode == 1, inside.stderr
    assert table(json.loads(inside.stdout)) == h.GCP_LB_FACING_EXPECTED


@pytest.mark.parametrize("preview", [False, True])
def test_gateway_load_balancer_program_has_no_finding(preview):
    run = check(str(PROGRAMS / "gwlb"), "--format", "json", *(["--preview"] if preview else []))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["violations"] == [] and report["summary"]["mandatory"] == 0
    [listener] = report["exposures"]
    assert (listener["name"], listener["exposure"], listener["verdict"], listener["level"], listener["setting"]) == (
        "inspection-listener", "gateway listener (no client endpoint)", "conforming", "none",
        "loadBalancerType=gateway (via inspection)")


@pytest.mark.parametrize(("preview", "expected"), [(False, h.ELBV2_EXPECTED), (True, h.ELBV2_PREVIEW_EXPECTED)])
def test_elbv2_joins_program(preview, expected):
    run = check(str(PROGRAMS / "elbv2_joins"), "--format", "json", *(["--preview"] if preview else []))
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert table(report) == expected
    by_name = {e["name"]: e for e in report["exposures"]}
    assert by_name["one-cert"]["excess"] == ["ECDHE-RSA-AES256-GCM-SHA384"]  # RSA certificate via its validation
    assert by_name["two-certs"]["excess"] == ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]
    assert (by_name["alb-absent"]["verdict"], by_name["alb-absent"]["setting"]) == \
        ("nonconforming", "defaultActions=forward")
    assert by_name["late-absent"]["verdict"] == ("unverifiable" if preview else "conforming")


def test_internet_facing_only_drops_the_internal_listener(tmp_path):
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"internet-facing-only": True}))
    run = check(str(PROGRAMS / "elbv2_joins"), "--policy-config", str(config), "--format", "json")
    report = json.loads(run.stdout)
    assert table(report) == h.ELBV2_IFO_EXPECTED
    inner = next(e for e in report["exposures"] if e["name"] == "inner-forward")
    assert (inner["internet_facing"], inner["level"], inner["note"]) == \
        (False, "none", "internal (internet-facing-only)")


def test_managed_program_every_family_fails_closed_and_controls_pass():
    report = failing_report("managed_mix")
    assert table(report) == h.MANAGED_EXPECTED
    by_name: dict[str, list[dict]] = {}
    for e in report["exposures"]:
        by_name.setdefault(e["name"], []).append(e)
    for name in h.MANAGED_CONTROLS:
        assert [(e["verdict"], e["level"]) for e in by_name[name]] == [("conforming", "none")], name
    assert not {"pool", "fn-v1-event", "assets"} & set(by_name)  # no client endpoint / HTTP trigger / website
    verdicts = {name: [e["verdict"] for e in found] for name, found in by_name.items()}
    assert verdicts["ls-lb"] == ["nonconforming", "conforming"] and verdicts["gae"] == ["nonconforming"]
    assert verdicts["ls-lb-plain"] == ["nonconforming", "nonconforming"]
    assert by_name["ls-lb"][1]["setting"] == "LbHttpsRedirectionPolicy.enabled=true (via ls-redirect-on)"
    assert not {"ls-redirect-on", "ls-redirect-off"} & set(by_name)  # judged on their load balancers
    assert verdicts["search-open"] == ["nonconforming", "unverifiable"]
    assert verdicts["ga-listener"] == ["not-terminated"] and verdicts["fn-url"] == ["unverifiable"]
    lattice = by_name["native-lattice"][0]["message"]
    assert "protocol='HTTPS ' (not one of HTTP, HTTPS, TLS_PASSTHROUGH)" in lattice
    future = by_name["future-type"][0]
    assert future["family"] == "managed-endpoint" and future["level"] == "mandatory"
    assert "type token aws:lambda/functionGateway:FunctionGateway" in future["message"]
    assert "tlsfence.components.aws.HttpsLoadBalancer" in by_name["fn-url"][0]["message"]
    assert verdicts["site"] == ["nonconforming"] and "plaintext HTTP" in by_name["site"][0]["message"]
    assert report["summary"]["mandatory"] == 30 and report["summary"]["advisory"] == 2


def test_api_gateway_mappings_program():
    report = failing_report("apigw_mappings")
    assert table(report) == h.APIGW_MAP_EXPECTED
    by_name = {e["name"]: e for e in report["exposures"]}
    legacy = by_name["map-default"]
    assert (legacy["exposure"], legacy["verdict"], legacy["setting"]) == (
        "API mapping /legacy on api.example.com", "nonconforming",
        "securityPolicy (API/domain)=TLS_1_0/SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09 (via api-default, dom-pq)")
    assert (by_name["map-pq"]["verdict"], len(by_name["map-pq"]["excess"])) == ("conforming-with-excess", 2)
    assert by_name["map-http-enhanced"]["verdict"] == "unverifiable"
    assert (by_name["rule-default"]["exposure"], by_name["rule-default"]["verdict"]) == (
        "routing rule on api.example.com", "nonconforming")
