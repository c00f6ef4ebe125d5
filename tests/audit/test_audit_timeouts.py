"""An endpoint that never answers, or answers 200 with nothing usable: exit 2, one line, well within 20 s.

The servers here run on 127.0.0.1 in threads of the test process: one accepts connections and never writes
(every connection is held open until the test ends), one answers every request with HTTP 200 and a body
chosen per case (empty, garbage, or well-formed XML missing what AWS always sends).
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.audit.conftest import run_cli
from tlsfence.audit.aws_reader import BOTO_CONFIG, CONNECT_TIMEOUT, MAX_ATTEMPTS, READ_TIMEOUT

#: The requirement: an unresponsive endpoint fails the audit within 20 s.
DEADLINE = 20

STS_NO_ACCOUNT = b"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId></GetCallerIdentityResult>
</GetCallerIdentityResponse>"""
STS_OK = STS_NO_ACCOUNT.replace(b"<UserId>", b"<Account>123456789012</Account><UserId>")
ELBV2_NO_ARN = b"""<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
<DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerName>lb</LoadBalancerName></member>
</LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>"""


@pytest.fixture
def silent() -> Iterator[str]:
    """Accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def _answering(bodies: dict[bytes, bytes], default: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            request = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = next((b for action, b in bodies.items() if action in request), default)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def answering() -> Iterator[callable]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(bodies: dict[bytes, bytes], default: bytes = b"") -> str:
        server = _answering(bodies, default)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    try:
        yield start
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def _audit(url: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    run = run_cli("--endpoint-url", url, "--region", "us-east-1", timeout=DEADLINE)
    return run, time.monotonic() - start


def test_the_bound_adds_up_to_less_than_20_seconds():
    assert BOTO_CONFIG.retries == {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}
    assert MAX_ATTEMPTS * (CONNECT_TIMEOUT + READ_TIMEOUT) + 1 < DEADLINE


def test_silent_endpoint_fails_within_20_s(silent):
    run, took = _audit(silent)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr.startswith("tlsfence: error: cannot reach AWS: Read timeout on endpoint URL: ")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert took >= READ_TIMEOUT  # it did wait for an answer (the subprocess timeout bounds it from above)


@pytest.mark.parametrize(("bodies", "default", "message"), [
    ({}, b"", "tlsfence: error: AWS answered with a response that cannot be parsed: Unable to parse response (no "
              "element found: line 1, column 0)"),
    ({}, b"<<garbage\x00", "tlsfence: error: AWS answered with a response that cannot be parsed: "),
    ({b"GetCallerIdentity": STS_NO_ACCOUNT}, b"", "tlsfence: error: sts GetCallerIdentity answered without an "
                                                   "account id"),
    ({b"GetCallerIdentity": STS_OK, b"DescribeLoadBalancers": ELBV2_NO_ARN}, b"",
     "tlsfence: error: an AWS answer lacks what every such answer has (KeyError: 'LoadBalancerArn')"),
], ids=["empty-200", "garbage-200", "sts-without-account", "elbv2-without-arn"])
def test_unusable_200_answers_are_one_line_exit_2(answering, bodies, default, message):
    run, _ = _audit(answering(bodies, default))
    assert (run.code, run.stdout) == (2, ""), run.stderr
    assert run.stderr.startswith(message) and run.stderr.count("\n") == 1, run.stderr


@pytest.mark.parametrize(("region", "message"), [
    ("", "tlsfence: error: --region '': not a region name (such as eu-west-1)\n"),
    ("eu west", "tlsfence: error: --region 'eu west': not a region name (such as eu-west-1)\n"),
])
def test_bad_region_is_one_line_exit_2(region, message):
    run = run_cli(f"--region={region}")
    assert (run.code, run.stderr) == (2, message)
