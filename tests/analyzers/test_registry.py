"""The analyzer registry: one analyzer per token, every token spelled as the installed SDK spells it."""

import importlib.util
import types
from pathlib import Path

import pytest

from tlsfence.analyzers import ANALYZERS, MODULES, _build
from tlsfence.errors import CatalogError

REQUIRED = [
    "aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws-native:elasticloadbalancingv2:Listener",
    "aws:elb/loadBalancer:LoadBalancer", "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy",
    "aws:elb/loadBalancerPolicy:LoadBalancerPolicy", "aws:elb/listenerPolicy:ListenerPolicy",
    "aws:apigateway/domainName:DomainName", "aws:apigateway/restApi:RestApi",
    "aws:apigatewayv2/domainName:DomainName", "aws:apigatewayv2/api:Api", "aws:cloudfront/distribution:Distribution",
    "gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy",
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy", "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
    "gcp:compute/targetSSLProxy:TargetSSLProxy", "gcp:cloudrunv2/service:Service", "gcp:apigateway/gateway:Gateway",
]


def test_every_required_token_has_an_analyzer():
    assert not [t for t in REQUIRED if t not in ANALYZERS]


def test_duplicate_registration_is_refused():
    dup = types.SimpleNamespace(__name__="dup", ANALYZERS={"aws:lb/listener:Listener": lambda r, c: []})
    with pytest.raises(CatalogError, match="registered twice"):
        _build([*MODULES, dup])


@pytest.mark.parametrize("token", [t for t in ANALYZERS if t.split(":")[0] in ("aws", "gcp")])
def test_token_spelling_matches_the_installed_sdk(token):
    package = {"aws": "pulumi_aws", "gcp": "pulumi_gcp"}[token.split(":")[0]]
    spec = importlib.util.find_spec(package)
    if spec is None:
        pytest.skip(f"{package} not installed")
    module_dir = token.split(":")[1].split("/")[0]
    root = Path(spec.origin).parent / module_dir
    assert any(f"'{token}'" in p.read_text() for p in root.glob("*.py")), token
