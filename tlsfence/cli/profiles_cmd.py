"""``tlsfence profiles``: list the built-in requirement profiles and their aliases."""

from __future__ import annotations

import argparse
import json

from tlsfence.profiles import DEFAULT_PROFILE, builtin_profiles, load_profile


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``profiles``."""
    p = sub.add_parser("profiles", help="list requirement profiles and aliases",
                       description="List the built-in requirement profiles, or show one (name, alias or file).")
    p.add_argument("profile", nargs="?", help="show this profile in full (name, alias or path to a profile file)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the profiles; exit 0, or 2 for an unknown profile."""
    profiles = [load_profile(args.profile)] if args.profile else list(builtin_profiles())
    if args.format == "json":
        print(json.dumps([p.to_dict() for p in profiles], indent=2))
        return 0
    for p in profiles:
        mark = " (default)" if p.name == DEFAULT_PROFILE else ""
        print(f"{p.name}{mark}\n  {p.title}")
        if p.aliases:
            print(f"  aliases: {', '.join(p.aliases)}")
        print(f"  minimum version: {p.min_version}; TLS 1.3-only conforms: {'yes' if p.tls13_only_conforms else 'no'}")
        print(f"  must offer one of / may offer only: {', '.join(sorted(p.allowed))}")
    return 0
