"""Built-in profile, aliases, user profile files and their error paths."""

import json

import pytest

from tlsfence.errors import ProfileError
from tlsfence.profiles import DEFAULT_PROFILE, builtin_profiles, load_profile

ALIASES = ["redirect-fop", "card-fop", "carriers", "one-time-payment-code", "client-side-push-provisioning"]


def test_builtin_profile_is_the_seed_requirement():
    p = load_profile()
    assert p.name == DEFAULT_PROFILE == "partner-tls-2024-12-03"
    assert p.min_version == "TLSv1.2"
    assert p.allowed == p.must_support_one_of
    assert len(p.allowed) == 6 and not p.tls13_only_conforms
    assert list(p.aliases) == ALIASES


@pytest.mark.parametrize("alias", ALIASES)
def test_every_alias_resolves(alias):
    assert load_profile(alias) is builtin_profiles()[0]


def test_seed_documents_list_the_same_six_suites():
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    for doc in seeds.glob("*.txt"):
        text = doc.read_text()
        found = {s for s in load_profile().allowed if s in text}
        assert found == set(load_profile().allowed), doc.name
        assert "TLS 1.2 or higher" in text


@pytest.mark.parametrize("suffix,writer", [
    (".json", lambda d: json.dumps(d)),
    (".toml", lambda d: "name = 'gcm-only'\nmin_version = 'TLS_1_2'\nmust_support_one_of = "
                        "['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']\ntls13_only_conforms = true\n"),
    (".yaml", lambda d: "name: gcm-only\nmin_version: TLSv1.2\nmust_support_one_of: "
                        "[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\ntls13_only_conforms: true\n"),
])
def test_user_profile_files_in_iana_spelling(tmp_path, suffix, writer):
    data = {"name": "gcm-only", "min_version": "TLS_1_2", "tls13_only_conforms": True,
            "must_support_one_of": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]}
    path = tmp_path / f"p{suffix}"
    path.write_text(writer(data))
    p = load_profile(str(path))
    assert p.name == "gcm-only" and p.tls13_only_conforms
    assert p.allowed == p.must_support_one_of == frozenset({"ECDHE-RSA-AES128-GCM-SHA256"})


@pytest.mark.parametrize("content,message", [
    ("{not json", "bad.json: not JSON: "),
    ('{"name": "x"}', "missing required key 'must_support_one_of'"),
    ('{"name": "x", "must_support_one_of": ["NOPE-SUITE"]}', "unknown cipher suite 'NOPE-SUITE'"),
    ('{"name": "x", "must_support_one_of": []}', "must be a non-empty list"),
    ('{"name": "x", "must_support_one_of": ["TLS_AES_128_GCM_SHA256"]}', "lists TLS 1.3 suites"),
    ('{"name": "x", "must_support_one_of": ["AES128-SHA"], "min_version": "TLSv7"}', "unknown protocol version"),
    ('{"name": "x", "must_support_one_of": ["AES128-SHA"], "colour": "red"}', "unknown key(s) ['colour']"),
    ('["a"]', "a profile must be a mapping"),
])
def test_malformed_profile_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ProfileError) as err:
        load_profile(str(path))
    assert message in str(err.value)


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ProfileError, match="unknown profile 'nope'; built-in profiles: partner-tls-2024-12-03, "
                                           "redirect-fop"):
        load_profile("nope")
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile("missing.json")


def test_inline_mapping_and_options():
    p = load_profile({"name": "inline", "must_support_one_of": ["ECDHE-RSA-AES128-GCM-SHA256"],
                      "allowed": ["ECDHE-RSA-AES256-GCM-SHA384"]})
    assert p.allowed == {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"}
    assert load_profile().with_options(allow_tls13_only=True).tls13_only_conforms
    assert load_profile().with_options(allow_tls13_only=None) is load_profile()
