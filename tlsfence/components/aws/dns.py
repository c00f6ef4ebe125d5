"""Certificates and DNS for the AWS components: an ACM certificate validated through Route53, alias records.

ACM issues RSA certificates unless asked otherwise (``key_algorithm`` defaults to ``RSA_2048``), so a
component that creates one knows its key type and decides with it: ECDSA-only suites are not negotiable
with an RSA certificate (DESIGN.md, "Certificate key type limits what is negotiable"). A certificate given
by ARN has an unknown key type, and every suite of the policy counts.
Source: https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html (key algorithms).
"""

from typing import Any

import pulumi
import pulumi_aws as aws

from tlsfence.components.base import ComponentConfigError

#: Key type of a certificate this module requests (``key_algorithm`` left at ACM's default RSA_2048).
ACM_KEY_TYPES = frozenset({"RSA"})


def _first(options: Any, attr: str) -> str:
    """One field of the first DNS validation option ("" until the provider has computed it)."""
    if not options:
        return ""
    first = options[0]
    return str(first.get(attr) if isinstance(first, dict) else getattr(first, attr, "") or "")


def certificate(parent: pulumi.Resource, name: str, component: str, domain: pulumi.Input[str] | None,
                certificate_arn: pulumi.Input[str] | None, hosted_zone_id: pulumi.Input[str] | None,
                region: str | None = None) -> tuple[pulumi.Input[str], frozenset[str] | None]:
    """The certificate ARN to serve and its key types (None when unknown).

    An ARN is used as given. Otherwise an ACM certificate for ``domain`` is requested with DNS validation in
    ``hosted_zone_id``, and the ARN returned is the validated one, so listeners wait for issuance. ``region``
    places the certificate elsewhere than the provider's region (edge API Gateway domains need us-east-1).
    """
    if certificate_arn:
        return certificate_arn, None
    if not (domain and hosted_zone_id):
        raise ComponentConfigError(f"{component} '{name}': give certificate_arn, or domain and hosted_zone_id so "
                                   "that an ACM certificate can be validated through Route53")
    opts = pulumi.ResourceOptions(parent=parent)
    cert = aws.acm.Certificate(f"{name}-cert", domain_name=domain, validation_method="DNS", region=region, opts=opts)
    options = cert.domain_validation_options
    record = aws.route53.Record(
        f"{name}-cert-validation", zone_id=hosted_zone_id, allow_overwrite=True, ttl=60,
        name=options.apply(lambda o: _first(o, "resource_record_name")),
        type=options.apply(lambda o: _first(o, "resource_record_type")),
        records=[options.apply(lambda o: _first(o, "resource_record_value"))],
        opts=pulumi.ResourceOptions(parent=parent))
    validation = aws.acm.CertificateValidation(
        f"{name}-cert-validated", certificate_arn=cert.arn, validation_record_fqdns=[record.fqdn], region=region,
        opts=opts)
    return validation.certificate_arn, ACM_KEY_TYPES


def alias_record(parent: pulumi.Resource, name: str, hosted_zone_id: pulumi.Input[str], domain: pulumi.Input[str],
                 target_name: pulumi.Input[str], target_zone_id: pulumi.Input[str]) -> aws.route53.Record:
    """An A alias record ``domain`` → the load balancer or API Gateway domain."""
    return aws.route53.Record(
        f"{name}-dns", zone_id=hosted_zone_id, name=domain, type="A",
        aliases=[aws.route53.RecordAliasArgs(name=target_name, zone_id=target_zone_id, evaluate_target_health=True)],
        opts=pulumi.ResourceOptions(parent=parent))
