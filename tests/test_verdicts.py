"""The verdict rules, table-driven, plus invariants checked with hypothesis."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsfence.profiles import load_profile
from tlsfence.suites import registry
from tlsfence.verdicts import VERDICT_ORDER, TlsOffer, Verdict, judge, level_for

P = load_profile()
T13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]
GCM = "ECDHE-RSA-AES128-GCM-SHA256"


@pytest.mark.parametrize("protocols,suites,t13,keys,verdict,excess", [
    (["TLSv1.2"], [GCM], [], None, Verdict.CONFORMING, []),
    (["TLSv1.2", "TLSv1.3"], [GCM, "ECDHE-RSA-AES256-GCM-SHA384"], T13, None, Verdict.EXCESS,
     ["ECDHE-RSA-AES256-GCM-SHA384"]),
    (["TLSv1.0", "TLSv1.2"], [GCM, "ECDHE-RSA-AES128-SHA"], [], None, Verdict.NONCONFORMING,
     ["ECDHE-RSA-AES128-SHA"]),
    # TLS 1.0 enabled but every suite needs TLS 1.2: not negotiable, so not accepted (GCP RESTRICTED/TLS_1_0)
    (["TLSv1.0", "TLSv1.1", "TLSv1.2"], [GCM], [], None, Verdict.CONFORMING, []),
    (["TLSv1.3"], [], T13, None, Verdict.NONCONFORMING, []),
    (["TLSv1.2"], ["ECDHE-RSA-AES256-GCM-SHA384"], [], None, Verdict.NONCONFORMING, ["ECDHE-RSA-AES256-GCM-SHA384"]),
    # an RSA certificate cannot negotiate the ECDSA suites, so ECDSA-only suites do not meet the MUST
    (["TLSv1.2"], ["ECDHE-ECDSA-AES128-GCM-SHA256"], [], ["RSA"], Verdict.NONCONFORMING, []),
    (["TLSv1.2"], ["ECDHE-ECDSA-AES128-GCM-SHA256", GCM, "ECDHE-ECDSA-AES256-GCM-SHA384"], [], ["RSA"],
     Verdict.CONFORMING, []),
    (["TLSv1.2"], ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], [], None, Verdict.CONFORMING, []),
    (["SSLv3", "TLSv1.2"], [GCM, "DES-CBC3-SHA"], [], None, Verdict.NONCONFORMING, ["DES-CBC3-SHA"]),
])
def test_verdict_table(protocols, suites, t13, keys, verdict, excess):
    d = judge(TlsOffer.of(protocols, suites, t13, keys), P)
    assert d.verdict is verdict, d.reasons
    assert list(d.excess) == excess


def test_reasons_say_why():
    d = judge(TlsOffer.of(["TLSv1.0", "TLSv1.2"], [GCM, "ECDHE-RSA-AES128-SHA"]), P)
    assert d.reasons[0] == "accepts TLSv1.0 (below TLSv1.2)"
    d = judge(TlsOffer.of(["TLSv1.3"], [], T13), P)
    assert "TLS 1.3 only" in d.reasons[0] and "allow-tls13-only" in d.reasons[0]
    d = judge(TlsOffer.of(["TLSv1.2"], ["ECDHE-ECDSA-AES128-GCM-SHA256"], [], ["RSA"]), P)
    assert d.reasons[0] == "no protocol version can be negotiated with an RSA certificate"


def test_tls13_only_is_relaxed_by_the_profile_option():
    assert judge(TlsOffer.of(["TLSv1.3"], [], T13), P.with_options(allow_tls13_only=True)).verdict \
        is Verdict.CONFORMING


def test_tls13_suites_never_count_as_excess():
    d = judge(TlsOffer.of(["TLSv1.2", "TLSv1.3"], [GCM], ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]),
              P)
    assert d.verdict is Verdict.CONFORMING and d.excess == ()
    assert d.tls13_suites == ("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")


def test_levels():
    assert level_for(Verdict.NONCONFORMING) == level_for(Verdict.UNVERIFIABLE) == "mandatory"
    assert level_for(Verdict.EXCESS) == "advisory" and level_for(Verdict.EXCESS, strict=True) == "mandatory"
    assert level_for(Verdict.CONFORMING) == "none" and level_for(Verdict.NOT_TERMINATED) == "advisory"


def test_decision_json_keys_are_the_fields():
    d = judge(TlsOffer.of(["TLSv1.2"], [GCM]), P)
    assert set(d.to_dict()) == set(d.__dataclass_fields__)


# ---- invariants -------------------------------------------------------------------------------------------
LEGACY = [s.openssl for s in registry().suites if not s.tls13 and s.auth in ("RSA", "ECDSA")]
#: (old protocol, a suite that protocol can negotiate): a TLSv1.0-minimum suite is not usable on SSLv3.
OLD_USABLE = [(proto, s.openssl) for proto in ("SSLv3", "TLSv1.0", "TLSv1.1") for s in registry().suites
              if not s.tls13 and s.auth in ("RSA", "ECDSA") and s.usable_at(proto)]
offers = st.builds(
    lambda protos, suites, t13: TlsOffer.of(protos, suites, t13),
    st.sets(st.sampled_from(["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]), min_size=1),
    st.sets(st.sampled_from(LEGACY), max_size=8),
    st.sets(st.sampled_from(T13), max_size=2),
)


def rank(v: Verdict) -> int:
    return VERDICT_ORDER.index(v)


@settings(max_examples=300, deadline=None)
@given(offers, st.sampled_from(OLD_USABLE))
def test_adding_an_old_protocol_with_a_usable_suite_is_nonconforming(offer, old):
    proto, old_suite = old
    worse = TlsOffer(offer.protocols | {proto}, offer.suites | {old_suite}, offer.tls13_suites)
    assert judge(worse, P).verdict is Verdict.NONCONFORMING


@settings(max_examples=300, deadline=None)
@given(offers, st.sampled_from([s for s in LEGACY if s not in P.allowed]))
def test_adding_a_suite_outside_the_allowed_set_never_improves(offer, extra):
    before = judge(offer, P).verdict
    after = judge(TlsOffer(offer.protocols, offer.suites | {extra}, offer.tls13_suites), P).verdict
    assert rank(after) >= rank(before) or (before is Verdict.NONCONFORMING and after is Verdict.NONCONFORMING)
    if after is Verdict.CONFORMING:
        raise AssertionError("an offer with a suite outside the allowed set cannot be strictly conforming")


@settings(max_examples=300, deadline=None)
@given(offers)
def test_removing_every_allowed_suite_is_nonconforming(offer):
    stripped = TlsOffer(offer.protocols, offer.suites - P.allowed, offer.tls13_suites)
    assert judge(stripped, P).verdict is Verdict.NONCONFORMING


def test_sslv2_enabled_is_accepted_and_nonconforming():
    d = judge(TlsOffer.of(["SSLv2", "TLSv1.2"], [GCM]), P)
    assert d.verdict is Verdict.NONCONFORMING
    assert d.protocols == ("SSLv2", "TLSv1.2")
    assert d.reasons[0] == "accepts SSLv2 (below TLSv1.2)"
