"""Kubernetes Services of type LoadBalancer on AWS: the listeners the in-tree controller or the AWS Load Balancer
Controller makes from ``service.beta.kubernetes.io/aws-load-balancer-*`` annotations.

Which controller: ``aws-load-balancer-type`` ``external``/``nlb-ip`` or ``spec.loadBalancerClass``
``service.k8s.aws/nlb`` is the controller's NLB; ``nlb`` is the in-tree NLB; any other Service with AWS
annotations is the in-tree classic ELB, or the controller's NLB when its webhook takes the Service, so both are
judged and the worse is reported. A port is TLS-terminated when ``-ssl-cert`` is set and ``-ssl-ports`` selects it;
its policy is ``-ssl-negotiation-policy`` or the documented default. Other ports are plaintext HTTP (classic ELB
with ``-backend-protocol: http``) or TCP/UDP pass-through. A LoadBalancer Service without AWS annotations is
layer-4 pass-through on every cloud tlsfence models. Facts and sources: ``kubernetes.json`` (``nlb.*``,
``intree.*``).
"""

from __future__ import annotations

from typing import Any

from tlsfence.analyzers.aws_classic_elb import STRICT_HINT
from tlsfence.analyzers.aws_elbv2 import CERT_TYPES, certificate_value_key_types, key_types_of
from tlsfence.analyzers.base import Context, decide_named, exposure
from tlsfence.analyzers.k8s_base import Unreadable, annotations, fact, known, port_number, text, with_reason, worst
from tlsfence.catalog import platform, tightest
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.resources import Resource, is_unknown
from tlsfence.verdicts import Decision, Verdict, fixed, unverifiable

FAMILY = "k8s-service"
A = "service.beta.kubernetes.io/aws-load-balancer-"
ELBV2, CLASSIC = "aws-elbv2", "aws-classic-elb"
PASS = "passes TLS through to the pods; verify them live with tlsfence verify"


def _controllers(ann: dict[str, Any], lb_class: str | None) -> list[str]:
    """``lbc-nlb``, ``intree-nlb``, ``intree-classic`` (the last may also be the controller's NLB)."""
    selectors = fact("nlb.lbc-selectors")
    kind = ann.get(A + "type")
    if lb_class is not None:
        if lb_class in selectors["loadBalancerClass"]:
            return ["lbc-nlb"]
        raise Unreadable(f"the TLS of spec.loadBalancerClass {lb_class!r} (not a load balancer class tlsfence models)")
    if kind in selectors["aws-load-balancer-type"]:
        return ["lbc-nlb"]
    if kind == "nlb":
        return ["intree-nlb"]
    return ["intree-classic", "lbc-nlb"]


def _ssl_ports(ann: dict[str, Any], controller: str) -> tuple[set[int], set[str]] | None:
    """Ports selected by -ssl-ports (None: every port)."""
    raw = ann.get(A + "ssl-ports")
    if raw is None or (controller != "lbc-nlb" and raw.strip() in ("", "*")):
        return None
    numbers, names = set(), set()
    for item in (i.strip() for i in raw.split(",")):
        if item.isdigit():
            numbers.add(int(item))
        elif item:
            names.add(item)
    return numbers, names


def _listener(res: Resource, port: dict[str, Any], ann: dict[str, Any], controller: str,
              ctx: Context) -> tuple[str, Setting, Decision, str]:
    """(listener protocol, setting, decision, remediation) of one Service port under one controller."""
    number = port_number(port.get("port"), "spec.ports[].port")
    proto = str(port.get("protocol") or "TCP").upper()
    cert = ann.get(A + "ssl-cert")  # computed (unknown at preview) still means a certificate is given
    selected = _ssl_ports(ann, controller)
    name = port.get("name")
    given = cert is not None and (is_unknown(cert) or bool(cert.strip()))
    is_tls = given and proto != "UDP" and (selected is None or number in selected[0] or name in selected[1])
    backend = str(ann.get(A + "backend-protocol") or "").strip().lower()
    prop = A + "ssl-negotiation-policy"
    if is_tls:
        if is_unknown(cert):
            found = ctx.stack.property_sources(res, "metadata", *CERT_TYPES) if ctx.stack is not None else []
            key_types = key_types_of(found)
        else:
            key_types = certificate_value_key_types(cert.split(",")[0].strip(), ctx)
        if controller == "intree-classic":
            mapped = fact("intree.backend-protocol").get(backend)
            if mapped is None:
                raise Unreadable(f"annotation {A}backend-protocol={backend!r} (the controller accepts "
                                 "http, https, ssl, tcp)")
            key, default, hint = CLASSIC, platform(CLASSIC).default, STRICT_HINT
        else:
            mapped = "TLS"
            key = ELBV2
            default = fact("nlb.lbc-default-ssl-policy") if controller == "lbc-nlb" else platform(ELBV2).default
            hint = tightest(ELBV2, ctx.profile)
        value = ann.get(prop)
        setting = Setting(prop, value.strip(), Origin.EXPLICIT) if value else Setting(prop, default, Origin.DEFAULT)
        return mapped, setting, decide_named(key, setting, ctx, key_types), hint
    if controller == "intree-classic" and backend == "http":
        return "HTTP", Setting(A + "backend-protocol", "http", Origin.EXPLICIT), \
            fixed(Verdict.NONCONFORMING, "serves plaintext HTTP (backend-protocol http on a port without "
                                         "certificate)"), f"{A}ssl-cert with {A}ssl-ports covering the port"
    return proto, Setting("protocol", proto, Origin.EXPLICIT), fixed(Verdict.NOT_TERMINATED, f"{proto} {PASS}"), ""


def _facing(ann: dict[str, Any], controller: str) -> bool | None:
    scheme = ann.get(A + "scheme")
    internal = ann.get(A + "internal")
    if controller == "lbc-nlb" and scheme is not None:
        return {"internet-facing": True, "internal": False}.get(scheme.strip())
    if internal is not None:
        return str(internal).strip().lower() in ("false", "")
    default = fact("nlb.lbc-default-scheme") if controller == "lbc-nlb" else fact("intree.default-scheme")
    return default == "internet-facing"


def analyze_service(res: Resource, ctx: Context) -> list[Exposure]:
    """One exposure per port of a LoadBalancer Service."""
    try:
        kind = text(res, "spec", "type")
        if kind != "LoadBalancer":
            return []
        ann = annotations(res)
        for key, value in ann.items():
            if key.startswith(A) and is_unknown(value) and key != A + "ssl-cert":
                raise Unreadable(f"annotation {key} (unknown until deployed)")
            if key.startswith(A) and not isinstance(value, str) and not is_unknown(value):
                raise Unreadable(f"annotation {key}={value!r} (annotation values are strings)")
        ports = known(res, "spec", "ports", default=[])
        if not isinstance(ports, list):
            raise Unreadable("spec.ports (not a list)")
        lb_class = text(res, "spec", "loadBalancerClass")
        aws = lb_class is not None or any(k.startswith(A) for k in ann)
        controllers = _controllers(ann, lb_class) if aws else []
    except Unreadable as e:
        return [exposure(res, "LoadBalancer Service", FAMILY, Setting("service", None, Origin.UNKNOWN),
                         unverifiable(str(e)), ctx, tightest=tightest(ELBV2, ctx.profile))]
    out = []
    for port in ports:
        port = port if isinstance(port, dict) else {}
        try:
            if not controllers:
                number = port_number(port.get("port"), "spec.ports[].port")
                proto = str(port.get("protocol") or "TCP").upper()
                out.append(exposure(res, f"{proto} load balancer port :{number}", FAMILY,
                                    Setting("protocol", proto, Origin.EXPLICIT),
                                    fixed(Verdict.NOT_TERMINATED, f"a LoadBalancer Service without TLS annotations "
                                                                  f"{PASS}"), ctx, tightest=""))
                continue
            judged = [(c, *_listener(res, port, ann, c, ctx)) for c in controllers]
        except Unreadable as e:
            out.append(exposure(res, "LoadBalancer Service port", FAMILY, Setting("spec.ports", None, Origin.UNKNOWN),
                                unverifiable(str(e)), ctx, tightest=tightest(ELBV2, ctx.profile)))
            continue
        decision = worst([j[3] for j in judged])
        controller, proto, setting, _, hint = next(j for j in judged if j[3] is decision)
        if len(judged) > 1 and {j[3].verdict for j in judged} != {decision.verdict}:
            who = "in-tree classic ELB" if controller == "intree-classic" else "AWS Load Balancer Controller NLB"
            decision = with_reason(decision, f"judged as the {who}, the worse of the two controllers that may take a "
                                             f"Service without {A}type")
        lb = "classic ELB" if controller == "intree-classic" else "NLB"
        what = f"{proto} listener :{int(port['port'])} ({lb})"
        out.append(exposure(res, what, FAMILY, setting, decision, ctx, tightest=hint,
                            internet_facing=_facing(ann, controller)))
    return out


ANALYZERS = {"kubernetes:core/v1:Service": analyze_service}
