"""What ``tlsfence verify`` costs besides probing: its whole wall time against a bare interpreter start.

nginx on 127.0.0.1 serves S3 of ``bench_verify.py`` (3 TLS 1.2 + 3 TLS 1.3 suites) at 0 ms RTT. Each run
times ``python -m tlsfence verify ... --format json`` (whole process: start-up, imports, probing, output,
exit) and ``python -c pass``, alternating, each in a fresh interpreter from a directory outside the checkout;
``elapsed_s`` of the JSON output is the probing itself, so wall − ``elapsed_s`` is the start-up / output /
exit overhead this benchmark is about. ``--baseline DIR`` adds a second checkout (e.g. a worktree of an
older commit) to the rotation, so before and after are measured in the same run. Only the medians and the
ratios within one run mean anything: the machine is shared.

    python benchmarks/bench_startup.py [--runs 11] [--baseline /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_verify import SERVERS  # noqa: E402  (S3: the same server as the verify benchmark)
from tests.probe.servers import Nginx, free_port, make_pki, nginx_server_block  # noqa: E402


def _run(cmd: list[str], cwd: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{cmd} exited {out.returncode}: {out.stderr[-500:]}")
    return wall, out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (alternating)")
    parser.add_argument("--baseline", help="another checkout to time in the same rotation (before/after)")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"baseline": Path(args.baseline).resolve()} if args.baseline else {})
    for tree in trees.values():  # what pip would do; without it every run compiles the modules again
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "tlsfence")], check=True,
                       capture_output=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    pki = make_pki(tmp)
    port = free_port()
    nginx = Nginx(tmp, [nginx_server_block(port, pki, *SERVERS["S3"])], [port])
    verify = [sys.executable, "-m", "tlsfence", "verify", f"server.test:{port}", "--ip", "127.0.0.1",
              "--ca-file", pki.ca, "--format", "json"]
    commands = {f"verify ({name})": (verify, {**os.environ, "PYTHONPATH": str(tree)}) for name, tree in trees.items()}
    commands["python -c pass"] = ([sys.executable, "-c", "pass"], dict(os.environ))
    walls: dict[str, list[float]] = {k: [] for k in commands}
    elapsed: dict[str, list[float]] = {k: [] for k in commands}
    try:
        with tempfile.TemporaryDirectory() as cwd:
            for cmd, env in commands.values():
                _run(cmd, cwd, env)  # warm the file cache
            names = list(commands)
            for run in range(args.runs):
                for name in names[run % len(names):] + names[:run % len(names)]:  # rotate: nobody always first
                    cmd, env = commands[name]
                    wall, stdout = _run(cmd, cwd, env)
                    walls[name].append(wall)
                    if name.startswith("verify"):
                        elapsed[name].append(json.loads(stdout)[0]["elapsed_s"])
    finally:
        nginx.stop()
    bare = statistics.median(walls["python -c pass"])
    print(f"medians of {args.runs} runs, alternating; S3 at 0 ms RTT; python {sys.version.split()[0]}")
    for name, times in walls.items():
        wall = statistics.median(times)
        line = f"{name:<22} wall {wall * 1000:6.1f} ms  ratio vs python -c pass {wall / bare:5.2f}"
        if elapsed[name]:
            own = statistics.median(elapsed[name])
            outside = statistics.median(w - e for w, e in zip(times, elapsed[name], strict=True))
            line += f"  elapsed_s {own * 1000:5.1f} ms  wall - elapsed_s {outside * 1000:6.1f} ms"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
