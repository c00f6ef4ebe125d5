"""CloudFront distributions (viewer side): certificate and minimum protocol, viewer protocol policy, default domain.

Three exposures per distribution, one decision each:

- **viewer HTTPS**: ``minimumProtocolVersion`` names a catalog entry; with ``cloudfrontDefaultCertificate: true``
  (or no custom certificate) CloudFront forces TLSv1 whatever the minimum says, and an absent minimum is TLSv1.
  Source: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html
- **viewer HTTP**: ``viewerProtocolPolicy`` of ``defaultCacheBehavior`` and of every ordered cache behavior
  (aws-native: ``distributionConfig.cacheBehaviors``). ``allow-all`` serves plaintext HTTP (nonconforming);
  ``redirect-to-https`` and ``https-only`` do not. The value is matched exactly (API enum ``ViewerProtocolPolicy``,
  botocore ``cloudfront``); anything else is unverifiable naming the behavior and value.
  Source: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html
- **default domain** (only with a custom certificate): the distribution keeps answering on its
  ``d111111abcdef8.cloudfront.net`` name with CloudFront's ``*.cloudfront.net`` certificate, and no setting closes
  that name. AWS documents the TLS of that name only for distributions on the default certificate ("CloudFront
  automatically sets the security policy to TLSv1", API_ViewerCertificate above; the console guide
  https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesGeneral.html#DownloadDistValues-security-policy);
  for a distribution with a custom certificate it does not say which policy the default name negotiates
  (observed accepting TLS 1.0/1.1 on default-certificate distributions, e.g. anomalyco/v2#35). Verdict:
  ``unverifiable`` (managed TLS no setting locks), in its own family (``cloudfront-default-domain``) so that a team
  whose partners only use the alias can set that one policy to advisory or exempt it with a reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tlsfence.analyzers.base import Context, choice, decide_named, exposure, flag, flag_problem, setting_of, shown
from tlsfence.catalog import platform
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Verdict, fixed, unverifiable

PLATFORM = "aws-cloudfront"
FAMILY = "cloudfront"
DEFAULT_DOMAIN = "cloudfront-default-domain"
VIEWER_POLICIES = ("allow-all", "https-only", "redirect-to-https")
HTTP_HINT = "viewerProtocolPolicy redirect-to-https (or https-only) on every cache behavior"
DOMAIN_HINT = ("the alias only (lower tlsfence-cloudfront-default-domain to advisory, or exempt the distribution "
               "with a reason; a CloudFront Function can refuse requests whose Host is *.cloudfront.net), or a load "
               "balancer or API Gateway custom domain with a conforming policy")


def _paths(res: Resource) -> tuple[tuple[str, ...], str, str]:
    """(config prefix, default-certificate key, ordered behaviors key) for the token's shape."""
    if res.type.startswith("aws-native"):
        return ("distributionConfig",), "cloudFrontDefaultCertificate", "cacheBehaviors"
    return (), "cloudfrontDefaultCertificate", "orderedCacheBehaviors"


def _what(res: Resource, prefix: tuple[str, ...], base: str) -> str:
    aliases = res.get(*prefix, "aliases")
    if isinstance(aliases, list) and aliases and not any(is_unknown(a) for a in aliases):
        return f"{base} ({', '.join(map(str, aliases))})"
    return base


def _viewer_https(res: Resource, ctx: Context) -> tuple[Exposure, bool | None]:
    """The viewer certificate exposure, and whether a custom certificate serves the aliases (None: unknown)."""
    prefix, default_key, _ = _paths(res)
    base = (*prefix, "viewerCertificate")
    plat = platform(PLATFORM)
    raw = res.get(*base, default_key, default=False)
    uses_default = flag(raw)
    custom = [res.get(*base, k) for k in ("acmCertificateArn", "iamCertificateId")]
    has_custom = any(v is not None for v in custom)
    what = _what(res, prefix, "viewer HTTPS")
    prop = ".".join((*base, default_key))
    if uses_default is None:
        setting = Setting(prop, None, Origin.UNKNOWN)
        return exposure(res, what, FAMILY, setting, unverifiable(flag_problem(prop, raw)), ctx, PLATFORM), None
    if uses_default or not has_custom:
        forced = plat.extra["default_certificate_policy"]
        value = f"true (forces {forced})" if uses_default else f"no custom certificate (forces {forced})"
        decision = plat.decide(forced, ctx.profile)
        decision = replace(decision, reasons=(
            "the default *.cloudfront.net certificate forces the TLSv1 policy", *decision.reasons))
        return exposure(res, what + " on the default certificate", FAMILY, Setting(prop, value, Origin.DEFAULT),
                        decision, ctx, PLATFORM), False
    setting = setting_of(res, (*base, "minimumProtocolVersion"), plat.default)
    return exposure(res, what, FAMILY, setting, decide_named(PLATFORM, setting, ctx), ctx, PLATFORM), True


def _behaviors(res: Resource) -> list[tuple[str, Any]] | str:
    """(label, viewerProtocolPolicy) of the default and every ordered behavior, or what was not understood."""
    prefix, _, ordered_key = _paths(res)
    default = res.get(*prefix, "defaultCacheBehavior")
    if is_unknown(default):
        return "defaultCacheBehavior (unknown until deployed)"
    if not isinstance(default, dict):
        return "defaultCacheBehavior (not set: the API requires one)"
    out: list[tuple[str, Any]] = [("defaultCacheBehavior", default.get("viewerProtocolPolicy"))]
    ordered = res.get(*prefix, ordered_key, default=[])
    if is_unknown(ordered) or not isinstance(ordered, list):
        return f"{ordered_key} ({'unknown until deployed' if is_unknown(ordered) else 'not a list'})"
    for i, behavior in enumerate(ordered):
        if not isinstance(behavior, dict):
            return f"{ordered_key}[{i}] ({'unknown until deployed' if is_unknown(behavior) else 'not an object'})"
        path = behavior.get("pathPattern")
        label = f"{ordered_key}[{i}]" + (f" ({path})" if isinstance(path, str) else "")
        out.append((label, behavior.get("viewerProtocolPolicy")))
    return out


def _viewer_http(res: Resource, ctx: Context) -> Exposure:
    prefix, _, _ = _paths(res)
    what = _what(res, prefix, "viewer HTTP")
    behaviors = _behaviors(res)
    if isinstance(behaviors, str):
        return exposure(res, what, FAMILY, Setting("viewerProtocolPolicy", None, Origin.UNKNOWN),
                        unverifiable(behaviors), ctx, tightest=HTTP_HINT)
    plain = [label for label, v in behaviors if v == "allow-all"]
    odd = [f"{label}.viewerProtocolPolicy" + (" (unknown until deployed)" if is_unknown(v) else
                                                f"={shown(v)} (not one of {', '.join(VIEWER_POLICIES)})")
           for label, v in behaviors if choice(v, VIEWER_POLICIES) is None]
    if plain:
        setting = Setting("viewerProtocolPolicy", f"allow-all on {', '.join(plain)}", Origin.EXPLICIT)
        return exposure(res, what, FAMILY, setting, fixed(Verdict.NONCONFORMING, f"serves plaintext HTTP (allow-all "
                                                                              f"on {', '.join(plain)})"),
                        ctx, tightest=HTTP_HINT)
    if odd:
        return exposure(res, what, FAMILY, Setting("viewerProtocolPolicy", None, Origin.UNKNOWN),
                        unverifiable(*odd), ctx, tightest=HTTP_HINT)
    values = sorted({str(v) for _, v in behaviors})
    return exposure(res, what, FAMILY, Setting("viewerProtocolPolicy", "/".join(values), Origin.EXPLICIT),
                    fixed(Verdict.CONFORMING, "every cache behavior redirects HTTP to HTTPS or refuses it"), ctx,
                    tightest="")


def _default_domain(res: Resource, ctx: Context) -> Exposure:
    domain = res.get("domainName")
    name = domain if isinstance(domain, str) and domain else "*.cloudfront.net"
    setting = Setting("domainName", name, Origin.DEFAULT)
    decision = unverifiable(f"the TLS of the default {name} name (CloudFront serves it with its own certificate "
                            "beside the custom one; AWS documents its policy only for the default certificate, "
                            "TLSv1, and no setting closes it)")
    return exposure(res, f"default domain {name}", DEFAULT_DOMAIN, setting, decision, ctx, tightest=DOMAIN_HINT)


def analyze_distribution(res: Resource, ctx: Context) -> list[Exposure]:
    """Viewer HTTPS, viewer HTTP and, with a custom certificate, the default domain."""
    https, custom = _viewer_https(res, ctx)
    out = [https, _viewer_http(res, ctx)]
    if custom is not False:  # custom certificate, or not known whether: the default name still answers
        out.append(_default_domain(res, ctx))
    return out


ANALYZERS = {
    "aws:cloudfront/distribution:Distribution": analyze_distribution,
    "aws-native:cloudfront:Distribution": analyze_distribution,
}
