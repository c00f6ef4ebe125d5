"""A moto server in its own process on 127.0.0.1, started and stopped by the tests and the benchmark.

Its own process (not ``ThreadedMotoServer``) because moto's backends are process-global: two servers in one
process would share one account, and the audit under test runs as a subprocess anyway.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import boto3

REGION = "us-east-1"
#: Dummy credentials: moto accepts any; they only need to exist for botocore to sign.
CREDS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}
START_TIMEOUT = 20.0


def free_port() -> int:
    """A port nobody listens on right now (the tiny race is acceptable on a loopback test host)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1) as r:  # noqa: S310 - loopback only
            return r.status == 200
    except OSError:
        return False


class MotoProcess:
    """One ``python -m moto.server`` on a free loopback port; start several, then wait (they boot in parallel)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     env={**os.environ, **CREDS, **(env or {})}, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

    def wait_ready(self) -> str:
        """Block until the server answers (bounded); returns its URL."""
        deadline = time.monotonic() + START_TIMEOUT
        while not _ready(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto server on {self.url} did not start")
            time.sleep(0.1)
        return self.url

    def stop(self) -> None:
        """Terminate, then kill if it does not exit within a few seconds."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@contextmanager
def moto_server(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Start a moto server, yield its URL, always stop it."""
    server = MotoProcess(env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def client(url: str, service: str, region: str = REGION, **creds: Any) -> Any:
    """A boto3 client of ``service`` pointed at the moto server."""
    keys = {"aws_access_key_id": CREDS["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": CREDS["AWS_SECRET_ACCESS_KEY"],
            **creds}
    return boto3.client(service, endpoint_url=url, region_name=region, **keys)


def network(url: str, region: str = REGION) -> tuple[str, list[str]]:
    """A VPC with two subnets in two zones (what an ALB needs)."""
    ec2 = client(url, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")
               ["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    return vpc, subnets


def certificate(url: str, region: str = REGION) -> str:
    """An ACM certificate ARN for HTTPS listeners."""
    return str(client(url, "acm", region).request_certificate(DomainName="example.com")["CertificateArn"])
