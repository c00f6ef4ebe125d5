"""CloudFront viewer certificates."""

import pytest

from tests.analyzers.conftest import one, res
from tlsfence.resources import UNKNOWN

T = "aws:cloudfront/distribution:Distribution"


@pytest.mark.parametrize("token,props,verdict,setting", [
    (T, {"viewerCertificate": {"cloudfrontDefaultCertificate": True, "minimumProtocolVersion": "TLSv1.2_2021"}},
     "nonconforming", "viewerCertificate.cloudfrontDefaultCertificate=true (forces TLSv1) (provider default)"),
    (T, {"viewerCertificate": {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.2_2021"}},
     "conforming-with-excess", "viewerCertificate.minimumProtocolVersion=TLSv1.2_2021"),
    (T, {"viewerCertificate": {"acmCertificateArn": "arn:c"}}, "nonconforming",
     "viewerCertificate.minimumProtocolVersion=TLSv1 (provider default)"),
    (T, {"viewerCertificate": {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.3_2025"}},
     "nonconforming", "viewerCertificate.minimumProtocolVersion=TLSv1.3_2025"),
    (T, {"viewerCertificate": {"acmCertificateArn": "arn:c", "minimumProtocolVersion": UNKNOWN}}, "unverifiable",
     "viewerCertificate.minimumProtocolVersion=<unknown>"),
    ("aws-native:cloudfront:Distribution", {"distributionConfig": {"viewerCertificate": {
        "acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.2_2025"}}}, "conforming-with-excess",
     "distributionConfig.viewerCertificate.minimumProtocolVersion=TLSv1.2_2025"),
])
def test_distribution(token, props, verdict, setting):
    e = one(res(token, props))
    assert (e.decision.verdict.value, e.setting.describe()) == (verdict, setting)


def test_default_certificate_reason_comes_first():
    e = one(res(T, {"viewerCertificate": {"cloudfrontDefaultCertificate": True}}))
    assert e.decision.reasons[0] == "the default *.cloudfront.net certificate forces the TLSv1 policy"
    assert e.tightest == "TLSv1.2_2021"
