"""The generated bad-input suite: every surface, malformed and wrong-shaped input, exit 0/1/2 and never a traceback.

Surfaces: preview and state files, profile files (JSON, YAML, TOML), pack config, project and stack files,
targets files, argument lists, and resource properties for every type token of the analyzer registry. Each
case runs ``tlsfence.cli.main.main`` in-process (a few run it as a subprocess) and asserts the exit code is
0, 1 or 2, and the right one where the input decides it: a file that is not a well-formed document is 2, a
well-shaped state with any properties is 0 or 1 (an analyzer that raises is a mandatory violation, never a
crash); exit 2 prints exactly one line naming the problem; nothing prints a traceback or an internal error.

The normal run samples each surface (``SAMPLE`` cases); ``TLSFENCE_FUZZ=1 python -m pytest -m fuzz -s
tests/cli/test_bad_inputs.py`` runs ``FUZZ_CASES`` per surface and prints the counts.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli import bad_inputs as bad
from tlsfence.cli import main as cli

DATA = Path(__file__).resolve().parents[1] / "check" / "data"
PREVIEW = json.loads((DATA / "preview.json").read_text())
STATE = json.loads((DATA / "state.json").read_text())
PROFILE = {"name": "gcm-only", "min_version": "TLSv1.2",
           "must_support_one_of": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], "allowed": ["ECDHE-RSA-AES128-GCM-SHA256"],
           "tls13_only_conforms": False, "aliases": ["g"],
           "sources": ["https://example.com/req"], "title": "t"}
PROJECT = {"name": "p", "runtime": "python", "main": "__main__.py", "description": "d"}
STACK = {"config": {"p:domain": "a.example.com", "aws:region": "us-east-1", "p:secret": {"secure": "AAAA"},
                    "p:list": [1, 2]}}

SAMPLE, FUZZ_CASES = 25, 10_000
COUNTS: Counter[str] = Counter()
FUZZ = os.environ.get("TLSFENCE_FUZZ") == "1"


def _settings(fuzz: bool) -> settings:
    return settings(max_examples=FUZZ_CASES if fuzz else SAMPLE, deadline=None, database=None,
                    derandomize=not fuzz, suppress_health_check=list(HealthCheck))


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tlsfence-bad-") as tmp:
        yield Path(tmp)


def run(argv: list[str]) -> tuple[int, str, str]:
    """``tlsfence ARGV`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def judged(surface: str, argv: list[str], allowed: set[int], *, must: int | None = None) -> tuple[int, str, str]:
    """Run and assert the suite's invariants; returns the run for further checks."""
    COUNTS[surface] += 1
    code, out, err = run(argv)
    assert "internal error" not in err, err
    assert code in allowed, (code, err[-500:])
    if must is not None:
        assert code == must, (code, err[-500:])
    if "--debug" in argv:  # asked for: the traceback comes first, the one line last
        return code, out, err
    assert "Traceback" not in err, err
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and ": error: " in lines[0], err
    return code, out, err


def _strict_json(raw: bytes) -> bool:
    """An independent oracle: is ``raw`` a JSON document Python reads without constants or surrogates?"""
    try:
        text = raw.decode("utf-8-sig")
        json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError):
        return False
    return True


def _json_report(code: int, out: str) -> None:
    """A 0/1 run of ``check --format json`` printed a report whose verdict matches the exit code."""
    report = json.loads(out)
    assert report["summary"]["passed"] is (code == 0)


# ---- surfaces -------------------------------------------------------------------------------------------------


def _cli_file(surface: str, option: str, filename: str, raw: bytes) -> None:
    """``check OPTION FILE``: a file that is not strict JSON exits 2 naming the file; otherwise 0/1/2."""
    with _workdir() as tmp:
        path = tmp / filename
        path.write_bytes(raw)
        code, out, err = judged(surface, ["check", option, str(path), "--format", "json"], {0, 1, 2},
                                must=None if _strict_json(raw) else 2)
        if code == 2:
            assert err.startswith(f"tlsfence: error: {path}"), err
        else:
            _json_report(code, out)


def preview_file(raw: bytes) -> None:
    _cli_file("preview files", "--from-preview", "preview.json", raw)


def state_file(raw: bytes) -> None:
    _cli_file("state files", "--from-state", "state.json", raw)


def profile_file(case: tuple[str, bytes]) -> None:
    suffix, raw = case
    with _workdir() as tmp:
        path = tmp / f"profile{suffix}"
        path.write_bytes(raw)
        code, _, err = judged("profile files", ["catalog", "gcp", "--profile", str(path), "--format", "json"], {0, 2})
        if code == 2:
            assert str(path) in err, err


def policy_config(raw: bytes) -> None:
    with _workdir() as tmp:
        state, path = tmp / "state.json", tmp / "config.json"
        state.write_bytes(bad.encoded(STATE))
        path.write_bytes(raw)
        code, out, _ = judged("pack config", ["check", "--from-state", str(state), "--policy-config", str(path),
                                              "--format", "json"], {0, 1, 2}, must=None if _strict_json(raw) else 2)
        if code != 2:
            _json_report(code, out)


def project_files(case: tuple[bytes, bytes, str | None]) -> None:
    project, stack, extra = case
    with _workdir() as tmp:
        (tmp / "Pulumi.yaml").write_bytes(project)
        (tmp / "Pulumi.dev.yaml").write_bytes(stack)
        (tmp / "__main__.py").write_text("import pulumi\npulumi.export('ok', True)\n")
        argv = ["check", str(tmp), "--format", "json", *(["--stack", extra] if extra is not None else [])]
        code, out, _ = judged("project and stack files", argv, {0, 2})
        if code == 0:
            assert json.loads(out)["summary"]["resources"] == 0


def targets_file(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    with _workdir() as tmp:
        path = tmp / "targets.txt"
        path.write_bytes(raw)
        code, _, err = judged("targets files", ["verify", "--targets-file", str(path), "--ip", "127.0.0.1",
                                                "--format", "json"], {1, 2})
        if code == 2:
            assert "target" in err or str(path) in err, err


def argv_case(argv: list[str]) -> None:
    with _workdir() as tmp:
        state = tmp / "s.json"
        state.write_bytes(bad.encoded(STATE))
        if argv and argv[0] == "check":
            argv = [*argv, "--from-state", str(state)]
        if argv and argv[0] == "verify":
            argv = [*argv, "--ip", "127.0.0.1", "--no-dns"]
        old = Path.cwd()
        os.chdir(tmp)  # a stray DIR of "." is an empty directory, never the repository's program
        try:
            judged("CLI arguments", argv, {0, 1, 2})
        finally:
            os.chdir(old)


def resource_properties(case: tuple[list[tuple[str, dict[str, Any]]], bool]) -> None:
    resources, as_outputs = case
    doc = {"version": 3, "deployment": {"resources": [
        {"urn": f"urn:pulumi:dev::p::{token}::r{i}", "type": token, "custom": True,
         ("outputs" if as_outputs else "inputs"): props,
         "propertyDependencies": {k: [] for k in props}}
        for i, (token, props) in enumerate(resources)]}}
    with _workdir() as tmp:
        path = tmp / "state.json"
        path.write_bytes(bad.encoded(doc))
        code, out, err = judged("resource properties", ["check", "--from-state", str(path), "--format", "json"],
                                {0, 1, 2})
        if code == 2:  # only a value the file format refuses (a lone surrogate, a malformed signature object)
            assert err.startswith(f"tlsfence: error: {path}: "), err
            assert "surrogate" in err or "float64" in err or "deployment.resources[" in err, err
        else:
            _json_report(code, out)


# ---- strategies per surface, and the tests --------------------------------------------------------------------

STRATEGIES: dict[str, tuple[st.SearchStrategy[Any], Callable[..., None]]] = {
    "preview files": (bad.file_bytes(PREVIEW), preview_file),
    "state files": (bad.file_bytes(STATE), state_file),
    "profile files": (st.one_of(st.tuples(st.just(".json"), bad.file_bytes(PROFILE)),
                                st.tuples(st.sampled_from([".yaml", ".yml"]), bad.yaml_texts(PROFILE)),
                                st.tuples(st.just(".toml"), bad.toml_texts(PROFILE))), profile_file),
    "pack config": (st.one_of(bad.policy_configs().map(bad.encoded), bad.junk_documents()), policy_config),
    "project and stack files": (st.tuples(bad.yaml_texts(PROJECT), bad.yaml_texts(STACK),
                                          st.one_of(st.none(), st.sampled_from(["dev", "x" * 5000, "../etc", "a/b/c/d",
                                                                                "\x00", "org/p/dev"]))),
                                project_files),
    "targets files": (st.one_of(bad.target_lines().map(lambda t: t.encode("utf-8", "surrogatepass")),
                                bad.junk_documents()), targets_file),
    "CLI arguments": (bad.argvs(), argv_case),
    "resource properties": (st.tuples(st.lists(st.tuples(st.sampled_from(bad.tokens()), bad.properties()),
                                               min_size=1, max_size=3), st.booleans()), resource_properties),
}


@pytest.fixture(autouse=True)
def _no_probing(monkeypatch: pytest.MonkeyPatch) -> None:
    """verify's probing is verify's own suite; here a target is parsed and reported, never connected to."""
    from tlsfence.probe import verify
    from tlsfence.probe.report import TargetResult

    def stub(target: str, address: str, port: int, sni: str | None, options: Any) -> TargetResult:
        return TargetResult(target=target, ip=address, port=port, sni=sni, versions=(), certificates=(),
                            verdict="unverifiable", excess=(), reasons=("not probed in the bad-input suite",),
                            warnings=(), handshakes=0, elapsed_s=0.0, errors=("not probed",),
                            profile=options.profile.name)

    monkeypatch.setattr(verify, "verify_target", stub)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)


def _surface_test(name: str, fuzz: bool) -> Callable[..., None]:
    strategy, check = STRATEGIES[name]
    takes_monkeypatch = check is targets_file

    @_settings(fuzz)
    @given(case=strategy)
    def test(case: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        check(case, monkeypatch) if takes_monkeypatch else check(case)

    return test


@pytest.mark.parametrize("surface", list(STRATEGIES))
def test_sampled(surface: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _surface_test(surface, fuzz=False)(monkeypatch=monkeypatch)
    assert COUNTS[surface] >= SAMPLE


@pytest.mark.fuzz
@pytest.mark.parametrize("surface", list(STRATEGIES))
def test_fuzz(surface: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = COUNTS[surface]
    _surface_test(surface, fuzz=True)(monkeypatch=monkeypatch)
    ran = COUNTS[surface] - before
    print(f"\nbad-input fuzz: {surface}: {ran} cases")
    assert ran >= FUZZ_CASES


def test_registry_tokens_and_their_words_are_all_fuzzed():
    """New analyzers are covered without touching the suite: tokens and property names come from the registry."""
    from tlsfence.analyzers import ANALYZERS

    assert bad.tokens() == sorted(ANALYZERS)
    words = set(bad.vocabulary())
    assert {"sslPolicy", "defaultActions", "listeners", "lbPort", "minTlsVersion"} <= words


@pytest.mark.parametrize(("argv", "content"), [
    (["check", "--from-state"], b"\xff\xfe not utf-8"),
    (["check", "--from-preview"], b"[" * 5000 + b"]" * 5000),
    (["verify", "--ip", "127.0.0.1", "--targets-file"], b"a.test:\xc2\xb2\n"),
    (["catalog", "aws", "--profile"], b'{"name": "x", "must_support_one_of": "ECDHE-RSA-AES128-GCM-SHA256"}'),
    (["check", "--from-state"], b'{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:d::p::t::n", '
                                b'"type": "t", "inputs": {"4dabf18193072939515e22adb298388d": '
                                b'"1b47061264138c4ac30d75fd1eb44270"}}]}}'),
], ids=["not-utf8-state", "deep-preview", "superscript-port", "profile-suites-not-a-list", "inputs-a-secret"])
def test_as_a_subprocess_one_line_exit_2(tmp_path, argv, content):
    """The console entry itself: exit status 2, one line, no traceback."""
    path = tmp_path / ("p.json" if "catalog" in argv else "in.json")
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "tlsfence", *argv, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr


def test_fifo_and_dev_zero_do_not_block(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero"):
        for argv in (["check", "--from-state", source], ["check", "--from-preview", source],
                     ["catalog", "aws", "--profile", source],
                     ["check", "--from-state", str(DATA / "state.json"), "--policy-config", source],
                     ["verify", "--ip", "127.0.0.1", "--targets-file", source]):
            code, _, err = run(argv)
            assert code == 2 and err.count("\n") == 1, (argv, err)
