"""``tlsfence catalog aws|gcp``: every provider setting with its verdict, tightest first.

The table a user reads to pick a setting. Sorted by verdict, then by the number of excess suites.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tlsfence.catalog import platforms
from tlsfence.catalog_models import GCP, gcp_catalog_rows
from tlsfence.cli.options import add_judging_options
from tlsfence.profiles import load_profile
from tlsfence.verdicts import VERDICT_ORDER, Decision


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``catalog``."""
    p = sub.add_parser("catalog", help="list provider TLS settings with their verdicts",
                       description="List every catalogued provider setting with its verdict under a profile, "
                                   "tightest first.")
    p.add_argument("cloud", choices=("aws", "gcp"))
    add_judging_options(p, strict=False, sarif=False, output=False)
    p.set_defaults(run=run)


def rows(cloud: str, profile_ref: str | None = None, allow_tls13_only: bool = False) -> list[dict[str, Any]]:
    """Catalog rows for ``cloud`` (``aws`` or ``gcp``), sorted tightest first."""
    profile = load_profile(profile_ref).with_options(allow_tls13_only=allow_tls13_only or None)
    out: list[tuple[Decision, dict[str, Any]]] = []
    for key, plat in platforms().items():
        if not key.startswith(cloud + "-"):
            continue
        if key == GCP:
            entries = [(name, decision, uncertain, list(plat.extra.get("source", ())))
                       for name, decision, uncertain in gcp_catalog_rows(profile)]
        else:
            entries = [(e.setting, e.decide(profile), e.uncertain, list(e.source)) for e in plat.entries.values()]
        for name, decision, uncertain, source in entries:
            out.append((decision, {
                "platform": key, "setting": name, "default": name == plat.default,
                "verdict": decision.verdict.value, "protocols": list(decision.protocols),
                "suites": list(decision.suites), "excess": list(decision.excess),
                "reasons": list(decision.reasons), "source": source, "uncertain": uncertain,
            }))
    out.sort(key=lambda r: (r[1]["platform"], VERDICT_ORDER.index(r[0].verdict), len(r[0].excess)))
    return [r for _, r in out]


def _label(row: dict[str, Any]) -> str:
    return row["setting"] + (" (default)" if row["default"] else "") + (" ?" if row["uncertain"] else "")


def run(args: argparse.Namespace) -> int:
    """Print the catalog table or JSON; exit 0, or 2 for a bad profile."""
    table = rows(args.cloud, args.profile, args.allow_tls13_only)
    if args.format == "json":
        print(json.dumps(table, indent=2))
        return 0
    current = None
    for row in table:
        if row["platform"] != current:
            current = row["platform"]
            names = [_label(r) for r in table if r["platform"] == current]
            width = max(len("SETTING"), *map(len, names))  # the widest name sets the column: never cut a name
            print(f"\n{current}: {platforms()[current].title}")
            print(f"  {'SETTING':<{width}} {'VERDICT':<24} {'EXCESS':>6}  PROTOCOLS")
        protocols = ",".join(p.replace("TLSv", "") for p in row["protocols"]) or "-"
        print(f"  {_label(row):<{width}} {row['verdict']:<24} {len(row['excess']):>6}  {protocols}")
    print("\n? = uncertain in the catalog (verdict unverifiable until confirmed); excess = suites outside the "
          "allowed set")
    return 0
