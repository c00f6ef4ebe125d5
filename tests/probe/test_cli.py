"""``tlsfence verify`` through the real CLI: exit codes, one-line errors, target parsing, targets files,
SARIF and text output, and no progress noise when stderr is not a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tlsfence.cli.main import main
from tlsfence.errors import InputError
from tlsfence.probe.cli import parse_target

LONG_LABEL = "a" * 64 + ".test"  # fails IDNA encoding locally: no DNS query leaves the machine


@pytest.mark.parametrize(("text", "expected"), [
    ("example.com", ("example.com", 443)),
    ("example.com:8443", ("example.com", 8443)),
    ("[::1]:8443", ("::1", 8443)),
    ("[::1]", ("::1", 443)),
    ("::1", ("::1", 443)),
    ("https://example.com:9443/path", ("example.com", 9443)),
])
def test_parse_target(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["example.com:0", "example.com:70000", "example.com:http", ":443",
                                  "http://example.com", "[::1]x"])
def test_bad_targets_are_input_errors(text):
    with pytest.raises(InputError, match="target"):
        parse_target(text)


@pytest.mark.parametrize(("argv", "message"), [
    (["verify"], "tlsfence: error: no target given: pass HOST[:PORT] or --targets-file FILE\n"),
    (["verify", "example.com:99999"], "tlsfence: error: target 'example.com:99999': expected HOST[:PORT] with a "
                                      "port between 1 and 65535\n"),
    (["verify", "x.test", "--ip", "not-an-ip"], "tlsfence: error: --ip 'not-an-ip' is not an IP address\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--timeout", "0"],
     "tlsfence: error: --timeout must be between 0 and 300 seconds, not 0\n"),
    (["verify", "--targets-file", "/nonexistent/targets.txt"],
     "tlsfence: error: /nonexistent/targets.txt: cannot read targets file: No such file or directory\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--profile", "nope"], "tlsfence: error: unknown profile 'nope'"),
    ([ "verify", f"{LONG_LABEL}:443"], f"tlsfence: error: cannot resolve '{LONG_LABEL}': "),
    # Names IDNA cannot encode, with --ip (no resolution): caught before any probing, not in a prober task.
    (["verify", f"{LONG_LABEL}:443", "--ip", "127.0.0.1"],
     f"tlsfence: error: target '{LONG_LABEL}:443': server name '{LONG_LABEL}' cannot be encoded with IDNA: "
     "label empty or too long\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--sni", "a..b"],
     "tlsfence: error: --sni: server name 'a..b' cannot be encoded with IDNA: label empty or too long\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--sni", "\udcff.test"],
     "tlsfence: error: --sni: server name '\\udcff.test' cannot be encoded with IDNA: Invalid character "
     "'\\udcff'\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--sni", "é" * 300],
     "tlsfence: error: --sni: server name '" + "é" * 80 + "' cannot be encoded with IDNA: label empty or too long\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--ca-file", "/dev/null"],
     "tlsfence: error: /dev/null: cannot read --ca-file: a device (only regular files are read)\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--ca-file", __file__],
     f"tlsfence: error: --ca-file {__file__!r}: no PEM certificate OpenSSL can load in it\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--deadline", "0"],
     "tlsfence: error: --deadline must be between 0 and 3600 seconds, not 0\n"),
    (["verify", "x.test", "--ip", "127.0.0.1", "--deadline", "nan"],
     "tlsfence: error: --deadline must be between 0 and 3600 seconds, not nan\n"),
])
def test_usage_and_resolution_errors_exit_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_targets_file_with_comments_and_sarif(nginx, pki, tmp_path, capsys):
    listing = tmp_path / "targets.txt"
    listing.write_text(f"# partner endpoints\nserver.test:{nginx['legacy']}  # old\n\nserver.test:{nginx['extra']}\n")
    code = main(["verify", "--targets-file", str(listing), "--ip", "127.0.0.1", "--ca-file", pki.ca,
                 "--format", "sarif", "--timeout", "3"])
    assert code == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    # per target: its verdict, then a note for each certificate warning (private CA, revocation unknown)
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("TLSF-VERIFY-001", "error"), ("TLSF-VERIFY-004", "note"), ("TLSF-VERIFY-004", "note"),
        ("TLSF-VERIFY-003", "warning"), ("TLSF-VERIFY-004", "note"), ("TLSF-VERIFY-004", "note")]
    assert "revocation unknown" in run["results"][1]["message"]["text"] + run["results"][2]["message"]["text"]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        # located at the targets-file line that named it, relative to the root (no git here: the file's dir)
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "targets.txt"
        assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("https://server.test:")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [2, 2, 2, 4, 4, 4]
    assert run["results"][3]["properties"]["excess"] == ["AES128-GCM-SHA256", "AES128-SHA",
                                                        "ECDHE-RSA-AES256-GCM-SHA384"]
    jsonschema = pytest.importorskip("jsonschema")
    schema = Path(__file__).parents[1] / "check" / "data" / "sarif-schema-2.1.0.json"  # the OASIS schema
    if schema.exists():
        jsonschema.Draft4Validator(json.loads(schema.read_text())).validate(log)


def test_subprocess_text_output_and_no_progress_without_a_tty(nginx, pki):
    proc = subprocess.run([sys.executable, "-m", "tlsfence", "verify", f"server.test:{nginx['allowed6']}",
                           "--ip", "127.0.0.1", "--ca-file", pki.ca, "--timeout", "3"],
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.splitlines()
    assert lines[0] == (f"server.test:{nginx['allowed6']} (127.0.0.1:{nginx['allowed6']}, SNI server.test): "
                        "conforming  [profile partner-tls-2024-12-03]")
    assert lines[1].startswith("  TLSv1.2  ECDHE-")
    assert "  refused  SSLv2, SSLv3, TLSv1.0, TLSv1.1" in lines
    assert "Traceback" not in proc.stdout + proc.stderr


def test_module_entry_point_matches_the_cli(nginx, pki):
    proc = subprocess.run([sys.executable, "-m", "tlsfence.probe", "verify", f"server.test:{nginx['legacy']}",
                           "--ip", "127.0.0.1", "--ca-file", pki.ca, "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)[0]["verdict"] == "nonconforming"


def test_json_keys_are_the_documented_ones(nginx, pki, capsys):
    main(["verify", f"server.test:{nginx['allowed6']}", "--ip", "127.0.0.1", "--ca-file", pki.ca, "--format", "json"])
    result = json.loads(capsys.readouterr().out)[0]
    assert set(result) == {"target", "ip", "port", "sni", "protocols", "suites", "verdict", "profile", "excess",
                           "reasons", "warnings", "certificate", "certificates", "versions", "handshakes",
                           "elapsed_s", "errors"}
    assert set(result["certificate"]) >= {"names", "issuer", "not_after", "key_type", "name_match", "chain_trusted",
                                          "self_signed", "ocsp_stapled"}
    assert result["suites"]["TLSv1.2"][0].keys() == {"code", "openssl", "iana"}


def test_resolve_maps_a_target_name_without_dns(nginx, pki, capsys):
    code = main(["verify", f"server.test:{nginx['allowed6']}", "--resolve", "server.test:127.0.0.1", "--ca-file",
                 pki.ca, "--no-revocation", "--format", "json"])
    result = json.loads(capsys.readouterr().out)[0]
    assert (code, result["ip"], result["sni"], result["verdict"]) == (0, "127.0.0.1", "server.test", "conforming")
