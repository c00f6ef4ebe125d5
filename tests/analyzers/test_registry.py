"""The analyzer registry: one analyzer per token, every token spelled as the installed SDK spells it."""

import types

import pytest

from tlsfence.analyzers import ANALYZERS, MODULES, _build
from tlsfence.errors import CatalogError
from tlsfence.inventory.sdk import installed, sdk_tokens

SDKS = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native", "gcp": "pulumi_gcp"}
#: Registered although the installed SDK does not define them, each with the reason it is kept.
NOT_IN_SDK = {
    "aws-native:elasticloadbalancingv2:ListenerCertificate":
        "pulumi_aws_native 1.84 generates no ListenerCertificate type; kept for a future SDK (aws_elbv2_rules)",
}

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


@pytest.mark.parametrize("token", [t for t in ANALYZERS if t.split(":")[0] in SDKS])
def test_token_spelling_matches_the_installed_sdk(token):
    package = SDKS[token.split(":")[0]]
    if not installed(package):
        pytest.skip(f"{package} not installed")
    if token in NOT_IN_SDK:
        assert token not in sdk_tokens(package).tokens, f"{token} exists now: drop it from NOT_IN_SDK"
        return
    assert token in sdk_tokens(package).tokens, token
