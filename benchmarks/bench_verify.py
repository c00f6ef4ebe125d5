"""Benchmark ``tlsfence verify`` against sslyze and testssl.sh through a 50 ms RTT loopback proxy.

Starts nginx on 127.0.0.1 with the lab servers of ../shared/reference/tls_probing_notes.md (A conforming,
B nonconforming, D six allowed suites with X25519 only), puts an asyncio proxy in front of each that delays
every chunk by RTT/2 each way (and the first client chunk by a further RTT, standing in for the TCP connect),
counts connections at the proxy, runs each tool several times and reports median wall time, connections and
whether the accepted sets agree. Only 127.0.0.1 is used.

    python benchmarks/bench_verify.py [--runs 3] [--testssl-runs 1] [--rtt-ms 50] [--out benchmarks/RESULTS-verify.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.probe.conftest import ALLOWED6  # noqa: E402
from tests.probe.servers import Nginx, free_port, make_pki, nginx_server_block  # noqa: E402
from tlsfence.suites import registry  # noqa: E402

SERVERS = {  # name → (certs, protocols, ciphers, extra); notes §2 servers A, B, D
    "A": (["rsa"], "TLSv1.2 TLSv1.3",
          "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA256", ""),
    "B": (["rsa"], "TLSv1 TLSv1.1 TLSv1.2",
          "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:AES256-SHA:AES128-SHA:@SECLEVEL=0",
          ""),
    "D": (["rsa", "ecdsa"], "TLSv1.2 TLSv1.3", ALLOWED6, "ssl_ecdh_curve X25519;"),
}
VERSIONS = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")


class LatencyProxy:
    """127.0.0.1:listen → 127.0.0.1:backend, every chunk delayed by rtt/2; counts connections."""

    def __init__(self, backend: int, rtt: float) -> None:
        self.backend, self.half, self.port, self.connections = backend, rtt / 2, free_port(), 0
        self._tasks: set[asyncio.Task] = set()  # asyncio keeps only weak references to tasks

    async def start(self) -> None:
        await asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=1024)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        me = asyncio.current_task()
        if me is not None:
            self._tasks.add(me)
            me.add_done_callback(self._tasks.discard)
        try:
            b_reader, b_writer = await asyncio.open_connection("127.0.0.1", self.backend)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pump(reader, b_writer, first_extra=2 * self.half),
                             self._pump(b_reader, writer, first_extra=0.0), return_exceptions=True)
        for w in (writer, b_writer):
            w.close()

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, first_extra: float) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, data = await queue.get()
                await asyncio.sleep(max(0.0, at - loop.time()))
                if not data:
                    break
                dst.write(data)
                try:
                    await dst.drain()
                except OSError:
                    return
            if dst.can_write_eof() and not dst.is_closing():
                try:
                    dst.write_eof()
                except OSError:
                    pass

        task = asyncio.create_task(deliver())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        extra = first_extra
        try:
            while True:
                data = await src.read(65536)
                await queue.put((loop.time() + self.half + extra, data))
                extra = 0.0
                if not data:
                    break
        except OSError:
            await queue.put((loop.time(), b""))
        await task


def start_proxies(backends: dict[str, int], rtt: float) -> dict[str, LatencyProxy]:
    loop = asyncio.new_event_loop()
    proxies = {name: LatencyProxy(port, rtt) for name, port in backends.items()}
    threading.Thread(target=loop.run_forever, daemon=True).start()
    for p in proxies.values():
        asyncio.run_coroutine_threadsafe(p.start(), loop).result(timeout=5)
    return proxies


INTERNAL: dict[str, list[float]] = {}  # module → elapsed_s reported by tlsfence itself (no interpreter start-up)


def run_tlsfence(port: int, ca: str, module: str) -> dict[str, set[str]]:
    out = subprocess.run([sys.executable, "-m", module, "verify", f"server.test:{port}", "--ip", "127.0.0.1",
                          "--ca-file", ca, "--format", "json", "--timeout", "5"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT).stdout
    result = json.loads(out)[0]
    INTERNAL.setdefault(module, []).append(result["elapsed_s"])
    return {v: {s["iana"] for s in result["suites"].get(v, [])} for v in VERSIONS}


def run_sslyze(port: int, tmp: Path) -> dict[str, set[str]]:
    path = tmp / "sslyze.json"
    subprocess.run([sys.executable, "-m", "sslyze", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2",
                    "--tlsv1_3", "--mozilla_config", "disable", "--quiet", "--json_out", str(path),
                    f"server.test:{port}{{127.0.0.1}}"], capture_output=True, text=True, timeout=300)
    scan = json.loads(path.read_text())["server_scan_results"][0]["scan_result"]
    keys = dict(zip(VERSIONS, ("ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites",
                               "tls_1_1_cipher_suites", "tls_1_2_cipher_suites", "tls_1_3_cipher_suites"), strict=True))
    return {v: {s["cipher_suite"]["name"] for s in (scan[k]["result"] or {}).get("accepted_cipher_suites", [])}
            for v, k in keys.items()}


def run_testssl(port: int, tmp: Path) -> dict[str, set[str]]:
    path = tmp / "testssl.json"
    path.unlink(missing_ok=True)
    subprocess.run(["testssl", "--ip=127.0.0.1", "--nodns=none", "-E", "--warnings=off", "--color", "0",
                    "--jsonfile", str(path), f"https://server.test:{port}"],
                   capture_output=True, text=True, timeout=600)
    names = {"ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "TLSv1.0", "tls1_1": "TLSv1.1", "tls1_2": "TLSv1.2",
             "tls1_3": "TLSv1.3"}
    found: dict[str, set[str]] = {v: set() for v in VERSIONS}
    for entry in json.loads(path.read_text()):
        m = re.fullmatch(r"cipher-(\w+?)_x([0-9a-f]+)", entry.get("id", ""))
        if m and m.group(1) in names:
            code = int(m.group(2), 16)
            suite = registry().by_code.get(code)
            found[names[m.group(1)]].add(suite.iana if suite else f"0x{code:04X}")
    return found


def startup(module: str, runs: int = 5) -> float:
    """Median wall time of ``python -m MODULE verify --help``: interpreter and import cost alone."""
    times = []
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", module, "verify", "--help"], capture_output=True, timeout=60, cwd=ROOT)
        times.append(time.monotonic() - start)
    return statistics.median(times)


def measure(label: str, fn, proxy: LatencyProxy, runs: int) -> dict:
    times, conns, sets = [], [], None
    for _ in range(runs):
        before = proxy.connections
        start = time.monotonic()
        sets = fn()
        times.append(time.monotonic() - start)
        time.sleep(0.3)  # let late connections (closes) land before counting
        conns.append(proxy.connections - before)
    print(f"  {label}: {statistics.median(times):.2f} s, {statistics.median(conns)} connections", flush=True)
    return {"time": statistics.median(times), "conns": statistics.median(conns), "sets": sets, "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--testssl-runs", type=int, default=1)
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS-verify.md"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    pki = make_pki(tmp)
    ports = {n: free_port() for n in SERVERS}
    nginx = Nginx(tmp, [nginx_server_block(ports[n], pki, *SERVERS[n]) for n in SERVERS], list(ports.values()))
    rows: dict[str, dict[str, dict]] = {}
    try:
        proxies = start_proxies(ports, args.rtt_ms / 1000)
        for name, proxy in proxies.items():
            print(f"server {name} (proxy 127.0.0.1:{proxy.port} → {ports[name]})", flush=True)
            tools = {
                "tlsfence verify": (lambda p=proxy: run_tlsfence(p.port, pki.ca, "tlsfence"), args.runs),
                "python -m tlsfence.probe verify": (lambda p=proxy: run_tlsfence(p.port, pki.ca, "tlsfence.probe"),
                                                    args.runs),
                "sslyze": (lambda p=proxy: run_sslyze(p.port, tmp), args.runs),
            }
            if shutil.which("testssl") and args.testssl_runs > 0:
                tools["testssl.sh -E"] = (lambda p=proxy: run_testssl(p.port, tmp), args.testssl_runs)
            rows[name] = {label: measure(label, fn, proxy, runs) for label, (fn, runs) in tools.items()}
    finally:
        nginx.stop()
    extra = {m: startup(m) for m in ("tlsfence", "tlsfence.probe")}
    Path(args.out).write_text(report(rows, args, extra))
    print(f"wrote {args.out}")
    return 0


def report(rows: dict[str, dict[str, dict]], args: argparse.Namespace, start_up: dict[str, float]) -> str:
    lines = ["# `tlsfence verify` benchmark", "",
             f"Command: `python benchmarks/bench_verify.py --runs {args.runs} --testssl-runs {args.testssl_runs} "
             f"--rtt-ms {args.rtt_ms:g}`", "",
             f"Loopback proxy adding {args.rtt_ms:g} ms RTT (plus one RTT on the first client chunk for the TCP "
             "connect); wall time is the whole process, interpreter start-up included; connections are counted "
             "at the proxy. Median of the runs shown. Servers: nginx 1.22 / OpenSSL 3.0.19 on 127.0.0.1 "
             "(A conforming, B TLS 1.0/1.1 + CBC, D six allowed suites with `ssl_ecdh_curve X25519`; "
             "see the notes §2).", "",
             "| server | tool | runs | median wall (s) | connections | × faster than sslyze "
             "| accepted sets vs tlsfence |",
             "|---|---|---|---|---|---|---|"]
    for name, tools in rows.items():
        ref = tools["tlsfence verify"]["sets"]
        sslyze_t = tools["sslyze"]["time"]
        for label, m in tools.items():
            diff = []
            for v in VERSIONS:
                missing, extra = ref[v] - m["sets"][v], m["sets"][v] - ref[v]
                if missing:
                    diff.append(f"{v} misses {', '.join(sorted(missing))}")
                if extra:
                    diff.append(f"{v} has extra {', '.join(sorted(extra))}")
            agree = "identical" if not diff else "; ".join(diff)
            lines.append(f"| {name} | {label} | {m['runs']} | {m['time']:.2f} | {m['conns']:g} | "
                         f"{sslyze_t / m['time']:.1f} | {agree} |")
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    lines += ["", "Start-up alone (`python -m MODULE verify --help`, median of 5): "
              + ", ".join(f"`{m}` {s:.2f} s" for m, s in start_up.items())
              + ". The full CLI imports only the module of the command it runs; "
              "`python -m tlsfence.probe` skips the CLI dispatcher too.",
              "Internal time reported by tlsfence (`elapsed_s`, no interpreter start-up), median over all servers "
              "and runs: " + ", ".join(f"`{m}` {statistics.median(v):.2f} s" for m, v in INTERNAL.items()) + ".",
              f"Load average at the end of the run: {' '.join(load)} (2 vCPUs, shared with other jobs)."]
    lines += ["", "Accepted sets found by `tlsfence verify` (IANA names):", ""]
    for name, tools in rows.items():
        for v, s in tools["tlsfence verify"]["sets"].items():
            if s:
                lines.append(f"- {name} {v}: {', '.join(sorted(s))}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
