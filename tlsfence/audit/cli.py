"""``tlsfence audit aws``: the command line of the account audit.

Exit codes (same as every tlsfence command): 0 nothing failing; 1 a nonconforming or unverifiable exposure
(or excess under ``--strict``), or a service/region that could not be read; 2 no credentials, bad
arguments, an endpoint that cannot be reached or does not answer within the timeouts
(``aws_reader.BOTO_CONFIG``: under 20 s), or an answer that cannot be parsed or lacks what AWS always
sends. Exit-2 problems print one line and no traceback, because an audit usually runs unattended in CI where a
traceback hides the one fact that matters; 3 is a bug.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from tlsfence.cli.main import one_line
from tlsfence.cli.options import add_judging_options
from tlsfence.errors import TlsfenceError
from tlsfence.readers import one_value


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``audit`` with its ``aws`` target."""
    audit = sub.add_parser("audit", help="audit deployed cloud resources with the same verdicts",
                           description="Read deployed resources and judge every TLS exposure.")
    targets = audit.add_subparsers(dest="target", metavar="TARGET")
    targets.required = True
    p = targets.add_parser("aws", help="audit an AWS account through boto3",
                           description="Enumerate ELBv2, classic ELB, API Gateway (REST, HTTP, WebSocket) and "
                                       "CloudFront in the given regions and judge each TLS exposure.")
    p.add_argument("--region", action="append", dest="regions", metavar="R",
                   help="region to audit (repeatable; default: the session's region)")
    p.add_argument("--profile-name", help="AWS shared-config profile to use")
    p.add_argument("--endpoint-url", help="send every AWS call to this URL (an emulator such as moto)")
    add_judging_options(p)
    p.add_argument("--include-internal", action="store_true",
                   help="also report listeners of internal load balancers (default: internet-facing only)")
    p.set_defaults(run=run)


#: botocore's own check of a region name (``botocore/utils.py`` ``validate_region_name``).
_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?")


def _fail(message: str) -> int:
    print(f"tlsfence: error: {one_line(message)}", file=sys.stderr)
    return 2


def _progress(message: str) -> None:
    print(f"tlsfence audit: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Run the audit; every expected failure becomes a one-line message and exit 2."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound
        from botocore.parsers import ResponseParserError
    except ImportError:
        return _fail("the AWS audit needs boto3: pip install 'tlsfence[aws]'")
    from tlsfence.audit.aws_audit import run_audit
    from tlsfence.audit.report import render
    from tlsfence.profiles import load_profile

    try:
        profile = load_profile(args.profile).with_options(allow_tls13_only=args.allow_tls13_only or None)
    except TlsfenceError as e:
        return _fail(str(e))
    if args.endpoint_url and not args.endpoint_url.startswith(("http://", "https://")):
        return _fail(f"--endpoint-url {args.endpoint_url!r} is not an http:// or https:// URL")
    try:
        session = boto3.Session(profile_name=args.profile_name)
    except ProfileNotFound as e:
        return _fail(str(e))
    regions = list(dict.fromkeys(args.regions or ([session.region_name] if session.region_name else [])))
    bad = [r for r in regions if not _REGION.fullmatch(r)]
    if bad:
        return _fail(f"--region {one_value(bad[0])}: not a region name (such as eu-west-1)")
    if not regions:
        return _fail("no region: pass --region or set AWS_REGION / AWS_DEFAULT_REGION or a profile region")
    if session.get_credentials() is None:
        return _fail("no AWS credentials found (environment, shared config, or instance role); "
                     "the audit needs read-only access, see docs/audit.md")
    progress = _progress if sys.stderr.isatty() else None
    try:
        report = run_audit(session, regions, profile, endpoint_url=args.endpoint_url,
                           include_internal=args.include_internal, progress=progress)
    except NoCredentialsError:
        return _fail("no AWS credentials found; the audit needs read-only access, see docs/audit.md")
    except ClientError as e:
        err = e.response.get("Error", {})
        return _fail(f"AWS refused the first call ({err.get('Code', 'ClientError')}: "
                     f"{err.get('Message', '')}); check the credentials")
    except ResponseParserError as e:
        return _fail(f"AWS answered with a response that cannot be parsed: {one_line(e, 200)}")
    except BotoCoreError as e:
        return _fail(f"cannot reach AWS: {one_line(e, 300)}")
    from tlsfence.cli.output import emit

    emit(args, render(report, args.format, strict=args.strict), fmt=args.format)
    return report.exit_code(strict=args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (``python -m tlsfence.audit.cli aws ...``): ``tlsfence audit`` with the same exit codes."""
    from tlsfence.cli.main import main as cli_main

    return cli_main(["audit", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    sys.exit(main())
