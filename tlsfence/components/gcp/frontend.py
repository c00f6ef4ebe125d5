"""What the global HTTPS and SSL proxy load balancers share: certificates and the global address.

Both terminate TLS at a global target proxy, so both take a Google-managed certificate for ``domains`` or
existing ``certificates``, and an existing or reserved global address.
"""

from typing import Any, NotRequired

import pulumi
import pulumi_gcp as gcp

from tlsfence.components.base import ComponentConfigError, FrontDoor
from tlsfence.components.gcp.policy import TlsPolicyArgs


class GlobalFrontendArgs(TlsPolicyArgs):
    """Inputs of a global TLS-terminating front end: its certificates and address."""

    domains: NotRequired[list[str]]
    """Domains of a Google-managed certificate; give these or certificates. The first is the endpoint."""
    certificates: NotRequired[pulumi.Input[list[str]]]
    """Self-links of existing SSL certificates."""
    ip_address: NotRequired[pulumi.Input[str]]
    """An existing global address; without it, one is reserved."""


def require_certificates(data: dict[str, Any], component: str, name: str) -> None:
    """Refuse a front end with neither domains nor certificates (a proxy needs at least one certificate)."""
    if not data.get("domains") and not data.get("certificates"):
        raise ComponentConfigError(f"{component} '{name}': give domains (Google-managed certificate) or certificates")


def certificates_and_address(door: FrontDoor, name: str,
                             data: dict[str, Any]) -> tuple[Any, pulumi.Input[str]]:
    """The proxy's certificates (a managed one for ``domains`` unless given) and the global address."""
    certs = data.get("certificates")
    if not certs:
        certs = [gcp.compute.ManagedSslCertificate(
            f"{name}-cert", managed=gcp.compute.ManagedSslCertificateManagedArgs(domains=data.get("domains")),
            opts=door._child()).self_link]
    address = data.get("ip_address") or gcp.compute.GlobalAddress(f"{name}-ip", opts=door._child()).address
    return certs, address
