"""Item 9: the public edge. prod: CloudFront with a WAF (rate-based rules) in front of the inquiry URL, which is then
AWS_IAM with origin access control; dev: the URL itself (public, with its concurrency brake)."""
from __future__ import annotations

import json

import pytest

from support import WEB_ACL_ARN, logical_id, of_type
from stacks.edge import MANAGED_RULE_GROUPS, VIEWER_HOST_HEADER, VIEWER_IP_HEADER


def test_dev_inquiry_url_is_public_with_its_brake(dev):
    (url,) = of_type(dev.resources, "AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "NONE"
    assert not of_type(dev.resources, "AWS::CloudFront::Distribution")
    public = [p["Properties"] for p in of_type(dev.resources, "AWS::Lambda::Permission").values()
              if p["Properties"].get("Principal") == "*"]
    assert {p["Action"] for p in public} == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    assert dev.edge is None


def test_prod_inquiry_url_is_aws_iam_behind_cloudfront(prod):
    resources = prod.resources
    (url,) = of_type(resources, "AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "AWS_IAM"
    distribution = logical_id(resources, "AWS::CloudFront::Distribution", "InquiryDistribution")
    permissions = [p["Properties"] for p in of_type(resources, "AWS::Lambda::Permission").values()
                   if "InquiryUrl" in json.dumps(p["Properties"]["FunctionName"])]
    assert {p["Action"] for p in permissions} == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    for permission in permissions:
        assert permission["Principal"] == "cloudfront.amazonaws.com"
        assert distribution in json.dumps(permission["SourceArn"])
    assert not [p for p in of_type(resources, "AWS::Lambda::Permission").values()
                if p["Properties"].get("Principal") == "*"]


def test_prod_distribution(prod):
    resources = prod.resources
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert config["WebACLId"] == WEB_ACL_ARN
    assert config["PriceClass"] == "PriceClass_200"
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert {"GET", "HEAD", "OPTIONS", "POST"} <= set(behavior["AllowedMethods"])
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
    assert behavior["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # AllViewerExceptHostHeader
    (origin,) = config["Origins"]
    oac = logical_id(resources, "AWS::CloudFront::OriginAccessControl", "InquiryOriginAccess")
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac, "Id"]}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert resources[oac]["Properties"]["OriginAccessControlConfig"]["OriginAccessControlOriginType"] == "lambda"
    assert resources[oac]["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    logs_bucket = logical_id(resources, "AWS::S3::Bucket", "AccessLogsBucket")
    assert config["Logging"]["Bucket"] == {"Fn::GetAtt": [logs_bucket, "RegionalDomainName"]}
    (viewer,) = of_type(resources, "AWS::CloudFront::Function").values()
    code = viewer["Properties"]["FunctionCode"]
    assert f"request.headers['{VIEWER_IP_HEADER}'] = {{ value: event.viewer.ip }}" in code
    assert f"request.headers['{VIEWER_HOST_HEADER}']" in code
    assert behavior["FunctionAssociations"][0]["EventType"] == "viewer-request"
    assert "InquiryPublicUrl" in prod.template.to_json()["Outputs"]


def test_edge_stack_web_acl(prod):
    assert prod.edge.region == "us-east-1"
    resources = prod.edge_template.to_json()["Resources"]
    assert set(v["Type"] for v in resources.values()) <= {"AWS::WAFv2::WebACL", "AWS::CDK::Metadata"}
    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    props = acl["Properties"]
    assert props["Scope"] == "CLOUDFRONT"
    assert props["Name"] == "Sabeghe-inquiry"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {r["Name"]: r for r in props["Rules"]}
    assert list(rules) == [*MANAGED_RULE_GROUPS, "InquiriesPerIp", "RequestsPerIp"]
    for group in MANAGED_RULE_GROUPS:
        assert rules[group]["Statement"]["ManagedRuleGroupStatement"] == {"VendorName": "AWS", "Name": group}
    design = prod.settings.edge
    per_ip = rules["RequestsPerIp"]["Statement"]["RateBasedStatement"]
    assert (per_ip["Limit"], per_ip["AggregateKeyType"], per_ip["EvaluationWindowSec"]) == (
        design.requests_per_ip_5min, "IP", 300)
    inquiries = rules["InquiriesPerIp"]["Statement"]["RateBasedStatement"]
    assert inquiries["Limit"] == design.inquiries_per_ip_5min
    assert inquiries["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "POST"
    for name in ("InquiriesPerIp", "RequestsPerIp"):
        assert rules[name]["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    assert "WebAclArn" in prod.edge_template.to_json()["Outputs"]


def test_edge_stack_only_in_us_east_1():
    import aws_cdk as cdk

    from stacks.edge import EdgeStack
    from stacks.settings import STAGES

    with pytest.raises(Exception, match="us-east-1"):
        EdgeStack(cdk.App(), "X", design=STAGES["prod"].edge, main_stack_name="X",
                  env=cdk.Environment(account="123456789012", region="eu-central-1"))


def test_prod_with_a_custom_domain(tmp_path):
    from support import synth

    cert = "arn:aws:acm:us-east-1:123456789012:certificate/abcd"
    resources = synth(tmp_path, "prod", edge_domain_name="inquiry.example.ir", edge_certificate_arn=cert).resources
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["inquiry.example.ir"]
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert config["ViewerCertificate"]["AcmCertificateArn"] == cert
    variables = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["INQUIRY_URL"] == "https://inquiry.example.ir"
