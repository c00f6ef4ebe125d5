"""The coverage inventory against the installed SDKs, the analyzer registry and docs/coverage.md."""

from __future__ import annotations

import pytest

from tests.policy import harness as h
from tlsfence.analyzers import ANALYZERS, analyze, handles
from tlsfence.errors import CatalogError
from tlsfence.inventory import data
from tlsfence.inventory.classify import classify, sdk_classified, unclassified
from tlsfence.inventory.coverage import render
from tlsfence.inventory.data import _load, inventories, service_of
from tlsfence.inventory.sdk import SdkError, installed, sdk_tokens
from tlsfence.profiles import load_profile
from tlsfence.resources import Resource

INSTALLED = [inv for inv in inventories() if installed(inv.sdk)]
IDS = [inv.sdk for inv in INSTALLED]


def test_the_three_sdks_have_inventories_and_are_installed():
    assert {inv.sdk for inv in inventories()} >= {"pulumi_aws", "pulumi_aws_native", "pulumi_gcp"}
    assert {"pulumi_aws", "pulumi_aws_native", "pulumi_gcp"} <= set(IDS)  # requirements.txt installs all three


@pytest.mark.parametrize("inv", INSTALLED, ids=IDS)
def test_every_token_of_an_exposure_capable_service_is_classified(inv):
    missing = unclassified(sdk_classified(inv, sdk_tokens(inv.sdk)))
    assert not missing, (f"{inv.sdk} has tokens nobody has classified; add each to {inv.source} (or an analyzer): "
                         f"{missing}")


@pytest.mark.parametrize("inv", INSTALLED, ids=IDS)
def test_every_classified_token_and_service_exists_in_the_sdk(inv):
    tokens = sdk_tokens(inv.sdk).tokens
    services = {service_of(t)[1] for t in tokens if service_of(t)[0] == inv.package}
    assert not {s for s, svc in inv.services.items() if not svc.custom_resources} - services
    listed = [t for svc in inv.services.values() if not svc.custom_resources for t in svc.classes]
    assert not [t for t in listed if t not in tokens]
    assert not [t for svc in inv.services.values() for t in svc.notes if t not in svc.classes]
    for svc in inv.services.values():
        assert svc.source.startswith("https://") and svc.why, svc.name


def test_analyzed_is_never_written_in_the_data():
    written = {t for inv in inventories() for svc in inv.services.values() for t in svc.classes}
    assert not written & set(ANALYZERS)


def test_every_analyzed_token_is_in_an_inventoried_service():
    """So that coverage.md lists every token tlsfence judges."""
    outside = [t for t in ANALYZERS if service_of(t)[0] in data.by_package() and data.service_for(t) is None]
    assert not outside


def test_classification_reads_the_registry():
    listener = classify("aws:lb/listener:Listener")
    assert (listener.cls, listener.families) == ("analyzed", ("elbv2-listener",))
    assert listener.source == "tlsfence.analyzers.aws_elbv2.analyze_listener"
    url = classify("aws:lambda/functionUrl:FunctionUrl")
    assert (url.cls, url.families) == ("analyzed", ("managed-endpoint",))
    assert url.source.startswith("table row `lambda-url`")
    fn = classify("aws:lambda/function:Function")
    assert (fn.cls, fn.source, fn.families) == ("no-endpoint", "none (no finding)", ())
    assert classify("aws:lightsail/bucket:Bucket").cls == "managed-endpoint"
    assert classify("aws:lambda/notYetInvented:NotYetInvented").cls == "unclassified"
    table = classify("aws:dynamodb/table:Table")
    assert (table.service, table.cls, table.source) == ("dynamodb", "outside-inventory", "none (no finding)")
    site = classify("aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2")
    assert (site.cls, site.families) == ("analyzed", ("managed-endpoint",))


@pytest.mark.parametrize(("token", "handled", "verdict", "level"), [
    ("aws:lambda/notYetInvented:NotYetInvented", True, "unverifiable", "mandatory"),   # unclassified: fail closed
    ("gcp:compute/brandNewProxy:BrandNewProxy", True, "unverifiable", "mandatory"),
    ("aws:lightsail/bucket:Bucket", True, "unverifiable", "mandatory"),                # managed endpoint
    ("aws:lightsail/instance:Instance", True, "not-terminated", "advisory"),           # pass-through
    ("aws:apprunner/vpcIngressConnection:VpcIngressConnection", False, None, None),    # internal only
    ("aws:lambda/permission:Permission", False, None, None),                           # no client endpoint
    ("aws:dynamodb/table:Table", False, None, None),                                   # not an exposure service
    ("azure-native:web:WebApp", False, None, None),                                    # no inventory for the SDK
])
def test_run_time_fallback(token, handled, verdict, level):
    assert handles(token) is handled
    found = analyze(Resource(type=token, name="r", urn=f"urn:pulumi:dev::p::{token}::r", props={}), load_profile())
    assert [(e.decision.verdict.value, e.level(), e.family) for e in found] == (
        [] if verdict is None else [(verdict, level, "managed-endpoint")])
    if verdict == "unverifiable":
        assert token in found[0].message()


def test_unclassified_token_fails_closed_through_the_servicer():
    res = h.wire("aws:apprunner/brandNew:BrandNew", "new-kind", {"anything": True})
    found = h.in_process([res])
    assert [(d.policy, d.level) for d in found] == [h.MANAGED]
    assert "type token aws:apprunner/brandNew:BrandNew" in found[0].message
    assert "tlsfence has not classified this type" in found[0].message


def test_adding_an_sdk_is_a_data_change():
    inv = _load("pulumi_kubernetes.json", {
        "sdk": "pulumi_kubernetes", "package": "kubernetes", "title": "Kubernetes",
        "services": {"networking.k8s.io": {"why": "Ingresses serve HTTP(S)", "source": "https://kubernetes.io/",
                                           "classes": {"no-endpoint": ["kubernetes:networking.k8s.io/v1:IngressClass"]},
                                           "notes": {}}}})
    assert service_of("kubernetes:networking.k8s.io/v1:Ingress") == ("kubernetes", "networking.k8s.io")
    assert inv.services["networking.k8s.io"].classes == {"kubernetes:networking.k8s.io/v1:IngressClass": "no-endpoint"}


@pytest.mark.parametrize("body, message", [
    ({"classes": {"served": ["aws:x/y:Y"]}}, "unknown class 'served'"),
    ({"classes": {"no-endpoint": ["aws:x/y:Y"], "internal-only": ["aws:x/y:Y"]}}, "classified twice"),
])
def test_bad_inventory_data_is_refused(body, message):
    raw = {"sdk": "s", "package": "aws", "title": "t", "services": {"x": {"why": "w", "source": "https://x", **body}}}
    with pytest.raises(CatalogError, match=message):
        _load("bad.json", raw)


def test_sdk_reader_errors_and_caches():
    with pytest.raises(SdkError, match="not installed"):
        sdk_tokens("pulumi_no_such_sdk")
    assert sdk_tokens("pulumi_aws") is sdk_tokens("pulumi_aws")
    assert "aws:lb/listener:Listener" in sdk_tokens("pulumi_aws").tokens
    assert "aws-native:lambda:Url" in sdk_tokens("pulumi_aws_native").tokens


def test_coverage_page_is_the_generated_one_and_linked():
    page = (h.ROOT / "docs" / "coverage.md").read_text()
    assert page == render(), "regenerate: python -m tlsfence.inventory > docs/coverage.md"
    assert "| pulumi_aws |" in page and "`aws:lambda/functionUrl:FunctionUrl` | analyzed |" in page
    assert "docs/coverage.md" in (h.ROOT / "README.md").read_text()
