"""``tlsfence catalog`` and ``tlsfence profiles`` as a user runs them (a subprocess), output and exit codes."""

import json
import subprocess
import sys

import pytest


def tlsfence(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tlsfence", *args], capture_output=True, text=True, timeout=60)


def test_catalog_aws_json_rows():
    out = tlsfence("catalog", "aws", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"platform", "setting", "verdict", "protocols", "excess", "source", "uncertain"} <= set(rows[0])
    elbv2 = [r for r in rows if r["platform"] == "aws-elbv2"]
    assert elbv2[0]["setting"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert elbv2[0]["verdict"] == "conforming-with-excess" and len(elbv2[0]["excess"]) == 2
    default = [r for r in elbv2 if r["default"]]
    assert [(r["setting"], r["verdict"]) for r in default] == [("ELBSecurityPolicy-2016-08", "nonconforming")]
    pq = [r for r in elbv2 if r["setting"] == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"][0]
    assert not pq["uncertain"] and pq["verdict"] == "conforming-with-excess"
    unsure = [r for r in rows if r["setting"] == "SecurityPolicy_TLS13_1_2_2021_06"][0]
    assert unsure["uncertain"] and unsure["verdict"] == "unverifiable"


def test_catalog_gcp_text_is_tightest_first():
    out = tlsfence("catalog", "gcp")
    assert out.returncode == 0
    section = out.stdout.split("\ngcp-ssl-policy:", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("  ") and "SETTING" not in line]
    assert lines[0].split()[0].startswith("CUSTOM/TLS_1_2") and "conforming" in lines[0]
    assert "RESTRICTED/TLS_1_0" in lines[1]


def test_allow_tls13_only_changes_tls13_only_rows():
    rows = json.loads(tlsfence("catalog", "aws", "--format", "json", "--allow-tls13-only").stdout)
    row = [r for r in rows if r["setting"] == "ELBSecurityPolicy-TLS13-1-3-2021-06"][0]
    assert row["verdict"] == "conforming"


@pytest.mark.parametrize("args,message", [
    (["catalog", "aws", "--profile", "nope"], "tlsfence: error: unknown profile 'nope'"),
    (["catalog", "azure"], "invalid choice: 'azure'"),
    (["profiles", "missing.json"], "tlsfence: error: profile file 'missing.json' does not exist"),
])
def test_usage_and_input_errors_exit_2_without_traceback(args, message):
    out = tlsfence(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_profiles_lists_aliases_and_json():
    out = tlsfence("profiles")
    assert out.returncode == 0
    assert "partner-tls-2024-12-03 (default)" in out.stdout
    assert "aliases: redirect-fop, card-fop, carriers, one-time-payment-code, client-side-push-provisioning" in \
        out.stdout
    data = json.loads(tlsfence("profiles", "card-fop", "--format", "json").stdout)
    assert data[0]["name"] == "partner-tls-2024-12-03" and len(data[0]["allowed"]) == 6


def test_custom_profile_file_changes_verdicts(tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"name": "wide", "must_support_one_of": ["ECDHE-RSA-AES128-GCM-SHA256"],
                                "allowed": ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384",
                                            "ECDHE-ECDSA-AES128-GCM-SHA256"]}))
    rows = json.loads(tlsfence("catalog", "aws", "--format", "json", "--profile", str(path)).stdout)
    row = [r for r in rows if r["setting"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"][0]
    assert row["verdict"] == "conforming"


@pytest.mark.parametrize("cloud", ["aws", "gcp"])
def test_catalog_text_never_truncates_a_name(cloud):
    rows = json.loads(tlsfence("catalog", cloud, "--format", "json").stdout)
    text = tlsfence("catalog", cloud).stdout
    lines = [line for line in text.splitlines() if line.startswith("  ") and "SETTING" not in line]
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines, strict=True):
        assert line.startswith(f"  {row['setting']} ") and row["verdict"] in line.split(row["setting"], 1)[1]
    if cloud == "aws":
        assert max(len(r["setting"]) for r in rows) > 52  # the names a fixed 52-character column used to cut
