"""The generic table-driven analyzer: each family's row, explicit / omitted / unknown / wrong type / odd spelling."""

from __future__ import annotations

import pytest

from tests.analyzers.conftest import PROFILE, res
from tlsfence.analyzers import analyze
from tlsfence.analyzers.managed import MANAGED_PLATFORM, rows, table
from tlsfence.catalog import platform
from tlsfence.inventory.sdk import sdk_tokens
from tlsfence.resources import UNKNOWN, Stack

C, NC, U, NT = "conforming", "nonconforming", "unverifiable", "not-terminated"
SDKS = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native", "gcp": "pulumi_gcp"}
FN = "gcp:cloudfunctions/function:Function"
OS, OS_NATIVE = "aws:opensearch/domain:Domain", "aws-native:opensearchservice:Domain"
LATTICE = "aws:vpclattice/listener:Listener"
GAE = "gcp:appengine/application:Application"
IOT, IOT_NATIVE = "aws:iot/domainConfiguration:DomainConfiguration", "aws-native:iot:DomainConfiguration"


def verdicts(token: str, props: dict) -> list[str]:
    return [e.decision.verdict.value for e in analyze(res(token, props), PROFILE)]


CASES = [
    # managed endpoints: no setting, always unverifiable, aws-native twins alike
    ("aws:lambda/functionUrl:FunctionUrl", {"authorizationType": "NONE"}, [U]),
    ("aws-native:lambda:Url", {}, [U]),
    ("aws:apprunner/customDomainAssociation:CustomDomainAssociation", {"domainName": "a.example.com"}, [U]),
    ("aws:appsync/domainName:DomainName", {}, [U]),
    ("aws-native:appsync:DomainName", {}, [U]),
    ("aws:amplify/domainAssociation:DomainAssociation", {}, [U]),
    ("aws-native:amplify:Domain", {}, [U]),
    ("aws:amplify/branch:Branch", {}, [U]),
    ("aws-native:amplify:Branch", {"branchName": "main"}, [U]),
    ("aws:cognito/userPoolDomain:UserPoolDomain", {"domain": "prefix"}, [U]),
    ("aws-native:cognito:UserPoolDomain", {"customDomainConfig": {"certificateArn": "arn"}}, [U]),
    ("gcp:appengine/domainMapping:DomainMapping", {}, [U]),
    ("gcp:firebase/hostingSite:HostingSite", {}, [U]),
    ("gcp:firebase/hostingCustomDomain:HostingCustomDomain", {}, [U]),
    ("gcp:cloudrun/domainMapping:DomainMapping", {}, [U]),
    # App Runner: public (omitted = public), private, unknown, wrong type, as a string
    ("aws:apprunner/service:Service", {}, [U]),
    ("aws:apprunner/service:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": False}}}, [C]),
    ("aws-native:apprunner:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": False}}}, [C]),
    ("aws:apprunner/service:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": UNKNOWN}}}, [U]),
    ("aws:apprunner/service:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": [False]}}}, [U]),
    ("aws:apprunner/service:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": "false"}}}, [U]),
    # AppSync visibility: omitted GLOBAL, PRIVATE closed, odd spelling
    ("aws:appsync/graphQLApi:GraphQLApi", {}, [U]),
    ("aws-native:appsync:GraphQlApi", {"visibility": "PRIVATE"}, [C]),
    ("aws:appsync/graphQLApi:GraphQLApi", {"visibility": "private"}, [U]),
    ("aws:appsync/api:Api", {}, [U]),
    ("aws-native:appsync:Api", {"name": "events"}, [U]),
    # Lightsail: omitted (TLS-2016-08), each documented policy, unknown name, wrong type
    ("aws:lightsail/lb:Lb", {}, [NC, U]),  # HTTP :80 left to the stack (needs_join)
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": "TLS-2016-08"}, [NC, U]),
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": "TLS-FS-1-1-2019-08"}, [NC, U]),
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": "TLS-FS-Res-1-2-2019-08"}, [U, U]),
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": "TLS-FS-Res-1-3-2030-01"}, [U, U]),
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": UNKNOWN}, [U, U]),
    ("aws-native:lightsail:LoadBalancer", {"tlsPolicyName": 12}, [U, U]),
    ("aws:lightsail/containerService:ContainerService", {}, [U]),
    ("aws:lightsail/containerService:ContainerService", {"isDisabled": True}, [C]),
    ("aws-native:lightsail:Container", {"isDisabled": 0}, [U]),
    ("aws:lightsail/distribution:Distribution", {}, [U]),
    # Global Accelerator: TCP/UDP pass through; protocol required
    ("aws:globalaccelerator/listener:Listener", {"protocol": "TCP"}, [NT]),
    ("aws-native:globalaccelerator:Listener", {"protocol": "UDP"}, [NT]),
    ("aws:globalaccelerator/listener:Listener", {}, [U]),
    ("aws:globalaccelerator/listener:Listener", {"protocol": "tcp"}, [U]),
    ("aws:globalaccelerator/customRoutingListener:CustomRoutingListener", {}, [NT]),
    # VPC Lattice: HTTP plaintext, HTTPS managed, pass-through, odd spelling, unknown, wrong type
    (LATTICE, {"protocol": "HTTP"}, [NC]),
    (LATTICE, {"protocol": "HTTPS"}, [U]),
    (LATTICE, {"protocol": "TLS_PASSTHROUGH"}, [NT]),
    ("aws-native:vpclattice:Listener", {"protocol": "HTTPS "}, [U]),
    (LATTICE, {"protocol": UNKNOWN}, [U]),
    (LATTICE, {"protocol": ["HTTPS"]}, [U]),
    # OpenSearch: [HTTP, HTTPS] exposures
    (OS, {}, [NC, U]),
    (OS, {"domainEndpointOptions": {"enforceHttps": True, "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}},
     [C, NC]),
    (OS, {"domainEndpointOptions": {"enforceHttps": True, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}},
     [C, U]),
    (OS_NATIVE, {"domainEndpointOptions": {"enforceHttps": True,
                                           "tlsSecurityPolicy": "Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08"}}, [C, U]),
    ("aws:elasticsearch/domain:Domain", {"domainEndpointOptions": {"enforceHttps": "true"}}, [U, U]),
    (OS, {"domainEndpointOptions": {"enforceHttps": UNKNOWN, "tlsSecurityPolicy": UNKNOWN}}, [U, U]),
    (OS, {"domainEndpointOptions": {"enforceHttps": True, "tlsSecurityPolicy": "policy-min-tls-1-2-2019-07"}},
     [C, U]),
    # IoT: omitted (documented default), old policy, TLS 1.3 only, disabled, odd status
    (IOT, {}, [U]),
    (IOT, {"tlsConfig": {"securityPolicy": "IoTSecurityPolicy_TLS12_1_0_2015_01"}}, [NC]),
    (IOT_NATIVE, {"tlsConfig": {"securityPolicy": "IoTSecurityPolicy_TLS13_1_3_2022_10"}}, [NC]),
    (IOT, {"status": "DISABLED"}, [C]),
    (IOT_NATIVE, {"domainConfigurationStatus": "DISABLED"}, [C]),
    (IOT, {"status": "Disabled"}, [U]),
    # S3 website hosting: HTTP only unless every request redirects to https; buckets without a website: nothing
    ("aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2", {"bucket": "b"}, [NC]),
    ("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", {"bucket": "b", "redirectAllRequestsTo": {
        "hostName": "example.com", "protocol": "https"}}, [C]),
    ("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", {"bucket": "b", "redirectAllRequestsTo": {
        "hostName": "example.com", "protocol": "HTTPS"}}, [U]),
    ("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", {"bucket": UNKNOWN}, [NC]),
    ("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", {"redirectAllRequestsTo": UNKNOWN}, [U]),
    ("aws-native:s3:Bucket", {}, []),
    ("aws-native:s3:Bucket", {"websiteConfiguration": {"indexDocument": "index.html"}}, [NC]),
    ("aws-native:s3:Bucket", {"websiteConfiguration": UNKNOWN}, [U]),
    ("aws:s3/bucket:Bucket", {"acl": "private"}, []),
    ("aws:s3/bucket:Bucket", {"website": {"indexDocument": "index.html"}}, [NC]),
    ("aws:s3/bucket:Bucket", {"website": {"redirectAllRequestsTo": "https://example.com"}}, [U]),
    ("aws:s3/bucketV2:BucketV2", {"website": {"indexDocument": "index.html"}}, [NC]),
    # Cloud Functions 1st gen: event trigger, open, secure, internal, wrong type, odd spelling
    (FN, {}, []),
    (FN, {"eventTrigger": {"eventType": "x"}}, []),
    (FN, {"triggerHttp": True}, [NC]),
    (FN, {"triggerHttp": True, "httpsTriggerSecurityLevel": "SECURE_ALWAYS"}, [U]),
    (FN, {"triggerHttp": True, "ingressSettings": "ALLOW_INTERNAL_AND_GCLB"}, [C]),
    (FN, {"triggerHttp": "true"}, [U]),
    (FN, {"triggerHttp": True, "httpsTriggerSecurityLevel": "secure-always"}, [U]),
    (FN, {"triggerHttp": True, "httpsTriggerSecurityLevel": UNKNOWN}, [U]),
    # App Engine: omitted DEFAULT (TLS 1.0), MODERN (suites undocumented), disabled, unknown value
    (GAE, {}, [NC]),
    (GAE, {"sslPolicy": "MODERN"}, [U]),
    (GAE, {"sslPolicy": "SSL_POLICY_UNSPECIFIED"}, [NC]),
    (GAE, {"servingStatus": "USER_DISABLED", "sslPolicy": "DEFAULT"}, [C]),
    (GAE, {"sslPolicy": "STRICT"}, [U]),
]


@pytest.mark.parametrize("token,props,expected", CASES, ids=[f"{t}:{p}" for t, p, _ in CASES])
def test_rows(token, props, expected):
    assert verdicts(token, props) == expected


def test_every_family_and_token_of_the_table_is_exercised():
    assert not set(rows()) - {t for t, _, _ in CASES}


def test_every_row_token_exists_and_every_reference_resolves():
    for token, row in rows().items():
        assert token in sdk_tokens(SDKS[token.split(":")[0]]).tokens, token
        for _, steps in row.exposures:
            for step in steps:
                if step.kind == "managed":
                    assert platform(MANAGED_PLATFORM).get(step.entry) is not None, step
                if step.kind == "setting":
                    assert platform(step.platform).entries, step
                if step.kind in ("gate", "flag"):
                    assert step.source.startswith("https://"), step
    assert set(table()["alternatives"]) == {"aws", "gcp"}


def test_messages_name_property_value_and_alternative():
    (e,) = analyze(res("aws-native:vpclattice:Listener", {"protocol": "HTTPS "}), PROFILE)
    assert "protocol='HTTPS ' (not one of HTTP, HTTPS, TLS_PASSTHROUGH)" in e.message()
    assert "tlsfence.components.aws.HttpsLoadBalancer" in e.message() and e.family == "managed-endpoint"
    (e,) = analyze(res("aws:apprunner/service:Service", {"networkConfiguration": {"ingressConfiguration": {
        "isPubliclyAccessible": [False]}}}), PROFILE)
    assert "isPubliclyAccessible=[False] (a list, not a boolean)" in e.message()
    (e,) = analyze(res(FN, {"triggerHttp": True}), PROFILE)
    assert e.setting.describe() == "httpsTriggerSecurityLevel=SECURE_OPTIONAL (provider default)"
    assert e.tightest == "httpsTriggerSecurityLevel=SECURE_ALWAYS" and "plaintext HTTP" in e.message()
    e, _ = analyze(res("aws:lightsail/lb:Lb", {}), PROFILE)
    assert "accepts TLSv1.0, TLSv1.1 (below TLSv1.2), as documented for aws-lightsail-lb setting 'TLS-2016-08'" \
        in e.message()
    _, https = analyze(res(OS, {}), PROFILE)
    assert https.setting.describe() == "domainEndpointOptions.tlsSecurityPolicy=<unknown>"
    assert "omitted, and the provider documents no default" in https.message()
    (e,) = analyze(res(GAE, {}), PROFILE)
    assert "ServerlessFront" in e.tightest


LB, REDIRECT = "aws:lightsail/lb:Lb", "aws:lightsail/lbHttpsRedirectionPolicy:LbHttpsRedirectionPolicy"
NATIVE_LB, NATIVE_CERT = "aws-native:lightsail:LoadBalancer", "aws-native:lightsail:LoadBalancerTlsCertificate"


@pytest.mark.parametrize("lb_token,lb_name,others,http", [
    (LB, "web", [], NC),                                                     # no redirection policy: plaintext :80
    (LB, "web", [(REDIRECT, {"lbName": "web", "enabled": True})], C),
    (LB, "web", [(REDIRECT, {"lbName": "web", "enabled": False})], NC),
    (LB, "web", [(REDIRECT, {"lbName": "other", "enabled": True})], NC),      # another load balancer's policy
    (LB, "web", [(REDIRECT, {"lbName": "web"})], U),                          # enabled omitted: no default
    (LB, "web", [(REDIRECT, {"lbName": "web", "enabled": UNKNOWN})], U),
    (LB, "web", [(REDIRECT, {"lbName": "web", "enabled": "true"})], U),       # wrong type
    (NATIVE_LB, "n", [], NC),
    (NATIVE_LB, "n", [(NATIVE_CERT, {"loadBalancerName": "n"})], NC),         # httpsRedirectionEnabled defaults false
    (NATIVE_LB, "n", [(NATIVE_CERT, {"loadBalancerName": "n", "httpsRedirectionEnabled": True})], C),
    (NATIVE_LB, "n", [(NATIVE_CERT, {"loadBalancerName": "n", "httpsRedirectionEnabled": False}),
                      (NATIVE_CERT, {"loadBalancerName": "n", "httpsRedirectionEnabled": True})], C),
])
def test_lightsail_http_is_joined_to_the_redirect_setting(lb_token, lb_name, others, http):
    key = "name" if lb_token == LB else "loadBalancerName"
    lb = res(lb_token, {key: lb_name}, name="lb")
    stack = Stack([lb, *(res(t, p, name=f"o{i}") for i, (t, p) in enumerate(others))])
    alone = analyze(lb, PROFILE)
    assert alone[1].needs_join and not alone[0].needs_join
    joined = analyze(lb, PROFILE, stack)
    assert joined[1].decision.verdict.value == http and not joined[1].needs_join
    if http == NC:
        assert "plaintext HTTP" in joined[1].message()


def test_tls13_only_policy_conforms_only_when_the_profile_allows_it():
    token, props = IOT_NATIVE, {"tlsConfig": {"securityPolicy": "IoTSecurityPolicy_TLS13_1_3_2022_10"}}
    relaxed = PROFILE.with_options(allow_tls13_only=True)
    (e,) = analyze(res(token, props), relaxed)
    assert e.decision.verdict.value == U  # protocols allowed, but the suites are not catalogued
