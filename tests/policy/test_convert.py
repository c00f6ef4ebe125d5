"""Conversion never reads through pulumi-policy's raising proxy, and maps every sentinel to UNKNOWN."""

from __future__ import annotations

from pulumi_policy.proxy import unknown_checking_proxy

from tests.policy.harness import SENTINELS
from tlsfence.policy.convert import SENTINELS as CONVERT_SENTINELS
from tlsfence.policy.convert import from_wire, raw
from tlsfence.resources import UNKNOWN


def test_all_seven_sentinels():
    assert CONVERT_SENTINELS == frozenset(SENTINELS.values()) and len(CONVERT_SENTINELS) == 7


def test_raw_unwraps_nested_proxies():
    props = unknown_checking_proxy({
        "sslPolicy": SENTINELS["string"], "port": 443.0, "__defaults": ["x"],
        "defaultActions": [{"type": "redirect", "redirect": SENTINELS["object"]}], "tags": SENTINELS["object"],
        "list": SENTINELS["array"], "nested": {"a": [1, {"b": SENTINELS["bool"]}]},
    })
    assert raw(props) == {"sslPolicy": UNKNOWN, "port": 443.0, "tags": UNKNOWN, "list": UNKNOWN,
                          "defaultActions": [{"type": "redirect", "redirect": UNKNOWN}],
                          "nested": {"a": [1, {"b": UNKNOWN}]}}


def test_from_wire_unwraps_secrets():
    sig = "4dabf18193072939515e22adb298388d"
    got = from_wire({"a": {sig: "1b47061264138c4ac30d75fd1eb44270", "value": SENTINELS["string"]}, "b": "x"})
    assert got == {"a": UNKNOWN, "b": "x"}
