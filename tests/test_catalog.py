"""Every catalog entry's verdict against an independently transcribed expectation, plus catalog hygiene."""

import json
from pathlib import Path

import pytest

from tlsfence.catalog import CATALOG_FILES, platform, platforms, tightest
from tlsfence.catalog_models import gcp_catalog_rows
from tlsfence.errors import CatalogError
from tlsfence.profiles import load_profile
from tlsfence.suites import suite

EXPECTED = json.loads((Path(__file__).parent / "data" / "expected_catalog_verdicts.json").read_text())["expected"]
PROFILE = load_profile()
CASES = [(plat, name, exp) for plat, entries in EXPECTED.items() if plat != "gcp-ssl-policy"
         for name, exp in entries.items()]


@pytest.mark.parametrize("plat,name,expected", CASES, ids=[f"{p}:{n}" for p, n, _ in CASES])
def test_every_aws_entry_has_the_expected_verdict(plat, name, expected):
    decision = platform(plat).decide(name, PROFILE)
    assert decision.verdict.value == expected["verdict"], decision.reasons
    if expected["excess"] is not None:
        assert sorted(decision.excess) == expected["excess"]


def test_every_gcp_profile_row_has_the_expected_verdict():
    got = {name: d for name, d, _ in gcp_catalog_rows(PROFILE) if not name.startswith("CUSTOM")}
    expected = EXPECTED["gcp-ssl-policy"]
    assert set(got) == set(expected)
    for name, exp in expected.items():
        assert got[name].verdict.value == exp["verdict"], name
        if exp["excess"] is not None:
            assert sorted(got[name].excess) == exp["excess"], name


def test_catalog_covers_exactly_the_reference_entries():
    for plat, entries in EXPECTED.items():
        if plat == "gcp-ssl-policy":
            continue
        assert set(platform(plat).entries) == set(entries), plat


def test_every_entry_cites_a_source_url_and_known_suites():
    for plat in platforms().values():
        for entry in plat.entries.values():
            assert entry.source and all(s.startswith("http") for s in entry.source), (plat.key, entry.setting)
            for name in (entry.ciphers or ()) + entry.tls13_ciphers:
                suite(name)  # raises on an unknown suite name
            assert entry.uncertain or entry.protocols is not None


def test_defaults_are_the_documented_ones():
    assert platform("aws-elbv2").default == "ELBSecurityPolicy-2016-08"
    assert platform("aws-classic-elb").default == "ELBSecurityPolicy-2016-08"
    assert platform("aws-apigateway-execute-api").default == "TLS_1_0"
    assert platform("aws-cloudfront").default == "TLSv1"
    assert platform("aws-cloudfront").extra["default_certificate_policy"] == "TLSv1"
    assert platform("gcp-ssl-policy").default == {"profile": "COMPATIBLE", "minTlsVersion": "TLS_1_0"}
    for key in ("aws-elbv2", "aws-classic-elb", "aws-apigateway-execute-api", "aws-cloudfront"):
        plat = platform(key)
        assert plat.decide(plat.default, PROFILE).verdict.value == "nonconforming", key


def test_tightest_settings_are_the_designed_ones():
    assert tightest("aws-elbv2", PROFILE) == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert tightest("aws-apigateway-regional", PROFILE) == "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
    assert tightest("aws-apigateway-edge", PROFILE) == "SecurityPolicy_TLS12_PFS_2025_EDGE"
    assert tightest("aws-cloudfront", PROFILE) == "TLSv1.2_2021"


def test_tightest_gcp_custom_policy_is_strictly_conforming():
    rows = {name: d for name, d, _ in gcp_catalog_rows(PROFILE)}
    custom = [d for name, d in rows.items() if name.startswith("CUSTOM/TLS_1_2")]
    assert len(custom) == 1 and custom[0].verdict.value == "conforming"
    assert custom[0].suites == ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305",
                                "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305")


def test_unknown_setting_and_platform_fail_closed_or_error():
    decision = platform("aws-elbv2").decide("ELBSecurityPolicy-Made-Up", PROFILE)
    assert decision.verdict.value == "unverifiable"
    assert "not in the catalog" in decision.reasons[0]
    with pytest.raises(CatalogError, match="unknown catalog platform 'nope'"):
        platform("nope")


def test_catalog_files_carry_version_and_checked_date():
    from importlib import resources

    for name in CATALOG_FILES + ("cipher_suites.json", "profiles.json"):
        raw = json.loads(resources.files("tlsfence.catalogs").joinpath(name).read_text())
        assert raw["version"] == 1 and raw["checked"] >= "2026-11-23", name
        assert len(raw["checked"]) == 10 and raw["checked"][4] == raw["checked"][7] == "-", name
