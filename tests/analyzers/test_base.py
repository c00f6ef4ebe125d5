"""The shared strict readers: flags and enum-like values never fall through."""

import pytest

from tlsfence.analyzers.base import choice, choice_problem, flag, flag_problem
from tlsfence.resources import UNKNOWN


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("true", True), ("false", False), ("TRUE", True), ("False", False),
    ([False], None), ([], None), ("yes", None), ("", None), (" true", None), (0, None), (1, None), (1.0, None),
    (None, None), ({}, None), (UNKNOWN, None),
])
def test_flag(value, expected):
    assert flag(value) is expected


def test_flag_problem_names_the_value():
    assert flag_problem("internal", [False]) == "internal=[false] (not a boolean)"
    assert flag_problem("internal", "yes") == 'internal="yes" (not a boolean)'
    assert flag_problem("internal", UNKNOWN) == "internal (unknown until deployed)"


@pytest.mark.parametrize(("value", "fold", "expected"), [
    ("HTTPS", False, "HTTPS"), ("https", False, None), ("https", True, "HTTPS"), ("HTTPS ", True, None),
    (" HTTPS", True, None), (443, True, None), (["HTTPS"], True, None), (UNKNOWN, True, None), (None, True, None),
])
def test_choice(value, fold, expected):
    assert choice(value, ("HTTP", "HTTPS"), fold_case=fold) == expected


def test_choice_problem():
    assert choice_problem("protocol", "HTTPS ", ("HTTP", "HTTPS")) == 'protocol="HTTPS " (not one of HTTP, HTTPS)'
    assert choice_problem("protocol", UNKNOWN, ("HTTP",)) == "protocol (unknown until deployed)"
