"""The tables, bucket, queues and secret the service needs, in one place.

Production creates them with the CDK stack in infra/; the local stack and the tests create them from this
module, so both describe the same keys."""
from __future__ import annotations

import json

from chalicelib.config import Settings
from chalicelib.domain.keys import KEY_NAMES, generate_key

from chalicelib.storage.dynamodb.tables import EXPIRY_INDEX, TTL_ATTRIBUTE

_EXPIRY_GSI = {
    "IndexName": EXPIRY_INDEX,
    "KeySchema": [
        {"AttributeName": "expiry_bucket", "KeyType": "HASH"},
        {"AttributeName": TTL_ATTRIBUTE, "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "KEYS_ONLY"},
}


def table_specs(settings: Settings) -> list[dict]:
    """Each table: name, key attributes, indexes and whether DynamoDB TTL removes its items."""
    return [
        {"name": settings.users_table, "keys": ["pk"], "ttl": True},
        {"name": settings.records_table, "keys": ["pk", "sk"], "ttl": False},
        # The requests table's stream drives what follows a change (the follow_up function).
        {"name": settings.requests_table, "keys": ["pk", "sk"], "ttl": True, "expiry_index": True, "stream": True},
        {"name": settings.grants_table, "keys": ["pk"], "ttl": True, "expiry_index": True},
        {"name": settings.activity_table, "keys": ["pk", "sk"], "ttl": True},
        {"name": settings.throttles_table, "keys": ["pk"], "ttl": True},
    ]


def create_tables(settings: Settings, dynamodb) -> None:
    existing = set(dynamodb.list_tables()["TableNames"])
    for spec in table_specs(settings):
        if spec["name"] in existing:
            continue
        key_types = ["HASH", "RANGE"]
        attributes = [{"AttributeName": k, "AttributeType": "S"} for k in spec["keys"]]
        request = {
            "TableName": spec["name"],
            "KeySchema": [{"AttributeName": k, "KeyType": t} for k, t in zip(spec["keys"], key_types)],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if spec.get("expiry_index"):
            attributes += [
                {"AttributeName": "expiry_bucket", "AttributeType": "S"},
                {"AttributeName": TTL_ATTRIBUTE, "AttributeType": "N"},
            ]
            request["GlobalSecondaryIndexes"] = [_EXPIRY_GSI]
        request["AttributeDefinitions"] = attributes
        if spec.get("stream"):
            request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        dynamodb.create_table(**request)
        if spec["ttl"]:
            dynamodb.update_time_to_live(
                TableName=spec["name"],
                TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
            )


def create_bucket(name: str, s3) -> None:
    try:
        s3.head_bucket(Bucket=name)
        return
    except Exception:  # noqa: BLE001 - any failure here means "not there yet"
        pass
    s3.create_bucket(Bucket=name)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
    )


def create_secret(secret_id: str, secretsmanager) -> None:
    try:
        secretsmanager.describe_secret(SecretId=secret_id)
        return
    except secretsmanager.exceptions.ResourceNotFoundException:
        pass
    keys = {name: generate_key() for name in KEY_NAMES}
    secretsmanager.create_secret(Name=secret_id, SecretString=json.dumps(keys))


def create_queue(name: str, sqs) -> str:
    return sqs.create_queue(QueueName=name)["QueueUrl"]


def create_all(settings: Settings, client) -> dict:
    """Create everything (idempotent). Returns environment values discovered on the way (queue URLs)."""
    create_tables(settings, client("dynamodb"))
    create_bucket(settings.documents_bucket, client("s3"))
    create_bucket(settings.lists_bucket, client("s3"))
    create_secret(settings.secrets_id, client("secretsmanager"))
    sqs = client("sqs")
    return {
        "RENDER_QUEUE_URL": create_queue("sabeghe-render", sqs),
        "MAILBOX_QUEUE_URL": create_queue("sabeghe-mailbox", sqs),
    }
