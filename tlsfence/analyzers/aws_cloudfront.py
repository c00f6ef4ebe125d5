"""CloudFront distributions (viewer side): ``minimumProtocolVersion`` and the default-certificate rule.

With ``cloudfrontDefaultCertificate: true`` CloudFront forces TLSv1 whatever the minimum says; an absent
minimum is TLSv1 in Pulumi/Terraform. Source:
https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html
"""

from __future__ import annotations

from dataclasses import replace

from tlsfence.analyzers.base import Context, decide_named, exposure, flag, setting_of
from tlsfence.catalog import platform
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource
from tlsfence.verdicts import unverifiable

PLATFORM = "aws-cloudfront"


def analyze_distribution(res: Resource, ctx: Context) -> list[Exposure]:
    """One viewer-side exposure per distribution."""
    base: tuple[str, ...] = ("distributionConfig", "viewerCertificate") if res.type.startswith("aws-native") \
        else ("viewerCertificate",)
    default_key = "cloudFrontDefaultCertificate" if res.type.startswith("aws-native") else \
        "cloudfrontDefaultCertificate"
    plat = platform(PLATFORM)
    uses_default = flag(res.get(*base, default_key, default=False))
    has_custom = any(res.get(*base, k) is not None for k in ("acmCertificateArn", "iamCertificateId"))
    aliases = res.get("aliases") or res.get("distributionConfig", "aliases") or []
    what = "viewer HTTPS" + (f" ({', '.join(map(str, aliases))})" if isinstance(aliases, list) and aliases else "")
    if uses_default is None:
        setting = Setting(".".join((*base, default_key)), None, Origin.UNKNOWN)
        return [exposure(res, what, "cloudfront", setting, unverifiable(f"{setting.prop} (unknown until deployed)"),
                         ctx, PLATFORM)]
    if uses_default or not has_custom:
        forced = plat.extra["default_certificate_policy"]
        value = f"true (forces {forced})" if uses_default else f"no custom certificate (forces {forced})"
        setting = Setting(".".join((*base, default_key)), value, Origin.DEFAULT)
        decision = plat.decide(forced, ctx.profile)
        decision = replace(decision, reasons=(
            "the default *.cloudfront.net certificate forces the TLSv1 policy", *decision.reasons))
        return [exposure(res, what + " on the default certificate", "cloudfront", setting, decision, ctx, PLATFORM)]
    setting = setting_of(res, (*base, "minimumProtocolVersion"), plat.default)
    return [exposure(res, what, "cloudfront", setting, decide_named(PLATFORM, setting, ctx), ctx, PLATFORM)]


ANALYZERS = {
    "aws:cloudfront/distribution:Distribution": analyze_distribution,
    "aws-native:cloudfront:Distribution": analyze_distribution,
}
