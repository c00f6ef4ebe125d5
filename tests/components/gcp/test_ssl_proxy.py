"""tlsfence/components/gcp/ssl_proxy.py: SslProxyLoadBalancer."""

import pytest

from tests.components.helpers import CUSTOM, GCP_CONFIG, build, outputs, pack, verdicts
from tlsfence.components.gcp import ComponentConfigError, SslProxyLoadBalancer, SslProxyLoadBalancerArgs


def test_ssl_proxy_is_conforming_and_has_no_port_80():
    door, regs = build(lambda: SslProxyLoadBalancer("ssl", SslProxyLoadBalancerArgs(
        backend_service="b", domains=["s.example.com"])), GCP_CONFIG)
    found = verdicts(regs)
    assert found[("gcp:compute/targetSSLProxy:TargetSSLProxy", "ssl-ssl")] == ("conforming", (), "none")
    assert [r.inputs["portRange"] for r in regs if r.type.endswith("GlobalForwardingRule")] == ["443"]
    assert outputs(door)["setting"] == CUSTOM
    assert outputs(door)["endpoint"] == "https://s.example.com"
    assert pack(regs, strict=True) == []


def test_ssl_proxy_refuses_restricted():
    with pytest.raises(ComponentConfigError, match=r"SslProxyLoadBalancer 'ssl': SSL policy RESTRICTED/TLS_1_2 is "
                                                   r"conforming-with-excess \(offers 2 suite"):
        SslProxyLoadBalancer("ssl", SslProxyLoadBalancerArgs(backend_service="b", domains=["d"],
                                                             ssl_profile="RESTRICTED"))
