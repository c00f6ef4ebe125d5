"""A global proxy Network Load Balancer that terminates TLS (target SSL proxy) with the derived SSL policy.

A target SSL proxy without an SSL policy gets COMPATIBLE/TLS 1.0, like an HTTPS proxy; the component always
attaches its own. There is no port 80: an SSL proxy carries arbitrary TCP, so there is nothing to redirect.
Source: https://cloud.google.com/load-balancing/docs/ssl (SSL policies apply to target SSL proxies).
"""

from typing import NotRequired

import pulumi
import pulumi_gcp as gcp

from tlsfence.components.base import FrontDoor, https_url, options_of, require
from tlsfence.components.gcp.frontend import GlobalFrontendArgs, certificates_and_address, require_certificates
from tlsfence.components.gcp.policy import policy_from_args, ssl_policy


class SslProxyLoadBalancerArgs(GlobalFrontendArgs):
    """Inputs of :class:`SslProxyLoadBalancer`."""

    backend_service: pulumi.Input[str]
    """Self-link or id of a global backend service (protocol SSL or TCP, load_balancing_scheme EXTERNAL)."""
    port: NotRequired[int]
    """Listening port (default 443)."""


class SslProxyLoadBalancer(FrontDoor):
    """A global SSL proxy load balancer on a CUSTOM SSL policy."""

    ip_address: pulumi.Output[str]
    """The load balancer's IP address."""
    ssl_policy_name: pulumi.Output[str]
    """Name of the SSL policy the SSL proxy uses."""

    def __init__(self, name: str, args: SslProxyLoadBalancerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, SslProxyLoadBalancerArgs.__annotations__, comp, name)
        values, decision = policy_from_args(comp, name, data)
        backend = require(data, "backend_service", comp, name)
        require_certificates(data, comp, name)
        port = int(data.get("port", 443))
        super().__init__(name, opts)

        policy = ssl_policy(self, name, values)
        certs, address = certificates_and_address(self, name, data)
        proxy = gcp.compute.TargetSSLProxy(f"{name}-ssl", backend_service=backend, ssl_certificates=certs,
                                           ssl_policy=policy.self_link, opts=self._child())
        gcp.compute.GlobalForwardingRule(f"{name}-ssl", target=proxy.self_link, port_range=str(port),
                                         ip_protocol="TCP", ip_address=address, load_balancing_scheme="EXTERNAL",
                                         opts=self._child())
        domains = data.get("domains")
        host = domains[0] if domains else address
        endpoint = https_url(host) if port == 443 else pulumi.Output.concat("tls://", host, f":{port}")
        self._publish(endpoint, values.name, decision, ip_address=address, ssl_policy_name=policy.name)
