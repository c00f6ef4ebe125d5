"""One resource of each managed-endpoint / simple-setting family: nonconforming, unverifiable, and controls."""

import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
IMAGE = {"image_repository": {"image_identifier": "public.ecr.aws/nginx/nginx:latest",
                              "image_repository_type": "ECR_PUBLIC"}}

# AWS managed endpoints: unverifiable (no TLS setting exists)
aws.lambda_.FunctionUrl("fn-url", function_name="handler", authorization_type="AWS_IAM")
aws.apprunner.Service("runner-public", service_name="public", source_configuration=IMAGE)
aws.apprunner.Service("runner-private", service_name="private", source_configuration=IMAGE,
                      network_configuration={"ingress_configuration": {"is_publicly_accessible": False}})
aws.apprunner.CustomDomainAssociation("runner-domain", domain_name="api.example.com", service_arn="arn:runner")
aws.appsync.GraphQLApi("graphql", name="graphql", authentication_type="API_KEY")
aws.appsync.GraphQLApi("graphql-private", name="private", authentication_type="API_KEY", visibility="PRIVATE")
aws.appsync.DomainName("appsync-domain", domain_name="gql.example.com", certificate_arn=CERT)
aws.amplify.DomainAssociation("amplify-domain", app_id="app", domain_name="example.com",
                              sub_domains=[{"branch_name": "main", "prefix": ""}])
aws.cognito.UserPoolDomain("cognito-domain", domain="partner-login", user_pool_id="pool")
aws.lightsail.ContainerService("ls-container", name="web", power="nano", scale=1)
aws.lightsail.ContainerService("ls-container-off", name="off", power="nano", scale=1, is_disabled=True)

# Simple settings: a catalog entry decides
lb = aws.lightsail.Lb("ls-lb", name="ls-lb", health_check_path="/", instance_port=80)  # TLS-2016-08: TLS 1.0
aws.lightsail.LbHttpsRedirectionPolicy("ls-redirect-on", lb_name=lb.name, enabled=True)  # HTTP :80 redirects
plain = aws.lightsail.Lb("ls-lb-plain", name="ls-lb-plain", health_check_path="/", instance_port=80)
aws.lightsail.LbHttpsRedirectionPolicy("ls-redirect-off", lb_name=plain.name, enabled=False)  # HTTP :80 plaintext
aws.opensearch.Domain("search-weak", domain_name="weak", domain_endpoint_options={
    "enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-0-2019-07"})
aws.opensearch.Domain("search-open", domain_name="open")  # plaintext allowed, policy unknown
aws.iot.DomainConfiguration("iot-old", name="old",
                            tls_config={"security_policy": "IoTSecurityPolicy_TLS12_1_0_2016_01"})
aws.iot.DomainConfiguration("iot-disabled", name="off", status="DISABLED")

# Protocol gates
aws.globalaccelerator.Listener("ga-listener", accelerator_arn="arn:ga", protocol="TCP",
                               port_ranges=[{"from_port": 443, "to_port": 443}])
aws.vpclattice.Listener("lattice-http", name="plain", protocol="HTTP", service_identifier="svc",
                        default_action={"fixed_response": {"status_code": 404}})
aws.vpclattice.Listener("lattice-pass", name="pass", protocol="TLS_PASSTHROUGH", port=443, service_identifier="svc",
                        default_action={"fixed_response": {"status_code": 404}})
aws.cognito.UserPool("pool")  # no client endpoint of its own: no finding
bucket = aws.s3.Bucket("assets")  # no website: no finding
aws.s3.BucketWebsiteConfiguration("site", bucket=bucket.id, index_document={"suffix": "index.html"})
aws.s3.BucketWebsiteConfiguration("site-redirect", bucket=bucket.id,
                                  redirect_all_requests_to={"host_name": "www.example.com", "protocol": "https"})

# aws-native twins
pulumi.CustomResource("aws-native:lambda:Url", "native-url", {"targetFunctionArn": "arn:fn", "authType": "NONE"})
pulumi.CustomResource("aws-native:lightsail:LoadBalancer", "native-ls-lb", {
    "instancePort": 80, "loadBalancerName": "n", "tlsPolicyName": "TLS-FS-Res-1-2-2019-08"})
pulumi.CustomResource("aws-native:opensearchservice:Domain", "native-search", {
    "domainEndpointOptions": {"enforceHttps": True, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"}})
pulumi.CustomResource("aws-native:vpclattice:Listener", "native-lattice", {
    "protocol": "HTTPS ", "serviceIdentifier": "s", "defaultAction": {}})
# a type of an exposure-capable service that no inventory has classified (a newer SDK): fails closed
pulumi.CustomResource("aws:lambda/functionGateway:FunctionGateway", "future-type", {})

# Google Cloud
gcp.cloudfunctions.Function("fn-v1-open", name="open", runtime="python311", trigger_http=True)
gcp.cloudfunctions.Function("fn-v1-secure", name="secure", runtime="python311", trigger_http=True,
                            https_trigger_security_level="SECURE_ALWAYS")
gcp.cloudfunctions.Function("fn-v1-internal", name="internal", runtime="python311", trigger_http=True,
                            https_trigger_security_level="SECURE_ALWAYS", ingress_settings="ALLOW_INTERNAL_ONLY")
gcp.cloudfunctions.Function("fn-v1-event", name="event", runtime="python311", event_trigger={
    "event_type": "google.pubsub.topic.publish", "resource": "topic"})
gcp.appengine.Application("gae", location_id="europe-west")  # sslPolicy omitted: DEFAULT, TLS 1.0
gcp.appengine.Application("gae-modern", location_id="europe-west", ssl_policy="MODERN")
gcp.appengine.Application("gae-off", location_id="europe-west", serving_status="USER_DISABLED")
gcp.appengine.DomainMapping("gae-domain", domain_name="app.example.com")
gcp.firebase.HostingSite("hosting", project="proj", site_id="partner-site")
gcp.cloudrun.DomainMapping("run-domain", location="europe-west1", name="api.example.com",
                           metadata={"namespace": "proj"}, spec={"route_name": "svc"})
