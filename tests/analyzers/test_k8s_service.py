"""LoadBalancer Services on AWS: the controller's NLB, the in-tree NLB and classic ELB, with documented defaults."""

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze
from tlsfence.resources import UNKNOWN

SVC = "kubernetes:core/v1:Service"
S = "service.beta.kubernetes.io/aws-load-balancer-"
CERT = "arn:aws:acm:us-east-1:1:certificate/x"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
PORTS = [{"name": "https", "port": 443.0}, {"name": "http", "port": 80.0}]


def service(annotations, ports=None, **spec):
    return res(SVC, {"metadata": {"annotations": annotations},
                     "spec": {"type": "LoadBalancer", "ports": PORTS if ports is None else ports, **spec}})


def table(resource):
    return [(e.exposure, e.decision.verdict.value, e.setting.describe()) for e in analyze(resource, PROFILE)]


POLICY = S + "ssl-negotiation-policy"


@pytest.mark.parametrize(("annotations", "spec", "expected"), [
    # the controller's NLB, present / absent / weakened policy, ssl-ports by number and by name
    ({S + "type": "external", S + "ssl-cert": CERT, S + "ssl-ports": "443", POLICY: RES}, {},
     [("TLS listener :443 (NLB)", "conforming-with-excess", f"{POLICY}={RES}"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    ({S + "type": "nlb-ip", S + "ssl-cert": CERT, S + "ssl-ports": "https"}, {},
     [("TLS listener :443 (NLB)", "nonconforming", f"{POLICY}=ELBSecurityPolicy-2016-08 (provider default)"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    ({S + "ssl-cert": CERT, S + "ssl-ports": "443", POLICY: "ELBSecurityPolicy-TLS-1-1-2017-01"},
     {"loadBalancerClass": "service.k8s.aws/nlb"},
     [("TLS listener :443 (NLB)", "nonconforming", f"{POLICY}=ELBSecurityPolicy-TLS-1-1-2017-01"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    # the controller: ssl-ports absent = every port; '*' = no port
    ({S + "type": "external", S + "ssl-cert": CERT, POLICY: RES}, {},
     [("TLS listener :443 (NLB)", "conforming-with-excess", f"{POLICY}={RES}"),
      ("TLS listener :80 (NLB)", "conforming-with-excess", f"{POLICY}={RES}")]),
    ({S + "type": "external", S + "ssl-cert": CERT, S + "ssl-ports": "*", POLICY: RES}, {},
     [("TCP listener :443 (NLB)", "not-terminated", "protocol=TCP"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    # in-tree NLB: the ELBv2 default
    ({S + "type": "nlb", S + "ssl-cert": CERT, S + "ssl-ports": "443"}, {},
     [("TLS listener :443 (NLB)", "nonconforming", f"{POLICY}=ELBSecurityPolicy-2016-08 (provider default)"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    # no type: in-tree classic ELB (or the controller's NLB): the worse; backend-protocol http = plaintext :80
    ({S + "ssl-cert": CERT, S + "ssl-ports": "443", S + "backend-protocol": "http"}, {},
     [("HTTPS listener :443 (classic ELB)", "nonconforming", f"{POLICY}=ELBSecurityPolicy-2016-08 (provider default)"),
      ("HTTP listener :80 (classic ELB)", "nonconforming", f"{S}backend-protocol=http")]),
    ({S + "ssl-cert": CERT, S + "ssl-ports": "443", POLICY: "ELBSecurityPolicy-TLS-1-2-2017-01"}, {},
     [("SSL listener :443 (classic ELB)", "conforming-with-excess", f"{POLICY}=ELBSecurityPolicy-TLS-1-2-2017-01"),
      ("TCP listener :80 (classic ELB)", "not-terminated", "protocol=TCP")]),
    # not understood: backend protocol, a load balancer class, unknown at preview, wrong type
    ({S + "ssl-cert": CERT, S + "backend-protocol": "grpc"}, {},
     [("LoadBalancer Service port", "unverifiable", "spec.ports=<unknown>")] * 2),
    ({}, {"loadBalancerClass": "example.com/lb"}, [("LoadBalancer Service", "unverifiable", "service=<unknown>")]),
    ({S + "type": "external", S + "ssl-cert": CERT, POLICY: UNKNOWN}, {},
     [("LoadBalancer Service", "unverifiable", "service=<unknown>")]),
    ({S + "type": "external", S + "ssl-cert": CERT, S + "ssl-ports": 443}, {},
     [("LoadBalancer Service", "unverifiable", "service=<unknown>")]),
    # a certificate ARN computed from another resource (unknown at preview) is still a certificate
    ({S + "type": "external", S + "ssl-cert": UNKNOWN, S + "ssl-ports": "443", POLICY: RES}, {},
     [("TLS listener :443 (NLB)", "conforming-with-excess", f"{POLICY}={RES}"),
      ("TCP listener :80 (NLB)", "not-terminated", "protocol=TCP")]),
    # no AWS annotations: layer-4 pass-through
    ({}, {}, [("TCP load balancer port :443", "not-terminated", "protocol=TCP"),
              ("TCP load balancer port :80", "not-terminated", "protocol=TCP")]),
])
def test_service(annotations, spec, expected):
    assert table(service(annotations, **spec)) == expected


def test_unknown_names_the_annotation():
    e = analyze(service({S + "type": "external", S + "ssl-cert": CERT, POLICY: UNKNOWN}), PROFILE)[0]
    assert e.decision.unknown == (f"annotation {POLICY} (unknown until deployed)",)
    e = analyze(service({S + "type": "external", S + "ssl-cert": CERT}, ports=UNKNOWN), PROFILE)[0]
    assert e.decision.unknown == ("spec.ports (unknown until deployed)",)


@pytest.mark.parametrize("spec", [{"type": "ClusterIP", "ports": PORTS}, {"ports": PORTS}, {"type": "NodePort"}])
def test_services_without_load_balancer_expose_nothing(spec):
    assert analyze(res(SVC, {"metadata": {"annotations": {S + "ssl-cert": CERT}}, "spec": spec}), PROFILE) == []


@pytest.mark.parametrize(("annotations", "facing"), [
    ({S + "type": "external"}, False), ({S + "type": "external", S + "scheme": "internet-facing"}, True),
    ({S + "type": "nlb"}, True), ({S + "type": "nlb", S + "internal": "true"}, False),
])
def test_scheme_defaults_differ_by_controller(annotations, facing):
    found = analyze(service({S + "ssl-cert": CERT, **annotations}), PROFILE)
    assert {e.internet_facing for e in found} == {facing}


def test_lists_judge_every_item_and_patches_of_tls_fields_fail_closed():
    items = [{"metadata": {"name": "a", "annotations": {S + "type": "external", S + "ssl-cert": CERT, POLICY: RES}},
              "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]}},
             {"metadata": {"name": "b"}, "spec": {"type": "ClusterIP", "ports": [{"port": 80}]}}]
    found = analyze(res(SVC + "List", {"items": items}, name="svcs"), PROFILE)
    assert [(e.exposure, e.type, e.decision.verdict.value) for e in found] == [
        ("TLS listener :443 (NLB) (item a)", SVC + "List", "conforming-with-excess")]
    assert analyze(res(SVC + "List", {"items": UNKNOWN}), PROFILE)[0].decision.verdict.value == "unverifiable"
    patch = analyze(res(SVC + "Patch", {"metadata": {"annotations": {POLICY: "ELBSecurityPolicy-2016-08"}}}), PROFILE)
    assert [(e.family, e.decision.verdict.value) for e in patch] == [("k8s-service", "unverifiable")]
    assert f"annotation {POLICY}" in patch[0].message()
    assert analyze(res(SVC + "Patch", {"metadata": {"labels": {"team": "api"}}}), PROFILE) == []
    ingress_patch = res("kubernetes:networking.k8s.io/v1:IngressPatch", {"spec": {"tls": [{"hosts": ["a"]}]}})
    assert [e.decision.verdict.value for e in analyze(ingress_patch, PROFILE)] == ["unverifiable"]
