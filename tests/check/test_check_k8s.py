"""``tlsfence check`` on a program of real ``pulumi_kubernetes`` resources (and the SSL policies they join)."""

from __future__ import annotations

import json

from tests.check.test_check_cli import PROGRAMS, check, table
from tests.policy import harness as h


def test_k8s_program_json():
    run = check(str(PROGRAMS / "k8s_mix"), "--format", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert table(report) == h.K8S_EXPECTED
    by = {(e["name"], e["exposure"]): e for e in report["exposures"]}
    weak = by[("grp-strong", "ALB HTTPS listener :443 (IngressGroup shop)")]
    assert (weak["verdict"], weak["setting"]) == ("nonconforming", "alb.ingress.kubernetes.io/ssl-policy="
                                                  "ELBSecurityPolicy-TLS-1-1-2017-01 (via grp-weak)")
    assert by[("ok-http", "ALB HTTP listener :80 (IngressGroup site)")]["verdict"] == "conforming"
    absent = by[("alb-absent", "ALB HTTPS listener :443")]
    assert (absent["verdict"], absent["setting_origin"], absent["setting_value"]) == \
        ("nonconforming", "default", "ELBSecurityPolicy-2016-08")
    assert by[("alb-params", "ALB HTTPS listener :443")]["excess"] == ["ECDHE-ECDSA-AES256-GCM-SHA384",
                                                                        "ECDHE-RSA-AES256-GCM-SHA384"]
    assert by[("gke-ok", "GKE Ingress (gce) HTTPS :443")]["verdict"] == "conforming"
    assert by[("gke-foreign", "GKE Ingress (gce) HTTPS :443")]["message"].endswith(
        "is unverifiable (cannot determine the SSL policy shared-policy named by FrontendConfig spec.sslPolicy (not an "
        "SSL policy in this stack)); use an SSL policy with profile CUSTOM, minTlsVersion TLS_1_2, customFeatures "
        "[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256] instead")
    assert by[("gw", "Gateway (gke-l7-global-external-managed) HTTP listener http :80")]["verdict"] == "conforming"
    assert "cannot see into a Helm Release" in by[("ingress-nginx", "manifests of Release")]["message"]
    assert report["summary"]["mandatory"] == 18 and report["summary"]["advisory"] == 15


def test_k8s_program_internet_facing_only_drops_internal_listeners(tmp_path):
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"internet-facing-only": True}))
    run = check(str(PROGRAMS / "k8s_mix"), "--preview", "--policy-config", str(config), "--format", "json")
    assert run.returncode == 1, run.stderr
    got = table(json.loads(run.stdout))
    # ALB Ingresses default to scheme internal, gce-internal is internal: those findings go
    for name in ("alb-weak", "alb-made-up", "gke-internal", "grp-strong", "grp-weak", "svc-nlb-default"):
        assert name not in got, name
    assert got["alb-plain"] == [h.K8S_ING] and got["alb-absent"] == [h.JOIN]
    assert got["alb-late"] == [h.K8S_ING]  # unreadable: not known to be internal, so kept


def test_custom_resources_reach_the_pack_as_group_version_kind_tokens():
    """apiextensions.CustomResource registers kubernetes:<group>/<version>:<Kind>, the token a typed class would."""
    types = {r.name: r.type for r in h.recorded("k8s_mix")}
    assert types["fc-strict"] == "kubernetes:networking.gke.io/v1beta1:FrontendConfig"
    assert types["gw"] == "kubernetes:gateway.networking.k8s.io/v1:Gateway"
    assert types["partner-params"] == "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams"
    assert types["alb-strict"] == "kubernetes:networking.k8s.io/v1:Ingress"
