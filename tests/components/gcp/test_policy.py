"""tlsfence/components/gcp/policy.py: the SSL policy derived from the profile and the refusal rule."""

import pytest

from tests.components.helpers import CUSTOM
from tlsfence.components.base import ComponentConfigError
from tlsfence.components.gcp.policy import SslPolicyValues, decide_ssl_policy, tightest_values
from tlsfence.profiles import load_profile

PROFILE = load_profile()
FEATURES = ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")


def test_tightest_is_custom_tls12_with_the_allowed_features():
    assert tightest_values(PROFILE) == SslPolicyValues("CUSTOM", "TLS_1_2", FEATURES)
    assert tightest_values(PROFILE).name == CUSTOM


def test_default_decision_is_conforming():
    values, decision = decide_ssl_policy("C", "n", PROFILE, strict=True)
    assert values.name == CUSTOM
    assert decision.verdict.value == "conforming"
    assert decision.excess == ()


def test_a_narrower_custom_policy_is_accepted():
    values, decision = decide_ssl_policy("C", "n", PROFILE, False, "CUSTOM", None, list(FEATURES[:2]))
    assert values.custom_features == FEATURES[:2]
    assert decision.verdict.value == "conforming"


def test_a_narrower_profile_derives_fewer_features():
    narrow = load_profile({"name": "gcm-only", "must_support_one_of": ["ECDHE-RSA-AES128-GCM-SHA256"]})
    assert tightest_values(narrow).custom_features == ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",)


def test_a_profile_gcp_cannot_express_is_refused():
    cbc = load_profile({"name": "cbc-only", "must_support_one_of": ["ECDHE-RSA-AES128-SHA256"]})
    with pytest.raises(ComponentConfigError, match="a GCP CUSTOM SSL policy cannot express profile cbc-only"):
        decide_ssl_policy("C", "n", cbc, False)


@pytest.mark.parametrize(("profile", "min_tls", "verdict"), [
    ("MODERN", None, "conforming-with-excess"),
    ("RESTRICTED", None, "conforming-with-excess"),
    ("COMPATIBLE", "TLS_1_2", "conforming-with-excess"),
    ("MODERN", "TLS_1_0", "nonconforming"),
    ("COMPATIBLE", "TLS_1_0", "nonconforming"),
])
def test_predefined_or_weaker_policies_are_refused(profile, min_tls, verdict):
    with pytest.raises(ComponentConfigError) as err:
        decide_ssl_policy("GlobalHttpsLoadBalancer", "web", PROFILE, False, profile, min_tls)
    assert f"is {verdict} (" in str(err.value)
    assert str(err.value).endswith(f"Conforming settings (best first): {CUSTOM} (tightest)")


def test_custom_at_tls10_with_aead_features_only_is_what_the_core_decides():
    """Every feature needs TLS 1.2, so nothing below 1.2 is negotiable: the core calls it conforming."""
    values, decision = decide_ssl_policy("C", "n", PROFILE, False, "CUSTOM", "TLS_1_0")
    assert (values.min_tls_version, decision.verdict.value, decision.protocols) == \
        ("TLS_1_0", "conforming", ("TLSv1.2", "TLSv1.3"))
