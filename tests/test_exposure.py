"""Exposure JSON: the golden file parses back to the same keys and values the code produces."""

import json
from pathlib import Path

from tlsfence.analyzers import analyze
from tlsfence.exposure import Exposure
from tlsfence.profiles import load_profile
from tlsfence.resources import Resource

GOLDEN = json.loads((Path(__file__).parent / "data" / "exposure_golden.json").read_text())


def test_exposure_json_matches_the_golden_file():
    res = Resource("aws:lb/listener:Listener", "edge", "urn:pulumi:dev::shop::aws:lb/listener:Listener::edge",
                   {"protocol": "HTTPS", "port": 443.0, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"})
    (exposure,) = analyze(res, load_profile())
    assert exposure.to_dict() == GOLDEN
    assert exposure.to_dict(strict=True)["level"] == "mandatory"


def test_json_keys_cover_the_fields():
    keys = set(GOLDEN)
    for field in Exposure.__dataclass_fields__:
        if field in ("decision", "needs_join", "joins_facing", "extra"):  # routing facts, not output
            continue
        assert field in keys, field
    assert {"verdict", "excess", "level", "message", "protocols", "suites"} <= keys
