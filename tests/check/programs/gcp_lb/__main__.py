"""Forwarding rules in front of every kind of target, HTTP proxies whose URL maps redirect or leak, odd schemes."""

import pulumi_gcp as gcp

FEATURES = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
TO_HTTPS = {"https_redirect": True, "strip_query": False}

strict = gcp.compute.SSLPolicy("strict", profile="CUSTOM", min_tls_version="TLS_1_2", custom_features=FEATURES)
weak = gcp.compute.RegionSslPolicy("weak", region="europe-west1", profile="MODERN", min_tls_version="TLS_1_0")

site = gcp.compute.URLMap("site", default_service="backend")
redirect = gcp.compute.URLMap("to-https", default_url_redirect=TO_HTTPS)
leaky = gcp.compute.URLMap("leaky", default_url_redirect=TO_HTTPS,
                           host_rules=[{"hosts": ["api.example.com"], "path_matcher": "api"}],
                           path_matchers=[{"name": "api", "default_url_redirect": TO_HTTPS,
                                           "path_rules": [{"paths": ["/api/*"], "service": "backend"}]}])
regional_map = gcp.compute.RegionUrlMap("regional-site", region="europe-west1", default_service="backend")

proxy_strict = gcp.compute.TargetHttpsProxy("proxy-strict", url_map=site.id, ssl_certificates=["cert"],
                                            ssl_policy=strict.self_link)
proxy_none = gcp.compute.TargetHttpsProxy("proxy-none", url_map=site.id, ssl_certificates=["cert"])
proxy_internal = gcp.compute.RegionTargetHttpsProxy("proxy-internal", region="europe-west1", url_map=regional_map.id,
                                                    ssl_certificates=["cert"], ssl_policy=weak.self_link)
http_redirect = gcp.compute.TargetHttpProxy("http-redirect", url_map=redirect.id)
http_leaky = gcp.compute.TargetHttpProxy("http-leaky", url_map=leaky.id)
pool = gcp.compute.TargetPool("pool", region="europe-west1")

gcp.compute.GlobalForwardingRule("fr-strict", target=proxy_strict.id, port_range="443")
gcp.compute.GlobalForwardingRule("fr-none", target=proxy_none.id, port_range="443",
                                 load_balancing_scheme="EXTERNAL_MANAGED")
gcp.compute.GlobalForwardingRule("fr-redirect", target=http_redirect.id, port_range="80")
gcp.compute.GlobalForwardingRule("fr-leaky", target=http_leaky.id, port_range="80")
gcp.compute.ForwardingRule("fr-internal", region="europe-west1", target=proxy_internal.id, port_range="443",
                           load_balancing_scheme="INTERNAL_MANAGED")
gcp.compute.ForwardingRule("fr-pool", region="europe-west1", target=pool.id, port_range="443")
gcp.compute.ForwardingRule("fr-nlb", region="europe-west1", backend_service="backend", ports=["443"])
gcp.compute.GlobalForwardingRule("fr-odd-scheme", target=proxy_strict.id, port_range="443",
                                 load_balancing_scheme="external")
gcp.compute.GlobalForwardingRule("fr-foreign", target="projects/other/global/targetHttpsProxies/shared",
                                 port_range="443")
