"""Google serverless default URLs."""

import pytest

from tests.analyzers.conftest import one, res
from tlsfence.resources import UNKNOWN


@pytest.mark.parametrize("token,props,verdict", [
    ("gcp:cloudrunv2/service:Service", {}, "unverifiable"),
    ("gcp:cloudrunv2/service:Service", {"ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"}, "unverifiable"),
    ("gcp:cloudrunv2/service:Service", {"ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
                                        "defaultUriDisabled": True}, "conforming"),
    ("gcp:cloudrunv2/service:Service", {"ingress": UNKNOWN, "defaultUriDisabled": True}, "unverifiable"),
    ("gcp:cloudrun/service:Service", {"metadata": {"annotations": {
        "run.googleapis.com/ingress": "internal-and-cloud-load-balancing",
        "run.googleapis.com/default-url-disabled": "true"}}}, "conforming"),
    ("gcp:cloudfunctionsv2/function:Function", {}, "unverifiable"),
    ("gcp:cloudfunctionsv2/function:Function", {"serviceConfig": {"ingressSettings": "ALLOW_INTERNAL_AND_GCLB"}},
     "conforming"),
    ("gcp:apigateway/gateway:Gateway", {"apiConfig": "c"}, "unverifiable"),
])
def test_serverless(token, props, verdict):
    assert one(res(token, props)).decision.verdict.value == verdict


def test_open_run_app_says_what_is_missing():
    e = one(res("gcp:cloudrunv2/service:Service", {"ingress": "INGRESS_TRAFFIC_ALL"}))
    assert "missing ingress internal-and-cloud-load-balancing, defaultUriDisabled: true" in e.decision.reasons[0]
    assert "ServerlessFront" in e.tightest
