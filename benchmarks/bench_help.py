"""``tlsfence --help`` against a bare interpreter start: the CLI's start-up must stay within 0.1 s of it.

The two commands alternate, each run in a fresh interpreter from a directory outside the checkout; the medians
are compared (the machine is shared, so only the difference and the ratio within one run mean anything).

    python benchmarks/bench_help.py --runs 11
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELP = [sys.executable, "-m", "tlsfence", "--help"]
BARE = [sys.executable, "-c", "pass"]


def _time(cmd: list[str], cwd: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   timeout=60)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (alternating)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tlsfence")], check=True)  # as pip would
    helps, bares = [], []
    with tempfile.TemporaryDirectory() as cwd:
        _time(HELP, cwd, env)  # warm the file cache
        for _ in range(args.runs):
            helps.append(_time(HELP, cwd, env))
            bares.append(_time(BARE, cwd, env))
    h, b = statistics.median(helps), statistics.median(bares)
    verdict = "met" if h - b <= 0.1 else "NOT met"
    print(f"tlsfence --help {h * 1000:.0f} ms, python -c pass {b * 1000:.0f} ms (medians of {args.runs}): "
          f"+{(h - b) * 1000:.0f} ms, ratio {h / b:.2f}; target <= +100 ms: {verdict}")


if __name__ == "__main__":
    main()
