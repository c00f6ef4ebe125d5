"""CloudFront: viewer certificate, viewer protocol policy on every cache behavior, the default domain."""

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze
from tlsfence.resources import UNKNOWN

T = "aws:cloudfront/distribution:Distribution"
N = "aws-native:cloudfront:Distribution"
REDIRECT = {"viewerProtocolPolicy": "redirect-to-https"}
ACM = {"acmCertificateArn": "arn:c", "sslSupportMethod": "sni-only"}


def by_kind(token: str, props: dict) -> dict:
    """Exposures of one distribution keyed by kind: https, http, domain."""
    out = {}
    for e in analyze(res(token, props), PROFILE):
        kind = "domain" if e.exposure.startswith("default domain") else "http" if "viewer HTTP " in \
            f"{e.exposure} " else "https"
        assert kind not in out, e
        out[kind] = e
    return out


def aws(cert: dict, **props) -> dict:
    return {"defaultCacheBehavior": REDIRECT, "viewerCertificate": cert, **props}


def native(cert: dict, **props) -> dict:
    return {"distributionConfig": {"defaultCacheBehavior": REDIRECT, "viewerCertificate": cert, **props}}


@pytest.mark.parametrize("token,props,verdict,setting", [
    (T, aws({"cloudfrontDefaultCertificate": True, "minimumProtocolVersion": "TLSv1.2_2021"}), "nonconforming",
     "viewerCertificate.cloudfrontDefaultCertificate=true (forces TLSv1) (provider default)"),
    (T, aws({**ACM, "minimumProtocolVersion": "TLSv1.2_2021"}), "conforming-with-excess",
     "viewerCertificate.minimumProtocolVersion=TLSv1.2_2021"),
    (T, aws(ACM), "nonconforming", "viewerCertificate.minimumProtocolVersion=TLSv1 (provider default)"),
    (T, aws({**ACM, "minimumProtocolVersion": "TLSv1.3_2025"}), "nonconforming",
     "viewerCertificate.minimumProtocolVersion=TLSv1.3_2025"),
    (T, aws({**ACM, "minimumProtocolVersion": UNKNOWN}), "unverifiable",
     "viewerCertificate.minimumProtocolVersion=<unknown>"),
    (T, aws({**ACM, "minimumProtocolVersion": "tlsv1.2_2021"}), "unverifiable",
     "viewerCertificate.minimumProtocolVersion=tlsv1.2_2021"),
    (T, aws({**ACM, "cloudfrontDefaultCertificate": [False], "minimumProtocolVersion": "TLSv1.2_2021"}),
     "unverifiable", "viewerCertificate.cloudfrontDefaultCertificate=<unknown>"),
    (T, aws({**ACM, "cloudfrontDefaultCertificate": "false", "minimumProtocolVersion": "TLSv1.2_2021"}),
     "conforming-with-excess", "viewerCertificate.minimumProtocolVersion=TLSv1.2_2021"),
    (N, native({**ACM, "minimumProtocolVersion": "TLSv1.2_2025"}), "conforming-with-excess",
     "distributionConfig.viewerCertificate.minimumProtocolVersion=TLSv1.2_2025"),
    (N, native({"cloudFrontDefaultCertificate": True}), "nonconforming",
     "distributionConfig.viewerCertificate.cloudFrontDefaultCertificate=true (forces TLSv1) (provider default)"),
])
def test_viewer_certificate(token, props, verdict, setting):
    e = by_kind(token, props)["https"]
    assert (e.decision.verdict.value, e.setting.describe()) == (verdict, setting)


def test_not_a_boolean_is_named():
    e = by_kind(T, aws({**ACM, "cloudfrontDefaultCertificate": "yes"}))["https"]
    assert e.decision.unknown == ('viewerCertificate.cloudfrontDefaultCertificate="yes" (not a boolean)',)


def test_default_certificate_reason_comes_first():
    e = by_kind(T, aws({"cloudfrontDefaultCertificate": True}))["https"]
    assert e.decision.reasons[0] == "the default *.cloudfront.net certificate forces the TLSv1 policy"
    assert e.tightest == "TLSv1.2_2021"


ORDERED = "orderedCacheBehaviors"


@pytest.mark.parametrize("token,default,ordered,verdict,detail", [
    (T, "redirect-to-https", [], "conforming", "viewerProtocolPolicy=redirect-to-https"),
    (T, "https-only", ["redirect-to-https"], "conforming", "viewerProtocolPolicy=https-only/redirect-to-https"),
    (T, "allow-all", [], "nonconforming", "serves plaintext HTTP (allow-all on defaultCacheBehavior)"),
    (T, "redirect-to-https", ["https-only", "allow-all"], "nonconforming",
     "serves plaintext HTTP (allow-all on orderedCacheBehaviors[1] (/p1/*))"),
    (T, UNKNOWN, [], "unverifiable", "defaultCacheBehavior.viewerProtocolPolicy (unknown until deployed)"),
    (T, "redirect-to-https", ["Allow-All"], "unverifiable", 'orderedCacheBehaviors[0] (/p0/*).viewerProtocolPolicy='
     '"Allow-All" (not one of allow-all, https-only, redirect-to-https)'),
    (T, "https-only ", [], "unverifiable", 'defaultCacheBehavior.viewerProtocolPolicy="https-only " (not one of '
     'allow-all, https-only, redirect-to-https)'),
    (T, None, [], "unverifiable", "defaultCacheBehavior.viewerProtocolPolicy=null (not one of allow-all, https-only, "
     "redirect-to-https)"),
    (T, ["https-only"], [], "unverifiable", 'defaultCacheBehavior.viewerProtocolPolicy=["https-only"] (not one of '
     'allow-all, https-only, redirect-to-https)'),
    (N, "redirect-to-https", ["allow-all"], "nonconforming",
     "serves plaintext HTTP (allow-all on cacheBehaviors[0] (/p0/*))"),
])
def test_viewer_protocol_policy(token, default, ordered, verdict, detail):
    key = "cacheBehaviors" if token == N else ORDERED
    behaviors = {"defaultCacheBehavior": {"viewerProtocolPolicy": default} if default is not None else {},
                 key: [{"pathPattern": f"/p{i}/*", "viewerProtocolPolicy": v} for i, v in enumerate(ordered)],
                 "viewerCertificate": ACM}
    props = {"distributionConfig": behaviors} if token == N else behaviors
    e = by_kind(token, props)["http"]
    assert e.decision.verdict.value == verdict
    text = e.setting.describe() if verdict == "conforming" else (e.decision.unknown or e.decision.reasons)[0]
    assert text == detail


@pytest.mark.parametrize("props,reason", [
    ({"viewerCertificate": ACM}, "defaultCacheBehavior (not set: the API requires one)"),
    ({"defaultCacheBehavior": UNKNOWN, "viewerCertificate": ACM}, "defaultCacheBehavior (unknown until deployed)"),
    ({"defaultCacheBehavior": REDIRECT, ORDERED: UNKNOWN, "viewerCertificate": ACM},
     "orderedCacheBehaviors (unknown until deployed)"),
])
def test_behaviors_not_understood(props, reason):
    assert by_kind(T, props)["http"].decision.unknown == (reason,)


@pytest.mark.parametrize("cert,has_domain", [
    ({"cloudfrontDefaultCertificate": True}, False), ({}, False), (ACM, True),
    ({**ACM, "cloudfrontDefaultCertificate": UNKNOWN}, True),
])
def test_default_domain_with_a_custom_certificate(cert, has_domain):
    found = by_kind(T, aws(cert, domainName="d111111abcdef8.cloudfront.net"))
    assert ("domain" in found) is has_domain
    if has_domain:
        e = found["domain"]
        assert (e.family, e.exposure, e.decision.verdict.value, e.level()) == (
            "cloudfront-default-domain", "default domain d111111abcdef8.cloudfront.net", "unverifiable", "mandatory")
        assert "AWS documents its policy only for the default certificate, TLSv1" in e.decision.reasons[0]
