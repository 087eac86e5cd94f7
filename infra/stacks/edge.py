"""CloudFront with a WAF web ACL in front of the inquiry function URL (stages whose design has `edge`, i.e. prod).

- `EdgeStack` (always in us-east-1: CloudFront's web ACLs live there) holds only the web ACL. Its `WebAclArn` output
  goes into the stage's settings (`edge_web_acl_arn`); deploy it first (`make deploy-edge STAGE=prod`). No
  cross-region references: they would put CDK's custom-resource Lambdas into both stacks.
- `inquiry_distribution()` builds, in the main stack, the distribution whose origin is the function URL, signed with
  origin access control (the URL is then AWS_IAM: nobody reaches the function around CloudFront and its WAF).

What the inquiry function sees behind CloudFront (payload 2.0 of the function URL):
- `requestContext.http.sourceIp` is a CloudFront address, not the client's. The viewer-request function below
  writes the client's address into `x-sabeghe-viewer-ip` and the host the client used (the distribution's domain,
  or the custom domain) into `x-sabeghe-viewer-host`, overwriting anything a client sent under those names; the
  function is told `INQUIRY_EDGE=cloudfront` and should read them only then.
- A POST through OAC must carry `x-amz-content-sha256: <hex SHA-256 of the body>` from the client (Lambda refuses
  unsigned payloads behind OAC): the panel's fetch() and any institution client must send it.
"""
from __future__ import annotations

import json

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from stacks.compliance import waive
from stacks.settings import EDGE_REGION, EdgeDesign

VIEWER_IP_HEADER = "x-sabeghe-viewer-ip"
VIEWER_HOST_HEADER = "x-sabeghe-viewer-host"

# The managed rule groups the web ACL runs (no subscription fee; each counts as one rule in WAF's price).
MANAGED_RULE_GROUPS = ("AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet")

TOO_MANY = json.dumps({"error": {"code": "too_many_requests",
                                 "message": "Too many requests from this address; try again in a few minutes.",
                                 "message_fa": "درخواست‌های این نشانی بیش از اندازه است؛ چند دقیقه دیگر دوباره تلاش کنید."}},
                      ensure_ascii=False)


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True)


def _rate_rule(name: str, priority: int, limit: int, scope_down=None) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=429, custom_response_body_key="TooMany",
                response_headers=[wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value="300")]))),
        statement=wafv2.CfnWebACL.StatementProperty(rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
            limit=limit, aggregate_key_type="IP", evaluation_window_sec=300, scope_down_statement=scope_down)),
        visibility_config=_visibility(name),
    )


def web_acl_rules(design: EdgeDesign) -> list[wafv2.CfnWebACL.RuleProperty]:
    managed = [
        wafv2.CfnWebACL.RuleProperty(
            name=group,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(managed_rule_group_statement=(
                wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(vendor_name="AWS", name=group))),
            visibility_config=_visibility(group),
        )
        for priority, group in enumerate(MANAGED_RULE_GROUPS)
    ]
    post_only = wafv2.CfnWebACL.StatementProperty(byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(method={}),
        positional_constraint="EXACTLY", search_string="POST",
        text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")]))
    return [
        *managed,
        _rate_rule("InquiriesPerIp", len(managed), design.inquiries_per_ip_5min, scope_down=post_only),
        _rate_rule("RequestsPerIp", len(managed) + 1, design.requests_per_ip_5min),
    ]


class EdgeStack(Stack):
    """The WAF web ACL in front of a stage's inquiry distribution (scope CLOUDFRONT, so in us-east-1)."""

    def __init__(self, scope: Construct, construct_id: str, *, design: EdgeDesign, main_stack_name: str,
                 **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        if self.region != EDGE_REGION:
            raise ValueError(f"the edge stack must be in {EDGE_REGION}")
        self.web_acl = wafv2.CfnWebACL(
            self,
            "InquiryWebAcl",
            name=f"{main_stack_name}-inquiry",  # a fixed name: updates keep the ARN the stage's settings hold
            description=f"{main_stack_name}: rate limits and AWS managed rules in front of the inquiry function",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            custom_response_bodies={"TooMany": wafv2.CfnWebACL.CustomResponseBodyProperty(
                content_type="APPLICATION_JSON", content=TOO_MANY)},
            rules=web_acl_rules(design),
            visibility_config=_visibility(f"{main_stack_name}-inquiry"),
        )
        CfnOutput(self, "WebAclArn", value=self.web_acl.attr_arn,
                  description=f"edge_web_acl_arn for infra/settings/<stage>.json of {main_stack_name}")


VIEWER_REQUEST_JS = f"""function handler(event) {{
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value : '';
  request.headers['{VIEWER_HOST_HEADER}'] = {{ value: host }};
  request.headers['{VIEWER_IP_HEADER}'] = {{ value: event.viewer.ip }};
  return request;
}}"""


def inquiry_distribution(scope: Construct, *, url: lambda_.FunctionUrl, design: EdgeDesign, web_acl_arn: str,
                         log_bucket: s3.IBucket, domain_name: str | None = None,
                         certificate_arn: str | None = None) -> cloudfront.Distribution:
    access = cloudfront.FunctionUrlOriginAccessControl(
        scope, "InquiryOriginAccess", signing=cloudfront.Signing.SIGV4_ALWAYS,
        description="CloudFront signs every request to the inquiry function URL (AWS_IAM)")
    viewer = cloudfront.Function(
        scope, "InquiryViewerRequest",
        code=cloudfront.FunctionCode.from_inline(VIEWER_REQUEST_JS),
        runtime=cloudfront.FunctionRuntime.JS_2_0,
        comment="Passes the client's address and host to the inquiry function",
    )
    certificate = acm.Certificate.from_certificate_arn(scope, "InquiryCertificate", certificate_arn) \
        if certificate_arn else None
    distribution = cloudfront.Distribution(
        scope,
        "InquiryDistribution",
        comment="Sabeghe institution inquiry (function URL behind WAF)",
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.FunctionUrlOrigin.with_origin_access_control(
                url, origin_access_control=access, read_timeout=Duration.seconds(30)),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,  # GET, HEAD, OPTIONS, POST (and the rest)
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,  # every answer is per request
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            function_associations=[cloudfront.FunctionAssociation(
                function=viewer, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)],
        ),
        web_acl_id=web_acl_arn,
        price_class=getattr(cloudfront.PriceClass, design.price_class),
        http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        enable_logging=True,
        log_bucket=log_bucket,
        log_file_prefix="cloudfront/inquiry/",
        domain_names=[domain_name] if domain_name else None,
        certificate=certificate,
        # Only with a certificate of our own: the *.cloudfront.net one is fixed at TLSv1 (waived below).
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
    )
    if not certificate:
        waive(distribution,
              "No custom domain configured (edge_domain_name/edge_certificate_arn): the *.cloudfront.net "
              "certificate accepts TLSv1 and a minimum protocol cannot be set; with a custom domain it is TLSv1.2_2021",
              nag=["AwsSolutions-CFR4"], checkov=["CKV_AWS_174"])
    waive(distribution,
          "Institutions inquire from inside and outside Iran (embassies, employers abroad): no country is refused; "
          "the WAF's rate rules and IP reputation list limit abuse",
          nag=["AwsSolutions-CFR1"])
    return distribution
