"""The component package: its schema, made without the CLI exactly as GetSchema serves it, is complete."""

from pathlib import Path

import pytest
import yaml

from tests.components.helpers import REPO, build
from tlsfence.components.package import COMPONENTS, schema

SCHEMA = schema("1.2.3")
COMMON_OUTPUTS = {"endpoint", "setting", "protocols", "suites", "verdict", "excess"}
NAMES = ["HttpsLoadBalancer", "RestApiDomain", "HttpApiDomain", "StrictClassicLoadBalancer",
         "GlobalHttpsLoadBalancer", "RegionalHttpsLoadBalancer", "SslProxyLoadBalancer", "ServerlessFront"]


def _typed(prop: dict) -> bool:
    if "$ref" in prop:
        return True
    if prop.get("type") == "array":
        return _typed(prop["items"])
    return prop.get("type") in ("string", "integer", "number", "boolean", "object")


def test_every_component_is_present_under_its_type_token():
    assert SCHEMA["name"] == "tlsfence"
    assert SCHEMA["version"] == "1.2.3"
    assert sorted(SCHEMA["resources"]) == sorted(f"tlsfence:index:{n}" for n in NAMES)
    assert all(r["isComponent"] for r in SCHEMA["resources"].values())


@pytest.mark.parametrize("name", NAMES)
def test_every_input_and_output_is_typed(name):
    res = SCHEMA["resources"][f"tlsfence:index:{name}"]
    assert res["inputProperties"] and res["properties"]
    untyped = [k for k, p in {**res["inputProperties"], **res["properties"]}.items() if not _typed(p)]
    assert untyped == []
    assert COMMON_OUTPUTS <= set(res["properties"])
    assert {"profile", "strict"} <= set(res["inputProperties"])
    assert res["inputProperties"]["strict"]["type"] == "boolean"
    excess = res["properties"]["excess"]
    assert excess["type"] == "array" and excess["items"]["type"] == "string"
    assert set(excess["items"]) <= {"type", "description"}


def test_required_inputs_are_the_ones_without_defaults():
    required = {n: sorted(SCHEMA["resources"][f"tlsfence:index:{n}"].get("requiredInputs", [])) for n in NAMES}
    assert required["HttpsLoadBalancer"] == ["subnetIds"]
    assert required["RestApiDomain"] == ["body", "domain"]
    assert required["HttpApiDomain"] == ["apiId", "domain"]
    assert required["GlobalHttpsLoadBalancer"] == ["backendService"]
    assert required["RegionalHttpsLoadBalancer"] == ["backendService", "certificates", "network", "region"]
    assert required["ServerlessFront"] == ["region"]


def test_settings_that_decide_tls_are_plain_so_they_are_known_at_construction():
    res = SCHEMA["resources"]["tlsfence:index:HttpsLoadBalancer"]["inputProperties"]
    assert res["sslPolicy"].get("plain") is True
    assert res["profile"].get("plain") is True
    assert "plain" not in res["certificateArn"]


def test_the_plugin_directory_hosts_the_same_components():
    plugin = REPO / "components"
    assert yaml.safe_load((plugin / "PulumiPlugin.yaml").read_text()) == {"runtime": "python"}
    host = (plugin / "__main__.py").read_text()
    assert "from tlsfence.components.package import host" in host and "    host()" in host
    assert [c.__name__ for c in COMPONENTS] == NAMES
    assert Path(plugin / "requirements.txt").read_text().count("pulumi") >= 3


def test_schema_conforms_to_pulumis_package_metaschema():
    """``pkg/codegen/schema/pulumi.json`` of pulumi/pulumi at 1b5949891b (2026-08-21), kept in tests/.

    Its semver patterns use ECMAScript named groups ``(?<name>...)``, which Python's ``re`` spells
    ``(?P<name>...)``; that spelling is the only change made before validating.
    """
    import json

    import jsonschema

    text = (REPO / "tests" / "components" / "data" / "pulumi-package-metaschema.json").read_text()
    meta = json.loads(text.replace("(?<", "(?P<"))
    assert meta["title"] == "Pulumi Package Metaschema"
    validator = jsonschema.Draft202012Validator(meta)
    assert [e.message for e in validator.iter_errors(SCHEMA)] == []
    broken = {**SCHEMA, "namespace": "Not A Namespace"}
    assert list(validator.iter_errors(broken))  # the metaschema does check what it says


def test_namespace_and_a_description_on_every_input_and_output():
    assert SCHEMA["namespace"] == "tlsfence"
    missing = sorted(f"{token.split(':')[-1]}.{key}" for token, res in SCHEMA["resources"].items()
                     for key, prop in {**res["inputProperties"], **res["properties"]}.items()
                     if not prop.get("description"))
    assert missing == []
    gcp = SCHEMA["resources"]["tlsfence:index:ServerlessFront"]
    assert gcp["inputProperties"]["strict"]["description"].startswith("Refuse conforming-with-excess")
    assert SCHEMA["resources"]["tlsfence:index:HttpsLoadBalancer"]["properties"]["verdict"]["description"] == \
        "conforming or conforming-with-excess (anything else is refused at construction)."


@pytest.mark.parametrize(("inputs", "path", "needle"), [
    # a refused setting: reported at the input that chose it, with the conforming settings in the reason
    ({"sslPolicy": "ELBSecurityPolicy-2016-08"}, "sslPolicy",
     "ssl_policy 'ELBSecurityPolicy-2016-08' is nonconforming"),
    # a missing argument the component needs: reported at that argument
    ({"subnetIds": []}, "subnetIds", "argument 'subnet_ids' is required"),
])
def test_a_refusal_reaches_other_languages_as_an_input_error_not_a_traceback(inputs, path, needle):
    """What ``pulumi package add`` users get: the provider's Construct raises InputPropertyError (the server
    answers it with an InvalidArgument status naming the property), not ``Unexpected <class 'Exception'>``."""
    from pulumi.errors import InputPropertyError

    from tlsfence.components.package import NAMESPACE, PACKAGE, provider_class

    provider = provider_class()(COMPONENTS, PACKAGE, NAMESPACE, "0.0.0")
    base = {"subnetIds": ["subnet-a", "subnet-b"], "certificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
            "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1"}
    errors: list[BaseException] = []

    def program() -> None:
        try:
            provider.construct("edge", "tlsfence:index:HttpsLoadBalancer", {**base, **inputs})
        except BaseException as e:  # the assertion below reports it
            errors.append(e)

    build(program)
    assert len(errors) == 1 and isinstance(errors[0], InputPropertyError), errors
    assert errors[0].property_path == path and needle in errors[0].reason
