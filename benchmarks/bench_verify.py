"""Benchmark ``tlsfence verify`` against sslyze, sslscan and nmap's ssl-enum-ciphers at 0 ms and 50 ms RTT.

nginx on 127.0.0.1 serves three configurations: S3 (3 TLS 1.2 suites + 3 TLS 1.3), S20 (about 20 accepted
suites) and S110 (about 110, over TLS 1.0-1.3). For RTT > 0 a proxy in front of each server
(``delayproxy.c``, compiled with the system's C compiler; netem is not available in this sandbox) delays every
chunk by RTT/2 each way; the kernel completes a loopback TCP connect at once, so the proxy charges the connect
round trip on the first client chunk: it reaches the server no sooner than 1.5 RTT after the connection was
accepted (and RTT/2 after it was sent), which is what a real connect + send costs, whether the client writes at
once or later. The proxy is in C because an asyncio one spent ~130 ms of CPU relaying a 128-suite
enumeration, on the same 2 cores as the tool and nginx, which slowed whichever tool opened connections in
parallel. Connections are counted by nginx itself (``stub_status`` accepts), so the
count is the same at any RTT. Tools run alternately (one run of each, in rotating order, then again), the
median of ``--runs`` is reported, and the accepted sets of every tool are compared with tlsfence's.

The physical limit of a server is the time no prober can beat: one TCP connect plus one ClientHello round
trip, 2 × RTT, whatever the server (every suite offered alone, in parallel). tlsfence's own time
(``elapsed_s``, the probing without interpreter start-up) is shown next to it, and so is the number of
sequential hello rounds its enumeration needed. Only 127.0.0.1 is used.

    python benchmarks/bench_verify.py [--runs 5] [--rtt-ms 0 50] [--tools tlsfence,sslyze,sslscan,nmap]
                                      [--out benchmarks/RESULTS-verify.md]

sslscan, nmap and a C compiler are not test dependencies: ``apt-get install sslscan nmap gcc`` (Debian 12:
sslscan 2.0.7, nmap 7.93); a tool that is not installed is skipped and says so. testssl.sh
(``--tools ...,testssl``) is slow (15-60 s a run) and off by default.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.probe.servers import Nginx, free_port, make_pki, nginx_server_block  # noqa: E402
from tlsfence.suites import registry  # noqa: E402

TLS13_ALL = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:" \
            "TLS_AES_128_CCM_8_SHA256"
SERVERS = {  # name → (certs, protocols, ciphers, extra directives)
    "S3": (["rsa"], "TLSv1.2 TLSv1.3",
           "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA256", ""),
    "S20": (["rsa", "ecdsa"], "TLSv1.2 TLSv1.3", "ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES:RSA+AESGCM", ""),
    "S110": (["rsa", "ecdsa"], "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
             f"ssl_conf_command Ciphersuites {TLS13_ALL};"),
}
VERSIONS = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
SNI = "server.test"


PROXY_SOURCE = ROOT / "benchmarks" / "delayproxy.c"


def start_proxies(backends: dict[str, int], rtt: float, tmp: Path) -> tuple[dict[str, int], subprocess.Popen | None]:
    """Proxy port per server, and the proxy process (the backend itself at 0 ms: nothing to delay).

    The proxy is ``delayproxy.c`` (its header gives the model: RTT/2 each way, the connect round trip
    charged on the first client chunk), compiled here with the system's C compiler.
    """
    if rtt <= 0:
        return dict(backends), None
    binary = tmp / "delayproxy"
    if not binary.exists():
        cc = shutil.which("cc") or shutil.which("gcc")
        if cc is None:
            raise SystemExit("a C compiler is needed for the delaying proxy: apt-get install gcc")
        subprocess.run([cc, "-O2", "-o", str(binary), str(PROXY_SOURCE)], check=True, timeout=120)
    fronts = {name: free_port() for name in backends}
    proc = subprocess.Popen([str(binary), f"{rtt * 1000:g}", *(f"{fronts[n]}:{p}" for n, p in backends.items())],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise SystemExit("the delaying proxy did not start")
    return fronts, proc


def _by_openssl(name: str) -> str:
    """IANA name of an OpenSSL suite name (sslscan prints those for TLS <= 1.2)."""
    suite = next((s for s in registry().suites if s.openssl == name), None)
    return suite.iana if suite else name


INTERNAL: dict[tuple[float, str], list[tuple[float, int]]] = {}  # (rtt, server) → (elapsed_s, max rounds)


def tool_tlsfence(port: int, ca: str, key: tuple[float, str]) -> dict[str, set[str]]:
    out = subprocess.run([sys.executable, "-m", "tlsfence", "verify", f"{SNI}:{port}", "--ip", "127.0.0.1",
                          "--ca-file", ca, "--format", "json"], capture_output=True, text=True, timeout=120,
                         cwd=ROOT).stdout
    result = json.loads(out)[0]
    INTERNAL.setdefault(key, []).append((result["elapsed_s"], max(v.get("rounds", 0) for v in result["versions"])))
    return {v: {s["iana"] for s in result["suites"].get(v, [])} for v in VERSIONS}


def tool_sslyze(port: int, tmp: Path) -> dict[str, set[str]]:
    path = tmp / "sslyze.json"
    subprocess.run([sys.executable, "-m", "sslyze", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2",
                    "--tlsv1_3", "--mozilla_config", "disable", "--quiet", "--json_out", str(path),
                    f"{SNI}:{port}{{127.0.0.1}}"], capture_output=True, text=True, timeout=300)
    scan = json.loads(path.read_text())["server_scan_results"][0]["scan_result"]
    keys = dict(zip(VERSIONS, ("ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites",
                               "tls_1_1_cipher_suites", "tls_1_2_cipher_suites", "tls_1_3_cipher_suites"), strict=True))
    return {v: {s["cipher_suite"]["name"] for s in (scan[k]["result"] or {}).get("accepted_cipher_suites", [])}
            for v, k in keys.items()}


SSLSCAN_ARGS = ["--no-colour", "--no-groups", "--no-heartbleed", "--no-renegotiation", "--no-compression",
                "--no-fallback", f"--sni-name={SNI}", "--xml=-"]


def tool_sslscan(port: int) -> dict[str, set[str]]:
    out = subprocess.run(["sslscan", *SSLSCAN_ARGS, f"127.0.0.1:{port}"], capture_output=True, text=True,
                         timeout=300).stdout
    found: dict[str, set[str]] = {v: set() for v in VERSIONS}
    for c in ET.fromstring(out[out.index("<?xml"):]).iter("cipher"):
        version = c.get("sslversion", "")
        version = {"TLSv1": "TLSv1.0"}.get(version, version)
        if c.get("status") in ("accepted", "preferred") and version in found:
            name = c.get("cipher", "")
            found[version].add(name if name.startswith("TLS_") else _by_openssl(name))
    return found


def tool_nmap(port: int) -> dict[str, set[str]]:
    out = subprocess.run(["nmap", "-Pn", "-n", "-p", str(port), "--script", "ssl-enum-ciphers", "--script-args",
                          f"tls.servername={SNI}", "-oX", "-", "127.0.0.1"], capture_output=True, text=True,
                         timeout=600).stdout
    found: dict[str, set[str]] = {v: set() for v in VERSIONS}
    names = {"SSLv3": "SSLv3", "TLSv1.0": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}
    for table in ET.fromstring(out).iter("table"):
        version = names.get(table.get("key", ""))
        if version is None:
            continue
        for ciphers in table.iter("table"):
            if ciphers.get("key") != "ciphers":
                continue
            for entry in ciphers.iter("elem"):
                if entry.get("key") == "name" and entry.text:
                    found[version].add(entry.text.replace("TLS_AKE_WITH_", "TLS_"))
    return found


def tool_testssl(port: int, tmp: Path) -> dict[str, set[str]]:
    path = tmp / "testssl.json"
    path.unlink(missing_ok=True)
    subprocess.run(["testssl", "--ip=127.0.0.1", "--nodns=none", "-E", "--warnings=off", "--color", "0",
                    "--jsonfile", str(path), f"https://{SNI}:{port}"], capture_output=True, text=True, timeout=900)
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


LABELS = {"tlsfence": "tlsfence verify", "sslyze": "sslyze 6", "sslscan": "sslscan 2.0.7",
          "nmap": "nmap 7.93 ssl-enum-ciphers", "testssl": "testssl.sh -E"}
BINARIES = {"sslscan": "sslscan", "nmap": "nmap", "testssl": "testssl"}


def _children_cpu() -> float:
    """User + system CPU seconds of the tool processes that ended so far (load-independent, unlike wall time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Accepts:
    """Connections nginx accepted so far (``stub_status``), minus the status requests themselves."""

    def __init__(self, port: int) -> None:
        self.port, self.own = port, 0

    def __call__(self) -> int:
        text = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status", timeout=5).read().decode()
        self.own += 1
        return int(text.splitlines()[2].split()[0]) - self.own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rtt-ms", type=float, nargs="+", default=[0.0, 50.0])
    parser.add_argument("--tools", default="tlsfence,sslyze,sslscan,nmap")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS-verify.md"))
    args = parser.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    missing = [t for t in tools if t in BINARIES and shutil.which(BINARIES[t]) is None]
    tools = [t for t in tools if t not in missing]
    servers = [s for s in args.servers.split(",") if s]
    # What ``pip install`` does: without it (PYTHONDONTWRITEBYTECODE, a fresh checkout) every run would compile
    # tlsfence's modules again, a cost no installed copy pays.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tlsfence")], check=True,
                   capture_output=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    tmp = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    pki = make_pki(tmp)
    dh = tmp / "dh.pem"
    subprocess.run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out",
                    str(dh)], check=True, capture_output=True, timeout=60)
    ports = {n: free_port() for n in servers}
    status_port = free_port()
    blocks = [nginx_server_block(ports[n], pki, *SERVERS[n][:3], SERVERS[n][3] + f" ssl_dhparam {dh};")
              for n in servers]
    blocks.append(f"server {{ listen 127.0.0.1:{status_port}; location /status {{ stub_status; }} }}")
    nginx = Nginx(tmp, blocks, [*ports.values(), status_port])
    accepts = Accepts(status_port)
    rows: dict[tuple[float, str], dict[str, dict]] = {}
    proxies: list[subprocess.Popen | None] = []
    try:
        for rtt_ms in args.rtt_ms:
            front, proxy = start_proxies(ports, rtt_ms / 1000, tmp)
            proxies.append(proxy)
            for name in servers:
                port = front[name]
                key = (rtt_ms, name)
                runners: dict[str, Callable[[], dict[str, set[str]]]] = {
                    "tlsfence": lambda p=port, k=key: tool_tlsfence(p, pki.ca, k),
                    "sslyze": lambda p=port: tool_sslyze(p, tmp),
                    "sslscan": lambda p=port: tool_sslscan(p),
                    "nmap": lambda p=port: tool_nmap(p),
                    "testssl": lambda p=port: tool_testssl(p, tmp),
                }
                got: dict[str, dict] = {t: {"times": [], "conns": [], "cpu": [], "sets": None} for t in tools}
                for run in range(args.runs):
                    order = tools[run % len(tools):] + tools[:run % len(tools)]  # rotate: nobody always first
                    for tool in order:
                        before = accepts()
                        cpu = _children_cpu()
                        start = time.monotonic()
                        sets = runners[tool]()
                        got[tool]["times"].append(time.monotonic() - start)
                        got[tool]["cpu"].append(_children_cpu() - cpu)
                        time.sleep(0.2 + 2 * rtt_ms / 1000)  # late closes land before counting
                        got[tool]["conns"].append(accepts() - before)
                        got[tool]["sets"] = sets
                for tool, m in got.items():
                    m["time"], m["conn"] = statistics.median(m["times"]), statistics.median(m["conns"])
                    m["cpu_s"] = statistics.median(m["cpu"])
                    runs = ", ".join(f"{t:.2f}" for t in m["times"])
                    print(f"{rtt_ms:g} ms {name} {tool}: {m['time']:.2f} s ({runs}), {m['conn']:g} connections",
                          flush=True)
                rows[key] = got
        floors = _floors(ports.get("S3"), args.runs)
    finally:
        for proxy in proxies:
            if proxy is not None:
                proxy.kill()
                proxy.wait(timeout=5)
        nginx.stop()
    Path(args.out).write_text(report(rows, args, tools, missing, floors))
    print(f"wrote {args.out}")
    return 0


FLOORS = {  # what any Python prober of this kind pays before its first hello, next to sslscan's whole run
    "pass": [sys.executable, "-c", "pass"],
    "bare": [sys.executable, "-I", "-S", "-c", "pass"],
    "stdlib": [sys.executable, "-I", "-S", "-c", "import asyncio, socket, ssl"],
    "verifier": [sys.executable, "-c", "import cryptography.x509.verification"],
    "help": [sys.executable, "-m", "tlsfence", "verify", "--help"],
}


def _floors(port: int | None, runs: int) -> dict[str, float]:
    """Median wall times of the interpreter floors and of sslscan on ``port`` (S3 at 0 ms), alternating."""
    cmds = dict(FLOORS)
    if port is not None and shutil.which("sslscan"):
        cmds["sslscan"] = ["sslscan", *SSLSCAN_ARGS, f"127.0.0.1:{port}"]
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            start = time.monotonic()
            subprocess.run(cmd, capture_output=True, timeout=60, cwd=ROOT)
            times[key].append(time.monotonic() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def _some(names: set[str]) -> str:
    return ", ".join(sorted(names)[:4]) + (" …" if len(names) > 4 else "")


def _agreement(ref: dict[str, set[str]], sets: dict[str, set[str]]) -> str:
    diff = []
    for v in VERSIONS:
        missing, extra = ref[v] - sets[v], sets[v] - ref[v]
        if missing:
            diff.append(f"{v} misses {len(missing)}: {_some(missing)}")
        if extra:
            diff.append(f"{v} has {len(extra)} more: {_some(extra)}")
    return "identical" if not diff else "; ".join(diff)


def report(rows: dict[tuple[float, str], dict[str, dict]], args: argparse.Namespace, tools: list[str],
           missing: list[str], floors: dict[str, float]) -> str:
    cmd = (f"python benchmarks/bench_verify.py --runs {args.runs} --rtt-ms {' '.join(f'{r:g}' for r in args.rtt_ms)}"
           f" --tools {','.join(tools)}")
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            timeout=30).stdout.strip() or "?"
    lines = ["# `tlsfence verify` benchmark", "", f"Command: `{cmd}`", "",
             f"Run at commit `{commit}`, ended {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
             "nginx 1.22 / OpenSSL 3.0 on 127.0.0.1; servers S3 (3 TLS 1.2 + 3 TLS 1.3 suites), S20 (ECDHE AES/"
             "CHACHA20 + RSA AES-GCM, RSA and ECDSA certificates), S110 (`ALL:COMPLEMENTOFALL:@SECLEVEL=0`, DHE, "
             "every TLS 1.3 suite, TLS 1.0-1.3). RTT > 0 through a loopback delaying proxy in C "
             "(`benchmarks/delayproxy.c`; connect round trip charged on the first client chunk). Wall time is "
             "the whole process (interpreter start-up included), median of the runs; tools alternate in rotating "
             "order. Connections as counted by nginx "
             "(`stub_status`); CPU = user + system seconds of the tool's processes (what load cannot inflate; "
             "sslyze's includes its worker threads). *limit* = 2 × RTT: one TCP connect and one ClientHello "
             "round trip, which no prober can beat on any server. *own* = tlsfence's `elapsed_s` (probing, "
             "certificates included, without "
             "interpreter start-up); *rounds* = the longest sequence of hellos its enumeration waited on.", ""]
    if missing:
        lines += [f"Not installed, skipped: {', '.join(missing)}.", ""]
    lines += ["| RTT | server | accepted | tool | wall (s), median | runs (s) | CPU (s) | connections | × vs tlsfence "
              "| accepted sets vs tlsfence |", "|---|---|---|---|---|---|---|---|---|---|"]
    for (rtt, name), got in rows.items():
        ref = got["tlsfence"]["sets"] if "tlsfence" in got else None
        accepted = sum(len(s) for s in ref.values()) if ref else "?"
        ours = got["tlsfence"]["time"] if "tlsfence" in got else None
        for tool, m in got.items():
            ratio = f"{m['time'] / ours:.1f}" if ours else "–"
            agree = _agreement(ref, m["sets"]) if ref and tool != "tlsfence" else "–"
            lines.append(f"| {rtt:g} ms | {name} | {accepted} | {LABELS[tool]} | {m['time']:.2f} | "
                         f"{' '.join(f'{t:.2f}' for t in m['times'])} | {m['cpu_s']:.2f} | {m['conn']:g} | {ratio} | "
                         f"{agree} |")
    lines += ["", "tlsfence against the physical limit (median of its runs):", "",
              "| RTT | server | limit 2 × RTT (s) | own `elapsed_s` (s) | own / limit | wall (s) | wall / limit "
              "| hello rounds | × faster than sslyze | × faster than the fastest other tool |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for (rtt, name), got in rows.items():
        if "tlsfence" not in got:
            continue
        own = statistics.median(e for e, _ in INTERNAL[(rtt, name)])
        rounds = statistics.median(r for _, r in INTERNAL[(rtt, name)])
        limit = 2 * rtt / 1000
        wall = got["tlsfence"]["time"]
        others = {t: m["time"] for t, m in got.items() if t != "tlsfence"}
        sslyze = f"{others['sslyze'] / wall:.1f}" if "sslyze" in others else "–"
        fastest = min(others, key=others.get) if others else None
        best = f"{others[fastest] / wall:.2f} ({LABELS[fastest]})" if fastest else "–"
        own_ratio = f"{own / limit:.2f}" if limit else "–"
        wall_ratio = f"{wall / limit:.2f}" if limit else "–"
        lines.append(f"| {rtt:g} ms | {name} | {limit:.2f} | {own:.3f} | {own_ratio} | {wall:.2f} | {wall_ratio} | "
                     f"{rounds:g} | {sslyze} | {best} |")
    f = floors
    lines += ["", f"Interpreter floors on this machine, after the runs (median of {args.runs}, alternating with "
              "sslscan on S3 at 0 ms): "
              f"`python -c pass` {f['pass'] * 1000:.0f} ms (the sandbox's `.pth` hooks included), "
              f"`python -I -S -c pass` {f['bare'] * 1000:.0f} ms, "
              f"`python -I -S -c 'import asyncio, socket, ssl'` {f['stdlib'] * 1000:.0f} ms, "
              f"`python -c 'import cryptography.x509.verification'` {f['verifier'] * 1000:.0f} ms, "
              f"`python -m tlsfence verify --help` {f['help'] * 1000:.0f} ms"
              + (f"; sslscan's whole S3 run {f['sslscan'] * 1000:.0f} ms, so 1.5 × sslscan is "
                 f"{f['sslscan'] * 1500:.0f} ms" if "sslscan" in f else "") + "."]
    lines += ["", f"Load average at the end: {' '.join(load)} (2 vCPUs shared with other jobs: ratios are between "
              "tools of the same run, alternating).", "", "Accepted sets found by tlsfence (count per version):", ""]
    for (rtt, name), got in rows.items():
        if "tlsfence" in got and rtt == args.rtt_ms[0]:
            counts = ", ".join(f"{v} {len(s)}" for v, s in got["tlsfence"]["sets"].items() if s)
            lines.append(f"- {name}: {counts}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
