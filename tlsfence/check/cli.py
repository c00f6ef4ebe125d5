"""``tlsfence check [DIR]``: the pack's verdict on a Pulumi program, without cloud credentials or the CLI.

The program runs under the SDK's mocks (or the resources come from ``--from-preview``/``--from-state``);
every resource then goes through pulumi-policy's own analyzer servicer over the pack's policies, with
engine-encoded requests (``tlsfence.policy.engine``), so what ``check`` reports is what
``pulumi preview --policy-pack policies`` reports. Exit 0: no mandatory violation; 1: mandatory
violations; 2: the program could not run or the input is bad.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tlsfence import readers
from tlsfence.cli.options import add_judging_options
from tlsfence.errors import InputError

# The pack, the engine encodings and the Pulumi SDK are imported when ``check`` runs, not when the parser is
# built: ``tlsfence --help`` must not pay for (or need) the Pulumi SDK.


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``check``."""
    p = sub.add_parser("check", help="run a Pulumi program offline through the tlsfence policy pack",
                       description="Run the Pulumi Python program in DIR under mocks (no cloud, no CLI) and pass "
                                   "every resource through the tlsfence policy pack. Exit 0 pass, 1 mandatory "
                                   "violations, 2 the program could not run or bad input.")
    p.add_argument("directory", nargs="?", default=".", metavar="DIR", help="Pulumi project directory (default .)")
    p.add_argument("--stack", help="stack name: reads Pulumi.<stack>.yaml (default: every Pulumi.<stack>.yaml in DIR, "
                                   "each checked in turn; dev when there is none)")
    p.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                   help="program config, as `pulumi config set` (repeatable; key without namespace = project's)")
    add_judging_options(p, unset_is_none=True)
    p.add_argument("--preview", action="store_true", help="computed outputs unknown, as on a first preview")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--from-preview", metavar="FILE", help="read `pulumi preview --json` output instead")
    source.add_argument("--from-state", metavar="FILE", help="read `pulumi stack export` output instead")
    p.add_argument("--policy-config", metavar="FILE",
                   help="pack config: the --policy-pack-config file, or one settings object for every policy")
    p.set_defaults(run=run)


def _policy_config(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    data = readers.load_json(path, what="policy config")
    if not isinstance(data, dict):
        raise InputError(f"{path}: policy config must be a JSON object")
    return data


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.profile is not None:
        out["profile"] = args.profile
    if args.strict:
        out["strict"] = True
    if args.allow_tls13_only:
        out["allow-tls13-only"] = True
    return out


def stacks_to_check(args: argparse.Namespace) -> list[str | None]:
    """The stacks one run checks: the one named; else every stack file's when the project has several.

    A pull request changes the program every stack runs, so a check with no ``--stack`` covers each
    ``Pulumi.<stack>.yaml`` of the project; a project with one stack file (or none) runs once (``None``: the
    only stack file, else ``dev``), and ``--from-preview``/``--from-state`` read one deployment.
    """
    if args.stack is not None or args.from_preview or args.from_state:
        return [args.stack]
    from tlsfence.check.program import stack_names

    names = stack_names(args.directory)
    return list(names) if len(names) > 1 else [None]


def _load(args: argparse.Namespace, stack: str | None = None) -> tuple[list[Any], dict[str, Any], str, str]:
    """Resources, their source positions, a description of the source and a fallback SARIF location."""
    from tlsfence.check import inputs

    if args.from_preview:
        res, src = inputs.from_preview(args.from_preview)
        return res, src, f"preview {args.from_preview}", args.from_preview
    if args.from_state:
        res, src = inputs.from_state(args.from_state)
        return res, src, f"state {args.from_state}", args.from_state
    from tlsfence.check.program import load_project, run_project

    project = load_project(args.directory, stack, args.config)
    regs = run_project(project, preview=args.preview)
    res, src = inputs.from_registrations(regs)
    where = f"program {project.main} (stack {project.stack}{', preview' if args.preview else ''})"
    return res, src, where, str(project.main)


def policy_settings(request: Any) -> dict[str, Any]:
    """Each policy's settings from the pack's ConfigureRequest (``verify --from-state`` judges with them too)."""
    from google.protobuf import json_format

    from tlsfence.policy.config import DEFAULTS, settings_from

    return {name: settings_from({**DEFAULTS, **json_format.MessageToDict(cfg.properties)})
            for name, cfg in request.policyConfig.items()}


def judge(resources: list[Any], request: Any, where: str) -> dict[str, Any]:
    """The pack's verdict on recorded resources: exposures, diagnostics through the servicer, and the summary.

    ``request`` is the pack's ConfigureRequest. This is everything ``check`` adds to running the program; the
    benchmark times it against the program run.
    """
    from tlsfence.check import report
    from tlsfence.check.program import bulk_collection
    from tlsfence.policy.engine import Router
    from tlsfence.policy.rules import reset_memo

    per_policy = policy_settings(request)
    # The program's objects (the SDK's outputs, futures, registrations) live until the command ends, and the
    # pack's own (requests, findings) until the report is built; they form almost no cycles, yet each full
    # collection would re-scan them all: with the collector on, the pack's time grew 16x from 2,000 to 20,000
    # resources, with the heap frozen and the collector off it grows 9x (benchmarks/bench_check.py).
    with bulk_collection(off=True):
        reset_memo()
        try:
            found, families = report.findings(resources, per_policy)
            diagnostics = Router(request).evaluate(resources, families)
        finally:
            reset_memo()
    return report.build(resources, found, diagnostics, per_policy["tlsfence-elbv2-listener"], where)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print; 0 pass, 1 mandatory violations (2 comes from InputError via the CLI)."""
    from tlsfence.check import report
    from tlsfence.cli.output import emit
    from tlsfence.policy.engine import configure_request
    from tlsfence.sarif import repository_root

    request = configure_request(_policy_config(args.policy_config), _overrides(args))
    root = repository_root(args.sarif_root, args.directory) if args.format == "sarif" else None  # fail early
    runs: list[report.StackRun] = []
    for stack in stacks_to_check(args):
        resources, sources, where, fallback = _load(args, stack)
        runs.append(report.StackRun(stack, judge(resources, request, where), sources, fallback))
    if len(runs) == 1:
        result, sources, fallback = runs[0].result, runs[0].sources, runs[0].fallback
        if args.format == "json":
            text = json.dumps(result, indent=2)
        elif args.format == "sarif":
            text = json.dumps(report.render_sarif(result, sources, fallback, root=root, base=args.directory),
                              indent=2)
        else:
            text = report.render_text(result)
        emit(args, text, fmt=args.format)
        return 0 if result["summary"]["passed"] else 1
    if args.format == "json":
        text = json.dumps(report.combine(runs), indent=2)
    elif args.format == "sarif":
        text = json.dumps(report.render_sarif_stacks(runs, root=root, base=args.directory), indent=2)
    else:
        text = report.render_text_stacks(runs)
    emit(args, text, fmt=args.format)
    return 0 if all(r.result["summary"]["passed"] for r in runs) else 1
