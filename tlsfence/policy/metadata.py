"""Rule metadata, beside the rules: id, title, description, remediation and a link per exposure family.

The families are the analyzers' ``Exposure.family`` values; ``docs/policy-pack.md``'s table is generated from
this module (``python -m tlsfence.policy --doc-table``) and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    """Metadata of one rule (a mandatory and an advisory policy share it).

    Attributes:
        id: mandatory policy name; the advisory one appends ``-advisory``.
        family: the exposure family it judges (``Exposure.family``), or ``stack`` for the join policy.
        title: display name.
        description: one sentence; pulumi-policy prefixes every diagnostic with it.
        remediation: what to change, for ``remediation_steps``.
        url: where the provider documents the setting.
    """

    id: str
    family: str
    title: str
    description: str
    remediation: str
    url: str


FAMILIES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "tlsfence-elbv2-listener", "elbv2-listener", "ALB/NLB listener TLS policy",
        "ELBv2 HTTPS/TLS listeners must use an SSL policy that meets the TLS profile; HTTP listeners must only "
        "redirect to HTTPS",
        "Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (or a PQ/FIPS variant); an absent sslPolicy "
        "means ELBSecurityPolicy-2016-08. Give HTTP listeners a single redirect action to HTTPS.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html"),
    RuleInfo(
        "tlsfence-elbv2-listener-rule", "elbv2-listener-rule", "ALB listener rule protocol",
        "ELBv2 listener rules that forward, return a fixed response or authenticate must sit on an HTTPS listener; "
        "on an HTTP listener they serve plaintext whatever the listener's default action says",
        "Attach forwarding rules to the HTTPS listener (listenerArn of the HTTPS listener) and keep the HTTP "
        "listener redirect-only; a rule whose listener is not in the stack cannot be checked.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html"),
    RuleInfo(
        "tlsfence-classic-elb", "classic-elb", "Classic ELB listener TLS",
        "Classic ELB HTTPS/SSL listeners must negotiate only what the TLS profile allows; plaintext HTTP listeners "
        "are not allowed",
        "Attach a custom SSLNegotiationPolicyType policy (Protocol-TLSv1.2 and the allowed ECDHE AES128 suites) "
        "to each HTTPS/SSL listener; remove HTTP listeners.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html"),
    RuleInfo(
        "tlsfence-classic-elb-policy", "classic-elb-policy", "Classic ELB SSL negotiation policy",
        "Classic ELB SSL negotiation policies must enable only what the TLS profile allows",
        "Enable Protocol-TLSv1.2 only and the allowed ECDHE AES128 suites; disable every other protocol and suite.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-ssl-security-policy.html"),
    RuleInfo(
        "tlsfence-apigateway", "apigateway", "API Gateway endpoint TLS",
        "API Gateway custom domains must use a security policy that meets the TLS profile, default "
        "execute-api endpoints must be disabled, and an API mapped onto a domain must carry a conforming policy "
        "too (AWS negotiates with the API's)",
        "REST regional: SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09 with endpointAccessMode; edge: "
        "SecurityPolicy_TLS12_PFS_2025_EDGE; set disableExecuteApiEndpoint: true on REST, HTTP and WebSocket APIs; "
        "give a mapped REST API the same securityPolicy as its domain, and map HTTP APIs only onto TLS_1_2 domains.",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html"),
    RuleInfo(
        "tlsfence-beanstalk", "beanstalk", "Elastic Beanstalk load-balancer listeners",
        "Elastic Beanstalk environments must not open plaintext HTTP listeners (the default port 80 listener "
        "included), and their HTTPS listeners must use a policy that meets the TLS profile",
        "Use LoadBalancerType application, an aws:elbv2:listener:443 listener with Protocol HTTPS and SSLPolicy "
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06, and aws:elbv2:listener:default ListenerEnabled false; "
        "single-instance environments terminate TLS on the instance and cannot be checked from the stack.",
        "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html"),
    RuleInfo(
        "tlsfence-cloudfront", "cloudfront", "CloudFront viewer TLS",
        "CloudFront distributions must serve viewers with a custom certificate and a minimum protocol version that "
        "meets the TLS profile, and no cache behavior may allow plaintext HTTP",
        "Use an ACM certificate (sni-only) and minimumProtocolVersion TLSv1.2_2021 or TLSv1.2_2025; the default "
        "*.cloudfront.net certificate forces TLSv1. Set viewerProtocolPolicy to redirect-to-https or https-only on "
        "the default and every ordered cache behavior.",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-"
        "protocols-ciphers.html"),
    RuleInfo(
        "tlsfence-cloudfront-default-domain", "cloudfront-default-domain", "CloudFront default *.cloudfront.net name",
        "A CloudFront distribution with a custom certificate still answers on its *.cloudfront.net name with "
        "CloudFront's own certificate, whose TLS no setting locks and AWS does not document for this case",
        "If partners only use the alias, set this policy to advisory or exempt the distribution with a reason (a "
        "CloudFront Function can refuse requests whose Host is *.cloudfront.net); otherwise serve the API from a "
        "load balancer or API Gateway custom domain with a conforming policy.",
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html"),
    RuleInfo(
        "tlsfence-gcp-proxy", "gcp-proxy", "Google Cloud target proxy TLS",
        "Google Cloud HTTPS/SSL target proxies (and the forwarding rules in front of them) must use an SSL policy "
        "that meets the TLS profile; HTTP proxies must only redirect to HTTPS",
        "Set sslPolicy to a policy with profile CUSTOM, minTlsVersion TLS_1_2 and the allowed GCM/CHACHA20 "
        "features; a proxy without one gets COMPATIBLE/TLS_1_0. Give HTTP proxies a URL map whose "
        "defaultUrlRedirect and every path matcher route has httpsRedirect: true. Point forwarding rules at "
        "target proxies in the same stack, with a loadBalancingScheme tlsfence knows.",
        "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts"),
    RuleInfo(
        "tlsfence-gcp-ssl-policy", "gcp-ssl-policy", "Google Cloud SSL policy",
        "Google Cloud SSL policies must enable only what the TLS profile allows",
        "Use profile CUSTOM, minTlsVersion TLS_1_2 and customFeatures limited to the allowed ECDHE GCM/CHACHA20 "
        "suites.",
        "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts"),
    RuleInfo(
        "tlsfence-serverless", "serverless", "Google serverless default URL",
        "Cloud Run, Cloud Functions and API Gateway default URLs run on Google-managed TLS that no setting locks "
        "to the TLS profile, so they must be closed",
        "Serve through an external Application Load Balancer (serverless NEG, CUSTOM SSL policy) and close the "
        "default URL (ingress internal-and-cloud-load-balancing, defaultUriDisabled: true), or exempt it with a "
        "reason.",
        "https://cloud.google.com/run/docs/securing/ingress"),
    RuleInfo(
        "tlsfence-k8s-ingress", "k8s-ingress", "Kubernetes Ingress TLS (AWS Load Balancer Controller, GKE)",
        "Kubernetes Ingresses must make listeners that meet the TLS profile: an ALB Ingress (and every member of its "
        "IngressGroup) a conforming ssl-policy and ssl-redirect, a GKE Ingress a FrontendConfig with a conforming "
        "SSL policy and redirectToHttps; an Ingress of another class is unverifiable",
        "ALB: alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (absent means "
        "ELBSecurityPolicy-2016-08) and alb.ingress.kubernetes.io/ssl-redirect: '443' on the group "
        "(tlsfence.components.kubernetes.AlbIngress). GKE: annotation networking.gke.io/v1beta1.FrontendConfig "
        "naming a FrontendConfig whose sslPolicy is a CUSTOM TLS_1_2 policy in the stack and redirectToHttps "
        "enabled (tlsfence.components.kubernetes.GkeIngress).",
        "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/"),
    RuleInfo(
        "tlsfence-k8s-service", "k8s-service", "Kubernetes LoadBalancer Service TLS on AWS",
        "Services of type LoadBalancer with AWS TLS annotations must negotiate only what the TLS profile allows; "
        "plaintext HTTP ports are not allowed",
        "Set service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy (NLB: "
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06; absent means ELBSecurityPolicy-2016-08) and cover every port with "
        "aws-load-balancer-ssl-ports; prefer aws-load-balancer-type: external (the controller's NLB).",
        "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#tls"),
    RuleInfo(
        "tlsfence-k8s-gateway", "k8s-gateway", "GKE Gateway TLS",
        "GKE Gateways must serve HTTPS with an SSL policy (GCPGatewayPolicy) that meets the TLS profile, and HTTP "
        "listeners only through HTTPRoutes that redirect to https",
        "Attach a GCPGatewayPolicy whose spec.default.sslPolicy names a CUSTOM TLS_1_2 SSL policy in the stack; "
        "without one the Google Cloud default (COMPATIBLE, TLS 1.0) applies. Attach a RequestRedirect (scheme "
        "https) HTTPRoute to every HTTP listener.",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources"),
    RuleInfo(
        "tlsfence-k8s-opaque", "k8s-opaque", "Kubernetes manifests the pack cannot see",
        "Helm releases, and charts, YAML files or kustomizations whose rendered resources did not reach the pack, "
        "may expose endpoints the pack cannot judge (advisory)",
        "Declare Ingresses and LoadBalancer Services as pulumi_kubernetes resources (or render charts with "
        "helm.v4.Chart so that their resources reach the pack), or verify their endpoints live with tlsfence verify.",
        "https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/"),
    RuleInfo(
        "tlsfence-managed-endpoint", "managed-endpoint", "Managed endpoints and simple TLS settings",
        "Provider-managed endpoints (Lambda function URLs, App Runner, AppSync, Amplify, Cognito and Firebase "
        "domains, Cloud Functions 1st gen, App Engine ...) and simple TLS settings (OpenSearch, Lightsail, IoT, "
        "VPC Lattice) must meet the TLS profile; a type whose service can serve clients but that tlsfence has not "
        "classified fails closed",
        "Set the deciding property to its conforming value (the message names it); where the provider's TLS cannot "
        "be chosen, put a conforming front in place of the provider URL (a tlsfence component, or CloudFront / a "
        "load balancer with a conforming policy) and close the default URL, or exempt it with a reason. "
        "docs/coverage.md lists every type and its treatment.",
        "https://github.com/pulumi/pulumi-policy"),
)

STACK = RuleInfo(
    "tlsfence-stack-join", "stack", "TLS settings decided across resources",
    "Exposures whose TLS is set on another resource (a GCP proxy's SSL policy or URL map, a classic ELB "
    "listener's attached policies, an ELBv2 listener's load balancer and certificates, a listener rule's "
    "listener, a Kubernetes Ingress's IngressClass, IngressGroup or FrontendConfig, a Gateway's GCPGatewayPolicy, "
    "a GCP forwarding rule's target, an API Gateway mapping's API and domain) must meet the TLS profile; an "
    "unresolvable join fails closed",
    "Reference the SSL policy, URL map, target proxy, API, domain or classic ELB policy resource from the same "
    "stack (e.g. sslPolicy=policy.self_link) so the join resolves, and make that resource conform.",
    "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/")
