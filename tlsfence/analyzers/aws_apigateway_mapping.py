"""API Gateway API mappings, base path mappings and routing rules: an API served on a custom domain.

What a client negotiates on a custom domain for a mapped API is, by AWS's 2025 rule, the *API's* security
policy: "Your API can be mapped to a custom domain name with a different security policy than your API. When
you invoke that custom domain name, API Gateway uses the security policy of the API to negotiate the TLS
handshake." The domain's own policy is what the domain has always enforced, and the handshake happens before
the path picks a mapping, so tlsfence reads the rule conservatively: a mapping is judged by the *worse* of the
two policies (both must conform). A REST API without ``securityPolicy`` has its default (``TLS_1_0``, private
``TLS_1_2``); HTTP and WebSocket APIs are fixed at ``TLS_1_2`` ("For HTTP or WebSocket APIs, API Gateway
supports only the TLS_1_2 security policy"). "You can't map an HTTP API to a domain name that uses an enhanced
security policy": such a mapping is rejected by AWS, so what it would serve is ``unverifiable``. A mapping whose
API or domain is not in the stack (or unknown at preview) is ``unverifiable`` naming the join. Stages change
nothing about TLS (they are paths of the API) and are not analysed. Routing rules (2025: a rule on a custom
domain that invokes an API, ``actions[0].invokeApi.apiId``) are judged like a mapping of that API. Sources:
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
https://docs.amazonaws.cn/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html (full list
of considerations)
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html (defaults)
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-ciphers.html
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tlsfence.analyzers import aws_apigateway as apigw
from tlsfence.analyzers.base import Context, choice, choice_problem, exposure, shown
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, contains_unknown, is_unknown
from tlsfence.verdicts import VERDICT_ORDER, Decision, Verdict, unverifiable

REST_DOMAINS = ("aws:apigateway/domainName:DomainName", "aws-native:apigateway:DomainName",
                "aws-native:apigateway:DomainNameV2")
V2_DOMAINS = ("aws:apigatewayv2/domainName:DomainName", "aws-native:apigatewayv2:DomainName")
REST_APIS = ("aws:apigateway/restApi:RestApi", "aws-native:apigateway:RestApi")
V2_APIS = ("aws:apigatewayv2/api:Api", "aws-native:apigatewayv2:Api")
PROTOCOL_TYPES = ("HTTP", "WEBSOCKET")
SOURCE = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html"


class _Mapping:
    """Where a mapping token keeps its API, its domain and its path."""

    def __init__(self, api: str, domain: str, path: str) -> None:
        self.api, self.domain, self.path = api, domain, path


SHAPES = {
    "aws:apigatewayv2/apiMapping:ApiMapping": _Mapping("apiId", "domainName", "apiMappingKey"),
    "aws-native:apigatewayv2:ApiMapping": _Mapping("apiId", "domainName", "apiMappingKey"),
    "aws:apigateway/basePathMapping:BasePathMapping": _Mapping("restApi", "domainName", "basePath"),
    "aws-native:apigateway:BasePathMapping": _Mapping("restApiId", "domainName", "basePath"),
    "aws-native:apigateway:BasePathMappingV2": _Mapping("restApiId", "domainNameArn", "basePath"),
}


def _worse(a: Decision, b: Decision) -> Decision:
    """The decision a client can be held to when either policy may negotiate: the worse verdict, then more excess."""
    rank = (VERDICT_ORDER.index(a.verdict), len(a.excess)), (VERDICT_ORDER.index(b.verdict), len(b.excess))
    return a if rank[0] >= rank[1] else b


def _api_policy(api: Resource, ctx: Context) -> tuple[str | None, Decision, bool]:
    """(policy name, decision, is an HTTP API) of the mapped API."""
    if api.type in V2_APIS:
        raw = api.get("protocolType")
        protocol = choice(raw, PROTOCOL_TYPES)
        if protocol is None:
            return None, unverifiable(choice_problem(f"protocolType of API {api.name}", raw, PROTOCOL_TYPES)), False
        return "TLS_1_2", apigw.platform(apigw.V2).decide("TLS_1_2", ctx.profile), protocol == "HTTP"
    kind, problem = apigw.endpoint_kind(api)
    if kind is None:
        return None, unverifiable(f"{problem} of API {api.name}"), False
    raw = api.get("securityPolicy")
    if is_unknown(raw):
        return None, unverifiable(f"securityPolicy of API {api.name} (unknown until deployed)"), False
    if raw is None or raw == "":
        raw = "TLS_1_2" if kind == "PRIVATE" else "TLS_1_0"
    if not isinstance(raw, str):
        return None, unverifiable(f"securityPolicy of API {api.name} ({raw!r} is not a policy name)"), False
    key = apigw.EDGE if kind == "EDGE" else apigw.REGIONAL
    return raw, apigw.platform(key).decide(raw, ctx.profile), False


def _join(res: Resource, ctx: Context, prop: str, types: tuple[str, ...], keys: tuple[str, ...],
          what: str) -> tuple[Resource | None, str]:
    assert ctx.stack is not None
    found = ctx.stack.resolve(res, prop, types, keys)
    if len(found) == 1:
        return found[0], ""
    value = res.get(prop)
    why = ("unknown until deployed" if is_unknown(value) else "absent" if value is None
           else f"matches {len(found)} resources" if found else f"no {what} in this stack matches")
    return None, f"the {what} named by {prop} ({why})"


def analyze_mapping(res: Resource, ctx: Context) -> list[Exposure]:
    """An API on a custom domain: the worse of the API's and the domain's security policies."""
    shape = SHAPES[res.type]
    path = res.get(shape.path)
    where = f"/{path}" if isinstance(path, str) and path and path != "(none)" else "/"
    hint = "the same conforming securityPolicy on the REST API and its custom domain (HTTP/WebSocket APIs: a " \
           "TLS_1_2 domain); define both in this stack"

    def out(what: str, setting: Setting, decision: Decision, **kw: object) -> list[Exposure]:
        return [exposure(res, what, "apigateway", setting, decision, ctx, tightest=hint, **kw)]

    if ctx.stack is None:
        return out(f"API mapping {where}", Setting(shape.api, None, Origin.UNKNOWN),
                   unverifiable("the mapped API and domain (decided with the stack)"), needs_join=True)
    domain, why_domain = _join(res, ctx, shape.domain, REST_DOMAINS + V2_DOMAINS,
                               ("domainName", "id", "arn", "domainNameArn"), "API Gateway domain name")
    api, why_api = _join(res, ctx, shape.api, REST_APIS + V2_APIS, ("id", "apiId", "restApiId", "arn"),
                         "API Gateway API")
    label = f"API mapping {where}" + (f" on {domain.get('domainName')}" if domain is not None
                                      and isinstance(domain.get("domainName"), str) else "")
    if domain is None or api is None:
        missing = [w for w in (why_domain, why_api) if w]
        prop = shape.domain if domain is None else shape.api
        value = res.get(prop)
        setting = Setting(prop, None, Origin.UNKNOWN) if value is None or contains_unknown(value) else \
            Setting(prop, value if isinstance(value, str) else shown(value), Origin.EXPLICIT)
        return out(label, setting, unverifiable(*missing))
    return _judge(res, ctx, label, domain, api, out)


Out = Callable[..., list[Exposure]]


def _judge(res: Resource, ctx: Context, label: str, domain: Resource, api: Resource, out: Out) -> list[Exposure]:
    """The verdict of ``api`` served on ``domain``: the worse of the two policies (or unverifiable)."""
    analyzer: Callable[[Resource, Context], list[Exposure]] = \
        apigw.analyze_v2_domain if domain.type in V2_DOMAINS else apigw.analyze_rest_domain
    inner = analyzer(domain, ctx)[0]
    domain_policy, domain_decision = inner.setting.value, inner.decision
    api_policy, api_decision, http_api = _api_policy(api, ctx)
    setting = Setting("securityPolicy (API/domain)", f"{api_policy or '<unknown>'}/{domain_policy or '<unknown>'}",
                      Origin.JOINED, via=f"{api.name}, {domain.name}")
    facing = False if "private" in inner.exposure else inner.internet_facing
    if http_api and (domain_policy or "").startswith("SecurityPolicy_"):
        return out(label, setting, unverifiable(
            f"an HTTP API on domain {domain.name} with enhanced policy {domain_policy} (AWS: 'You can't map an "
            f"HTTP API to a domain name that uses an enhanced security policy', {SOURCE})"), internet_facing=facing)
    worse = _worse(api_decision, domain_decision)
    if worse.verdict is not Verdict.UNVERIFIABLE:
        note = (f"AWS negotiates a mapped API with the API's security policy ({api_policy}) and the domain enforces "
                f"its own ({domain_policy}); both must conform")
        worse = replace(worse, reasons=(*worse.reasons, note))
    return out(label, setting, worse, internet_facing=facing)


#: routing rules (2025) send requests on a custom domain to an API, like a mapping: token → domain property.
ROUTING_RULES = {"aws:apigatewayv2/routingRule:RoutingRule": "domainName",
                 "aws-native:apigatewayv2:RoutingRule": "domainNameArn"}


def _rule_api(res: Resource, ctx: Context) -> tuple[Resource | None, str]:
    """The API a routing rule invokes: ``actions[0].invokeApi.apiId`` (exactly one action), by dependency or id."""
    assert ctx.stack is not None
    actions = res.get("actions")
    if is_unknown(actions) or (isinstance(actions, (list, tuple)) and any(is_unknown(a) for a in actions)):
        return None, "actions (unknown until deployed)"
    if not isinstance(actions, (list, tuple)) or len(actions) != 1 or not isinstance(actions[0], dict):
        return None, f"actions={shown(actions)} (not exactly one action)"
    invoke = actions[0].get("invokeApi")
    api_id = invoke.get("apiId") if isinstance(invoke, dict) else None
    found = ctx.stack.property_sources(res, "actions", *(REST_APIS + V2_APIS))
    if not found and isinstance(api_id, str) and api_id:
        found = ctx.stack.find(lambda r: any(r.get(k) == api_id for k in ("id", "apiId", "restApiId")),
                               *(REST_APIS + V2_APIS))
    if len(found) == 1:
        return found[0], ""
    why = ("unknown until deployed" if api_id is None or is_unknown(api_id) else f"matches {len(found)} APIs"
           if found else "no API Gateway API in this stack matches")
    return None, f"the API named by actions[0].invokeApi.apiId ({why})"


def analyze_routing_rule(res: Resource, ctx: Context) -> list[Exposure]:
    """A routing rule on a custom domain: judged like a mapping of the API it invokes."""
    prop = ROUTING_RULES[res.type]
    hint = "the same conforming securityPolicy on the REST API and its custom domain; define both in this stack"

    def out(what: str, setting: Setting, decision: Decision, **kw: object) -> list[Exposure]:
        return [exposure(res, what, "apigateway", setting, decision, ctx, tightest=hint, **kw)]

    if ctx.stack is None:
        return out("routing rule", Setting("actions", None, Origin.UNKNOWN),
                   unverifiable("the invoked API and the domain (decided with the stack)"), needs_join=True)
    domain, why_domain = _join(res, ctx, prop, REST_DOMAINS + V2_DOMAINS, ("domainName", "id", "arn", "domainNameArn"),
                               "API Gateway domain name")
    api, why_api = _rule_api(res, ctx)
    name = domain.get("domainName") if domain is not None else None
    label = "routing rule" + (f" on {name}" if isinstance(name, str) else "")
    if domain is None or api is None:
        return out(label, Setting(prop if domain is None else "actions", None, Origin.UNKNOWN),
                   unverifiable(*[w for w in (why_domain, why_api) if w]))
    return _judge(res, ctx, label, domain, api, out)


ANALYZERS = {**{token: analyze_mapping for token in SHAPES}, **{token: analyze_routing_rule for token in ROUTING_RULES}}
