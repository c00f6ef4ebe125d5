"""tlsfence/components/kubernetes.py: the ALB Ingress and the GKE Ingress pass the pack under mocks, refuse weaker
settings, and export what ``tlsfence check`` reports for the same program."""

import pytest

from tests.components.helpers import (
    CUSTOM,
    ELBV2_EXCESS,
    GCP_CONFIG,
    build,
    check,
    mandatory,
    outputs,
    pack,
    verdicts,
    write_project,
)
from tlsfence.components.kubernetes import AlbIngress, AlbIngressArgs, ComponentConfigError, GkeIngress, GkeIngressArgs

ING = "kubernetes:networking.k8s.io/v1:Ingress"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/partner"
RULES = [{"host": "api.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
    "service": {"name": "api", "port": {"number": 80}}}}]}}]
TLS = [{"hosts": ["api.example.com"], "secretName": "api-tls"}]
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
GCP_SUITES = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-AES128-GCM-SHA256",
              "ECDHE-RSA-CHACHA20-POLY1305"]


def alb(**kw):
    return AlbIngress("api", AlbIngressArgs(**{"certificate_arn": CERT, "rules": RULES, "domain": "api.example.com",
                                               **kw}))


def gke(**kw):
    return GkeIngress("web", GkeIngressArgs(**{"rules": RULES, "tls": TLS, "domain": "api.example.com", **kw}))


def test_alb_ingress_is_the_tightest_alb_and_passes_the_pack():
    door, regs = build(alb)
    assert outputs(door) == {"endpoint": "https://api.example.com", "setting": RES,
                             "protocols": ["TLSv1.2", "TLSv1.3"], "suites": [
                                 "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                                 "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"],
                             "verdict": "conforming-with-excess", "excess": list(ELBV2_EXCESS)}
    ingress = next(r for r in regs if r.type == ING)
    ann = ingress.inputs["metadata"]["annotations"]
    assert ann["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert ann["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
    assert ingress.inputs["spec"]["ingressClassName"] == "alb"
    found = mandatory(pack(regs))
    assert found == [], found
    assert [d.policy for d in pack(regs)] == ["tlsfence-stack-join-advisory"]  # the two excess suites, advisory


def test_alb_ingress_without_port_80_and_internal():
    door, regs = build(lambda: alb(redirect_http=False, internal=True))
    ann = next(r for r in regs if r.type == ING).inputs["metadata"]["annotations"]
    assert ann["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTPS": 443}]'
    assert "alb.ingress.kubernetes.io/ssl-redirect" not in ann
    assert ann["alb.ingress.kubernetes.io/scheme"] == "internal"


@pytest.mark.parametrize(("kw", "message"), [
    ({"ssl_policy": "ELBSecurityPolicy-2016-08"},
     "AlbIngress 'api': ssl_policy 'ELBSecurityPolicy-2016-08' is nonconforming (accepts TLSv1.0, TLSv1.1 (below "
     "TLSv1.2)) under profile partner-tls-2024-12-03. Conforming settings (best first): "),
    ({"ssl_policy": "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"}, "is conforming-with-excess"),
    ({"strict": True}, "No ALB policy is strictly conforming"),
    ({"certificate_arn": None}, "argument 'certificate_arn' is required"),
    ({"rules": None}, "give rules or default_backend"),
    ({"group_name": "shared"}, "unknown argument(s) ['group_name']"),
])
def test_alb_ingress_refuses_weaker_settings(kw, message):
    with pytest.raises(ComponentConfigError, match=None) as err:
        build(lambda: alb(**kw))
    assert message in str(err.value)


def test_gke_ingress_is_strictly_conforming_everywhere():
    door, regs = build(gke, GCP_CONFIG)
    assert outputs(door) == {"endpoint": "https://api.example.com", "setting": CUSTOM,
                             "protocols": ["TLSv1.2", "TLSv1.3"], "suites": GCP_SUITES, "verdict": "conforming",
                             "excess": []}
    found = verdicts(regs)
    assert found[(ING, "web-ingress")] == ("conforming", (), "none")
    fc = next(r for r in regs if r.type == "kubernetes:networking.gke.io/v1beta1:FrontendConfig")
    assert fc.inputs["spec"]["redirectToHttps"]["enabled"] is True
    assert pack(regs, strict=True) == []


def test_gke_ingress_without_port_80():
    _, regs = build(lambda: gke(redirect_http=False, tls=None, managed_certificates=["api-cert"]), GCP_CONFIG)
    ann = next(r for r in regs if r.type == ING).inputs["metadata"]["annotations"]
    assert ann["kubernetes.io/ingress.allow-http"] == "false"
    assert ann["networking.gke.io/managed-certificates"] == "api-cert"
    assert pack(regs, strict=True) == []


@pytest.mark.parametrize(("kw", "message"), [
    ({"ssl_profile": "RESTRICTED"}, "SSL policy RESTRICTED/TLS_1_2 is conforming-with-excess"),
    ({"min_tls_version": "TLS_1_0", "custom_features": ["TLS_RSA_WITH_AES_128_CBC_SHA"]}, "is nonconforming"),
    ({"tls": None}, "give tls, managed_certificates or pre_shared_certificates"),
])
def test_gke_ingress_refuses_weaker_settings(kw, message):
    with pytest.raises(ComponentConfigError) as err:
        build(lambda: gke(**kw), GCP_CONFIG)
    assert message in str(err.value)


PROGRAM = """
from tlsfence.components.kubernetes import AlbIngress, AlbIngressArgs, GkeIngress, GkeIngressArgs

RULES = {rules!r}
AlbIngress("api", AlbIngressArgs(certificate_arn={cert!r}, rules=RULES, domain="api.example.com"))
GkeIngress("web", GkeIngressArgs(rules=RULES, tls={tls!r}, domain="api.example.com"))
"""


def test_exports_agree_with_tlsfence_check(tmp_path):
    program = PROGRAM.format(rules=RULES, cert=CERT, tls=TLS)
    code, report = check(write_project(tmp_path / "k8s", program), "--config", "gcp:project=p")
    assert code == 0 and report["summary"]["mandatory"] == 0
    by = {(e["name"], e["exposure"]): e for e in report["exposures"]}
    for factory, key in ((alb, ("api-ingress", "ALB HTTPS listener :443")),
                         (gke, ("web-ingress", "GKE Ingress (gce) HTTPS :443"))):
        door, _ = build(factory, GCP_CONFIG)
        exported = outputs(door)
        assert (exported["verdict"], exported["excess"], exported["suites"]) == \
            (by[key]["verdict"], by[key]["excess"], by[key]["suites"]), key
    assert by[("api-ingress", "ALB HTTP listener :80")]["verdict"] == "conforming"
    assert by[("web-ingress", "GKE Ingress (gce) HTTP :80")]["verdict"] == "conforming"
