"""``tlsfence verify --from-state / --from-preview / --stack-outputs`` against the test servers on 127.0.0.1: every
endpoint the stack exposes is probed and set next to the pack's verdict for its setting, drift is flagged both ways,
exposures without a place to probe are listed (failing unless they serve no TLS), and no name is ever resolved
(``--no-dns``; names are mapped with ``--resolve``/``--connect-to``)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.probe import stack_states
from tests.probe.servers import Pki
from tlsfence.cli.main import main
from tlsfence.probe import endpoints
from tlsfence.probe.stack import parse_connect_to, parse_resolve, run
from tlsfence.probe.verify import VerifyOptions
from tlsfence.profiles import load_profile
from tlsfence.resources import UNKNOWN


def _connect(nginx: dict[str, int]) -> list[str]:
    """Stack names → servers: the ALB's :443 and the API domain offer excess, its :8443 exactly the six,
    CloudFront accepts TLS 1.0 (the stack's settings say: excess, nonconforming, excess, excess)."""
    return [f"lb.server.test:443:127.0.0.1:{nginx['extra']}", f"api.server.test:443:127.0.0.1:{nginx['extra']}",
            f"lb.server.test:8443:127.0.0.1:{nginx['allowed6']}", f"api.server.test:8443:127.0.0.1:{nginx['allowed6']}",
            f"d1.server.test:443:127.0.0.1:{nginx['legacy']}", f"cdn.server.test:443:127.0.0.1:{nginx['legacy']}",
            f"pay.server.test:443:127.0.0.1:{nginx['extra']}"]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["verify", *args])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def state_file(tmp_path_factory: pytest.TempPathFactory, nginx: dict[str, int]) -> Path:
    path = tmp_path_factory.mktemp("stack") / "state.json"
    path.write_text(json.dumps(stack_states.state(nginx["allowed6"])))
    return path


@pytest.fixture(scope="module")
def state_report(state_file: Path, nginx: dict[str, int], pki: Pki) -> tuple[int, dict[str, Any]]:
    """One run over the whole state (module-scoped: the probes are the slow part)."""
    buffer = io.StringIO()
    args = [a for c in _connect(nginx) for a in ("--connect-to", c)]
    with contextlib.redirect_stdout(buffer):
        code = main(["verify", "--from-state", str(state_file), *args, "--no-dns", "--ca-file", pki.ca,
                     "--no-revocation", "--timeout", "3", "--format", "json"])
    return code, json.loads(buffer.getvalue())


def _by_place(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{e['host']}:{e['port']}": e for e in report["endpoints"]}


def test_every_endpoint_the_state_exposes_is_probed_next_to_its_setting(state_report, nginx):
    code, report = state_report
    assert code == 1  # CloudFront fails on the wire, and three places drift
    places = _by_place(report)
    assert sorted(places) == sorted([
        "lb.server.test:443", "lb.server.test:8443", "api.server.test:443", "api.server.test:8443",
        "d1.server.test:443", "cdn.server.test:443", "pay.server.test:443", f"gcp.server.test:{nginx['allowed6']}"])
    expected = {  # place: (configuration verdict, wire verdict, drift?)
        "lb.server.test:443": ("conforming-with-excess", "conforming-with-excess", False),
        "api.server.test:443": ("conforming-with-excess", "conforming-with-excess", False),
        "lb.server.test:8443": ("nonconforming", "conforming", True),
        "api.server.test:8443": ("nonconforming", "conforming", True),
        # the default name of a custom-certificate distribution: its TLS is not documented (unverifiable)
        "d1.server.test:443": ("unverifiable", "nonconforming", False),
        "cdn.server.test:443": ("conforming-with-excess", "nonconforming", True),
        "pay.server.test:443": ("conforming-with-excess", "conforming-with-excess", False),
        f"gcp.server.test:{nginx['allowed6']}": ("conforming", "conforming", False),
    }
    for place, (config, wire, drift) in expected.items():
        e = places[place]
        assert (e["configuration"]["verdict"], e["wire"]["verdict"], e["drift"] is not None) == (config, wire, drift), \
            place
        assert e["wire"]["sni"] == e["host"] and e["wire"]["ip"] == "127.0.0.1"
    assert places["lb.server.test:8443"]["drift"] == (
        "configuration says nonconforming, the wire offers conforming (the wire is better than the setting: stale "
        "state or a catalog entry to check)")
    assert places["cdn.server.test:443"]["drift"].startswith(
        "configuration says conforming-with-excess, the wire offers nonconforming (changed outside Pulumi")
    assert places["lb.server.test:8443"]["wire"]["port"] == nginx["allowed6"]  # --connect-to moved the port
    assert report["summary"] == {"endpoints": 8, "wire": {"conforming": 3, "conforming-with-excess": 3,
                                                          "nonconforming": 2},
                                 "drift": 3, "not_probed": 3, "not_probed_failing": 0}


def test_origins_name_the_resources_and_the_dns_alias(state_report, nginx):
    places = _by_place(state_report[1])
    assert places["lb.server.test:443"]["origins"] == ["aws:lb/listener:Listener 'https' dnsName"]
    assert places["api.server.test:443"]["origins"] == ["aws:route53/record:Record api.server.test → lb.server.test"]
    assert places["cdn.server.test:443"]["origins"] == ["aws:cloudfront/distribution:Distribution 'cdn' aliases[]"]
    gcp = places[f"gcp.server.test:{nginx['allowed6']}"]  # the address came from the state: no mapping needed
    assert [c["type"] for c in gcp["configuration"]["exposures"]] == [
        "gcp:compute/targetHttpsProxy:TargetHttpsProxy", "gcp:compute/globalForwardingRule:GlobalForwardingRule"]
    assert [c["exposure"] for c in places["lb.server.test:8443"]["configuration"]["exposures"]] == [
        "HTTPS listener :8443"]


def test_exposures_without_tls_are_listed_not_failed(state_report):
    rows = {(n["type"], n["name"]): (n["why"], n["fails"]) for n in state_report[1]["not_probed"]}
    assert rows == {
        ("aws:lb/listener:Listener", "http"): ("protocol=HTTP: no TLS to probe", False),
        ("aws:apigateway/restApi:RestApi", "api"): ("disableExecuteApiEndpoint is true: the endpoint is switched off",
                                                    False),
        ("gcp:compute/sSLPolicy:SSLPolicy", "custom"): (
            "a policy: it is probed through the listeners and proxies that attach it", False),
    }


def test_text_and_sarif(state_file, nginx, pki, capsys):
    args = [a for c in _connect(nginx) for a in ("--connect-to", c)]
    common = ["--from-state", str(state_file), *args, "--no-dns", "--ca-file", pki.ca, "--no-revocation",
              "--timeout", "3"]
    code, text = _cli(capsys, *common)
    assert code == 1
    assert "== lb.server.test:8443  wire conforming; configuration nonconforming; DRIFT: configuration says " \
           "nonconforming, the wire offers conforming" in text
    assert "  config   nonconforming (mandatory): HTTPS listener :8443 of aws:lb/listener:Listener 'legacy': " \
           "sslPolicy=ELBSecurityPolicy-2016-08" in text
    assert "  named by aws:route53/record:Record api.server.test → lb.server.test" in text
    assert "  info     HTTP listener :80 of aws:lb/listener:Listener 'http' (conforming): protocol=HTTP: no TLS" in text
    assert text.rstrip().endswith("8 endpoints probed (3 conforming, 3 conforming-with-excess, 2 nonconforming); "
                                  "3 with drift; 3 exposures not probed (0 failing)")
    code, out = _cli(capsys, *common, "--format", "sarif")
    log = json.loads(out)
    drift = [r for r in log["runs"][0]["results"] if r["ruleId"] == "TLSF-VERIFY-005"]
    assert len(drift) == 3 and {r["level"] for r in drift} == {"error"}
    assert any("aws:lb/listener:Listener::legacy" in r["locations"][0]["logicalLocations"][0]["name"] for r in drift)
    jsonschema = pytest.importorskip("jsonschema")
    schema = Path(__file__).parents[1] / "check" / "data" / "sarif-schema-2.1.0.json"
    jsonschema.Draft4Validator(json.loads(schema.read_text())).validate(log)


def test_preview_probes_what_is_known_and_fails_closed_on_computed_names(tmp_path, nginx, pki, capsys):
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(stack_states.preview()))
    code, out = _cli(capsys, "--from-preview", str(path), "--connect-to",
                     f"cdn.server.test:443:127.0.0.1:{nginx['extra']}", "--no-dns", "--ca-file", pki.ca,
                     "--no-revocation", "--timeout", "3", "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert [(e["host"], e["configuration"]["verdict"], e["wire"]["verdict"], e["drift"]) for e in report["endpoints"]] \
        == [("cdn.server.test", "conforming-with-excess", "conforming-with-excess", None)]
    failing = sorted((n["name"], n["why"]) for n in report["not_probed"] if n["fails"])
    assert failing == [("https", "no hostname known in the stack (computed, not known at preview)"),
                       ("legacy", "no hostname known in the stack (computed, not known at preview)")]


def test_stack_outputs_hostnames_and_urls(tmp_path, nginx, pki, capsys):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"url": f"https://api.server.test:{nginx['allowed6']}/v1", "lb": "lb.server.test",
                                "arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/y", "count": 3,
                                "nested": {"plain": ["http://plain.server.test/"], "wild": "*.server.test"}}))
    common = ["--stack-outputs", str(path), "--resolve", "api.server.test:127.0.0.1", "--connect-to",
              f"lb.server.test:443:127.0.0.1:{nginx['extra']}", "--no-dns", "--ca-file", pki.ca, "--no-revocation",
              "--timeout", "3", "--format", "json"]
    code, out = _cli(capsys, *common)
    report = json.loads(out)
    assert code == 0
    assert [(e["host"], e["port"], e["origins"], e["configuration"]["verdict"], e["wire"]["verdict"])
            for e in report["endpoints"]] == [
        ("api.server.test", nginx["allowed6"], ["stack output url"], None, "conforming"),
        ("lb.server.test", 443, ["stack output lb"], None, "conforming-with-excess")]
    code, _ = _cli(capsys, *common, "--strict")
    assert code == 1  # excess fails under --strict, as for plain targets


def test_no_dns_never_resolves(tmp_path, capsys):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"url": "https://nowhere.server.test/"}))
    code, out = _cli(capsys, "--stack-outputs", str(path), "--no-dns", "--format", "json")
    endpoint = json.loads(out)["endpoints"][0]
    assert code == 1
    assert endpoint["wire"]["verdict"] == "unverifiable" and endpoint["wire"]["handshakes"] == 0
    assert endpoint["wire"]["reasons"] == [
        "not probed: 'nowhere.server.test' has no --resolve/--connect-to entry and --no-dns is set"]


@pytest.mark.parametrize(("args", "message"), [
    (["--from-state", "{state}", "server.test"], "take their targets from the stack"),
    (["--from-state", "{state}", "--ip", "127.0.0.1"], "take their targets from the stack"),
    (["--from-state", "{state}", "--resolve", "lb.server.test"], "--resolve 'lb.server.test': expected HOST:IP"),
    (["--from-state", "{state}", "--resolve", "lb.server.test:not-an-ip"], "expected HOST:IP"),
    (["--from-state", "{state}", "--connect-to", "lb.server.test:443:127.0.0.1"], "expected HOST:PORT:IP:PORT"),
    (["--from-state", "{state}", "--connect-to", "lb.server.test:443:127.0.0.1:0"], "with ports 1-65535"),
    (["--from-state", "{missing}"], "missing.json"),
    (["--stack-outputs", "{list}"], "not `pulumi stack output --json` output (expected a JSON object)"),
    (["--stack-outputs", "{empty}"], "the stack names no endpoint to verify"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, state_file, capsys, args, message):
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "empty.json").write_text('{"count": 3}')
    paths = {"state": str(state_file), "missing": str(tmp_path / "missing.json"), "list": str(tmp_path / "list.json"),
             "empty": str(tmp_path / "empty.json")}
    code = main(["verify", *[a.format(**paths) for a in args], "--no-dns"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(("value", "expected"), [
    ("api.example.com", "api.example.com"),
    ("API.Example.com.", "api.example.com"),
    ("https://api.example.com:8443/v1?x=1", "api.example.com"),
    ("http://api.example.com/", None),             # plaintext: nothing to verify
    ("*.example.com", None),                       # a wildcard names no host
    ("arn:aws:acm:eu-west-1:1:certificate/x", None),
    ("localhost", None),                           # no dot: not a public name
    (UNKNOWN, None),                               # computed, not known at preview
    (443, None),
    (None, None),
])
def test_hostname_table(value, expected):
    assert endpoints.hostname(value) == expected


@pytest.mark.parametrize(("arn", "host"), [
    ("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3", "a1b2c3.execute-api.eu-west-1.amazonaws.com"),
    ("arn:aws:execute-api:us-east-1:1:abc/*/GET/", "abc.execute-api.us-east-1.amazonaws.com"),
    ("arn:aws:lambda:us-east-1:1:function:x", None),
    ("arn:aws:execute-api::1:abc", None),
])
def test_execute_api_host_from_arn(arn, host):
    assert endpoints._execute_api(arn) == host


def test_resolve_and_connect_to_parsing():
    assert parse_resolve(["A.server.test:127.0.0.1", "b.server.test:::1"]) == {
        "a.server.test": "127.0.0.1", "b.server.test": "::1"}
    assert parse_connect_to(["a.server.test:443:[::1]:8443", "b.server.test:443:127.0.0.1:9443"]) == {
        ("a.server.test", 443): ("::1", 8443), ("b.server.test", 443): ("127.0.0.1", 9443)}


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_only(tmp_path, nginx, pki):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"url": f"https://api.server.test:{nginx['allowed6']}/"}))
    options = VerifyOptions(load_profile(None), timeout=3, cafile=pki.ca, revocation=False)
    for err, shown in ((_Tty(), True), (io.StringIO(), False)):
        out = io.StringIO()
        code = run(state=None, preview=None, outputs=str(path), resolve=["api.server.test:127.0.0.1"],
                   options=options, overrides={}, fmt="text", strict=False, dns=False, out=out, err=err)
        assert code == 0
        assert ("tlsfence verify: 1/1 endpoints, last api.server.test:" in err.getvalue()) is shown
        assert out.getvalue().startswith(f"== api.server.test:{nginx['allowed6']}  wire conforming; configuration -")


def test_kubernetes_ingress_is_probed_on_the_tls_ports_its_exposures_name(tmp_path, nginx, pki, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(stack_states.k8s_state(nginx["extra"])))
    code, out = _cli(capsys, "--from-state", str(path), "--resolve", "shop.server.test:127.0.0.1", "--resolve",
                     "k8s-shop.server.test:127.0.0.1", "--no-dns", "--ca-file", pki.ca, "--no-revocation",
                     "--timeout", "3", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert [(e["host"], e["port"], [c["exposure"] for c in e["configuration"]["exposures"]], e["wire"]["verdict"],
             e["drift"]) for e in report["endpoints"]] == [
        (host, nginx["extra"], [f"ALB HTTPS listener :{nginx['extra']}"], "conforming-with-excess", None)
        for host in ("shop.server.test", "k8s-shop.server.test")]
    assert [(n["exposure"], n["why"], n["fails"]) for n in report["not_probed"]] == [
        ("ALB HTTP listener :80", "plaintext: no TLS to probe", False)]


def test_a_listener_whose_load_balancer_is_not_in_the_state_fails_closed(tmp_path, capsys):
    resources = [r for r in stack_states.resources(443) if r["type"] == "aws:lb/listener:Listener"]
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": resources}}))
    code, out = _cli(capsys, "--from-state", str(path), "--no-dns", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["endpoints"] == []
    assert [(n["name"], n["why"], n["fails"]) for n in report["not_probed"]] == [
        ("https", "the resource its loadBalancerArn names is not in the stack (its hostname is there)", True),
        ("legacy", "the resource its loadBalancerArn names is not in the stack (its hostname is there)", True),
        ("http", "protocol=HTTP: no TLS to probe", False)]
