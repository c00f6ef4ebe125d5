"""The policy tables in docs/policy-pack.md are the ones generated from the rule metadata and config schema."""

from __future__ import annotations

from tests.policy.harness import ROOT
from tlsfence.policy.__main__ import doc_table


def test_doc_table_matches_metadata():
    text = (ROOT / "docs" / "policy-pack.md").read_text()
    begin, end = "<!-- policy-table:begin -->\n", "<!-- policy-table:end -->"
    assert begin in text and end in text
    assert text.split(begin, 1)[1].split(end, 1)[0] == doc_table()
