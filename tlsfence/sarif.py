"""The SARIF 2.1.0 envelope shared by ``check``, ``verify`` and ``audit``.

Each command builds its own rules and results (what a rule is differs: a pack policy, a verdict); the log
around them, the tool description and the schema reference are written once, here.
Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tlsfence import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tlsfence/tlsfence"


def sarif_log(tool: str, rules: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]], *,
              invocations: Sequence[dict[str, Any]] | None = None,
              properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """One SARIF log with one run of ``tool`` (``tlsfence``, ``tlsfence verify`` ...)."""
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool, "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": list(rules)}},
    }
    if invocations is not None:
        run["invocations"] = list(invocations)
    run["results"] = list(results)
    if properties is not None:
        run["properties"] = properties
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
