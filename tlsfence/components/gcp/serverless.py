"""A Cloud Run service exposed only through a global external ALB with the derived SSL policy.

``*.run.app`` runs on Google-managed TLS that no setting locks to the profile, so the service must not
serve there: ingress ``INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`` and ``default_uri_disabled`` (the analyzer
``gcp_serverless`` calls anything else ``unverifiable``). Sources:
https://cloud.google.com/run/docs/securing/ingress and
https://cloud.google.com/run/docs/configuring/instances/default-url

The component either creates the service from ``image`` with both settings, or takes an existing
``cloud_run_service`` and **verifies** both by reading the service (``cloudrunv2.getService``) before it
creates the network endpoint group: a service that still serves its default URL fails the deployment with a
ComponentConfigError (reads happen on preview too). Only the created service is visible to the policy pack.
"""

from typing import Any, NotRequired

import pulumi
import pulumi_gcp as gcp

from tlsfence.analyzers.gcp_serverless import CLOSED_INGRESS
from tlsfence.components.base import ComponentConfigError, FrontDoor, options_of, require
from tlsfence.components.gcp.https import GlobalHttpsLoadBalancer, GlobalHttpsLoadBalancerArgs
from tlsfence.components.gcp.policy import TlsPolicyArgs, policy_from_args

INGRESS = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
LB_KEYS = ("domains", "certificates", "ip_address", "redirect_http", "ssl_profile", "min_tls_version",
           "custom_features", "profile", "strict")


def verify_closed(component: str, name: str, service: Any) -> str:
    """The service's name when its default URL cannot serve; otherwise a ComponentConfigError saying what is open."""
    ingress = getattr(service, "ingress", None)
    disabled = getattr(service, "default_uri_disabled", None)
    missing = [what for what, ok in ((f"ingress {INGRESS} (is {ingress})", ingress in CLOSED_INGRESS),
                                     (f"default_uri_disabled true (is {disabled})", disabled is True)) if not ok]
    if missing:
        raise ComponentConfigError(
            f"{component} '{name}': Cloud Run service {getattr(service, 'name', None)!r} still serves its run.app "
            f"default URL on Google-managed TLS that no setting can lock to the profile; set {' and '.join(missing)} "
            "on the service, or give image so that the component creates a closed service")
    return str(service.name)


class ServerlessFrontArgs(TlsPolicyArgs):
    """Inputs of :class:`ServerlessFront`."""

    region: str
    """Region of the Cloud Run service and its serverless network endpoint group."""
    image: NotRequired[str]
    """Container image; the component creates a closed Cloud Run service from it."""
    cloud_run_service: NotRequired[str]
    """Name of an existing Cloud Run service (verified closed before use) instead of image."""
    project: NotRequired[str]
    """Project of an existing service (default: the provider's project)."""
    allow_unauthenticated: NotRequired[bool]
    """Grant roles/run.invoker to allUsers on the created service (default true; ingress still limits it to
    the load balancer)."""
    domains: NotRequired[list[str]]
    """Domains of a Google-managed certificate; give these or certificates."""
    certificates: NotRequired[pulumi.Input[list[str]]]
    """Self-links of existing SSL certificates."""
    ip_address: NotRequired[pulumi.Input[str]]
    """An existing global address; without it, one is reserved."""
    redirect_http: NotRequired[bool]
    """Serve port 80 as a redirect to HTTPS (default true)."""


class ServerlessFront(FrontDoor):
    """Cloud Run behind a global external ALB (serverless NEG, CUSTOM SSL policy), its run.app URL closed."""

    ip_address: pulumi.Output[str]
    """The load balancer's IP address (point the domains' A records here)."""
    service_name: pulumi.Output[str]
    """The Cloud Run service behind the load balancer."""

    def __init__(self, name: str, args: ServerlessFrontArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, ServerlessFrontArgs.__annotations__, comp, name)
        values, decision = policy_from_args(comp, name, data)
        region = require(data, "region", comp, name)
        if bool(data.get("image")) == bool(data.get("cloud_run_service")):
            raise ComponentConfigError(f"{comp} '{name}': give exactly one of image (create a closed Cloud Run "
                                       "service) or cloud_run_service (an existing one, verified closed)")
        if not data.get("domains") and not data.get("certificates"):
            raise ComponentConfigError(f"{comp} '{name}': give domains (Google-managed certificate) or certificates")
        super().__init__(name, opts)

        if data.get("image"):
            service = gcp.cloudrunv2.Service(
                f"{name}-service", location=region, ingress=INGRESS, default_uri_disabled=True,
                template=gcp.cloudrunv2.ServiceTemplateArgs(
                    containers=[gcp.cloudrunv2.ServiceTemplateContainerArgs(image=data["image"])]),
                opts=self._child())
            service_name: pulumi.Input[str] = service.name
            if data.get("allow_unauthenticated", True):
                gcp.cloudrunv2.ServiceIamMember(f"{name}-invoker", name=service.name, location=region,
                                                role="roles/run.invoker", member="allUsers", opts=self._child())
        else:
            found = gcp.cloudrunv2.get_service_output(name=data["cloud_run_service"], location=region,
                                                      project=data.get("project"),
                                                      opts=pulumi.InvokeOutputOptions(parent=self))
            service_name = found.apply(lambda s: verify_closed(comp, name, s))
        neg = gcp.compute.RegionNetworkEndpointGroup(
            f"{name}-neg", region=region, network_endpoint_type="SERVERLESS",
            cloud_run=gcp.compute.RegionNetworkEndpointGroupCloudRunArgs(service=service_name), opts=self._child())
        backend = gcp.compute.BackendService(
            f"{name}-backend", load_balancing_scheme="EXTERNAL_MANAGED", protocol="HTTPS",
            backends=[gcp.compute.BackendServiceBackendArgs(group=neg.id)], opts=self._child())
        lb_args: dict[str, Any] = {k: data[k] for k in LB_KEYS if k in data}
        lb = GlobalHttpsLoadBalancer(name, GlobalHttpsLoadBalancerArgs(backend_service=backend.self_link, **lb_args),
                                     opts=self._child())
        self.load_balancer = lb
        self._publish(lb.endpoint, values.name, decision, ip_address=lb.ip_address, service_name=service_name)
