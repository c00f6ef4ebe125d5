"""AWS Load Balancer Controller Ingresses: present, absent (controller default), weakened, unknown, wrong type, odd
spelling, IngressClassParams, and IngressGroups judged as one ALB."""

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze, analyze_stack
from tlsfence.resources import UNKNOWN, Stack

ING = "kubernetes:networking.k8s.io/v1:Ingress"
CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams"
A = "alb.ingress.kubernetes.io/"
CERT = "arn:aws:acm:us-east-1:1:certificate/x"
RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
WEAK = "ELBSecurityPolicy-TLS-1-1-2017-01"
BOTH = '[{"HTTP": 80}, {"HTTPS": 443}]'


def ingress(name="ing", annotations=None, cls="alb", **spec):
    """An ALB Ingress (legacy class annotation unless ``cls`` is None)."""
    ann = {"kubernetes.io/ingress.class": cls} if cls else {}
    return res(ING, {"metadata": {"name": name, "annotations": {**ann, **(annotations or {})}}, "spec": spec},
               name=name)


def table(resources, name=None):
    """(exposure, verdict, setting) of the named resource (default: the first), joined through the stack."""
    found = analyze_stack(Stack(resources), PROFILE)
    target = name or resources[0].name
    return [(e.exposure, e.decision.verdict.value, e.setting.describe()) for e in found if e.name == target]


@pytest.mark.parametrize(("annotations", "expected"), [
    # present
    ({A + "certificate-arn": CERT, A + "ssl-policy": RES},
     [("ALB HTTPS listener :443", "conforming-with-excess", f"{A}ssl-policy={RES}")]),
    # absent: the controller's default policy, HTTPS:443 because a certificate is given
    ({A + "certificate-arn": CERT},
     [("ALB HTTPS listener :443", "nonconforming", f"{A}ssl-policy=ELBSecurityPolicy-2016-08 (provider default)")]),
    # weakened
    ({A + "certificate-arn": CERT, A + "ssl-policy": WEAK},
     [("ALB HTTPS listener :443", "nonconforming", f"{A}ssl-policy={WEAK}")]),
    # no certificate: HTTP:80 only, plaintext
    ({}, [("ALB HTTP listener :80", "nonconforming", f"{A}ssl-redirect=absent (provider default)")]),
    # both ports, redirect
    ({A + "certificate-arn": CERT, A + "ssl-policy": RES, A + "listen-ports": BOTH, A + "ssl-redirect": "443"},
     [("ALB HTTP listener :80", "conforming", f"{A}ssl-redirect=443"),
      ("ALB HTTPS listener :443", "conforming-with-excess", f"{A}ssl-policy={RES}")]),
    # both ports, no redirect: the HTTP one forwards in plaintext
    ({A + "certificate-arn": CERT, A + "ssl-policy": RES, A + "listen-ports": BOTH},
     [("ALB HTTP listener :80", "nonconforming", f"{A}ssl-redirect=absent (provider default)"),
      ("ALB HTTPS listener :443", "conforming-with-excess", f"{A}ssl-policy={RES}")]),
    # redirect to a port that is not HTTPS: the controller fails it
    ({A + "listen-ports": '[{"HTTP": 80}]', A + "ssl-redirect": "443"},
     [("ALB HTTP listener :80", "unverifiable", f"{A}ssl-redirect=<unknown>")]),
    # unknown policy name, odd spelling of a known one (the controller passes it to AWS verbatim)
    ({A + "certificate-arn": CERT, A + "ssl-policy": "ELBSecurityPolicy-Made-Up"},
     [("ALB HTTPS listener :443", "unverifiable", f"{A}ssl-policy=ELBSecurityPolicy-Made-Up")]),
    ({A + "certificate-arn": CERT, A + "ssl-policy": RES.lower()},
     [("ALB HTTPS listener :443", "unverifiable", f"{A}ssl-policy={RES.lower()}")]),
    # a certificate ARN computed from another resource (unknown at preview) is still a certificate
    ({A + "certificate-arn": UNKNOWN, A + "ssl-policy": RES},
     [("ALB HTTPS listener :443", "conforming-with-excess", f"{A}ssl-policy={RES}")]),
    # unknown at preview
    ({A + "certificate-arn": CERT, A + "ssl-policy": UNKNOWN},
     [("ALB Ingress", "unverifiable", "ingress=<unknown>")]),
    # listen-ports the controller rejects: wrong protocol spelling, a port as a string, not JSON
    ({A + "listen-ports": '[{"https": 443}]'}, [("ALB Ingress", "unverifiable", "ingress=<unknown>")]),
    ({A + "listen-ports": '[{"HTTPS": "443"}]'}, [("ALB Ingress", "unverifiable", "ingress=<unknown>")]),
    ({A + "listen-ports": "HTTPS:443"}, [("ALB Ingress", "unverifiable", "ingress=<unknown>")]),
    # wrong type: annotation values are strings
    ({A + "ssl-redirect": 443}, [("ALB Ingress", "unverifiable", "ingress=<unknown>")]),
])
def test_alb_ingress_alone(annotations, expected):
    assert table([ingress(annotations=annotations)]) == expected


def test_unknown_and_wrong_type_name_the_annotation():
    e = analyze(ingress(annotations={A + "certificate-arn": CERT, A + "ssl-policy": UNKNOWN}), PROFILE)[0]
    assert e.decision.unknown == (f"annotation {A}ssl-policy (unknown until deployed)",)
    e = analyze(ingress(annotations={A + "ssl-redirect": 443}), PROFILE)[0]
    assert e.decision.unknown == (f"annotation {A}ssl-redirect=443 (annotation values are strings)",)
    e = analyze(res(ING, {"metadata": {"annotations": UNKNOWN}}), PROFILE)[0]
    assert e.decision.unknown == ("metadata.annotations (unknown until deployed)",)


def test_scheme_decides_internet_facing():
    internal = analyze(ingress(annotations={A + "certificate-arn": CERT}), PROFILE)[0]
    facing = analyze(ingress(annotations={A + "certificate-arn": CERT, A + "scheme": "internet-facing"}), PROFILE)[0]
    assert (internal.internet_facing, facing.internet_facing) == (False, True)  # the controller's default: internal


def test_ingress_class_name_needs_the_stack_and_params_win():
    params = res(PARAMS, {"metadata": {"name": "p"}, "spec": {"sslPolicy": RES}}, name="p")
    cls = res(CLASS, {"metadata": {"name": "partner"}, "spec": {
        "controller": "ingress.k8s.aws/alb", "parameters": {"kind": "IngressClassParams", "name": "p"}}}, name="c")
    ing = ingress(annotations={A + "certificate-arn": CERT, A + "ssl-policy": WEAK}, cls=None,
                  ingressClassName="partner")
    alone = analyze(ing, PROFILE)
    assert [(e.needs_join, e.decision.verdict.value) for e in alone] == [(True, "unverifiable")]
    assert table([ing, params, cls]) == [("ALB HTTPS listener :443", "conforming-with-excess",
                                          f"IngressClassParams spec.sslPolicy={RES} (via p)")]
    # an IngressClass naming IngressClassParams that are not in the stack fails closed
    assert table([ing, cls])[0][1] == "unverifiable"
    # an IngressClass of another controller is unverifiable, naming it
    nginx = res(CLASS, {"metadata": {"name": "partner"}, "spec": {"controller": "k8s.io/ingress-nginx"}}, name="c")
    e = [e for e in analyze_stack(Stack([ing, nginx]), PROFILE) if e.name == "ing"][0]
    assert "'k8s.io/ingress-nginx'" in e.message() and e.decision.verdict.value == "unverifiable"


def test_default_ingress_class_decides_an_ingress_without_class():
    default = res(CLASS, {"metadata": {"name": "alb", "annotations": {
        "ingressclass.kubernetes.io/is-default-class": "true"}}, "spec": {"controller": "ingress.k8s.aws/alb"}},
        name="c")
    ing = ingress(annotations={A + "certificate-arn": CERT, A + "ssl-policy": RES}, cls=None)
    assert table([ing, default]) == [("ALB HTTPS listener :443", "conforming-with-excess", f"{A}ssl-policy={RES}")]
    assert table([ing])[0][:2] == ("Ingress", "unverifiable")


def test_group_one_weak_member_weakens_all():
    strong = ingress("strong", {A + "group.name": "shop", A + "ssl-policy": RES, A + "certificate-arn": CERT})
    weak = ingress("weak", {A + "group.name": "shop", A + "ssl-policy": WEAK, A + "certificate-arn": CERT})
    other = ingress("other", {A + "group.name": "elsewhere", A + "ssl-policy": RES, A + "certificate-arn": CERT})
    stack = [strong, weak, other]
    assert table(stack, "strong") == [("ALB HTTPS listener :443 (IngressGroup shop)", "nonconforming",
                                       f"{A}ssl-policy={WEAK} (via weak)")]
    assert table(stack, "weak") == [("ALB HTTPS listener :443 (IngressGroup shop)", "nonconforming",
                                     f"{A}ssl-policy={WEAK}")]
    assert table(stack, "other")[0][1] == "conforming-with-excess"
    # alone, a group member waits for the stack policy
    assert [e.needs_join for e in analyze(strong, PROFILE)] == [True]


def test_group_member_without_policy_takes_the_groups_and_its_http_port_is_shared():
    https = ingress("https", {A + "group.name": "site", A + "ssl-policy": RES, A + "certificate-arn": CERT})
    http = ingress("http", {A + "group.name": "site", A + "listen-ports": '[{"HTTP": 80}]'})
    assert table([https, http], "https") == [
        ("ALB HTTP listener :80 (IngressGroup site)", "nonconforming", f"{A}ssl-redirect=absent (provider default)"),
        ("ALB HTTPS listener :443 (IngressGroup site)", "conforming-with-excess", f"{A}ssl-policy={RES}")]
    redirected = ingress("http", {A + "group.name": "site", A + "listen-ports": BOTH, A + "ssl-redirect": "443"})
    assert [v for _, v, _ in table([https, redirected], "https")] == ["conforming", "conforming-with-excess"]


def test_group_member_unreadable_fails_the_group():
    good = ingress("good", {A + "group.name": "g", A + "ssl-policy": RES, A + "certificate-arn": CERT})
    bad = ingress("bad", {A + "group.name": "g", A + "listen-ports": UNKNOWN})
    e = [e for e in analyze_stack(Stack([good, bad]), PROFILE) if e.name == "good"][0]
    assert e.decision.unknown == (f"IngressGroup member 'bad': annotation {A}listen-ports (unknown until deployed)",)


def test_acm_certificate_in_the_stack_narrows_to_rsa():
    cert = res("aws:acm/certificate:Certificate", {"arn": CERT, "domainName": "api.example.com"}, name="cert")
    e = [e for e in analyze_stack(Stack([ingress(annotations={A + "certificate-arn": CERT, A + "ssl-policy": RES}),
                                         cert]), PROFILE) if e.name == "ing"][0]
    assert e.decision.excess == ("ECDHE-RSA-AES256-GCM-SHA384",)


def test_acm_certificate_joined_by_dependency_when_its_arn_is_unknown():
    cert = res("aws:acm/certificate:Certificate", {"domainName": "api.example.com", "keyAlgorithm": "EC_prime256v1"},
               name="cert")
    ann = {"kubernetes.io/ingress.class": "alb", A + "certificate-arn": UNKNOWN, A + "ssl-policy": RES}
    ing = res(ING, {"metadata": {"name": "ing", "annotations": ann}}, name="ing",
              property_dependencies={"metadata": (cert.urn,)})
    e = [e for e in analyze_stack(Stack([ing, cert]), PROFILE) if e.name == "ing"][0]
    assert e.decision.excess == ("ECDHE-ECDSA-AES256-GCM-SHA384",)
