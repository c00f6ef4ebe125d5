"""ELBv2 listeners that only a join decides: load balancer type x protocol, schemes, certificates, rules."""

import pulumi
import pulumi_aws as aws

RES = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
FORWARD = [{"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "200"}}]
REDIRECT = [{"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}]
OUTSIDE = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/elsewhere/1"

# load balancer type x protocol present / absent
alb = aws.lb.LoadBalancer("alb", subnets=["s-1", "s-2"])  # type omitted: application
nlb = aws.lb.LoadBalancer("nlb", load_balancer_type="network", subnets=["s-1"])
gwlb = aws.lb.LoadBalancer("gw", load_balancer_type="gateway", subnets=["s-1"])
param = aws.ssm.Parameter("lb-type", type="String", value="application")
late = aws.lb.LoadBalancer("late", load_balancer_type=param.arn.apply(lambda _: "application"), subnets=["s-1"])
internal = aws.alb.LoadBalancer("inner", internal=True, load_balancer_type="application", subnets=["s-1"])

aws.lb.Listener("alb-absent", load_balancer_arn=alb.arn, port=80, default_actions=FORWARD)
aws.lb.Listener("alb-absent-redirect", load_balancer_arn=alb.arn, port=81, default_actions=REDIRECT)
aws.lb.Listener("nlb-absent", load_balancer_arn=nlb.arn, port=443, default_actions=FORWARD)
aws.lb.Listener("nlb-tcp", load_balancer_arn=nlb.arn, port=5000, protocol="TCP", default_actions=FORWARD)
aws.lb.Listener("nlb-tls-weak", load_balancer_arn=nlb.arn, port=8443, protocol="tls", certificate_arn="arn:c",
                ssl_policy="ELBSecurityPolicy-TLS-1-0-2015-04", default_actions=FORWARD)
aws.lb.Listener("gw-listener", load_balancer_arn=gwlb.arn, default_actions=FORWARD)
aws.lb.Listener("late-absent", load_balancer_arn=late.arn, port=80, default_actions=REDIRECT)
aws.lb.Listener("outside-absent", load_balancer_arn=OUTSIDE, port=80, default_actions=REDIRECT)
aws.lb.Listener("odd-protocol", load_balancer_arn=alb.arn, port=444, protocol="HTTPS ", ssl_policy=RES,
                default_actions=FORWARD)
aws.alb.Listener("inner-forward", load_balancer_arn=internal.arn, port=8080, protocol="HTTP", default_actions=FORWARD)

# certificates: an ACM certificate through its validation, and an extra ECDSA one on a second listener
rsa = aws.acm.Certificate("rsa", domain_name="api.example.com", validation_method="DNS")
validated = aws.acm.CertificateValidation("rsa-validated", certificate_arn=rsa.arn, validation_record_fqdns=["x"])
ecdsa = aws.acm.Certificate("ecdsa", domain_name="api.example.com", validation_method="DNS",
                            key_algorithm="EC_prime256v1")
aws.lb.Listener("one-cert", load_balancer_arn=alb.arn, port=443, protocol="HTTPS", ssl_policy=RES,
                certificate_arn=validated.certificate_arn, default_actions=FORWARD)
two = aws.lb.Listener("two-certs", load_balancer_arn=alb.arn, port=8443, protocol="HTTPS", ssl_policy=RES,
                      certificate_arn=validated.certificate_arn, default_actions=FORWARD)
aws.lb.ListenerCertificate("two-certs-ecdsa", listener_arn=two.arn, certificate_arn=ecdsa.arn)

# listener rules: forwarding on a redirecting HTTP listener, on an HTTPS listener, redirect-only, unknown listener
http = aws.lb.Listener("http-redirect", load_balancer_arn=alb.arn, port=8080, protocol="HTTP",
                       default_actions=REDIRECT)
API = [{"path_pattern": {"values": ["/api/*"]}}]
aws.lb.ListenerRule("api-plain", listener_arn=http.arn, priority=10, conditions=API, actions=FORWARD)
aws.alb.ListenerRule("api-tls", listener_arn=two.arn, priority=10, conditions=API, actions=FORWARD)
aws.lb.ListenerRule("api-redirect", listener_arn=http.arn, priority=20, conditions=API, actions=REDIRECT)
aws.lb.ListenerRule("api-elsewhere", listener_arn=OUTSIDE.replace("loadbalancer", "listener") + "/2", priority=30,
                    conditions=API, actions=FORWARD)
pulumi.export("listener", http.arn)
