"""tlsfence/components/gcp/serverless.py: ServerlessFront, created or verified Cloud Run service."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

import tlsfence.program.recorder as recorder
from tests.components.helpers import CUSTOM, GCP_CONFIG, REPO, build, mandatory, outputs, pack, verdicts
from tlsfence.components.gcp import ComponentConfigError, ServerlessFront, ServerlessFrontArgs
from tlsfence.components.gcp.serverless import verify_closed

CONFORMING = ("conforming", (), "none")
CLOSED = {"name": "partner-api", "ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "defaultUriDisabled": True}


def front(**kw):
    return ServerlessFront("run", ServerlessFrontArgs(**{"region": "europe-west1", "domains": ["r.example.com"],
                                                         **kw}))


@pytest.fixture
def service_read(monkeypatch):
    """Make the mocks answer cloudrunv2.getService with the given service."""
    answer: dict = {}
    make = recorder._make_mocks

    def patched(project, preview):
        mocks = make(project, preview)
        mocks.call = lambda args: dict(answer) if args.token == "gcp:cloudrunv2/getService:getService" else {}
        return mocks

    monkeypatch.setattr(recorder, "_make_mocks", patched)
    return answer


def test_created_service_is_closed_and_the_front_is_conforming():
    door, regs = build(lambda: front(image="us-docker.pkg.dev/cloudrun/container/hello"), GCP_CONFIG)
    found = verdicts(regs)
    assert found[("gcp:cloudrunv2/service:Service", "run-service")] == CONFORMING
    assert found[("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "run-https")] == CONFORMING
    assert found[("gcp:compute/targetHttpProxy:TargetHttpProxy", "run-http")] == CONFORMING
    service = next(r for r in regs if r.type == "gcp:cloudrunv2/service:Service")
    assert service.inputs["ingress"] == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
    assert service.inputs["defaultUriDisabled"] is True
    neg = next(r for r in regs if r.type.endswith("RegionNetworkEndpointGroup"))
    assert neg.inputs["networkEndpointType"] == "SERVERLESS"
    inner = next(r for r in regs if r.type == "tlsfence:index:GlobalHttpsLoadBalancer")
    assert inner.parent.endswith("ServerlessFront::run")
    assert outputs(door) == {**outputs(door.load_balancer), "setting": CUSTOM}
    assert outputs(door)["verdict"] == "conforming"
    assert pack(regs, strict=True) == []


def test_existing_closed_service_is_verified_and_used(service_read):
    service_read.update(CLOSED)
    _, regs = build(lambda: front(cloud_run_service="partner-api"), GCP_CONFIG)
    neg = next(r for r in regs if r.type.endswith("RegionNetworkEndpointGroup"))
    assert neg.inputs["cloudRun"] == {"service": "partner-api"}
    assert mandatory(pack(regs)) == []


OPEN_MESSAGE = (
    "ServerlessFront 'run': Cloud Run service 'partner-api' still serves its run.app default URL on Google-managed "
    "TLS that no setting can lock to the profile; set ingress INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER (is "
    "INGRESS_TRAFFIC_ALL) and default_uri_disabled true (is False) on the service, or give image so that the "
    "component creates a closed service")

# Run in a child process: an exception raised inside an apply unwinds through pulumi's RPC error chain, and on
# CPython 3.11.7 that leaves the parser's recursion counter skewed for the rest of the process (pytest then
# crashes rewriting a later import with "AST constructor recursion depth mismatch").
OPEN_PROGRAM = """
import tlsfence.program.recorder as recorder
from tlsfence.components.gcp import ServerlessFront, ServerlessFrontArgs
make = recorder._make_mocks
def patched(project, preview):
    mocks = make(project, preview)
    mocks.call = lambda args: {"name": "partner-api", "ingress": "INGRESS_TRAFFIC_ALL", "defaultUriDisabled": False}
    return mocks
recorder._make_mocks = patched
try:
    recorder.run_under_mocks(lambda: ServerlessFront("run", ServerlessFrontArgs(
        region="europe-west1", domains=["r.example.com"], cloud_run_service="partner-api")),
        config={"gcp:project": "p"})
except Exception as e:
    print("REFUSED:", e)
"""


def test_verify_closed_names_what_is_open():
    service = SimpleNamespace(name="partner-api", ingress="INGRESS_TRAFFIC_ALL", default_uri_disabled=False)
    with pytest.raises(ComponentConfigError) as err:
        verify_closed("ServerlessFront", "run", service)
    assert str(err.value) == OPEN_MESSAGE
    closed = SimpleNamespace(name="partner-api", ingress="INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
                             default_uri_disabled=True)
    assert verify_closed("ServerlessFront", "run", closed) == "partner-api"


def test_existing_open_service_fails_the_deployment():
    proc = subprocess.run([sys.executable, "-c", OPEN_PROGRAM], capture_output=True, text=True, cwd=REPO,
                          timeout=120)
    assert "REFUSED:" in proc.stdout, proc.stderr
    assert OPEN_MESSAGE in proc.stdout


def test_exactly_one_backend_is_required():
    with pytest.raises(ComponentConfigError, match="give exactly one of image"):
        front()
    with pytest.raises(ComponentConfigError, match="give exactly one of image"):
        front(image="i", cloud_run_service="s")
