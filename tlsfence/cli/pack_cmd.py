"""``tlsfence pack [DIR]``: write a ready CrossGuard pack directory for a tlsfence installed from PyPI."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``pack``."""
    p = sub.add_parser("pack", help="write a ready-to-use CrossGuard policy pack directory",
                       description="Write PulumiPolicy.yaml, __main__.py and requirements.txt (naming this "
                                   "tlsfence version) into DIR, ready for `pulumi preview --policy-pack DIR` or "
                                   "`pulumi policy publish` from DIR.")
    p.add_argument("directory", nargs="?", default="tlsfence-policy", metavar="DIR",
                   help="where to write the pack (default: ./tlsfence-policy)")
    p.add_argument("--force", action="store_true", help="overwrite pack files that differ")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the pack; exit 0, or 2 when it would overwrite different files."""
    from tlsfence.policy.packdir import write_pack

    written = write_pack(args.directory, force=args.force)
    print(f"wrote a tlsfence policy pack to {args.directory}/ ({', '.join(p.name for p in written)})")
    print(f"  use it:     pulumi preview --policy-pack {args.directory}")
    print(f"  publish it: cd {args.directory} && pulumi policy publish <org>")
    return 0
