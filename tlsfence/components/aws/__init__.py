"""AWS components: an ALB/NLB, REST and HTTP API custom domains, and the strict classic ELB.

``from tlsfence.components.aws import HttpsLoadBalancer, HttpsLoadBalancerArgs``. Each module is small and
holds one front door; :mod:`tlsfence.components.aws.dns` holds the certificate and Route53 helpers.
"""

from tlsfence.components.aws.apigateway import HttpApiDomain, HttpApiDomainArgs, RestApiDomain, RestApiDomainArgs
from tlsfence.components.aws.classic import StrictClassicLoadBalancer, StrictClassicLoadBalancerArgs
from tlsfence.components.aws.elbv2 import HttpsLoadBalancer, HttpsLoadBalancerArgs
from tlsfence.components.base import ComponentConfigError

COMPONENTS = (HttpsLoadBalancer, RestApiDomain, HttpApiDomain, StrictClassicLoadBalancer)

__all__ = [
    "COMPONENTS", "ComponentConfigError", "HttpApiDomain", "HttpApiDomainArgs", "HttpsLoadBalancer",
    "HttpsLoadBalancerArgs", "RestApiDomain", "RestApiDomainArgs", "StrictClassicLoadBalancer",
    "StrictClassicLoadBalancerArgs",
]
