"""Which hostnames (and ports) clients use to reach each exposure a stack holds: the data behind
``tlsfence verify --from-state / --from-preview / --stack-outputs``.

The analyzers say *what* is exposed and with which setting (the same exposures ``tlsfence check`` judges); this
module says *where*: one row per type token naming the properties that hold a client-facing hostname (a load
balancer's DNS name through the listener's ``loadBalancerArn``, CloudFront's domain and aliases, API Gateway
custom domains, ``execute-api`` endpoints, Cloud Run URLs, a GCP forwarding rule's address with the domains of
its proxy's managed certificates), which port, and which values mean the exposure speaks no TLS. Route 53 and
Cloud DNS records that point at a collected name add the custom domain in front of it. Values are read from
the resources' outputs (state), or their inputs at preview, where computed names are not known yet.

Property names are the providers' camelCase state keys (pulumi-aws 7 and pulumi-gcp 10 schemas).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tlsfence.resources import UNKNOWN

Props = Mapping[str, Any]
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Row:
    """Where one resource type names its client-facing hosts.

    Attributes:
        hosts: property paths (``a.b``, ``list[]`` flattens a list) holding hostnames or ``https://`` URLs.
        port: property path of the port, a fixed port, or :data:`FROM_EXPOSURE`: the ``:PORT`` each exposure's
            description names (Kubernetes front doors, whose ports come from annotations and listeners).
        tls: (property, values) that mean TLS is served; any other value means plaintext (not probed).
        via: (own property, target type tokens, target key property): the hosts are the target's.
        items: a list property whose elements each carry ``port`` and ``tls`` (classic ELB listeners).
        derive: turns the first ``hosts`` value into a hostname (the REST API endpoint from its ARN).
        off: property that, when true, means the endpoint is switched off (nothing to probe).
        addresses: property paths holding IP addresses to connect to (the names in ``hosts`` are sent as SNI).
    """

    hosts: tuple[str, ...]
    port: str | int = 443
    tls: tuple[str, frozenset[str]] | None = None
    via: tuple[str, tuple[str, ...], str] | None = None
    items: str | None = None
    derive: Callable[[str], str | None] | None = None
    off: str | None = None
    addresses: tuple[str, ...] = ()


#: ``Row.port`` value: read the port from each exposure's description (``... :443``).
FROM_EXPOSURE = "@exposure"
_PORT_IN_TEXT = re.compile(r":(\d{1,5})\b")
_PLAINTEXT_IN_TEXT = re.compile(r"\b(HTTP|UDP)\b(?!S)")


def exposure_ports(text: str) -> tuple[list[int], bool]:
    """(ports named in an exposure description, whether it is plaintext: ``HTTP``/``UDP`` rather than TLS)."""
    ports = [int(m) for m in _PORT_IN_TEXT.findall(text) if 0 < int(m) < 65536]
    return ports, bool(_PLAINTEXT_IN_TEXT.search(text))


def _execute_api(arn: str) -> str | None:
    """``arn:aws:execute-api:REGION:ACCOUNT:ID`` → ``ID.execute-api.REGION.amazonaws.com``
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html)."""
    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "execute-api" or not parts[3] or not parts[5]:
        return None
    return f"{parts[5].split('/')[0]}.execute-api.{parts[3]}.amazonaws.com"


_ELBV2_TLS = ("protocol", frozenset({"HTTPS", "TLS"}))
_LB = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
_CLASSIC = ("aws:elb/loadBalancer:LoadBalancer",)
_CLASSIC_TLS = ("lbProtocol", frozenset({"HTTPS", "SSL"}))
_GCP_RULES = ("gcp:compute/globalForwardingRule:GlobalForwardingRule", "gcp:compute/forwardingRule:ForwardingRule")

ROWS: Mapping[str, Row] = {
    "aws:lb/listener:Listener": Row(("dnsName",), "port", _ELBV2_TLS, ("loadBalancerArn", _LB, "arn")),
    "aws:alb/listener:Listener": Row(("dnsName",), "port", _ELBV2_TLS, ("loadBalancerArn", _LB, "arn")),
    "aws-native:elasticloadbalancingv2:Listener": Row(("dnsName",), "port", _ELBV2_TLS, (
        "loadBalancerArn", ("aws-native:elasticloadbalancingv2:LoadBalancer",), "loadBalancerArn")),
    "aws:elb/loadBalancer:LoadBalancer": Row(("dnsName",), "lbPort", _CLASSIC_TLS, items="listeners"),
    "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy": Row(("dnsName",), "lbPort",
                                                             via=("loadBalancer", _CLASSIC, "name")),
    "aws:elb/listenerPolicy:ListenerPolicy": Row(("dnsName",), "loadBalancerPort",
                                                 via=("loadBalancerName", _CLASSIC, "name")),
    "aws:cloudfront/distribution:Distribution": Row(("domainName", "aliases[]")),
    "aws-native:cloudfront:Distribution": Row(("domainName", "distributionConfig.aliases[]")),
    "aws:apigateway/domainName:DomainName": Row(("domainName",)),
    "aws-native:apigateway:DomainName": Row(("domainName",)),
    "aws-native:apigateway:DomainNameV2": Row(("domainName",)),
    "aws:apigateway/restApi:RestApi": Row(("executionArn",), derive=_execute_api, off="disableExecuteApiEndpoint"),
    "aws:apigatewayv2/api:Api": Row(("apiEndpoint",), off="disableExecuteApiEndpoint"),
    "aws-native:apigatewayv2:Api": Row(("apiEndpoint",), off="disableExecuteApiEndpoint"),
    "aws:apigatewayv2/domainName:DomainName": Row(("domainName",)),
    "aws-native:apigatewayv2:DomainName": Row(("domainName",)),
    "gcp:cloudrunv2/service:Service": Row(("uri",)),
    "gcp:cloudrun/service:Service": Row(("statuses[].url",)),
    "gcp:cloudfunctionsv2/function:Function": Row(("url", "serviceConfig.uri")),
    "gcp:apigateway/gateway:Gateway": Row(("defaultHostname",)),
    **{token: Row(("spec.tls[].hosts[]", "status.loadBalancer.ingress[].hostname"), FROM_EXPOSURE,
                  addresses=("status.loadBalancer.ingress[].ip",))
       for token in ("kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress",
                     "kubernetes:extensions/v1beta1:Ingress")},
    "kubernetes:core/v1:Service": Row(("status.loadBalancer.ingress[].hostname",), FROM_EXPOSURE,
                                      addresses=("status.loadBalancer.ingress[].ip",)),
    **{token: Row(("spec.listeners[].hostname",), FROM_EXPOSURE, addresses=("status.addresses[].value",))
       for token in ("kubernetes:gateway.networking.k8s.io/v1:Gateway",
                     "kubernetes:gateway.networking.k8s.io/v1beta1:Gateway")},
}
_POLICY = "a policy: it is probed through the listeners and proxies that attach it"
_RULE = "a listener rule: it is served on the listener named by listenerArn, which is probed"
_ROUTE = "a route: it is served on its Gateway's listeners, which are probed"
_K8S_CONFIG = "front-door configuration: it is probed through the Ingresses and Gateways that use it"
#: Exposures with no endpoint of their own (policies, rules): probed through what they attach to.
ATTACHED: Mapping[str, str] = {
    "gcp:compute/sSLPolicy:SSLPolicy": _POLICY, "gcp:compute/regionSslPolicy:RegionSslPolicy": _POLICY,
    "aws:elb/loadBalancerPolicy:LoadBalancerPolicy": _POLICY,
    "aws:lb/listenerRule:ListenerRule": _RULE, "aws:alb/listenerRule:ListenerRule": _RULE,
    "aws-native:elasticloadbalancingv2:ListenerRule": _RULE,
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": _ROUTE,
    "kubernetes:gateway.networking.k8s.io/v1beta1:HTTPRoute": _ROUTE,
    **{token: _K8S_CONFIG for token in (
        "kubernetes:networking.k8s.io/v1:IngressClass", "kubernetes:networking.k8s.io/v1beta1:IngressClass",
        "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
        "kubernetes:networking.gke.io/v1beta1:FrontendConfig")},
}
#: GCP proxies and forwarding rules: the address is the rule's, the names its proxy's managed certificates'.
GCP_PROXIES = ("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "gcp:compute/targetSSLProxy:TargetSSLProxy",
               "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy")
GCP_PLAINTEXT = ("gcp:compute/targetHttpProxy:TargetHttpProxy",
                 "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy",
                 "gcp:compute/targetTCPProxy:TargetTCPProxy", "gcp:compute/regionTargetTcpProxy:RegionTargetTcpProxy")


@dataclass
class Place:
    """One (host, port) clients use, with the address to connect to when the stack names one.

    Attributes:
        host: hostname (lower case), or an IP address when nothing better is known.
        port: TCP port.
        address: IP address from the stack (GCP forwarding rule), else None (resolve ``host``).
        urns: exposures (URNs) served here.
        origins: where the name came from, for the report.
    """

    host: str
    port: int
    address: str | None = None
    urns: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)


def values(props: Any, path: str) -> list[Any]:
    """Values at ``path`` (``a.b``; ``x[]`` flattens a list); missing steps give nothing."""
    current = [props]
    for step in path.split("."):
        flat = step.endswith("[]")
        key = step[:-2] if flat else step
        nxt = []
        for value in current:
            if isinstance(value, Mapping) and key in value and value[key] is not None:
                item = value[key]
                nxt.extend(item if flat and isinstance(item, list) else [item])
        current = nxt
    return current


def hostname(value: Any) -> str | None:
    """A probe-able hostname from a host or ``https://`` URL value (None: unknown, plaintext, wildcard, other)."""
    if value is UNKNOWN or not isinstance(value, str):
        return None
    text = value.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme.lower() != "https":
            return None
        text = parts.hostname or ""
    text = text.rstrip(".").lower()
    return text if _HOST.match(text) else None


def _port(value: Any) -> int | None:
    """443, 443.0 (numbers arrive as floats) or ``"443-443"`` (GCP port ranges) → 443."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 0 < value < 65536:
        return int(value)
    if isinstance(value, str) and (head := value.split("-", 1)[0].strip()).isdigit() and 0 < int(head) < 65536:
        return int(head)
    return None


class Stack:
    """The resources of one state or preview, indexed for joins (plain values: ``from_wire`` applied)."""

    def __init__(self, resources: Iterable[tuple[str, str, Props]]) -> None:
        self.resources = list(resources)  # (urn, type, props)
        self.by_urn = {urn: (token, props) for urn, token, props in self.resources}

    def find(self, tokens: Sequence[str], key: str, value: Any) -> list[Props]:
        """Resources of ``tokens`` whose ``key`` (or ``id``/``selfLink``) equals ``value``."""
        return [p for _u, t, p in self.resources if t in tokens and value not in (None, UNKNOWN)
                and value in (p.get(key), p.get("id"), p.get("selfLink"))]


@dataclass(frozen=True)
class Gap:
    """Why an exposure has no place to probe; ``fails`` unless it serves no TLS of its own (fail closed)."""

    why: str
    fails: bool


def places_of(urn: str, stack: Stack, texts: Sequence[str] = ()) -> tuple[list[Place], Gap | None]:
    """Where the exposures of resource ``urn`` (described by ``texts``) are reached; or ([], why nothing is
    probed)."""
    token, props = stack.by_urn[urn]
    if token in ATTACHED:
        return [], Gap(ATTACHED[token], False)
    if token in GCP_PROXIES or token in _GCP_RULES or token in GCP_PLAINTEXT:
        return _gcp(urn, token, props, stack)
    row = ROWS.get(token)
    if row is None:
        return [], Gap(f"tlsfence does not know where {token} is reached (no hostname row)", True)
    if row.off and props.get(row.off) is True:
        return [], Gap(f"{row.off} is true: the endpoint is switched off", False)
    if row.port == FROM_EXPOSURE:
        return _named_ports(urn, token, props, row, texts)
    items = values(props, row.items + "[]") if row.items else [props]
    found: list[Place] = []
    plaintext = []
    for item in items:
        if row.tls and str(item.get(row.tls[0], "")).upper() not in row.tls[1]:
            plaintext.append(f"{row.tls[0]}={item.get(row.tls[0])}")
            continue
        port = _port(item.get(row.port)) if isinstance(row.port, str) else row.port
        if port is None:
            return [], Gap(f"port ({row.port}) is not known", True)
        sources = [props]
        if row.via:
            own, tokens, key = row.via
            sources = stack.find(tokens, key, props.get(own))
            pending = props.get(own) is UNKNOWN or any(
                p.get(key) is UNKNOWN for _u, t, p in stack.resources if t in tokens)
            if not sources and not pending:
                return [], Gap(f"the resource its {own} names is not in the stack (its hostname is there)", True)
        for source in sources:
            for path in row.hosts:
                for v in values(source, path):
                    host = row.derive(v) if row.derive and isinstance(v, str) else hostname(v)
                    if host:
                        found.append(Place(host, port, urns=[urn], origins=[f"{token} '{_name(urn)}' {path}"]))
    if not found:
        if plaintext:
            return [], Gap(f"{', '.join(plaintext)}: no TLS to probe", False)
        return [], Gap("no hostname known in the stack" + (
            " (computed, not known at preview)" if _has_unknown(props) else ""), True)
    return found, None


def _named_ports(urn: str, token: str, props: Props, row: Row, texts: Sequence[str]
                 ) -> tuple[list[Place], Gap | None]:
    """Hosts (and addresses) × the TLS ports the exposures' descriptions name."""
    named = [exposure_ports(t) for t in texts]
    ports = sorted({p for found, plain in named if not plain for p in found})
    if not ports:
        if named and all(plain for _f, plain in named):
            return [], Gap("plaintext (HTTP): no TLS to probe", False)
        return [], Gap("no port named by the exposure", True)
    hosts = list(dict.fromkeys(h for path in row.hosts for v in values(props, path) if (h := hostname(v))))
    ips = [v for path in row.addresses for v in values(props, path) if isinstance(v, str) and _is_ip(v)]
    address = ips[0] if ips else None
    targets = [(h, address) for h in hosts] or [(ip, ip) for ip in ips[:1]]
    if not targets:
        return [], Gap("no hostname or address known in the stack" + (
            " (computed, not known at preview)" if _has_unknown(props) else " (status not recorded)"), True)
    where = f"{token} '{_name(urn)}' ({', '.join(row.hosts + row.addresses)})"
    return [Place(h, port, a, [urn], [where]) for h, a in targets for port in ports], None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _name(urn: str) -> str:
    return urn.split("::", 3)[-1]


def _has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _gcp(urn: str, token: str, props: Props, stack: Stack) -> tuple[list[Place], Gap | None]:
    """A forwarding rule's address and port, named by its HTTPS/SSL proxy's managed certificate domains."""
    if token in GCP_PLAINTEXT:
        return [], Gap("plaintext proxy: no TLS to probe", False)
    rules = [props] if token in _GCP_RULES else [
        p for _u, t, p in stack.resources if t in _GCP_RULES and p.get("target") in (
            props.get("selfLink"), props.get("id"), props.get("name")) and p.get("target") not in (None, UNKNOWN)]
    out = []
    for rule in rules:
        proxies = stack.find(GCP_PROXIES, "selfLink", rule.get("target"))
        if token in _GCP_RULES and not proxies:
            if any(t in str(rule.get("target")) for t in ("targetHttpProxies", "targetTcpProxies")):
                return [], Gap("plaintext target: no TLS to probe", False)
        address, port = rule.get("ipAddress"), _port(rule.get("portRange")) or 443
        domains = [hostname(d) for proxy in (proxies or [props]) for cert in values(proxy, "sslCertificates[]")
                   for c in stack.find(("gcp:compute/managedSslCertificate:ManagedSslCertificate",), "selfLink", cert)
                   for d in values(c, "managed.domains[]")]
        ip = address if isinstance(address, str) and address and address is not UNKNOWN else None
        for host in [d for d in domains if d] or ([ip] if ip else []):
            out.append(Place(host, port, ip, [urn], [f"{token} '{_name(urn)}' (forwarding rule address "
                                                     f"{ip or '?'}, certificate domains)"]))
    return (out, None) if out else ([], Gap("no forwarding rule address or certificate domain known in the stack",
                                            True))


def dns_aliases(places: list[Place], stack: Stack) -> list[Place]:
    """Custom domains in front of collected names: Route 53 alias/CNAME records and Cloud DNS record sets."""
    by_host: dict[str, list[Place]] = {}
    for place in places:
        by_host.setdefault(place.host, []).append(place)
        if place.address:
            by_host.setdefault(place.address, []).append(place)
    extra = []
    for _urn, token, props in stack.resources:
        if token == "aws:route53/record:Record":
            targets = values(props, "aliases[].name") + values(props, "records[]")
            names = [props.get("fqdn"), props.get("name")]
        elif token == "gcp:dns/recordSet:RecordSet":
            targets, names = values(props, "rrdatas[]"), [props.get("name")]
        else:
            continue
        name = next((h for h in (hostname(n) for n in names) if h), None)
        for target in targets:
            key = str(target).rstrip(".").lower().removeprefix("dualstack.")
            for place in by_host.get(key, []):
                if name and name != place.host:
                    extra.append(Place(name, place.port, place.address, list(place.urns),
                                       [f"{token} {name} → {key}"]))
    return extra


def from_outputs(outputs: Any, prefix: str = "") -> list[Place]:
    """Hostnames in ``pulumi stack output --json`` (any depth): ``https://`` URLs and bare DNS names."""
    out = []
    if isinstance(outputs, Mapping):
        for key, value in outputs.items():
            out += from_outputs(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(outputs, list):
        for i, value in enumerate(outputs):
            out += from_outputs(value, f"{prefix}[{i}]")
    elif isinstance(outputs, str) and (host := hostname(outputs)):
        port = 443
        if "://" in outputs:
            port = urlsplit(outputs.strip()).port or 443
        out.append(Place(host, port, origins=[f"stack output {prefix}"]))
    return out


def merge(places: Iterable[Place]) -> list[Place]:
    """One place per (host, port, address), exposures and origins combined, in first-seen order."""
    merged: dict[tuple[str, int, str | None], Place] = {}
    for p in places:
        key = (p.host, p.port, p.address)
        if key in merged:
            m = merged[key]
            m.urns += [u for u in p.urns if u not in m.urns]
            m.origins += [o for o in p.origins if o not in m.origins]
        else:
            merged[key] = Place(p.host, p.port, p.address, list(p.urns), list(p.origins))
    return list(merged.values())
