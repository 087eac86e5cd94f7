"""Failure counters for throttling, one item per policy and key (`<scope>#<key>`), forgotten by TTL.

Counting is one atomic ADD, so concurrent failures are all counted; a window that has passed (but that TTL
has not removed yet) starts over instead of counting on."""
from __future__ import annotations

from chalicelib.domain.throttling import Policy
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, values


def throttle_key(policy: Policy, key: str) -> dict:
    return {"pk": {"S": f"{policy.scope}#{key}"}}


class ThrottleStore:
    def __init__(self, table: str):
        self.table = table

    def retry_after(self, policy: Policy, key: str, now: int) -> int:
        got = client("dynamodb").get_item(TableName=self.table, Key=throttle_key(policy, key))
        return self.retry_after_from_item(policy, from_item(got.get("Item")), now)

    @staticmethod
    def retry_after_from_item(policy: Policy, item: dict | None, now: int) -> int:
        if not item or item.get("expires_at_epoch", 0) <= now:
            return 0
        return policy.retry_after(item.get("failures", 0), item.get("last_failure_at", 0), now)

    def record_failure(self, policy: Policy, key: str, now: int) -> int:
        """Count one failure; returns the failure count within the current window."""
        dynamodb = client("dynamodb")
        try:
            got = dynamodb.update_item(
                TableName=self.table,
                Key=throttle_key(policy, key),
                UpdateExpression="ADD failures :one SET last_failure_at = :now, expires_at_epoch = :exp",
                ConditionExpression="attribute_not_exists(pk) OR expires_at_epoch > :now",
                ExpressionAttributeValues=values(one=1, now=now, exp=now + policy.window),
                ReturnValues="UPDATED_NEW",
            )
            return from_item(got["Attributes"])["failures"]
        except dynamodb.exceptions.ConditionalCheckFailedException:
            dynamodb.update_item(
                TableName=self.table,
                Key=throttle_key(policy, key),
                UpdateExpression="SET failures = :one, last_failure_at = :now, expires_at_epoch = :exp",
                ExpressionAttributeValues=values(one=1, now=now, exp=now + policy.window),
            )
            return 1

    def clear(self, policy: Policy, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=throttle_key(policy, key))
