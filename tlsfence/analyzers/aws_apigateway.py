"""API Gateway: REST custom domains, REST APIs' execute-api endpoint, HTTP/WebSocket domains and APIs, mappings.

REST custom domains default to ``TLS_1_2``; the default ``execute-api`` endpoint of regional and edge REST
APIs is ``TLS_1_0`` (private: ``TLS_1_2``) until ``disableExecuteApiEndpoint`` is true. HTTP and WebSocket
APIs are fixed at ``TLS_1_2``. API mappings and base path mappings put an API on a custom domain; since the
2025 enhanced policies AWS says "Your API can be mapped to a custom domain name with a different security
policy than your API. When you invoke that custom domain name, API Gateway uses the security policy of the
API to negotiate the TLS handshake", and "You can't map an HTTP API to a domain name that uses an enhanced
security policy" (:mod:`tlsfence.analyzers.aws_apigateway_mapping`). Sources:
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.base import (
    Context,
    choice,
    choice_problem,
    decide_named,
    exposure,
    flag,
    flag_problem,
    setting_of,
    shown,
)
from tlsfence.catalog import platform
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, contains_unknown
from tlsfence.verdicts import Verdict, fixed, unverifiable

REGIONAL, EDGE, EXECUTE_API, V2 = ("aws-apigateway-regional", "aws-apigateway-edge", "aws-apigateway-execute-api",
                                   "aws-apigatewayv2")
DISABLE_HINT = "disableExecuteApiEndpoint: true (and serve the API through a custom domain)"


ENDPOINT_TYPES = ("EDGE", "REGIONAL", "PRIVATE")
TYPES_PROP = "endpointConfiguration.types"


def types_setting(res: Resource) -> Setting:
    """``endpointConfiguration.types`` as read, for a message about a value that was not understood."""
    value = res.get("endpointConfiguration", "types")
    return Setting(TYPES_PROP, None, Origin.UNKNOWN) if contains_unknown(value) else \
        Setting(TYPES_PROP, shown(value), Origin.EXPLICIT)


def endpoint_kind(res: Resource, default: str = "EDGE") -> tuple[str | None, str | None]:
    """(endpoint type, problem) of ``endpointConfiguration.types``: a string in pulumi-aws, a list in aws-native.

    Absent means the API's default (EDGE). An unknown, a value that is not one of EDGE/REGIONAL/PRIVATE
    (``"regional"``, ``"REGIONAL "``) or a list of several types is not understood: the caller fails closed.
    """
    value = res.get("endpointConfiguration", "types")
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    elif isinstance(value, (list, tuple)) and not value:
        value = None
    if value is None or value == "":
        return default, None
    kind = choice(value, ENDPOINT_TYPES)
    if kind is None:
        return None, choice_problem(TYPES_PROP, value, ENDPOINT_TYPES)
    return kind, None


def analyze_rest_domain(res: Resource, ctx: Context) -> list[Exposure]:
    """A REST custom domain: the security policy of its endpoint type."""
    kind, problem = endpoint_kind(res)
    if kind is None:
        return [exposure(res, "custom domain", "apigateway", types_setting(res), unverifiable(str(problem)), ctx,
                         REGIONAL)]
    key = EDGE if kind == "EDGE" else REGIONAL
    name = res.get("domainName")
    what = f"{kind.lower()} custom domain" + (f" {name}" if isinstance(name, str) else "")
    setting = setting_of(res, ("securityPolicy",), platform(key).default)
    decision = decide_named(key, setting, ctx)
    mode = res.get("endpointAccessMode")
    if (setting.value or "").startswith("SecurityPolicy_") and mode is None:
        decision = unverifiable(f"securityPolicy {setting.value} without endpointAccessMode (the API rejects an "
                                "enhanced policy without STRICT or BASIC)")
    return [exposure(res, what, "apigateway", setting, decision, ctx, key)]


def _execute_api(res: Resource, ctx: Context, platform_key: str, family_default: str) -> list[Exposure]:
    raw = res.get("disableExecuteApiEndpoint", default=False)
    disabled = flag(raw)
    prop = "disableExecuteApiEndpoint"
    if disabled is None:
        return [exposure(res, "execute-api endpoint", "apigateway", Setting(prop, None, Origin.UNKNOWN),
                         unverifiable(flag_problem(prop, raw)), ctx, tightest=DISABLE_HINT)]
    if disabled:
        return [exposure(res, "execute-api endpoint (disabled)", "apigateway", Setting(prop, "true", Origin.EXPLICIT),
                         fixed(Verdict.CONFORMING, "the default execute-api endpoint is disabled"), ctx, tightest="")]
    setting = Setting(prop, f"false (execute-api serves {family_default})", Origin.DEFAULT)
    decision = platform(platform_key).decide(family_default, ctx.profile)
    return [exposure(res, "execute-api endpoint", "apigateway", setting, decision, ctx, tightest=DISABLE_HINT)]


def analyze_rest_api(res: Resource, ctx: Context) -> list[Exposure]:
    """A REST API's default endpoint: TLS_1_0 unless private or disabled."""
    kind, problem = endpoint_kind(res)
    if kind is None:
        return [exposure(res, "execute-api endpoint", "apigateway", types_setting(res), unverifiable(str(problem)),
                         ctx, tightest=DISABLE_HINT)]
    policy = res.get("securityPolicy")
    if isinstance(policy, str) and policy:
        setting = Setting("securityPolicy", policy, Origin.EXPLICIT)
        if flag(res.get("disableExecuteApiEndpoint", default=False)) is not False:  # disabled, or not understood
            return _execute_api(res, ctx, EXECUTE_API, "TLS_1_0")
        key = EDGE if kind == "EDGE" else REGIONAL
        return [exposure(res, "execute-api endpoint", "apigateway", setting, decide_named(key, setting, ctx),
                         ctx, tightest=DISABLE_HINT)]
    return _execute_api(res, ctx, EXECUTE_API, "TLS_1_2" if kind == "PRIVATE" else "TLS_1_0")


def analyze_v2_domain(res: Resource, ctx: Context) -> list[Exposure]:
    """An HTTP/WebSocket custom domain: ``TLS_1_2`` is the only policy."""
    configs = res.get("domainNameConfiguration")
    path: tuple[Any, ...] = ("domainNameConfiguration",)
    if configs is None:
        path = ("domainNameConfigurations", 0)
    setting = setting_of(res, (*path, "securityPolicy"), platform(V2).default)
    name = res.get("domainName")
    what = "custom domain" + (f" {name}" if isinstance(name, str) else "")
    return [exposure(res, what, "apigateway", setting, decide_named(V2, setting, ctx), ctx, V2)]


def analyze_v2_api(res: Resource, ctx: Context) -> list[Exposure]:
    """An HTTP/WebSocket API's execute-api endpoint: fixed ``TLS_1_2``."""
    return _execute_api(res, ctx, V2, "TLS_1_2")


ANALYZERS = {
    "aws:apigateway/domainName:DomainName": analyze_rest_domain,
    "aws-native:apigateway:DomainName": analyze_rest_domain,
    "aws-native:apigateway:DomainNameV2": analyze_rest_domain,
    "aws:apigateway/restApi:RestApi": analyze_rest_api,
    "aws-native:apigateway:RestApi": analyze_rest_api,
    "aws:apigatewayv2/domainName:DomainName": analyze_v2_domain,
    "aws-native:apigatewayv2:DomainName": analyze_v2_domain,
    "aws:apigatewayv2/api:Api": analyze_v2_api,
    "aws-native:apigatewayv2:Api": analyze_v2_api,
}
