"""API Gateway custom domains: a REST API domain on the tightest security policy, and an HTTP API domain.

**RestApiDomain owns its RestApi.** The default ``execute-api`` endpoint of a regional or edge REST API
serves ``TLS_1_0`` until ``disableExecuteApiEndpoint`` is true (catalog ``aws-apigateway-execute-api``;
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html). A
component cannot change a RestApi someone else declared, and a RestApi passed in is only an id whose
settings are unknown at construction, so RestApiDomain creates the RestApi itself, from an OpenAPI ``body``,
with the endpoint disabled, plus its deployment, stage and base path mapping. Callers add usage plans,
authorizers etc. to ``rest_api_id``.

Enhanced policies (``SecurityPolicy_*``) need ``endpointAccessMode`` (STRICT or BASIC), or the API rejects
them (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies.html).

**HttpApiDomain**: HTTP and WebSocket APIs are fixed at ``TLS_1_2`` (catalog ``aws-apigatewayv2``), which
offers suites outside the allowed set. The excess is exported; under ``strict`` the component refuses.
"""

import hashlib
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from tlsfence.components.aws.dns import alias_record, certificate
from tlsfence.components.base import (
    ComponentConfigError,
    FrontDoor,
    decide_named,
    https_url,
    options_of,
    require,
    resolve_profile,
)

REGIONAL, EDGE, V2 = "aws-apigateway-regional", "aws-apigateway-edge", "aws-apigatewayv2"
ENDPOINT_PLATFORMS = {"REGIONAL": REGIONAL, "EDGE": EDGE}
ACCESS_MODES = ("STRICT", "BASIC")
STRICT_INSTEAD = "For a strictly conforming AWS front door use StrictClassicLoadBalancer"


class RestApiDomainArgs(TypedDict):
    """Inputs of :class:`RestApiDomain`."""

    domain: pulumi.Input[str]
    """The custom domain name clients use."""
    body: pulumi.Input[str]
    """OpenAPI definition of the REST API the component creates (execute-api endpoint disabled)."""
    endpoint_type: NotRequired[str]
    """REGIONAL (default) or EDGE."""
    api_name: NotRequired[str]
    """Name of the REST API (default: the component name)."""
    stage_name: NotRequired[str]
    """Stage to deploy and map (default live)."""
    base_path: NotRequired[str]
    """Base path of the mapping (default: the domain root)."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """Existing certificate (us-east-1 for EDGE); without it, an ACM certificate is validated in hosted_zone_id."""
    hosted_zone_id: NotRequired[pulumi.Input[str]]
    """Route53 zone for certificate validation and the alias record."""
    create_dns_record: NotRequired[bool]
    """Create an alias record domain → API Gateway (default: true when hosted_zone_id is given)."""
    security_policy: NotRequired[str]
    """Security policy of the domain; default the tightest the profile allows. A weaker one is refused."""
    endpoint_access_mode: NotRequired[str]
    """STRICT (default) or BASIC; set only for enhanced (SecurityPolicy_*) policies."""
    profile: NotRequired[str]
    """Requirement profile name, alias or file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess too (no API Gateway policy passes)."""


class RestApiDomain(FrontDoor):
    """A REST API (execute-api disabled) behind a custom domain on the tightest security policy."""

    rest_api_id: pulumi.Output[str]
    """Id of the REST API the component created."""
    stage_name: pulumi.Output[str]
    """The deployed stage."""

    def __init__(self, name: str, args: RestApiDomainArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, RestApiDomainArgs.__annotations__, comp, name)
        profile = resolve_profile(data.get("profile"))
        strict = bool(data.get("strict", False))
        kind = str(data.get("endpoint_type", "REGIONAL")).upper()
        if kind not in ENDPOINT_PLATFORMS:
            raise ComponentConfigError(f"{comp} '{name}': endpoint_type {kind!r} is not one of "
                                       f"{', '.join(ENDPOINT_PLATFORMS)} (private APIs are not internet-facing)")
        policy, decision = decide_named(comp, name, "security_policy", ENDPOINT_PLATFORMS[kind],
                                        data.get("security_policy"), profile, strict, None, STRICT_INSTEAD)
        mode = str(data.get("endpoint_access_mode", "STRICT")).upper()
        if mode not in ACCESS_MODES:
            raise ComponentConfigError(f"{comp} '{name}': endpoint_access_mode {mode!r} is not one of "
                                       f"{', '.join(ACCESS_MODES)}")
        domain = require(data, "domain", comp, name)
        body = require(data, "body", comp, name, "the OpenAPI definition of the API this domain serves")
        super().__init__(name, opts)

        enhanced = policy.startswith("SecurityPolicy_")
        # the API carries the domain's policy too: AWS negotiates a mapped API with the API's own security policy
        # (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html)
        api = aws.apigateway.RestApi(
            f"{name}-api", name=data.get("api_name", name), body=body, disable_execute_api_endpoint=True,
            security_policy=policy, endpoint_access_mode=mode if enhanced else None,
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types=kind), opts=self._child())
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment", rest_api=api.id,
            triggers={"body": pulumi.Output.from_input(body).apply(lambda b: hashlib.sha256(b.encode()).hexdigest())},
            opts=self._child())
        stage = aws.apigateway.Stage(f"{name}-stage", rest_api=api.id, deployment=deployment.id,
                                     stage_name=data.get("stage_name", "live"), opts=self._child())
        cert_arn, _ = certificate(self, name, comp, domain, data.get("certificate_arn"), data.get("hosted_zone_id"),
                                  region="us-east-1" if kind == "EDGE" else None)
        dn = aws.apigateway.DomainName(
            f"{name}-domain", domain_name=domain, security_policy=policy,
            endpoint_access_mode=mode if enhanced else None,
            endpoint_configuration=aws.apigateway.DomainNameEndpointConfigurationArgs(types=kind),
            regional_certificate_arn=cert_arn if kind == "REGIONAL" else None,
            certificate_arn=cert_arn if kind == "EDGE" else None, opts=self._child())
        aws.apigateway.BasePathMapping(f"{name}-mapping", rest_api=api.id, stage_name=stage.stage_name,
                                       domain_name=dn.domain_name, base_path=data.get("base_path"),
                                       opts=self._child())
        if data.get("hosted_zone_id") and data.get("create_dns_record", True):
            target = (dn.regional_domain_name, dn.regional_zone_id) if kind == "REGIONAL" else \
                (dn.cloudfront_domain_name, dn.cloudfront_zone_id)
            alias_record(self, name, data["hosted_zone_id"], domain, *target)
        self._publish(https_url(domain), policy, decision, rest_api_id=api.id,
                      stage_name=stage.stage_name)


class HttpApiDomainArgs(TypedDict):
    """Inputs of :class:`HttpApiDomain`."""

    domain: pulumi.Input[str]
    """The custom domain name clients use."""
    api_id: pulumi.Input[str]
    """The HTTP or WebSocket API to map."""
    stage: NotRequired[pulumi.Input[str]]
    """Stage to map (default $default)."""
    api_mapping_key: NotRequired[pulumi.Input[str]]
    """Path of the mapping (default: the domain root)."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """Existing regional certificate; without it, an ACM certificate is validated in hosted_zone_id."""
    hosted_zone_id: NotRequired[pulumi.Input[str]]
    """Route53 zone for certificate validation and the alias record."""
    create_dns_record: NotRequired[bool]
    """Create an alias record domain → API Gateway (default: true when hosted_zone_id is given)."""
    profile: NotRequired[str]
    """Requirement profile name, alias or file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess: with strict this component always refuses (TLS_1_2 is the only policy)."""


class HttpApiDomain(FrontDoor):
    """An HTTP/WebSocket API custom domain on TLS_1_2, the only policy API Gateway v2 offers (excess exported)."""

    domain_name_id: pulumi.Output[str]
    """Id of the API Gateway v2 domain name."""

    def __init__(self, name: str, args: HttpApiDomainArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, HttpApiDomainArgs.__annotations__, comp, name)
        profile = resolve_profile(data.get("profile"))
        policy, decision = decide_named(comp, name, "security_policy", V2, None, profile,
                                        bool(data.get("strict", False)), None,
                                        "API Gateway HTTP and WebSocket APIs offer no other policy. " + STRICT_INSTEAD)
        domain = require(data, "domain", comp, name)
        api_id = require(data, "api_id", comp, name)
        super().__init__(name, opts)

        cert_arn, _ = certificate(self, name, comp, domain, data.get("certificate_arn"), data.get("hosted_zone_id"))
        dn = aws.apigatewayv2.DomainName(
            f"{name}-domain", domain_name=domain,
            domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
                certificate_arn=cert_arn, endpoint_type="REGIONAL", security_policy=policy),
            opts=self._child())
        aws.apigatewayv2.ApiMapping(f"{name}-mapping", api_id=api_id, domain_name=dn.id,
                                    stage=data.get("stage", "$default"), api_mapping_key=data.get("api_mapping_key"),
                                    opts=self._child())
        if data.get("hosted_zone_id") and data.get("create_dns_record", True):
            config = dn.domain_name_configuration
            alias_record(self, name, data["hosted_zone_id"], domain, config.target_domain_name,
                         config.hosted_zone_id)
        self._publish(https_url(domain), policy, decision, domain_name_id=dn.id)
