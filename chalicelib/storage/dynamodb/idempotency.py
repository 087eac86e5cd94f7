"""Remembered answers to POSTs sent with an `Idempotency-Key`, in the requests table (`IDEMP#<owner>` / `<key>`),
removed by TTL after a day."""
from __future__ import annotations

from chalicelib.domain.model.counters import IdempotencyRecord
from chalicelib.domain.ports import IdempotencyKeys
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values


class IdempotencyItem:
    @staticmethod
    def key(owner: str, key: str) -> dict:
        return key_of(pk=f"IDEMP#{owner}", sk=key)

    @staticmethod
    def from_item(item: dict) -> IdempotencyRecord:
        return IdempotencyRecord(item.get("fingerprint", ""), item.get("expires_at_epoch", 0), item.get("response"))


class DynamoIdempotencyKeys(IdempotencyKeys):
    def __init__(self, table: str):
        self.table = table

    def claim(self, owner: str, key: str, fingerprint: str, now: int, ttl: int) -> IdempotencyRecord | None:
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=to_item({"pk": f"IDEMP#{owner}", "sk": key, "fingerprint": fingerprint,
                              "expires_at_epoch": now + ttl}),
                ConditionExpression="attribute_not_exists(pk) OR expires_at_epoch <= :now",
                ExpressionAttributeValues=values(now=now))
            return None
        except dynamodb.exceptions.ConditionalCheckFailedException:
            got = dynamodb.get_item(TableName=self.table, ConsistentRead=True, Key=IdempotencyItem.key(owner, key))
            item = from_item(got.get("Item"))
            return IdempotencyItem.from_item(item) if item else IdempotencyRecord(fingerprint, now + ttl)

    def complete(self, owner: str, key: str, response: dict) -> None:
        client("dynamodb").update_item(
            TableName=self.table, Key=IdempotencyItem.key(owner, key), UpdateExpression="SET #r = :response",
            ExpressionAttributeNames={"#r": "response"}, ExpressionAttributeValues=values(response=response))

    def release(self, owner: str, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=IdempotencyItem.key(owner, key))
