"""``python -m tlsfence.policy [SETTINGS_JSON | --doc-table]``: pack helpers that need no Pulumi CLI.

With a settings object (``{"profile": "carriers", "strict": true}``; default ``{}``) it prints the
``--policy-pack-config`` file that gives every tlsfence policy those settings, validated first (Pulumi
carries policy config per policy name). With ``--doc-table`` it prints the policy table of
``docs/policy-pack.md``, generated from the rule metadata.
"""

from __future__ import annotations

import json
import sys

from tlsfence.errors import TlsfenceError
from tlsfence.policy.config import SCHEMA, settings_from
from tlsfence.policy.metadata import FAMILIES, STACK
from tlsfence.policy.rules import ADVISORY, MANDATORY, policy_name, policy_names


def doc_table() -> str:
    """Markdown tables of the policies and the config options, from the metadata and the schema."""
    lines = ["| policy (mandatory / advisory) | judges | description | remediation |", "|---|---|---|---|"]
    for info in (*FAMILIES, STACK):
        names = f"`{policy_name(info, MANDATORY)}` / `{policy_name(info, ADVISORY)}`"
        lines.append(f"| {names} | {info.family} | {info.description} | {info.remediation} |")
    lines += ["", "| option | type | default | meaning |", "|---|---|---|---|"]
    for key, spec in SCHEMA.items():
        kind = spec["type"] if isinstance(spec["type"], str) else " or ".join(spec["type"])
        lines.append(f"| `{key}` | {kind} | `{json.dumps(spec['default'])}` | {spec['description']} |")
    return "\n".join(lines) + "\n"


def expand(settings: dict) -> dict:
    """The per-policy config file for one settings object (validated)."""
    settings_from(settings)
    return {name: dict(settings) for name in policy_names()}


def main(argv: list[str]) -> int:
    """Entry point; exit 2 with one line on bad settings."""
    if argv[:1] == ["--doc-table"]:
        sys.stdout.write(doc_table())
        return 0
    try:
        settings = json.loads(argv[0]) if argv else {}
        if not isinstance(settings, dict):
            raise TlsfenceError("settings must be a JSON object")
        print(json.dumps(expand(settings), indent=2))
    except (TlsfenceError, json.JSONDecodeError) as e:
        print(f"tlsfence.policy: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
