"""Google Cloud components: global and regional external ALBs, an SSL proxy, and a serverless front.

``from tlsfence.components.gcp import HttpsLoadBalancer`` gives the global external Application Load
Balancer. Its class (and type token ``tlsfence:index:GlobalHttpsLoadBalancer``) is named
``GlobalHttpsLoadBalancer``, because the component package puts every type in one ``index`` module and the
AWS ``HttpsLoadBalancer`` already holds that name; ``HttpsLoadBalancer`` here is an alias of it.
"""

from tlsfence.components.base import ComponentConfigError
from tlsfence.components.gcp.https import (
    GlobalHttpsLoadBalancer,
    GlobalHttpsLoadBalancerArgs,
    RegionalHttpsLoadBalancer,
    RegionalHttpsLoadBalancerArgs,
)
from tlsfence.components.gcp.serverless import ServerlessFront, ServerlessFrontArgs
from tlsfence.components.gcp.ssl_proxy import SslProxyLoadBalancer, SslProxyLoadBalancerArgs

HttpsLoadBalancer = GlobalHttpsLoadBalancer
HttpsLoadBalancerArgs = GlobalHttpsLoadBalancerArgs

COMPONENTS = (GlobalHttpsLoadBalancer, RegionalHttpsLoadBalancer, SslProxyLoadBalancer, ServerlessFront)

__all__ = [
    "COMPONENTS", "ComponentConfigError", "GlobalHttpsLoadBalancer", "GlobalHttpsLoadBalancerArgs",
    "HttpsLoadBalancer", "HttpsLoadBalancerArgs", "RegionalHttpsLoadBalancer", "RegionalHttpsLoadBalancerArgs",
    "ServerlessFront", "ServerlessFrontArgs", "SslProxyLoadBalancer", "SslProxyLoadBalancerArgs",
]
