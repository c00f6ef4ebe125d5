"""One listener whose policy comes from stack config (Pulumi.<stack>.yaml, overridable with --config)."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
aws.lb.Listener("configured", load_balancer_arn="arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1",
                port=config.require_int("port") if config.get("port") else 443, protocol="HTTPS",
                certificate_arn=pulumi.Output.secret("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
                ssl_policy=config.require("sslPolicy"),
                default_actions=[{"type": "fixed-response", "fixed_response": {"content_type": "text/plain",
                                                                              "status_code": "200"}}])
