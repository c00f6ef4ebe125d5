"""Options every judging command shares, spelled and explained once: profile, strict, TLS 1.3-only, format."""

from __future__ import annotations

import argparse


def add_judging_options(p: argparse.ArgumentParser, *, strict: bool = True, sarif: bool = True,
                        unset_is_none: bool = False, output: bool = True) -> None:
    """Add ``--profile``, ``--strict``, ``--allow-tls13-only`` and ``--format``; with ``output`` (the judging
    commands check, verify and audit) also ``--output-file``, ``--quiet`` and, with SARIF, ``--sarif-root``.

    ``unset_is_none`` leaves the flags ``None`` when not given, for ``check``, where a flag overrides the pack
    config only when the user set it.
    """
    flag_default = None if unset_is_none else False
    p.add_argument("--profile", help="requirement profile: built-in name or alias, or a profile file "
                                     "(default: the built-in partner profile)")
    if strict:
        p.add_argument("--strict", action="store_true", default=flag_default,
                       help="conforming-with-excess fails too (excess suites are mandatory violations)")
    p.add_argument("--allow-tls13-only", action="store_true", default=flag_default,
                   help="count a TLS 1.3-only endpoint or setting as conforming")
    p.add_argument("--format", choices=("text", "json", "sarif") if sarif else ("text", "json"), default="text")
    if output:
        from tlsfence.cli.output import add_output_options

        add_output_options(p)
        if sarif:
            p.add_argument("--sarif-root", metavar="DIR",
                           help="make SARIF file locations relative to DIR (default: the git top-level, else .)")
