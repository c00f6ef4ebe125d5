"""Kubernetes front doors that can only be built conforming: an ALB Ingress (AWS Load Balancer Controller) and a
GKE Ingress with its FrontendConfig and CUSTOM SSL policy.

``pip install tlsfence[kubernetes]``: this is the only tlsfence module that imports ``pulumi_kubernetes``.
Both decide their TLS with the same core as the pack (catalogs ``aws-elbv2`` and ``gcp-ssl-policy``) and
refuse a weaker setting at construction.

- :class:`AlbIngress` sets every annotation the controller would otherwise default: ``ssl-policy`` (default
  the tightest ELBv2 policy; the controller's own default is ELBSecurityPolicy-2016-08), ``certificate-arn``,
  ``listen-ports`` HTTPS:443 (+ HTTP:80 that only redirects, ``ssl-redirect: '443'``) and ``scheme``. It joins
  no IngressGroup: a group shares its ALB with Ingresses the component does not control.
- :class:`GkeIngress` creates a CUSTOM SSL policy, a FrontendConfig naming it with ``redirectToHttps``, and an
  Ingress of class ``gce`` linked to it (port 80 redirects, or is closed with ``redirect_http=False``).

Sources: ``tlsfence/catalogs/kubernetes.json`` (``alb.*``, ``gke.*``).
"""

import json
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from tlsfence.analyzers.k8s_base import fact
from tlsfence.components.base import (
    ComponentConfigError,
    FrontDoor,
    decide_named,
    https_url,
    options_of,
    require,
    resolve_profile,
)
from tlsfence.components.gcp.policy import TlsPolicyArgs, policy_from_args, ssl_policy

PLATFORM = "aws-elbv2"
A = "alb.ingress.kubernetes.io/"
STRICT_INSTEAD = ("No ALB policy is strictly conforming (every TLS 1.2 policy adds two AES256-GCM suites); for a "
                  "strictly conforming AWS front door use tlsfence.components.aws.StrictClassicLoadBalancer")


def _metadata(name: str, namespace: str | None, annotations: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "annotations": annotations}
    if namespace:
        meta["namespace"] = namespace
    return meta


def _ingress_spec(data: dict[str, Any], component: str, name: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if data.get("rules"):
        spec["rules"] = data["rules"]
    if data.get("default_backend"):
        spec["defaultBackend"] = data["default_backend"]
    if not spec:
        raise ComponentConfigError(f"{component} '{name}': give rules or default_backend (what the Ingress routes to)")
    return spec


class AlbIngressArgs(TypedDict):
    """Inputs of :class:`AlbIngress`."""

    certificate_arn: pulumi.Input[str]
    """ACM certificate of the HTTPS listener."""
    rules: NotRequired[pulumi.Input[list[Any]]]
    """Ingress rules (networking.k8s.io/v1 spec.rules, camelCase)."""
    default_backend: NotRequired[pulumi.Input[dict[str, Any]]]
    """Ingress spec.defaultBackend."""
    domain: NotRequired[str]
    """The name clients use (for the endpoint output)."""
    namespace: NotRequired[str]
    """Namespace of the Ingress (default: the provider's)."""
    ingress_class_name: NotRequired[str]
    """IngressClass of the AWS Load Balancer Controller (default alb)."""
    internal: NotRequired[bool]
    """Internal ALB (default false: internet-facing)."""
    redirect_http: NotRequired[bool]
    """Also listen on HTTP :80, only to redirect to HTTPS (default true)."""
    ssl_policy: NotRequired[str]
    """ELBv2 security policy; default the tightest the profile allows. A weaker one is refused."""
    profile: NotRequired[str]
    """Requirement profile: a built-in name or alias, or a profile file (default: the built-in profile)."""
    strict: NotRequired[bool]
    """Refuse conforming-with-excess too (no ALB policy passes; use StrictClassicLoadBalancer)."""


class AlbIngress(FrontDoor):
    """An Ingress the AWS Load Balancer Controller turns into an ALB with a conforming HTTPS listener."""

    ingress_name: pulumi.Output[str]
    """metadata.name of the Ingress."""

    def __init__(self, name: str, args: AlbIngressArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, AlbIngressArgs.__annotations__, comp, name)
        profile = resolve_profile(data.get("profile"))
        policy, decision = decide_named(comp, name, "ssl_policy", PLATFORM, data.get("ssl_policy"), profile,
                                        bool(data.get("strict", False)), None, STRICT_INSTEAD)
        cert = require(data, "certificate_arn", comp, name, "an HTTPS listener needs a certificate")
        spec = _ingress_spec(data, comp, name)
        cls = data.get("ingress_class_name", fact("alb.ingress-classes")[0])
        super().__init__(name, opts)

        redirect = bool(data.get("redirect_http", True))
        ports = [{"HTTP": 80}, {"HTTPS": 443}] if redirect else [{"HTTPS": 443}]
        annotations: dict[str, Any] = {
            A + "ssl-policy": policy, A + "certificate-arn": cert, A + "listen-ports": json.dumps(ports),
            A + "scheme": "internal" if data.get("internal") else "internet-facing",
        }
        if redirect:
            annotations[A + "ssl-redirect"] = "443"
        ingress = k8s.networking.v1.Ingress(
            f"{name}-ingress", metadata=_metadata(name, data.get("namespace"), annotations),
            spec={"ingressClassName": cls, **spec}, opts=self._child())
        self._publish(https_url(data.get("domain") or ""), policy, decision, ingress_name=name)
        self.ingress = ingress


class GkeIngressArgs(TlsPolicyArgs):
    """Inputs of :class:`GkeIngress`."""

    rules: NotRequired[pulumi.Input[list[Any]]]
    """Ingress rules (networking.k8s.io/v1 spec.rules, camelCase)."""
    default_backend: NotRequired[pulumi.Input[dict[str, Any]]]
    """Ingress spec.defaultBackend."""
    tls: NotRequired[pulumi.Input[list[Any]]]
    """Ingress spec.tls (Kubernetes Secrets with the certificates)."""
    managed_certificates: NotRequired[list[str]]
    """Names of ManagedCertificate resources (networking.gke.io/managed-certificates)."""
    pre_shared_certificates: NotRequired[list[str]]
    """Names of Compute Engine SSL certificates (ingress.gcp.kubernetes.io/pre-shared-cert)."""
    domain: NotRequired[str]
    """The name clients use (for the endpoint output)."""
    namespace: NotRequired[str]
    """Namespace of the Ingress and its FrontendConfig."""
    redirect_http: NotRequired[bool]
    """Serve port 80 as a redirect to HTTPS (default true); false closes port 80 (allow-http: false)."""


class GkeIngress(FrontDoor):
    """A GKE Ingress (class gce) whose FrontendConfig names a CUSTOM SSL policy and redirects HTTP to HTTPS."""

    ssl_policy_name: pulumi.Output[str]
    """Name of the SSL policy the load balancer uses."""
    frontend_config_name: pulumi.Output[str]
    """metadata.name of the FrontendConfig."""

    def __init__(self, name: str, args: GkeIngressArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        comp = type(self).__name__
        data = options_of(args, GkeIngressArgs.__annotations__, comp, name)
        values, decision = policy_from_args(comp, name, data)
        spec = _ingress_spec(data, comp, name)
        if not (data.get("tls") or data.get("managed_certificates") or data.get("pre_shared_certificates")):
            raise ComponentConfigError(f"{comp} '{name}': give tls, managed_certificates or pre_shared_certificates "
                                       "(without a certificate GKE serves plaintext HTTP only)")
        super().__init__(name, opts)

        policy = ssl_policy(self, name, values)
        redirect = bool(data.get("redirect_http", True))
        fc_name = f"{name}-frontend"
        fc_spec: dict[str, Any] = {"sslPolicy": policy.name}
        if redirect:
            fc_spec["redirectToHttps"] = {"enabled": True, "responseCodeName": "MOVED_PERMANENTLY_DEFAULT"}
        k8s.apiextensions.CustomResource(
            fc_name, api_version="networking.gke.io/v1beta1", kind="FrontendConfig",
            metadata=_metadata(fc_name, data.get("namespace"), {}), spec=fc_spec, opts=self._child())
        annotations: dict[str, Any] = {"kubernetes.io/ingress.class": "gce", fact("gke.frontend-config"): fc_name}
        if not redirect:
            annotations["kubernetes.io/ingress.allow-http"] = "false"
        if data.get("managed_certificates"):
            annotations["networking.gke.io/managed-certificates"] = ",".join(data["managed_certificates"])
        if data.get("pre_shared_certificates"):
            annotations["ingress.gcp.kubernetes.io/pre-shared-cert"] = ",".join(data["pre_shared_certificates"])
        if data.get("tls"):
            spec["tls"] = data["tls"]
        k8s.networking.v1.Ingress(f"{name}-ingress", metadata=_metadata(name, data.get("namespace"), annotations),
                                  spec=spec, opts=self._child())
        self._publish(https_url(data.get("domain") or ""), values.name, decision, ssl_policy_name=policy.name,
                      frontend_config_name=fc_name)


COMPONENTS = (AlbIngress, GkeIngress)

__all__ = ["COMPONENTS", "AlbIngress", "AlbIngressArgs", "ComponentConfigError", "GkeIngress", "GkeIngressArgs"]
