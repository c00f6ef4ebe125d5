"""A Gateway Load Balancer in front of inspection appliances: its listener has no protocol and serves no client."""

import pulumi_aws as aws

gwlb = aws.lb.LoadBalancer("inspection", load_balancer_type="gateway", subnets=["subnet-a"])
appliances = aws.lb.TargetGroup("appliances", port=6081, protocol="GENEVE", vpc_id="vpc-1", target_type="instance")
aws.lb.Listener("inspection-listener", load_balancer_arn=gwlb.arn,
                default_actions=[{"type": "forward", "target_group_arn": appliances.arn}])
aws.ec2.VpcEndpointService("inspection-service", acceptance_required=False,
                           gateway_load_balancer_arns=[gwlb.arn])
