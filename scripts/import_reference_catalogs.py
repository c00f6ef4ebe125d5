"""Build the provider catalogs tlsfence/catalogs/{aws_*,gcp_*}.json from catalogs-src/ (files in this repository only).

Inputs (see catalogs-src/README.md for where they came from): the researched reference catalogs
``catalogs-src/aws_tls_catalog.json`` and ``gcp_tls_catalog.json``, and ``catalogs-src/overrides.json``
(entries re-checked or added since, each with its source). Run ``python scripts/import_reference_catalogs.py``
after changing an input; ``--check`` only compares and exits 1 when a shipped catalog differs (a test does the
same). The output is what the package loads; review its diff like code. Only facts are copied (protocols,
suites, sources, uncertainty); the reference's own conformance classes are not: tlsfence computes verdicts
itself. Other files under tlsfence/catalogs/ (profiles, cipher suites, hand-written catalogs) are their own
source and are not touched.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "catalogs-src"
OUT = ROOT / "tlsfence" / "catalogs"
CHECKED = "2026-11-23"
#: the catalog files this script writes (everything else under tlsfence/catalogs/ is hand-maintained).
BUILT = ("aws_elbv2.json", "aws_classic_elb.json", "aws_apigateway.json", "aws_cloudfront.json",
         "gcp_ssl_policy.json")


def _source_urls(ids: list[str], sources: dict) -> list[str]:
    urls = []
    for sid in ids or []:
        src = sources.get(sid)
        if src is None:
            urls.append(sid)
        elif "url" in src:
            urls.append(src["url"])
        elif "repo" in src:
            path = src.get("path") or (src.get("paths") or [""])[0]
            commit = src.get("commit", "HEAD")
            urls.append(f"https://github.com/{src['repo']}/blob/{commit}/{path}")
        else:
            text = " ".join([*src.get("refs", []), src.get("ref", "")])
            urls.extend(re.findall(r"https?://[^\s,)]+", text))
    return urls


def _entry(raw: dict, sources: dict) -> dict:
    uncertain = bool(raw.get("uncertain")) or raw.get("protocols") is None or raw.get("ciphers") is None
    out = {
        "protocols": raw.get("protocols"),
        "ciphers": raw.get("ciphers"),
        "tls13_ciphers": [re.sub(r"\(.*\)$", "", c) for c in raw.get("tls13_ciphers") or []],
        "source": _source_urls(raw.get("sources", []), sources),
        "uncertain": uncertain,
    }
    note = raw.get("uncertain_why") or raw.get("notes") or raw.get("note")
    if note:
        out["note"] = note
    return out


def _read(name: str) -> dict:
    return json.loads((SRC / name).read_text(encoding="utf-8"))


def _apply_overrides(doc: dict) -> dict:
    """Apply catalogs-src/overrides.json: entries re-checked or added after the reference was written."""
    overrides = _read("overrides.json")
    for key, plat in doc["platforms"].items():
        for name, fix in overrides.get(key, {}).items():
            plat["entries"][name] = {**plat["entries"].get(name, {}), **fix}
    return doc


def _render(doc: dict) -> str:
    return json.dumps(_apply_overrides(doc), indent=1) + "\n"


def build_aws() -> dict[str, str]:
    """The AWS catalog files' text, by file name."""
    ref = _read("aws_tls_catalog.json")
    src = ref["sources"]
    meta = {"version": 1, "checked": CHECKED, "reference": "catalogs-src/aws_tls_catalog.json"}
    out: dict[str, str] = {}
    out["aws_elbv2.json"] = _render({**meta, "platforms": {"aws-elbv2": {
        "title": "ELBv2 (ALB HTTPS / NLB TLS listener) security policies",
        "default": ref["elbv2_default"]["api_cli_cloudformation_cdk_terraform_pulumi"],
        "default_note": "API, CloudFormation and Pulumi default when sslPolicy is absent (the console default differs)",
        "default_source": _source_urls(["alb_describe_ssl_policies_current", "nlb_describe_ssl_policies_current"], src),
        "entries": {k: _entry(v, src) for k, v in ref["elbv2"].items()},
    }}})
    clb = ref["classic_elb"]
    custom = clb["custom_policies"]
    out["aws_classic_elb.json"] = _render({**meta, "platforms": {"aws-classic-elb": {
        "title": "Classic ELB HTTPS/SSL listener security policies",
        "default": clb["default"]["policy"],
        "default_note": clb["default"]["text"],
        "default_source": _source_urls(clb["default"]["sources"], src),
        "entries": {k: _entry(v, src) for k, v in clb["predefined"].items()},
        "custom_policy": {
            "policy_type": "SSLNegotiationPolicyType",
            "protocol_attributes": {"Protocol-SSLv2": "SSLv2", "Protocol-SSLv3": "SSLv3", "Protocol-TLSv1": "TLSv1.0",
                                    "Protocol-TLSv1.1": "TLSv1.1", "Protocol-TLSv1.2": "TLSv1.2"},
            "other_attributes": ["Server-Defined-Cipher-Order"],
            "reference_attribute": "Reference-Security-Policy",
            "unsupported_ciphers": custom["six_suites_not_supported"],
            "omitted_attribute_value": False,
            "omitted_attribute_uncertain": True,
            "note": custom["unspecified_attribute_semantics"]["uncertain_why"] + " " + custom["chacha20"],
            "source": _source_urls(custom["sources"], src),
        },
    }}})
    apigw = ref["apigateway"]
    out["aws_apigateway.json"] = _render({**meta, "platforms": {
        "aws-apigateway-regional": {
            "title": "API Gateway REST: regional and private custom domains (and API-level policies)",
            "default": "TLS_1_2",
            "default_note": "custom domains default to TLS_1_2",
            "default_source": _source_urls(apigw["defaults"]["sources"], src),
            "entries": {k: _entry(v, src)
                        for k, v in apigw["rest_regional_and_private_custom_domains_and_apis"].items()},
        },
        "aws-apigateway-edge": {
            "title": "API Gateway REST: edge-optimized custom domains",
            "default": "TLS_1_2",
            "default_note": "custom domains default to TLS_1_2",
            "default_source": _source_urls(apigw["defaults"]["sources"], src),
            "entries": {k: _entry(v, src) for k, v in apigw["rest_edge_optimized_custom_domains_and_apis"].items()},
        },
        "aws-apigateway-execute-api": {
            "title": "API Gateway REST default execute-api endpoint (regional/edge TLS_1_0, private TLS_1_2)",
            "default": "TLS_1_0",
            "default_note": apigw["execute_api_endpoint"]["rest"],
            "default_source": _source_urls(apigw["execute_api_endpoint"]["sources"], src),
            "entries": {k: _entry(apigw["rest_regional_and_private_custom_domains_and_apis"][k], src)
                        for k in ("TLS_1_0", "TLS_1_2")},
        },
        "aws-apigatewayv2": {
            "title": "API Gateway HTTP and WebSocket APIs (custom domains and execute-api): TLS_1_2 enforced",
            "default": "TLS_1_2",
            "default_note": apigw["execute_api_endpoint"]["http_websocket"],
            "default_source": _source_urls(apigw["http_and_websocket_apis_v2"]["TLS_1_2"]["sources"], src),
            "entries": {k: _entry(v, src) for k, v in apigw["http_and_websocket_apis_v2"].items()},
        },
    }})
    cf = ref["cloudfront"]
    out["aws_cloudfront.json"] = _render({**meta, "platforms": {"aws-cloudfront": {
        "title": "CloudFront viewer security policies (minimumProtocolVersion)",
        "default": "TLSv1",
        "default_note": cf["terraform_pulumi_default_minimum_protocol_version"],
        "default_source": _source_urls(cf["default_certificate"]["sources"], src),
        "default_certificate_policy": cf["default_certificate"]["effective_policy"],
        "default_certificate_note": cf["default_certificate"]["rule"],
        "entries": {k: _entry(v, src) for k, v in cf["policies"].items()},
    }}})
    return out


def build_gcp() -> dict[str, str]:
    """The Google Cloud catalog file's text, by file name."""
    ref = _read("gcp_tls_catalog.json")
    srcs = {s["id"]: s for s in ref["sources"]}
    f2o = ref["feature_to_openssl"]
    profiles = {}
    for name, prof in ref["profiles"].items():
        if name == "CUSTOM":
            continue
        by_min = prof["by_min_tls_version"]
        valid = [m for m, e in by_min.items() if e.get("valid")]
        features = next(by_min[m]["enabled_features"] for m in valid)
        unverified = {m: bool(by_min[m].get("unverified")) for m in valid}
        profiles[name] = {
            "features": features,
            "min_tls_versions": valid,
            "tls13_ciphers": by_min[valid[0]]["tls13_ciphers"],
            "uncertain_at": [m for m, u in unverified.items() if u] + ([m for m in valid] if "FIPS" in name else []),
            "evidence": prof["evidence"],
        }
    for p in profiles.values():
        p["uncertain_at"] = sorted(set(p["uncertain_at"]))
    return {"gcp_ssl_policy.json": _render({
        "version": 1, "checked": CHECKED, "reference": "catalogs-src/gcp_tls_catalog.json",
        "platforms": {"gcp-ssl-policy": {
            "title": "Google Cloud SSL policies (target HTTPS/SSL proxies, global and regional)",
            "model": "gcp-ssl-policy",
            "default": {"profile": "COMPATIBLE", "minTlsVersion": "TLS_1_0"},
            "default_note": ref["default_when_absent"]["evidence"][0],
            "default_source": [srcs["gcp-ssl-policies-overview"]["url"], "https://docs.fugue.co/FG_R00410.html"],
            "profiles": profiles,
            "custom_features": ref["custom_features"]["list"],
            "custom_features_note": ref["custom_features"]["evidence"],
            "custom_min_tls_versions": ["TLS_1_0", "TLS_1_1", "TLS_1_2"],
            "tls13_ciphers": ref["tls13_suites"]["always_enabled_when_tls13_negotiated"],
            "feature_names": {k: v["openssl"] for k, v in f2o.items()},
            "tightest": {"profile": "CUSTOM", "minTlsVersion": "TLS_1_2",
                         "customFeatures": ref["tightest_conforming"]["custom_features"]},
            "source": [srcs[s]["url"] for s in ("gcp-ssl-policies-overview", "gcp-use-ssl-policies")]
            + ["https://github.com/GoogleCloudPlatform/k8s-config-connector/blob/cdb85ecf1708/"
               "pkg/test/resourcefixture/testdata/basic/compute/v1beta1/computesslpolicy/_http.log"],
        }},
    })}


def build() -> dict[str, str]:
    """Every built catalog file's text, by file name (nothing is written)."""
    out = {**build_aws(), **build_gcp()}
    if sorted(out) != sorted(BUILT):
        raise RuntimeError(f"built {sorted(out)}, expected {sorted(BUILT)}")
    return out


def stale(built: dict[str, str], out_dir: Path = OUT) -> list[str]:
    """Names of the shipped catalog files that differ from ``built``."""
    return [name for name, text in built.items()
            if not (out_dir / name).is_file() or (out_dir / name).read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    built = build()
    if argv[:1] == ["--check"]:
        differ = stale(built)
        for name in differ:
            print(f"{OUT / name} differs from what catalogs-src/ builds", file=sys.stderr)
        return 1 if differ else 0
    for name, text in built.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
