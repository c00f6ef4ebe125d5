"""The pack's config schema: defaults, validation messages, exemptions, and the per-policy expansion."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.policy.harness import ROOT
from tlsfence.exposure import Exposure, Origin, Setting
from tlsfence.policy.__main__ import expand
from tlsfence.policy.config import DEFAULTS, PolicyConfigError, settings_from
from tlsfence.policy.engine import configure_request
from tlsfence.policy.rules import policy_names
from tlsfence.verdicts import Verdict, fixed


def test_defaults():
    s = settings_from(None)
    assert DEFAULTS == {"profile": "partner-tls-2024-12-03", "strict": False, "allow-tls13-only": False,
                        "exemptions": [], "internet-facing-only": False}
    assert (s.profile.name, s.strict, s.exemptions, s.internet_facing_only) == \
        ("partner-tls-2024-12-03", False, (), False)
    assert not s.profile.tls13_only_conforms
    assert settings_from({"profile": "carriers"}).profile.name == "partner-tls-2024-12-03"  # an alias
    assert settings_from({"allow-tls13-only": True}).profile.tls13_only_conforms


def test_inline_profile():
    s = settings_from({"profile": {"name": "mine", "must_support_one_of": ["ECDHE-RSA-AES128-GCM-SHA256"]}})
    assert s.profile.name == "mine" and s.profile.allowed == frozenset({"ECDHE-RSA-AES128-GCM-SHA256"})


@pytest.mark.parametrize(("config", "message"), [
    ({"profile": "nope"}, "policy config 'profile': unknown profile 'nope'"),
    ({"profile": 3}, "policy config 'profile': 3 is not string or object"),
    ({"profile": None}, "policy config 'profile': None is not string or object"),
    ({"strict": "yes"}, "policy config 'strict': 'yes' is not boolean"),
    ({"strict": 1}, "policy config 'strict': 1 is not boolean"),
    ({"allow-tls13-only": "true"}, "policy config 'allow-tls13-only': 'true' is not boolean"),
    ({"internet-facing-only": []}, "policy config 'internet-facing-only': [] is not boolean"),
    ({"colour": 1}, "policy config: unknown key(s) ['colour']; known keys: profile, strict"),
    ({"Strict": True}, "policy config: unknown key(s) ['Strict']"),
    ({"exemptions": [{"name": "x"}]}, "policy config 'exemptions[0]': 'reason' is a required key"),
    ({"exemptions": [{"name": "x", "reason": "  "}]}, "policy config 'exemptions[0].reason': '  ' must not be blank"),
    ({"exemptions": [{"reason": "r"}]}, "policy config 'exemptions[0]': {'reason': 'r'} must name at least one of urn, "
                                        "type or name"),
    ({"exemptions": [{"arn": "x", "reason": "r"}]}, "policy config 'exemptions[0]': unknown key(s) ['arn']"),
    ({"exemptions": [{"name": "", "reason": "r"}]}, "policy config 'exemptions[0].name': '' must not be empty"),
    ({"exemptions": [{"name": 3, "reason": "r"}]}, "policy config 'exemptions[0].name': 3 is not string"),
    ({"exemptions": [3]}, "policy config 'exemptions[0]': 3 is not object"),
    ({"exemptions": "all"}, "policy config 'exemptions': 'all' is not array"),
])
def test_bad_config(config, message):
    with pytest.raises(PolicyConfigError) as e:
        settings_from(config)
    assert str(e.value).startswith(message)


def test_exemption_patterns():
    s = settings_from({"exemptions": [{"type": "aws:lb/*", "name": "legacy-?", "reason": "r"}]})
    e = Exposure("urn:x::legacy-1", "aws:lb/listener:Listener", "legacy-1", "HTTPS listener", "elbv2-listener",
                 Setting("sslPolicy", "x", Origin.EXPLICIT), fixed(Verdict.NONCONFORMING, "x"))
    assert s.exemption_for(e).reason == "r"
    assert s.exemption_for(Exposure(**{**e.__dict__, "name": "legacy-10"})) is None


def test_configure_request_shapes():
    names = policy_names()
    req = configure_request({"strict": True})  # shorthand: one settings object for every policy
    assert sorted(req.policyConfig) == sorted(names)
    assert all(c.properties["strict"] is True for c in req.policyConfig.values())
    req = configure_request({"all": "advisory", "tlsfence-cloudfront": {"profile": "carriers"}}, {"strict": True})
    assert req.policyConfig["tlsfence-cloudfront"].properties["profile"] == "carriers"
    assert req.policyConfig["tlsfence-cloudfront"].properties["strict"] is True
    with pytest.raises(PolicyConfigError, match="unknown policies"):
        configure_request({"tlsfence-nope": {}})
    with pytest.raises(PolicyConfigError, match="enforcementLevel must be one of"):
        configure_request({"all": "loud"})


def test_expand_and_module_cli():
    assert expand({"strict": True}) == {n: {"strict": True} for n in policy_names()}
    out = subprocess.run([sys.executable, "-m", "tlsfence.policy", '{"profile": "carriers"}'], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and json.loads(out.stdout)["tlsfence-stack-join"] == {"profile": "carriers"}
    bad = subprocess.run([sys.executable, "-m", "tlsfence.policy", '{"strict": 1}'], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("tlsfence.policy: error: policy config 'strict': 1 is not")


def test_validation_is_the_declared_schema():
    """No hand-written twin: the validator checks exactly the schema every policy declares to Pulumi."""
    from tlsfence.policy.config import CONFIG_SCHEMA, SCHEMA, _validator

    assert CONFIG_SCHEMA["properties"] is SCHEMA
    assert _validator().schema is CONFIG_SCHEMA
    assert type(_validator()).__name__ == "Draft4Validator"  # the draft the Pulumi CLI validates with
