"""The program runs in a forked child (``tlsfence.program.forked``): same registrations as in-process, its side
effects stay in the child, and a child that dies or exits early is one clear ProgramError (exit 2).

Only a single-threaded process forks, so the fork cases run in a fresh interpreter (as the ``tlsfence`` command
does), never inside this test process, whose other tests leave servers and gRPC channels running.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tlsfence.check.program import load_project, run_project
from tlsfence.program import forked
from tlsfence.program.recorder import UNKNOWN_SENTINEL

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120
LISTENER = '''
import os, sys
import pulumi
import pulumi_aws as aws
os.environ["TLSFENCE_CHILD_TEST"] = "leaked"
sys.modules["tlsfence_child_test_marker"] = sys
print("program output", flush=False)
lb = aws.lb.LoadBalancer("lb", internal=False, subnets=["a"])
aws.lb.Listener("l", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn="arn:c",
                ssl_policy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                default_actions=[{"type": "fixed-response", "fixed_response": {"content_type": "text/plain"}}])
'''
#: Runs in a fresh interpreter: the project's registrations (or the error) and what leaked, as JSON on stdout.
DRIVER = '''
import json, os, sys
from pathlib import Path
from tlsfence.check.program import ProgramError, load_project, run_project
from tlsfence.program import forked
out = {"forking": forked.forking()}
try:
    regs = run_project(load_project(Path(sys.argv[1])), preview=sys.argv[2] == "preview")
    out["regs"] = [[r.type, r.name, r.urn, r.inputs, r.outputs, r.property_dependencies] for r in regs]
except ProgramError as e:
    out["error"] = str(e)
out["leaked"] = "TLSFENCE_CHILD_TEST" in os.environ or "tlsfence_child_test_marker" in sys.modules
print("\\n" + json.dumps(out))
'''


def project(tmp_path: Path, body: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: child\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    return tmp_path


def drive(directory: Path, preview: bool = False, **env: str) -> tuple[dict, str]:
    """Run the driver in a fresh interpreter; its JSON result and everything else it printed."""
    run = subprocess.run([sys.executable, "-c", DRIVER, str(directory), "preview" if preview else "run"],
                         capture_output=True, text=True, timeout=TIMEOUT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert run.returncode == 0, run.stderr
    before, _, last = run.stdout.rstrip("\n").rpartition("\n")
    return json.loads(last), before


def test_child_and_in_process_record_the_same_and_side_effects_stay_in_the_child(tmp_path):
    directory = project(tmp_path, LISTENER)
    child, printed = drive(directory)
    assert child["forking"] is True and child["leaked"] is False
    assert printed.count("program output") == 1  # the child's buffer flushed once, not lost
    by_name = {r[1]: r for r in child["regs"]}
    assert by_name["l"][3]["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert by_name["l"][3]["loadBalancerArn"].startswith("arn:aws:lb:")  # joins by value still work
    assert by_name["l"][5]["loadBalancerArn"] == [by_name["lb"][2]]
    here, printed = drive(directory, **{forked.IN_PROCESS_ENV: "1"})
    assert here["forking"] is False and here["leaked"] is True  # in-process, the program's effects are ours
    assert here["regs"] == child["regs"] and printed.count("program output") == 1


def test_preview_unknowns_cross_the_pipe_as_the_engine_sentinel(tmp_path):
    child, _ = drive(project(tmp_path, LISTENER), preview=True)
    assert child["forking"] is True
    assert {r[1]: r for r in child["regs"]}["l"][3]["loadBalancerArn"] == UNKNOWN_SENTINEL


@pytest.mark.parametrize(("body", "message"), [
    ("import os\nos._exit(3)\n", "the program exited with status 3 before it finished"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "the program was killed by signal SIGKILL"),
    ("import sys\nsys.exit(4)\n", "the program exited with status 4"),
    ("raise KeyError('boom')\n", "the program failed: KeyError: 'boom'"),
])
def test_a_child_that_ends_early_is_one_program_error(tmp_path, body, message):
    directory = project(tmp_path, body)
    child, _ = drive(directory)
    assert child["forking"] is True and child["error"].endswith(message)
    if "before" in message or "signal" in message:
        assert child["error"].startswith(f"{directory / '__main__.py'}: ")


def test_cli_exit_2_and_one_line_when_the_program_exits_early(tmp_path):
    project(tmp_path, "import os\nos._exit(0)\n")
    run = subprocess.run([sys.executable, "-m", "tlsfence", "check", str(tmp_path)], capture_output=True, text=True,
                         timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"tlsfence: error: {tmp_path / '__main__.py'}: the program exited with status 0 before " \
                         "it finished\n"


def test_a_process_with_threads_runs_the_program_in_process(tmp_path):
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, args=(30,), daemon=True)
    worker.start()
    try:
        assert forked.forking() is False
        regs = run_project(load_project(project(tmp_path, LISTENER)))
    finally:
        stop.set()
        worker.join(5)
    assert os.environ.pop("TLSFENCE_CHILD_TEST") == "leaked"  # it ran here
    sys.modules.pop("tlsfence_child_test_marker")
    assert {r.name: r for r in regs}["l"].inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"


ERRORS = '''
import json, pickle
from tlsfence.errors import InputError
from tlsfence.program import forked
out = {"forking": forked.forking()}
def bug():
    raise ZeroDivisionError("in the child")
def bad_input():
    raise InputError("bad field x.y")
class Odd(InputError):
    def __init__(self, a, b):
        super().__init__(f"{a} {b}")
def odd():
    raise Odd(1, 2)
for name, fn in (("bug", bug), ("input", bad_input), ("unpicklable", lambda: (lambda: None)),
                 ("plain", lambda: {"a": [1, 2.0, None]}), ("odd", odd)):
    try:
        out[name] = ["ok", forked.run_forked(fn)]
    except Exception as e:
        out[name] = [type(e).__name__, str(e), type(e.__cause__).__name__, str(e.__cause__)]
real = pickle.dumps
pickle.dumps = lambda message, protocol=None: real(message, protocol)[:7]  # the child dies mid-write
try:
    forked.run_forked(lambda: {"a": 1})
except Exception as e:
    out["cut"] = [type(e).__name__, str(e)]
print(json.dumps(out))
'''


def test_errors_cross_the_pipe():
    run = subprocess.run([sys.executable, "-c", ERRORS], capture_output=True, text=True, timeout=TIMEOUT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["forking"] is True
    kind, message, cause, text = out["bug"]
    assert (kind, message, cause) == ("ChildError", "ZeroDivisionError: in the child", "ChildTraceback")
    assert "in bug" in text and "Traceback" in text  # the child's traceback, for --debug
    assert out["input"][:2] == ["InputError", "bad field x.y"]  # tlsfence's own errors keep their type (exit 2)
    assert out["unpicklable"][0] == "ChildError" and "sending the result" in out["unpicklable"][1]
    assert out["plain"] == ["ok", {"a": [1, 2.0, None]}]
    assert out["odd"][0] == "ChildError" and "sending the result" in out["odd"][1]  # it would not unpickle here
    assert out["cut"] == ["ChildExit", "the child ended before its result was complete (status 0)"]
