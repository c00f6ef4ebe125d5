"""External Application Load Balancers (global and regional) whose HTTPS proxy carries the derived SSL policy.

A target HTTPS proxy without an SSL policy gets COMPATIBLE/TLS 1.0 (nonconforming), so the proxy always
names the component's own policy. Port 80, when enabled, is a separate URL map whose only rule is an HTTPS
redirect, behind a target HTTP proxy: it never forwards plaintext to the backend. Pattern:
https://cloud.google.com/load-balancing/docs/https/setting-up-http-https-redirect
"""

from typing import Any, NotRequired

import pulumi
import pulumi_gcp as gcp

from tlsfence.components.base import ComponentConfigError, FrontDoor, https_url, options_of, require
from tlsfence.components.gcp.frontend import GlobalFrontendArgs, certificates_and_address, require_certificates
from tlsfence.components.gcp.policy import TlsPolicyArgs, policy_from_args, ssl_policy

SCHEMES = ("EXTERNAL_MANAGED", "EXTERNAL")
REDIRECT = {"https_redirect": True, "strip_query": False, "redirect_response_code": "MOVED_PERMANENTLY_DEFAULT"}


def _scheme(data: dict[str, Any], component: str, name: str) -> str:
    scheme = str(data.get("load_balancing_scheme", "EXTERNAL_MANAGED")).upper()
    if scheme not in SCHEMES:
        raise ComponentConfigError(f"{component} '{name}': load_balancing_scheme {scheme!r} is not one of "
                                   f"{', '.join(SCHEMES)} (internal load balancers are not front doors)")
    return scheme


def _endpoint(domains: Any, address: pulumi.Input[str]) -> pulumi.Output[str]:
    return https_url(domains[0] if isinstance(domains, list) and domains else address)


class GlobalHttpsLoadBalancerArgs(GlobalFrontendArgs):
    """Inputs of :class:`GlobalHttpsLoadBalancer`."""

    backend_service: pulumi.Input[str]
    """Self-link or id of the backend service to front (its load_balancing_scheme must match)."""
    load_balancing_scheme: NotRequired[str]
    """EXTERNAL_MANAGED (default, global external ALB) or EXTERNAL (classic ALB)."""
    redirect_http: NotRequired[bool]
    """Serve port 80 as a redirect to HTTPS (default true); plaintext forwarding is never built."""


class GlobalHttpsLoadBalancer(FrontDoor):
    """A global external Application Load Balancer: CUSTOM SSL policy, HTTPS :443, HTTP :80 redirect only."""

    ip_address: pulumi.Output[str]
    """The load balancer's IP address (point the domains' A records here)."""
    ssl_policy_name: pulumi.Output[str]
    """Name of the SSL policy the HTTPS proxy uses."""

    def __init__(self, name: str, args: GlobalHttpsLoadBalancerArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, GlobalHttpsLoadBalancerArgs.__annotations__, comp, name)
        values, decision = policy_from_args(comp, name, data)
        backend = require(data, "backend_service", comp, name)
        scheme = _scheme(data, comp, name)
        require_certificates(data, comp, name)
        super().__init__(name, opts)

        policy = ssl_policy(self, name, values)
        certs, address = certificates_and_address(self, name, data)
        url_map = gcp.compute.URLMap(f"{name}-urlmap", default_service=backend, opts=self._child())
        proxy = gcp.compute.TargetHttpsProxy(f"{name}-https", url_map=url_map.self_link, ssl_certificates=certs,
                                             ssl_policy=policy.self_link, opts=self._child())
        gcp.compute.GlobalForwardingRule(f"{name}-https", target=proxy.self_link, port_range="443", ip_protocol="TCP",
                                         ip_address=address, load_balancing_scheme=scheme, opts=self._child())
        if data.get("redirect_http", True):
            redirect = gcp.compute.URLMap(f"{name}-redirect", opts=self._child(),
                                          default_url_redirect=gcp.compute.URLMapDefaultUrlRedirectArgs(**REDIRECT))
            http = gcp.compute.TargetHttpProxy(f"{name}-http", url_map=redirect.self_link, opts=self._child())
            gcp.compute.GlobalForwardingRule(f"{name}-http", target=http.self_link, port_range="80",
                                             ip_protocol="TCP", ip_address=address, load_balancing_scheme=scheme,
                                             opts=self._child())
        self._publish(_endpoint(data.get("domains"), address), values.name, decision, ip_address=address,
                      ssl_policy_name=policy.name)


class RegionalHttpsLoadBalancerArgs(TlsPolicyArgs):
    """Inputs of :class:`RegionalHttpsLoadBalancer`."""

    region: str
    """Region of the load balancer."""
    network: pulumi.Input[str]
    """VPC network (it needs a proxy-only subnet in region)."""
    backend_service: pulumi.Input[str]
    """Self-link or id of a regional backend service (load_balancing_scheme EXTERNAL_MANAGED)."""
    certificates: pulumi.Input[list[str]]
    """Self-links of regional SSL certificates (Google-managed certificates are global only)."""
    domain: NotRequired[str]
    """The name clients use (for the endpoint output)."""
    ip_address: NotRequired[pulumi.Input[str]]
    """An existing regional address; without it, one is reserved."""
    redirect_http: NotRequired[bool]
    """Serve port 80 as a redirect to HTTPS (default true)."""


class RegionalHttpsLoadBalancer(FrontDoor):
    """A regional external Application Load Balancer with a regional CUSTOM SSL policy and an HTTP redirect."""

    ip_address: pulumi.Output[str]
    """The load balancer's IP address."""
    ssl_policy_name: pulumi.Output[str]
    """Name of the regional SSL policy the HTTPS proxy uses."""

    def __init__(self, name: str, args: RegionalHttpsLoadBalancerArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, RegionalHttpsLoadBalancerArgs.__annotations__, comp, name)
        values, decision = policy_from_args(comp, name, data)
        region = require(data, "region", comp, name)
        network = require(data, "network", comp, name, "regional external load balancers are bound to a VPC")
        backend = require(data, "backend_service", comp, name)
        certs = require(data, "certificates", comp, name, "regional load balancers need regional certificates")
        super().__init__(name, opts)

        policy = ssl_policy(self, name, values, region=region)
        address = data.get("ip_address") or gcp.compute.Address(
            f"{name}-ip", region=region, address_type="EXTERNAL", network_tier="PREMIUM", opts=self._child()).address
        url_map = gcp.compute.RegionUrlMap(f"{name}-urlmap", region=region, default_service=backend,
                                           opts=self._child())
        proxy = gcp.compute.RegionTargetHttpsProxy(f"{name}-https", region=region, url_map=url_map.self_link,
                                                   ssl_certificates=certs, ssl_policy=policy.self_link,
                                                   opts=self._child())
        rule = dict(region=region, network=network, ip_protocol="TCP", ip_address=address,
                    load_balancing_scheme="EXTERNAL_MANAGED", network_tier="PREMIUM")
        gcp.compute.ForwardingRule(f"{name}-https", target=proxy.self_link, port_range="443", opts=self._child(),
                                   **rule)
        if data.get("redirect_http", True):
            redirect = gcp.compute.RegionUrlMap(
                f"{name}-redirect", region=region, opts=self._child(),
                default_url_redirect=gcp.compute.RegionUrlMapDefaultUrlRedirectArgs(**REDIRECT))
            http = gcp.compute.RegionTargetHttpProxy(f"{name}-http", region=region, url_map=redirect.self_link,
                                                     opts=self._child())
            gcp.compute.ForwardingRule(f"{name}-http", target=http.self_link, port_range="80", opts=self._child(),
                                       **rule)
        domain = data.get("domain")
        self._publish(_endpoint([domain] if domain else None, address), values.name, decision, ip_address=address,
                      ssl_policy_name=policy.name)
