"""Where the installed SDKs enumerate the values of a setting tlsfence judges, and what tlsfence knows for it.

One row per setting. ``tests/catalogs/test_freshness.py`` fails when a source lists a value that ``known`` lacks,
so a botocore or provider-SDK upgrade that adds a policy name forces a catalog decision (an entry with its source,
or an ``uncertain`` one, which fails closed). Add a row when an analyzer starts judging another enum-valued setting;
an enum that matches :data:`TLS_ENUM_NAME` in a scanned service must be a row or be listed in :data:`NOT_JUDGED`
with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tlsfence.analyzers import gcp_compute
from tlsfence.catalog import platform, platforms


@dataclass(frozen=True)
class BotocoreEnum:
    """An enum shape of a botocore service model.

    Attributes:
        setting: the setting, as users write it.
        service: botocore service name.
        shape: enum shape name.
        platforms: catalog platforms whose entries together must hold every value.
    """

    setting: str
    service: str
    shape: str
    platforms: tuple[str, ...]


@dataclass(frozen=True)
class SdkEnum:
    """Values a provider SDK documents for a property (``Possible values are: ...`` in its docstrings).

    Attributes:
        setting: the setting, as users write it.
        classes: ``module:Class`` paths of the SDK classes whose property docstrings list the values.
        prop: the Python property name.
        known: what tlsfence knows for it.
    """

    setting: str
    classes: tuple[str, ...]
    prop: str
    known: Callable[[], set[str]]


def entries(*keys: str) -> set[str]:
    """Every setting name of the given catalog platforms."""
    return {name for key in keys for name in platform(key).entries}


def _gcp_profiles() -> set[str]:
    return set(platform("gcp-ssl-policy").extra["profiles"]) | {"CUSTOM"}


def _gcp_min_versions() -> set[str]:
    extra = platform("gcp-ssl-policy").extra
    versions = {v for p in extra["profiles"].values() for v in p["min_tls_versions"]}
    return versions | set(extra["custom_min_tls_versions"])


BOTOCORE: tuple[BotocoreEnum, ...] = (
    BotocoreEnum("API Gateway REST securityPolicy (domains and APIs)", "apigateway", "SecurityPolicy",
                 ("aws-apigateway-regional", "aws-apigateway-edge")),
    BotocoreEnum("API Gateway v2 domain securityPolicy", "apigatewayv2", "SecurityPolicy", ("aws-apigatewayv2",)),
    BotocoreEnum("CloudFront viewerCertificate.minimumProtocolVersion", "cloudfront", "MinimumProtocolVersion",
                 ("aws-cloudfront",)),
)

#: optional rows: judged only once a catalog platform for them exists (the managed-endpoint catalogs).
BOTOCORE_IF_CATALOGUED: tuple[BotocoreEnum, ...] = (
    BotocoreEnum("OpenSearch domainEndpointOptions.tlsSecurityPolicy", "opensearch", "TLSSecurityPolicy",
                 ("aws-opensearch",)),
    BotocoreEnum("Elasticsearch domainEndpointOptions.tlsSecurityPolicy", "es", "TLSSecurityPolicy",
                 ("aws-opensearch",)),
    BotocoreEnum("Lightsail distribution viewerMinimumTlsProtocolVersion", "lightsail",
                 "ViewerMinimumTlsProtocolVersionEnum", ("aws-lightsail-distribution",)),
)

SDK: tuple[SdkEnum, ...] = (
    SdkEnum("GCP SSL policy profile", ("pulumi_gcp.compute:SSLPolicyArgs", "pulumi_gcp.compute:RegionSslPolicyArgs"),
            "profile", _gcp_profiles),
    SdkEnum("GCP SSL policy minTlsVersion",
            ("pulumi_gcp.compute:SSLPolicyArgs", "pulumi_gcp.compute:RegionSslPolicyArgs"), "min_tls_version",
            _gcp_min_versions),
    SdkEnum("GCP forwarding rule loadBalancingScheme",
            ("pulumi_gcp.compute:ForwardingRuleArgs", "pulumi_gcp.compute:GlobalForwardingRuleArgs"),
            "load_balancing_scheme", lambda: set(gcp_compute.SCHEMES)),
)

#: enum names that look like a TLS setting (scanned in every botocore service of a row, and in aws-native).
TLS_ENUM_NAME = re.compile(r"(?i)(security_?policy|tls|ssl|minimum_?protocol|protocol_?version)")

MTLS = "viewer mutual-TLS (client certificate) mode: does not change the protocols or suites offered"

#: TLS-looking enums that decide nothing tlsfence judges, with the reason.
NOT_JUDGED: dict[tuple[str, str], str] = {
    ("cloudfront", "SslProtocol"): "origin-side protocols (CloudFront to the origin), not what viewers negotiate",
    ("cloudfront", "SSLSupportMethod"): "sni-only/vip/static-ip: how the certificate is served, not TLS versions",
    ("cloudfront", "ViewerMtlsMode"): MTLS,
    ("lightsail", "LoadBalancerTlsCertificateDnsRecordCreationStateCode"): "certificate validation state",
    ("lightsail", "LoadBalancerTlsCertificateDomainStatus"): "certificate validation state",
    ("lightsail", "LoadBalancerTlsCertificateFailureReason"): "certificate validation state",
    ("lightsail", "LoadBalancerTlsCertificateRenewalStatus"): "certificate renewal state",
    ("lightsail", "LoadBalancerTlsCertificateRevocationReason"): "certificate revocation reason",
    ("lightsail", "LoadBalancerTlsCertificateStatus"): "certificate status",
    ("lightsail", "ViewerMinimumTlsProtocolVersionEnum"):
        "Lightsail distributions: judged only once a catalog platform exists (BOTOCORE_IF_CATALOGUED)",
    ("opensearch", "TLSSecurityPolicy"): "judged only once a catalog platform exists (BOTOCORE_IF_CATALOGUED)",
    ("es", "TLSSecurityPolicy"): "judged only once a catalog platform exists (BOTOCORE_IF_CATALOGUED)",
}

#: extra botocore services scanned for TLS-looking enums (beyond those of the rows).
SCANNED_SERVICES = ("apigateway", "apigatewayv2", "cloudfront", "elbv2", "elb", "opensearch", "es", "lightsail")

#: aws-native modules scanned for TLS-looking enum classes. aws-native types the judged settings (security
#: policies, minimum protocol versions) as plain strings today, so every enum found must be explained here; one
#: that lists policy names needs a row (module.Class → catalog platforms) and a comparison like the botocore one.
AWS_NATIVE_MODULES = ("apigateway", "apigatewayv2", "cloudfront", "elasticloadbalancingv2", "elasticloadbalancing",
                      "opensearchservice", "lightsail", "iot")
AWS_NATIVE_NOT_JUDGED: dict[str, str] = {"cloudfront.DistributionViewerMtlsMode": MTLS}


def catalogued(row: BotocoreEnum) -> bool:
    """Whether every platform of an optional row exists in the loaded catalogs."""
    return all(key in platforms() for key in row.platforms)
