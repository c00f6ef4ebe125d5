"""Read the TLS-relevant parts of an AWS account with boto3, tolerating per-service failures.

Why this shape: an account audit must finish even when one service or region refuses (a read-only role that
lacks ``apigateway:GET`` is common), so every service read is guarded and a refusal becomes an
:class:`AuditError` in the report instead of an exception. Calls are bounded: paginated list calls, one
``describe_listeners`` per ELBv2 load balancer, one ``describe_load_balancer_policies`` per classic load
balancer, one ``describe_rules`` per HTTP listener that redirects (its rules may still forward plaintext),
and ``describe_ssl_policies`` per batch of distinct policy names. Nothing is called per HTTPS listener.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from tlsfence.errors import InputError

#: Error codes that mean "this principal may not read this", reported as ``access-denied``.
ACCESS_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                           "UnauthorizedException", "AuthorizationError", "Forbidden"})
#: ``describe_ssl_policies`` accepts a list of names; batches keep one bad name from hiding the others.
SSL_POLICY_BATCH = 20
#: Standard retry mode backs off on throttling (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
#: Bounded so that an endpoint that accepts and never answers fails the first call within 20 s: two attempts of
#: at most a 3 s connect and a 6 s silent read each, plus standard mode's jittered back-off (at most 1 s before
#: the second attempt). The read timeout is per socket read, not per response: AWS answers describe calls in
#: well under a second. Client config wins over ``AWS_MAX_ATTEMPTS`` (botocore's precedence).
CONNECT_TIMEOUT, READ_TIMEOUT, MAX_ATTEMPTS = 3, 6, 2
BOTO_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
                     connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, user_agent_extra="tlsfence-audit")
CLOUDFRONT_REGION = "us-east-1"
#: describe_listeners calls in flight at once (well under ELBv2's describe rate limits).
PARALLEL = 8


class ResponseError(InputError):
    """An AWS answer tlsfence cannot read: empty, not the protocol's format, or missing what every answer has."""


@dataclass(frozen=True)
class AuditError:
    """A service/region the audit could not read.

    Attributes:
        service: boto3 service name (``elbv2``).
        region: region, or ``global`` for CloudFront.
        operation: the API operation that failed.
        kind: ``access-denied`` or ``error``.
        code: the AWS error code or exception class.
        message: the service's message.
    """

    service: str
    region: str
    operation: str
    kind: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form; keys are the field names."""
        return dict(service=self.service, region=self.region, operation=self.operation, kind=self.kind,
                    code=self.code, message=self.message)


@dataclass
class RegionData:
    """Raw boto3 items of one region (lists of response dicts, untouched)."""

    region: str
    elbv2_load_balancers: list[dict[str, Any]] = field(default_factory=list)
    elbv2_listeners: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    elbv2_rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    classic_load_balancers: list[dict[str, Any]] = field(default_factory=list)
    classic_policies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rest_domains: list[dict[str, Any]] = field(default_factory=list)
    rest_apis: list[dict[str, Any]] = field(default_factory=list)
    v2_domains: list[dict[str, Any]] = field(default_factory=list)
    v2_apis: list[dict[str, Any]] = field(default_factory=list)


class AwsReader:
    """boto3 access for one audit: one client per (service, region), every call counted and guarded."""

    def __init__(self, session: boto3.Session, endpoint_url: str | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self.errors: list[AuditError] = []
        self.calls = 0
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._progress = progress or (lambda _msg: None)
        session.events.register("before-call", self._count)

    def _count(self, **_kw: Any) -> None:
        with self._lock:
            self.calls += 1

    def client(self, service: str, region: str) -> Any:
        """The one client of ``service`` in ``region`` (created on first use)."""
        key = (service, region)
        with self._lock:  # boto3 sessions are not thread-safe; the clients they make are
            if key not in self._clients:
                self._clients[key] = self.session.client(service, region_name=region,
                                                         endpoint_url=self.endpoint_url, config=BOTO_CONFIG)
            return self._clients[key]

    def account_id(self, region: str) -> str:
        """The caller's account; the first call, so missing credentials or a dead endpoint fail fast here."""
        answer = self.client("sts", region).get_caller_identity()
        account = answer.get("Account") if isinstance(answer, dict) else None
        if not isinstance(account, str) or not account:
            raise ResponseError("sts GetCallerIdentity answered without an account id (is the endpoint AWS?)")
        return account

    def _pages(self, service: str, region: str, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        paginator = self.client(service, region).get_paginator(operation)
        for page in paginator.paginate(**params):
            yield from _dig(page, key) or ()

    def _guard(self, service: str, region: str, operation: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn``; on an AWS or connection error record it and return None (the audit goes on)."""
        try:
            return fn()
        except ClientError as e:
            code, msg = _code_and_message(e)
            kind = "access-denied" if code in ACCESS_DENIED else "error"
            self.errors.append(AuditError(service, region, operation, kind, code, msg))
        except (BotoCoreError, ResponseParserError) as e:  # the parser's error is not a BotoCoreError
            self.errors.append(AuditError(service, region, operation, "error", type(e).__name__,
                                          " ".join(str(e).split())[:300]))
        return None

    def _list(self, service: str, region: str, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        return self._guard(service, region, operation,
                           lambda: list(self._pages(service, region, operation, key, **params))) or []

    def read_region(self, region: str) -> RegionData:
        """Everything of one region; a failing service leaves its lists empty and an error recorded."""
        data = RegionData(region)
        self._progress(f"reading elbv2 in {region}")
        data.elbv2_load_balancers = self._list("elbv2", region, "describe_load_balancers", "LoadBalancers")
        arns = [lb["LoadBalancerArn"] for lb in data.elbv2_load_balancers]
        # One describe_listeners per balancer, a few in flight: the round trips, not the work, dominate.
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            listeners = pool.map(lambda a: self._list("elbv2", region, "describe_listeners", "Listeners",
                                                      LoadBalancerArn=a), arns)
            data.elbv2_listeners = dict(zip(arns, listeners, strict=True))
        for arn in arns:
            for listener in data.elbv2_listeners[arn]:
                if _redirecting_http(listener):
                    data.elbv2_rules[listener["ListenerArn"]] = self._list(
                        "elbv2", region, "describe_rules", "Rules", ListenerArn=listener["ListenerArn"])
        self._progress(f"reading classic elb in {region}")
        data.classic_load_balancers = self._list("elb", region, "describe_load_balancers", "LoadBalancerDescriptions")
        for lb in data.classic_load_balancers:
            name = lb["LoadBalancerName"]
            got = self._guard("elb", region, "describe_load_balancer_policies", lambda n=name: self.client(
                "elb", region).describe_load_balancer_policies(LoadBalancerName=n))
            data.classic_policies[name] = list((got or {}).get("PolicyDescriptions", []))
        self._progress(f"reading api gateway in {region}")
        data.rest_domains = self._list("apigateway", region, "get_domain_names", "items")
        data.rest_apis = self._list("apigateway", region, "get_rest_apis", "items")
        data.v2_domains = self._list("apigatewayv2", region, "get_domain_names", "Items")
        data.v2_apis = self._list("apigatewayv2", region, "get_apis", "Items")
        return data

    def read_cloudfront(self) -> list[dict[str, Any]]:
        """Distribution summaries (a global service, read once through us-east-1).

        A summary without ``ViewerCertificate`` (moto's list omits it and the cache behaviors; AWS always returns
        them) is completed with ``get_distribution_config`` rather than guessed, so the call is made only where
        the list falls short.
        """
        self._progress("reading cloudfront")
        items = self._list("cloudfront", CLOUDFRONT_REGION, "list_distributions", "DistributionList.Items")
        for item in items:
            if "ViewerCertificate" not in item and item.get("Id"):
                got = self._guard("cloudfront", "global", "get_distribution_config", lambda i=item["Id"]: self.client(
                    "cloudfront", CLOUDFRONT_REGION).get_distribution_config(Id=i))
                config = (got or {}).get("DistributionConfig", {})
                for key in ("ViewerCertificate", "Aliases", "DefaultCacheBehavior", "CacheBehaviors"):
                    if key in config:
                        item[key] = config[key]
        return items

    def ssl_policies(self, region: str, names: Iterable[str]) -> dict[str, dict[str, Any]] | None:
        """Live ELBv2 policies by name, one call per batch; None when the service refused (error recorded)."""
        wanted = sorted(set(names))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), SSL_POLICY_BATCH):
            batch = wanted[start:start + SSL_POLICY_BATCH]
            try:
                for policy in self._pages("elbv2", region, "describe_ssl_policies", "SslPolicies", Names=batch):
                    found[policy["Name"]] = policy
            except ClientError as e:
                if e.response.get("Error", {}).get("Code") != "SSLPolicyNotFound":
                    self._guard("elbv2", region, "describe_ssl_policies", lambda err=e: _raise(err))
                    return None
                # One unknown name fails the whole batch; the full list (paginated) answers the others.
                every = self._list("elbv2", region, "describe_ssl_policies", "SslPolicies")
                found.update({p["Name"]: p for p in every if p["Name"] in batch})
        return found


def _code_and_message(e: ClientError) -> tuple[str, str]:
    """AWS error code and message; an error body botocore could not parse (XML on a JSON service) is read
    for its ``<Code>``/``<Message>``, else the HTTP status stands in for the code."""
    err = e.response.get("Error", {})
    code, msg = str(err.get("Code") or ""), str(err.get("Message") or "")
    if msg.lstrip().startswith("<"):
        found = {k: re.search(f"<{k}>(.*?)</{k}>", msg, re.S) for k in ("Code", "Message")}
        msg = found["Message"].group(1) if found["Message"] else msg
        code = found["Code"].group(1) if found["Code"] else code
    status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if not code or code.isdigit():
        code = code or f"HTTP {status}"
    return code, msg or f"HTTP {status}"


def _raise(err: Exception) -> None:
    raise err


def _dig(page: dict[str, Any], key: str) -> Any:
    value: Any = page
    for step in key.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _redirecting_http(listener: dict[str, Any]) -> bool:
    """An HTTP listener whose default actions all redirect: its rules decide whether plaintext is served."""
    actions = listener.get("DefaultActions") or []
    return str(listener.get("Protocol", "")).upper() == "HTTP" and bool(actions) and all(
        str(a.get("Type", "")).lower() == "redirect" for a in actions)
