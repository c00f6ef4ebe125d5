"""boto3 responses → :class:`Resource` objects with the Pulumi tokens and camelCase props the analyzers read.

Why: the pack, ``check`` and the audit must reach one verdict for one setting, so the audit does not judge
anything itself; it only re-spells what AWS returns the way the Pulumi engine would hand it to a policy
(``SslPolicy`` → ``sslPolicy``, ``RedirectConfig`` → ``redirect`` ...). Each resource carries ``arn`` and
``region`` in ``extra``. Resources come in groups, each analysed as its own stack: classic ELB policy names
are scoped to their load balancer (every one may have its own ``my-tls-policy``), so each classic load
balancer forms a group with its policies, which keeps the analyzer's by-name join inside that scope.
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.aws_classic_elb import LB as CLASSIC_LB
from tlsfence.analyzers.aws_classic_elb import LB_POLICY, LISTENER_POLICY
from tlsfence.audit.aws_reader import RegionData
from tlsfence.resources import UNKNOWN, Resource

ELBV2_LB = "aws:lb/loadBalancer:LoadBalancer"
ELBV2_LISTENER = "aws:lb/listener:Listener"
REST_DOMAIN = "aws:apigateway/domainName:DomainName"
REST_API = "aws:apigateway/restApi:RestApi"
V2_DOMAIN = "aws:apigatewayv2/domainName:DomainName"
V2_API = "aws:apigatewayv2/api:Api"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
_REDIRECT_KEYS = {"Protocol": "protocol", "Port": "port", "Host": "host", "Path": "path", "Query": "query",
                  "StatusCode": "statusCode"}


def _res(token: str, name: str, arn: str, region: str, props: dict[str, Any]) -> Resource:
    return Resource(type=token, name=name, urn=arn, props={k: v for k, v in props.items() if v is not None},
                    extra={"arn": arn, "region": region})


def _action(action: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": action.get("Type")}
    if "RedirectConfig" in action:
        out["redirect"] = {_REDIRECT_KEYS[k]: v for k, v in action["RedirectConfig"].items() if k in _REDIRECT_KEYS}
    if action.get("TargetGroupArn"):
        out["targetGroupArn"] = action["TargetGroupArn"]
    return out


def elbv2(data: RegionData) -> list[Resource]:
    """ELBv2 load balancers and their listeners.

    Pulumi models non-default rules as separate ``ListenerRule`` resources; the audit folds the actions of an
    HTTP listener's non-default rules into its ``defaultActions`` so that a path forwarding plaintext behind a
    redirecting default is judged as plaintext, not passed.
    """
    out: list[Resource] = []
    for lb in data.elbv2_load_balancers:
        arn, scheme = lb["LoadBalancerArn"], lb.get("Scheme")
        out.append(_res(ELBV2_LB, lb.get("LoadBalancerName", arn), arn, data.region, {
            "arn": arn, "name": lb.get("LoadBalancerName"), "scheme": scheme,
            "internal": None if scheme is None else scheme == "internal", "loadBalancerType": lb.get("Type")}))
        for listener in data.elbv2_listeners.get(arn, []):
            protocol = listener.get("Protocol")
            actions = [_action(a) for a in listener.get("DefaultActions") or []]
            for rule in data.elbv2_rules.get(listener["ListenerArn"], []):
                if not rule.get("IsDefault"):
                    actions.extend(_action(a) for a in rule.get("Actions") or [])
            certs = listener.get("Certificates") or []
            tls = str(protocol).upper() in ("HTTPS", "TLS")
            out.append(_res(ELBV2_LISTENER, f"{lb.get('LoadBalancerName', '?')}:{listener.get('Port')}",
                            listener["ListenerArn"], data.region, {
                                "arn": listener["ListenerArn"], "loadBalancerArn": arn, "protocol": protocol,
                                "port": listener.get("Port"), "sslPolicy": listener.get("SslPolicy") if tls else None,
                                "certificateArn": certs[0].get("CertificateArn") if certs else None,
                                "alpnPolicy": (listener.get("AlpnPolicy") or [None])[0],
                                "defaultActions": actions}))
    return out


def classic_elb(data: RegionData, account: str) -> list[list[Resource]]:
    """One group per classic load balancer: the balancer, its policies and its listener attachments."""
    groups: list[list[Resource]] = []
    for lb in data.classic_load_balancers:
        name = lb["LoadBalancerName"]
        arn = f"arn:aws:elasticloadbalancing:{data.region}:{account}:loadbalancer/{name}"
        scheme = lb.get("Scheme")
        listeners = [d.get("Listener", {}) for d in lb.get("ListenerDescriptions", [])]
        group = [_res(CLASSIC_LB, name, arn, data.region, {
            "name": name, "internal": None if scheme is None else scheme == "internal",
            "listeners": [{"lbPort": li.get("LoadBalancerPort"), "lbProtocol": li.get("Protocol"),
                           "instancePort": li.get("InstancePort"), "instanceProtocol": li.get("InstanceProtocol"),
                           "sslCertificateId": li.get("SSLCertificateId")} for li in listeners]})]
        for policy in data.classic_policies.get(name, []):
            pname = policy["PolicyName"]
            group.append(_res(LB_POLICY, f"{name}/{pname}", f"{arn}/policy/{pname}", data.region, {
                "loadBalancerName": name, "policyName": pname, "policyTypeName": policy.get("PolicyTypeName"),
                "policyAttributes": [{"name": a.get("AttributeName"), "value": a.get("AttributeValue")}
                                     for a in policy.get("PolicyAttributeDescriptions", [])]}))
        for desc in lb.get("ListenerDescriptions", []):
            port = desc.get("Listener", {}).get("LoadBalancerPort")
            if desc.get("PolicyNames"):
                group.append(_res(LISTENER_POLICY, f"{name}:{port}", f"{arn}/listener/{port}", data.region, {
                    "loadBalancerName": name, "loadBalancerPort": port, "policyNames": list(desc["PolicyNames"])}))
        groups.append(group)
    return groups


def apigateway(data: RegionData) -> list[Resource]:
    """REST custom domains and APIs, HTTP/WebSocket custom domains and APIs (list-shaped endpoint types)."""
    region, out = data.region, []
    for d in data.rest_domains:
        arn = f"arn:aws:apigateway:{region}::/domainnames/{d['domainName']}"
        out.append(_res(REST_DOMAIN, d["domainName"], arn, region, {
            "domainName": d["domainName"], "securityPolicy": d.get("securityPolicy"),
            "endpointAccessMode": d.get("endpointAccessMode"),
            "endpointConfiguration": {"types": list(d.get("endpointConfiguration", {}).get("types") or [])}}))
    for api in data.rest_apis:
        arn = f"arn:aws:apigateway:{region}::/restapis/{api['id']}"
        out.append(_res(REST_API, api.get("name", api["id"]), arn, region, {
            "name": api.get("name"), "disableExecuteApiEndpoint": bool(api.get("disableExecuteApiEndpoint", False)),
            "securityPolicy": api.get("securityPolicy"),
            "endpointConfiguration": {"types": list(api.get("endpointConfiguration", {}).get("types") or [])}}))
    for d in data.v2_domains:
        arn = d.get("DomainNameArn") or f"arn:aws:apigateway:{region}::/domainnames/{d['DomainName']}"
        configs = d.get("DomainNameConfigurations") or [{}]
        out.append(_res(V2_DOMAIN, d["DomainName"], arn, region, {
            "domainName": d["DomainName"],
            "domainNameConfiguration": {"securityPolicy": configs[0].get("SecurityPolicy"),
                                        "endpointType": configs[0].get("EndpointType"),
                                        "certificateArn": configs[0].get("CertificateArn")}}))
    for api in data.v2_apis:
        arn = f"arn:aws:apigateway:{region}::/apis/{api['ApiId']}"
        out.append(_res(V2_API, api.get("Name", api["ApiId"]), arn, region, {
            "name": api.get("Name"), "protocolType": api.get("ProtocolType"),
            "disableExecuteApiEndpoint": bool(api.get("DisableExecuteApiEndpoint", False))}))
    return out


def _behaviors(item: dict[str, Any]) -> dict[str, Any]:
    """Cache behaviors as the Pulumi shape (only what decides viewer HTTP); absent in the answer → unknown."""
    default = item.get("DefaultCacheBehavior")
    ordered = (item.get("CacheBehaviors") or {}).get("Items") or []
    return {
        "defaultCacheBehavior": UNKNOWN if not isinstance(default, dict) else {
            "viewerProtocolPolicy": default.get("ViewerProtocolPolicy")},
        "orderedCacheBehaviors": [{"pathPattern": b.get("PathPattern"), "viewerProtocolPolicy": b.get(
            "ViewerProtocolPolicy")} for b in ordered if isinstance(b, dict)],
    }


def cloudfront(items: list[dict[str, Any]]) -> list[Resource]:
    """Distributions; the viewer certificate block keeps AWS's values, re-spelled in camelCase."""
    out = []
    for item in items:
        cert = item.get("ViewerCertificate")
        arn = item.get("ARN") or f"arn:aws:cloudfront::distribution/{item.get('Id')}"
        out.append(_res(DISTRIBUTION, item.get("DomainName") or item.get("Id", arn), arn, "global", {
            "domainName": item.get("DomainName"), "enabled": item.get("Enabled"),
            "aliases": list((item.get("Aliases") or {}).get("Items") or []),
            **_behaviors(item),
            # Absent only when AWS did not answer: unknown, so the analyzer fails closed instead of guessing.
            "viewerCertificate": {"cloudfrontDefaultCertificate": UNKNOWN} if cert is None else {k: v for k, v in {
                "cloudfrontDefaultCertificate": cert.get("CloudFrontDefaultCertificate"),
                "minimumProtocolVersion": cert.get("MinimumProtocolVersion"),
                "acmCertificateArn": cert.get("ACMCertificateArn"),
                "iamCertificateId": cert.get("IAMCertificateId"),
                "sslSupportMethod": cert.get("SSLSupportMethod")}.items() if v is not None}}))
    return out


def groups_of(regions: list[RegionData], distributions: list[dict[str, Any]], account: str) -> list[list[Resource]]:
    """Every resource of the account, grouped for analysis (see the module docstring for why)."""
    shared: list[Resource] = []
    groups: list[list[Resource]] = []
    for data in regions:
        shared.extend(elbv2(data))
        shared.extend(apigateway(data))
        groups.extend(classic_elb(data, account))
    shared.extend(cloudfront(distributions))
    return [shared, *groups]
