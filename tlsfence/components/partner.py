"""The partner-environment program: config picks the cloud and the front door; the components do the rest.

The repository root's ``__main__.py`` calls :func:`main`; ``pulumi up`` in the root runs it. Every config
key lives in the ``tlsfence`` namespace (``pulumi config set tlsfence:cloud aws``), and a missing or
invalid value stops the program with a :class:`ComponentConfigError` that names the key and shows the
command that sets it. The front door refuses nonconforming settings itself (see ``tlsfence.components``).

Keys: ``cloud`` (aws|gcp), ``domain``, ``profile``, ``strict``; AWS: ``frontDoor`` (alb|nlb|classic),
``certificateArn`` or ``hostedZoneId``, ``subnetIds``, ``targetGroupArn`` or ``vpcId``, ``instanceIds``;
Google Cloud: ``region``, ``image`` or ``cloudRunService``, ``certificates`` (else a managed certificate).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi

from tlsfence.components.base import ComponentConfigError, FrontDoor

NAMESPACE = "tlsfence"
CLOUDS = ("aws", "gcp")
AWS_DOORS = ("alb", "nlb", "classic")


class _Config:
    """Typed reads of ``tlsfence:*`` config with messages that say how to fix the value."""

    def __init__(self) -> None:
        self._cfg = pulumi.Config(NAMESPACE)

    def get(self, key: str) -> str | None:
        value = self._cfg.get(key)
        return value.strip() if value and value.strip() else None

    def need(self, key: str, example: str, why: str = "") -> str:
        value = self.get(key)
        if value is None:
            raise ComponentConfigError(f"config {NAMESPACE}:{key} is required{f' ({why})' if why else ''}: "
                                       f"pulumi config set {NAMESPACE}:{key} {example}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = (self.get(key) or default or "").lower()
        if value not in choices:
            shown = repr(self.get(key)) if self.get(key) else "not set"
            raise ComponentConfigError(f"config {NAMESPACE}:{key} is {shown}; set one of {', '.join(choices)}: "
                                       f"pulumi config set {NAMESPACE}:{key} {choices[0]}")
        return value

    def flag(self, key: str) -> bool:
        value = (self.get(key) or "false").lower()
        if value not in ("true", "false"):
            raise ComponentConfigError(f"config {NAMESPACE}:{key} is {value!r}; set true or false")
        return value == "true"

    def names(self, key: str) -> list[str] | None:
        """A list given as YAML/JSON list or as a comma-separated string."""
        value = self.get(key)
        if value is None:
            return None
        if value.startswith("["):
            try:
                items = json.loads(value)
            except ValueError as e:
                raise ComponentConfigError(f"config {NAMESPACE}:{key} is not a valid list: {e}") from e
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ComponentConfigError(f"config {NAMESPACE}:{key} must be a list of strings")
            return items
        return [v.strip() for v in value.split(",") if v.strip()]


def _common(cfg: _Config) -> dict[str, Any]:
    out: dict[str, Any] = {"strict": cfg.flag("strict")}
    if cfg.get("profile"):
        out["profile"] = cfg.get("profile")
    return out


def build_aws(cfg: _Config, domain: str) -> FrontDoor:
    """An ALB (default), NLB or strict classic ELB for ``domain``."""
    from tlsfence.components import aws

    door = cfg.choice("frontDoor", AWS_DOORS, "alb")
    cert: dict[str, Any] = {"domain": domain}
    if cfg.get("certificateArn"):
        cert["certificate_arn"] = cfg.get("certificateArn")
    if cfg.get("hostedZoneId"):
        cert["hosted_zone_id"] = cfg.get("hostedZoneId")
    if len(cert) == 1:
        raise ComponentConfigError(f"config {NAMESPACE}:certificateArn or {NAMESPACE}:hostedZoneId is required "
                                   f"(a certificate, or a Route53 zone to validate one in): pulumi config set "
                                   f"{NAMESPACE}:hostedZoneId Z0123456789ABCDEFGHIJ")
    subnets = cfg.names("subnetIds")
    if not subnets:
        raise ComponentConfigError(f"config {NAMESPACE}:subnetIds is required (public subnets of the front door): "
                                   f"pulumi config set --path '{NAMESPACE}:subnetIds[0]' subnet-0123456789abcdef0")
    if door == "classic":
        return aws.StrictClassicLoadBalancer("partner", aws.StrictClassicLoadBalancerArgs(
            subnet_ids=subnets, instance_ids=cfg.names("instanceIds") or [], **cert, **_common(cfg)))
    backend: dict[str, Any] = {}
    if cfg.get("targetGroupArn"):
        backend["target_group_arn"] = cfg.get("targetGroupArn")
    else:
        backend["vpc_id"] = cfg.need("vpcId", "vpc-0123456789abcdef0", f"or set {NAMESPACE}:targetGroupArn")
    kind = "network" if door == "nlb" else "application"
    return aws.HttpsLoadBalancer("partner", aws.HttpsLoadBalancerArgs(
        subnet_ids=subnets, load_balancer_type=kind, **backend, **cert, **_common(cfg)))


def build_gcp(cfg: _Config, domain: str) -> FrontDoor:
    """A serverless front (global external ALB → Cloud Run) for ``domain``."""
    from tlsfence.components import gcp

    region = cfg.need("region", "europe-west1", "region of the Cloud Run service")
    backend: dict[str, Any] = {}
    if cfg.get("cloudRunService"):
        backend["cloud_run_service"] = cfg.get("cloudRunService")
    elif cfg.get("image"):
        backend["image"] = cfg.get("image")
    else:
        raise ComponentConfigError(f"config {NAMESPACE}:cloudRunService or {NAMESPACE}:image is required (the "
                                   f"backend to front): pulumi config set {NAMESPACE}:image "
                                   "us-docker.pkg.dev/cloudrun/container/hello")
    certs = cfg.names("certificates")
    tls: dict[str, Any] = {"certificates": certs} if certs else {"domains": [domain]}
    return gcp.ServerlessFront("partner", gcp.ServerlessFrontArgs(region=region, **backend, **tls, **_common(cfg)))


def main() -> FrontDoor:
    """Build the front door the config asks for and export its endpoint and verdict."""
    cfg = _Config()
    cloud = cfg.choice("cloud", CLOUDS)
    domain = cfg.need("domain", "api.partner.example.com", "the name partners call")
    door = build_aws(cfg, domain) if cloud == "aws" else build_gcp(cfg, domain)
    pulumi.export("endpoint", door.endpoint)
    pulumi.export("verdict", door.verdict)
    pulumi.export("setting", door.setting)
    pulumi.export("protocols", door.protocols)
    pulumi.export("excess", door.excess)
    return door
