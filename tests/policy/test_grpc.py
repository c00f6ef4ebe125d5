"""The pack as its own process, launched the way the CLI launches a Python pack, called over real gRPC.

``python -u -m pulumi.policy <engineAddress> <packDir>`` (pulumi-language-python main.go; the launcher only
parses the address) runs ``policies/__main__.py``, which prints its port. The same cases as the in-process
servicer test must give the same diagnostics, in the same order.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime import proto
from pulumi.runtime.proto import analyzer_pb2_grpc

from tests.policy import harness as h
from tlsfence.policy.engine import analyze_request, analyze_stack_request, configure_request, diagnostics
from tlsfence.policy.rules import policy_names

START_TIMEOUT = 60


@pytest.fixture(scope="module")
def stub() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    """One pack process for the module; killed in finally."""
    env = {**os.environ, "PYTHONPATH": str(h.ROOT)}
    proc = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", "policies"], cwd=h.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=START_TIMEOUT):
            raise AssertionError("the pack printed no port in time")
        port = int(proc.stdout.readline().decode().strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=START_TIMEOUT)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _over_grpc(stub, resources, policy_config=None):
    stub.Configure(configure_request(policy_config), timeout=30)
    out = []
    for res in resources:
        out.extend(diagnostics(stub.Analyze(analyze_request(res), timeout=30), res.urn))
    out.extend(diagnostics(stub.AnalyzeStack(analyze_stack_request(resources), timeout=60)))
    return out


def test_analyzer_info_over_grpc(stub):
    info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
    assert info.name == "tlsfence"
    assert [p.name for p in info.policies] == policy_names()


@pytest.mark.parametrize(("program", "preview", "config"), [
    ("aws_mix", False, None), ("aws_mix", True, {"exemptions": h.EXEMPTIONS}),
    ("gcp_mix", True, None), ("gcp_mix", False, {"strict": True}),
    ("gcp_lb", False, None), ("gcp_lb", True, {"internet-facing-only": True}),
    ("elbv2_joins", True, None), ("elbv2_joins", False, {"internet-facing-only": True}), ("gwlb", False, None),
    ("aws_families", True, None),
    ("k8s_mix", True, None), ("k8s_mix", False, {"internet-facing-only": True}),
    ("managed_mix", False, None),
])
def test_programs_same_as_in_process(stub, program, preview, config):
    resources = list(h.recorded(program, preview))
    remote = _over_grpc(stub, resources, config)
    assert remote == h.in_process(resources, config)
    expected = {("aws_mix", False, None): h.AWS_EXPECTED, ("aws_mix", True, None): h.AWS_PREVIEW_EXPECTED,
                ("gcp_mix", True, None): h.GCP_EXPECTED, ("elbv2_joins", True, None): h.ELBV2_PREVIEW_EXPECTED,
                ("elbv2_joins", False, "ifo"): h.ELBV2_IFO_EXPECTED, ("gwlb", False, None): {},
                ("gcp_lb", False, None): h.GCP_LB_EXPECTED, ("k8s_mix", True, None): h.K8S_PREVIEW_EXPECTED,
                ("managed_mix", False, None): h.MANAGED_EXPECTED,
                ("aws_families", True, None): h.FAMILIES_EXPECTED}
    key = (program, preview, "ifo" if config and "internet-facing-only" in config else None if config is None else "x")
    if key in expected:
        assert h.by_name(remote, resources) == expected[key]


def test_sentinels_same_as_in_process(stub):
    resources = h.sentinel_cases()
    remote = _over_grpc(stub, resources)
    assert h.by_name(remote, resources) == h.SENTINEL_EXPECTED
    assert remote == h.in_process(resources)
    assert all(d.level == "mandatory" for d in remote if d.policy == "tlsfence-elbv2-listener")


def test_crashing_analyzers_same_as_in_process(stub):
    """An analyzer that raises is the same mandatory violation over gRPC (and in check, tests/policy/test_guard)."""
    resources = h.crash_cases()
    remote = _over_grpc(stub, resources)
    assert remote == h.in_process(resources)
    assert sum(1 for d in remote if d.level == "mandatory" and "tlsfence cannot evaluate" in d.message) >= 5


def test_lb_cases_same_as_in_process(stub):
    resources = h.lb_cases()
    remote = _over_grpc(stub, resources)
    assert h.by_name(remote, resources) == h.LB_CASES_EXPECTED
    assert remote == h.in_process(resources)


def test_mapping_cases_same_as_in_process(stub):
    resources = h.mapping_cases()
    remote = _over_grpc(stub, resources)
    assert h.by_name(remote, resources) == h.MAPPING_CASES_EXPECTED
    assert remote == h.in_process(resources)


def test_plugin_info(stub):
    assert stub.GetPluginInfo(empty_pb2.Empty(), timeout=30).version
    assert proto.MANDATORY != proto.ADVISORY
