"""Item 6: deletion protection in prod, uploaded lists expire, documents (and lists) versioned with access logs."""
from __future__ import annotations

from support import logical_id, of_type


def test_tables_have_deletion_protection_in_prod_only(stage):
    for table in of_type(stage.resources, "AWS::DynamoDB::Table").values():
        protected = table["Properties"].get("DeletionProtectionEnabled", False)
        assert protected is (stage.settings.stage == "prod")
        assert table["DeletionPolicy"] == "Retain"


def _bucket(stage, name: str) -> dict:
    return stage.resources[logical_id(stage.resources, "AWS::S3::Bucket", name)]["Properties"]


def _rules(props: dict) -> dict[str, dict]:
    return {r["Id"]: r for r in props["LifecycleConfiguration"]["Rules"]}


def test_uploaded_lists_expire(stage):
    rules = _rules(_bucket(stage, "ListsBucket"))
    days = {"dev": 7, "prod": 30}[stage.settings.stage]
    assert rules["expire-uploaded-lists"] == {"Id": "expire-uploaded-lists", "Prefix": "uploads/",
                                              "ExpirationInDays": days, "Status": "Enabled"}


def test_documents_and_lists_are_versioned_and_logged(stage):
    logs_bucket = logical_id(stage.resources, "AWS::S3::Bucket", "AccessLogsBucket")
    keep = {"dev": 7, "prod": 30}[stage.settings.stage]
    for name in ("DocumentsBucket", "ListsBucket"):
        props = _bucket(stage, name)
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        assert props["LoggingConfiguration"] == {"DestinationBucketName": {"Ref": logs_bucket},
                                                 "LogFilePrefix": f"s3/{name}/"}
        rules = _rules(props)
        assert rules["expire-old-versions"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": keep}
        assert rules["remove-expired-delete-markers"]["ExpiredObjectDeleteMarker"] is True
        assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}


def test_access_logs_bucket(stage):
    props = _bucket(stage, "AccessLogsBucket")
    assert "VersioningConfiguration" not in props
    assert _rules(props)["expire-access-logs"]["ExpirationInDays"] == {"dev": 30, "prod": 365}[stage.settings.stage]
    # S3 server access logs are delivered under the bucket policy; CloudFront's (prod) need ACLs.
    ownership = props["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    assert ownership == {"dev": "BucketOwnerEnforced", "prod": "BucketOwnerPreferred"}[stage.settings.stage]
    policy = [p for p in of_type(stage.resources, "AWS::S3::BucketPolicy").values()
              if p["Properties"]["Bucket"] == {"Ref": logical_id(stage.resources, "AWS::S3::Bucket", "AccessLogsBucket")}]
    statements = policy[0]["Properties"]["PolicyDocument"]["Statement"]
    assert any(s.get("Principal") == {"Service": "logging.s3.amazonaws.com"} for s in statements)
