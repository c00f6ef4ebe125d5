"""Google serverless endpoints whose default URL runs on Google-managed TLS that no setting locks.

``*.run.app`` and ``*.gateway.dev`` accept whatever the Google front end accepts; no API field sets their
versions or suites, so while they serve the verdict is ``unverifiable`` (an exemption can waive it). A Cloud
Run service is closed when ingress is internal-and-cloud-load-balancing (or internal) *and* its default URL
is disabled. Sources:
https://cloud.google.com/run/docs/securing/ingress
https://cloud.google.com/run/docs/configuring/instances/default-url
https://cloud.google.com/api-gateway/docs/gateway-load-balancing
"""

from __future__ import annotations

from tlsfence.analyzers.base import Context, exposure, flag, flag_problem
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Verdict, fixed, unverifiable

CLOSED_INGRESS = ("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY",
                  "internal-and-cloud-load-balancing", "internal")
HINT = ("an external Application Load Balancer in front (serverless NEG, CUSTOM SSL policy) with the default "
        "URL closed by ingress INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER and defaultUriDisabled: true "
        "(tlsfence.components.gcp.ServerlessFront)")
MANAGED = "Google-managed TLS on the default URL, which no setting can lock to the profile"


def analyze_cloud_run_v2(res: Resource, ctx: Context) -> list[Exposure]:
    """A Cloud Run (v2) service's ``*.run.app`` URL."""
    ingress = res.get("ingress", default="INGRESS_TRAFFIC_ALL")
    raw = res.get("defaultUriDisabled", default=False)
    return [_run_app(res, ctx, ingress, flag(raw), raw)]


def analyze_cloud_run_v1(res: Resource, ctx: Context) -> list[Exposure]:
    """A Cloud Run (v1) service: ingress and default-URL settings live in annotations."""
    notes = res.get("metadata", "annotations", default={})
    if is_unknown(notes):
        return [_run_app(res, ctx, notes, None)]
    ingress = notes.get("run.googleapis.com/ingress", "all")
    raw = notes.get("run.googleapis.com/default-url-disabled", "false")
    return [_run_app(res, ctx, ingress, flag(raw), raw)]


def _run_app(res: Resource, ctx: Context, ingress: object, disabled: bool | None, raw: object = None) -> Exposure:
    if is_unknown(ingress) or disabled is None:
        prop = "ingress" if is_unknown(ingress) else "defaultUriDisabled"
        why = f"{prop} (unknown until deployed)" if is_unknown(ingress) else flag_problem(prop, raw)
        return exposure(res, "run.app default URL", "serverless", Setting(prop, None, Origin.UNKNOWN),
                        unverifiable(why), ctx, tightest=HINT)
    setting = Setting("ingress/defaultUriDisabled", f"{ingress}/{str(disabled).lower()}", Origin.EXPLICIT)
    if ingress in CLOSED_INGRESS and disabled:
        return exposure(res, "run.app default URL (disabled)", "serverless", setting,
                        fixed(Verdict.CONFORMING, "the default URL is disabled and ingress is internal/load balancer"),
                        ctx, tightest="")
    missing = [m for m, ok in (("ingress internal-and-cloud-load-balancing", ingress in CLOSED_INGRESS),
                               ("defaultUriDisabled: true", disabled)) if not ok]
    decision = unverifiable(f"the TLS of the run.app default URL ({MANAGED}; missing {', '.join(missing)})")
    return exposure(res, "run.app default URL", "serverless", setting, decision, ctx, tightest=HINT)


def analyze_function_v2(res: Resource, ctx: Context) -> list[Exposure]:
    """A Cloud Functions (2nd gen) function's default URL."""
    ingress = res.get("serviceConfig", "ingressSettings", default="ALLOW_ALL")
    if is_unknown(ingress):
        return [exposure(res, "function default URL", "serverless",
                         Setting("serviceConfig.ingressSettings", None, Origin.UNKNOWN),
                         unverifiable("serviceConfig.ingressSettings (unknown until deployed)"), ctx, tightest=HINT)]
    setting = Setting("serviceConfig.ingressSettings", str(ingress), Origin.EXPLICIT)
    if ingress in ("ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"):
        return [exposure(res, "function default URL (internal)", "serverless", setting,
                         fixed(Verdict.CONFORMING, f"ingress {ingress}: the default URL refuses internet requests"),
                         ctx, tightest="")]
    return [exposure(res, "function default URL", "serverless", setting,
                     unverifiable(f"the TLS of the function's default URL ({MANAGED})"), ctx, tightest=HINT)]


def analyze_api_gateway(res: Resource, ctx: Context) -> list[Exposure]:
    """An API Gateway gateway: ``*.gateway.dev`` cannot be closed or locked."""
    return [exposure(res, "gateway.dev default URL", "serverless", Setting("defaultHostname", None, Origin.DEFAULT),
                     unverifiable(f"the TLS of the gateway.dev URL ({MANAGED}; it cannot be disabled)"), ctx,
                     tightest="Cloud Run behind tlsfence.components.gcp.ServerlessFront (or an exemption with a "
                              "reason)")]


ANALYZERS = {
    "gcp:cloudrunv2/service:Service": analyze_cloud_run_v2,
    "gcp:cloudrun/service:Service": analyze_cloud_run_v1,
    "gcp:cloudfunctionsv2/function:Function": analyze_function_v2,
    "gcp:apigateway/gateway:Gateway": analyze_api_gateway,
}
