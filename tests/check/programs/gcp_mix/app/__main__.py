"""SSL policies and every proxy kind, joined by self-link (unknown at preview), plus Cloud Run default URLs."""

import pulumi_gcp as gcp
from features import STRICT_FEATURES  # a module beside the program: the program directory is on sys.path

strict = gcp.compute.SSLPolicy("strict", profile="CUSTOM", min_tls_version="TLS_1_2", custom_features=STRICT_FEATURES)
restricted = gcp.compute.SSLPolicy("restricted", profile="RESTRICTED", min_tls_version="TLS_1_2")
weak = gcp.compute.SSLPolicy("weak", profile="COMPATIBLE", min_tls_version="TLS_1_0")
gcp.compute.SSLPolicy("absent")
regional = gcp.compute.RegionSslPolicy("regional-strict", region="europe-west1", profile="CUSTOM",
                                       min_tls_version="TLS_1_2", custom_features=STRICT_FEATURES)

site = gcp.compute.URLMap("site", default_service="backend")
redirect = gcp.compute.URLMap("to-https", default_url_redirect={"https_redirect": True, "strip_query": False})
regional_map = gcp.compute.RegionUrlMap("regional-site", region="europe-west1", default_service="backend")

gcp.compute.TargetHttpsProxy("proxy-strict", url_map=site.id, ssl_certificates=["cert"], ssl_policy=strict.self_link)
gcp.compute.TargetHttpsProxy("proxy-restricted", url_map=site.id, ssl_certificates=["cert"],
                             ssl_policy=restricted.self_link)
gcp.compute.TargetHttpsProxy("proxy-none", url_map=site.id, ssl_certificates=["cert"])
gcp.compute.TargetHttpsProxy("proxy-foreign", url_map=site.id, ssl_certificates=["cert"],
                             ssl_policy="projects/other/global/sslPolicies/shared")
gcp.compute.RegionTargetHttpsProxy("proxy-regional", region="europe-west1", url_map=regional_map.id,
                                   ssl_certificates=["cert"], ssl_policy=regional.self_link)
gcp.compute.TargetSSLProxy("ssl-proxy", backend_service="backend", ssl_certificates=["cert"], ssl_policy=weak.self_link)
gcp.compute.TargetHttpProxy("http-redirect", url_map=redirect.id)
gcp.compute.TargetHttpProxy("http-plain", url_map=site.id)

TEMPLATE = {"containers": [{"image": "us-docker.pkg.dev/cloudrun/container/hello"}]}
gcp.cloudrunv2.Service("run-open", location="europe-west1", template=TEMPLATE)
gcp.cloudrunv2.Service("run-closed", location="europe-west1", template=TEMPLATE,
                       ingress="INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", default_uri_disabled=True)
gcp.cloudrunv2.Service("run-exempt", location="europe-west1", template=TEMPLATE)
