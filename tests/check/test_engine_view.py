"""``check`` reads properties as the pack's servicer does: its one-pass reader of plain values gives exactly what
pulumi-policy's conversion then float64 numbers give (``from_wire``), and leaves anything special to it."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from tlsfence.check.report import _engine, _numbers
from tlsfence.policy.convert import SENTINELS, from_wire
from tlsfence.program.recorder import SECRET_SIG, SIG_KEY
from tlsfence.resources import UNKNOWN

KEYS = st.sampled_from(["port", "sslPolicy", "__meta", "a", "b", SIG_KEY])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**60, 2**60), st.floats(allow_nan=False),
                    st.text(max_size=8), st.sampled_from(sorted(SENTINELS)))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4),
    st.builds(lambda v: {SIG_KEY: SECRET_SIG, "value": v}, inner)), max_leaves=20)


@given(st.dictionaries(KEYS.filter(lambda k: k != SIG_KEY), VALUES, max_size=6))
@example(props={"__meta": {SIG_KEY: None}})  # a bad signature under a dropped key: pulumi-policy still refuses
def test_fast_path_equals_the_servicers_conversion(props):
    try:
        slow = _numbers(from_wire(props))
    except AssertionError:  # a signature pulumi-policy does not know: it refuses, so must check
        slow = AssertionError
    try:
        fast = _engine(props)
    except AssertionError:
        fast = AssertionError
    assert fast == slow
    assert repr(fast) == repr(slow)  # same types too (443 is 443.0 on both sides)


def test_sentinels_secrets_and_numbers():
    props = {"port": 443, "p": sorted(SENTINELS)[0], "s": {SIG_KEY: SECRET_SIG, "value": 1}, "__x": 1, "l": [True]}
    assert _engine(props) == {"port": 443.0, "p": UNKNOWN, "s": 1.0, "l": [True]}
