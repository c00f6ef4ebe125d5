"""The program runs in a forked child (``tlsfence.program.forked``): same registrations as in-process, its side
effects stay in the child, and a child that dies or exits early is one clear ProgramError (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tlsfence.check.program import ProgramError, load_project, run_project
from tlsfence.errors import InputError
from tlsfence.program import forked
from tlsfence.program.recorder import UNKNOWN_SENTINEL

ROOT = Path(__file__).resolve().parents[2]
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


def project(tmp_path: Path, body: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: child\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    return tmp_path


def test_child_and_in_process_record_the_same_and_side_effects_stay_in_the_child(tmp_path, monkeypatch, capfd):
    assert forked.forking()
    proj = load_project(project(tmp_path, LISTENER))
    regs = run_project(proj)
    assert "TLSFENCE_CHILD_TEST" not in os.environ and "tlsfence_child_test_marker" not in sys.modules
    assert capfd.readouterr().out.count("program output") == 1  # the child's buffer flushed once, not lost
    by_name = {r.name: r for r in regs}
    assert by_name["l"].inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert by_name["l"].inputs["loadBalancerArn"].startswith("arn:aws:lb:")  # joins by value still work
    assert by_name["l"].property_dependencies["loadBalancerArn"] == [by_name["lb"].urn]
    monkeypatch.setenv(forked.IN_PROCESS_ENV, "1")
    assert not forked.forking()
    here = run_project(proj)
    assert [(r.type, r.urn, r.inputs, r.outputs, r.property_dependencies) for r in here] == \
        [(r.type, r.urn, r.inputs, r.outputs, r.property_dependencies) for r in regs]
    assert os.environ.pop("TLSFENCE_CHILD_TEST") == "leaked"  # in-process, the program's effects are ours
    sys.modules.pop("tlsfence_child_test_marker")


def test_preview_unknowns_cross_the_pipe_as_the_engine_sentinel(tmp_path):
    regs = run_project(load_project(project(tmp_path, LISTENER)), preview=True)
    assert {r.name: r for r in regs}["l"].inputs["loadBalancerArn"] == UNKNOWN_SENTINEL


@pytest.mark.parametrize(("body", "message"), [
    ("import os\nos._exit(3)\n", "the program exited with status 3 before it finished"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "the program was killed by signal SIGKILL"),
    ("import sys\nsys.exit(4)\n", "the program exited with status 4"),
    ("raise KeyError('boom')\n", "the program failed: KeyError: 'boom'"),
])
def test_a_child_that_ends_early_is_one_program_error(tmp_path, body, message):
    proj = load_project(project(tmp_path, body))
    with pytest.raises(ProgramError) as err:
        run_project(proj)
    assert str(err.value).endswith(message)
    if "before" in message or "signal" in message:
        assert str(err.value).startswith(f"{proj.main}: ")


def test_cli_exit_2_and_one_line_when_the_program_exits_early(tmp_path):
    project(tmp_path, "import os\nos._exit(0)\n")
    run = subprocess.run([sys.executable, "-m", "tlsfence", "check", str(tmp_path)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"tlsfence: error: {tmp_path / '__main__.py'}: the program exited with status 0 before " \
                         "it finished\n"


def _bug() -> None:
    raise ZeroDivisionError("in the child")


def _input_error() -> None:
    raise InputError("bad field x.y")


def test_errors_cross_the_pipe():
    with pytest.raises(forked.ChildError, match=r"^ZeroDivisionError: in the child$") as err:
        forked.run_forked(_bug)
    assert isinstance(err.value.__cause__, forked.ChildTraceback) and "_bug" in str(err.value.__cause__)
    with pytest.raises(InputError, match="bad field x.y"):  # tlsfence's own errors keep their type (exit 2)
        forked.run_forked(_input_error)
    with pytest.raises(forked.ChildError, match="sending the result"):
        forked.run_forked(lambda: (lambda: None))  # a result that does not pickle
    assert forked.run_forked(lambda: {"a": [1, 2.0, None]}) == {"a": [1, 2.0, None]}
