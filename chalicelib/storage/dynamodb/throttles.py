"""Failure counters for throttling, one item per policy and key (`<scope>#<key>`), forgotten by TTL.

Counting a failure is one atomic ADD, so concurrent failures are all counted; a window that has passed (but that
TTL has not removed yet) starts over instead of counting on. Taking an attempt is a compare-and-set on the count
read a moment before, so thirty simultaneous attempts get exactly as many through as the policy allows."""
from __future__ import annotations

import random
import time

from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.ports import Throttles
from chalicelib.domain.throttling import Policy, after_attempt, retry_after
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, values
from chalicelib.storage.dynamodb.transact import conditional_update


TAKE_ATTEMPTS = 12


class ThrottleItem:
    @staticmethod
    def pk(policy: Policy, key: str) -> str:
        return f"{policy.scope}#{key}"

    @staticmethod
    def key(policy: Policy, key: str) -> dict:
        return key_of(pk=ThrottleItem.pk(policy, key))

    @staticmethod
    def from_item(item: dict | None) -> FailureCount | None:
        if not item:
            return None
        return FailureCount(item.get("failures", 0), item.get("last_failure_at", 0), item.get("expires_at_epoch", 0),
                            item.get("alerted_at"), item.get("locked_until", 0))


class DynamoThrottles(Throttles):
    def __init__(self, table: str):
        self.table = table

    def count(self, policy: Policy, key: str) -> FailureCount | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=ThrottleItem.key(policy, key))
        return ThrottleItem.from_item(from_item(got.get("Item")))

    def record_failure(self, policy: Policy, key: str, now: int) -> int:
        fresh = values(one=1, now=now, exp=now + policy.window)
        while True:
            counted = conditional_update(
                TableName=self.table, Key=ThrottleItem.key(policy, key),
                UpdateExpression="ADD failures :one SET last_failure_at = :now, expires_at_epoch = :exp",
                ConditionExpression="attribute_not_exists(pk) OR expires_at_epoch > :now",
                ExpressionAttributeValues=fresh, ReturnValues="UPDATED_NEW")
            if counted is not None:
                return from_item(counted)["failures"]
            # The window has passed: start it over, unless another failure did so a moment ago (then count on it,
            # instead of setting its count back to one).
            restarted = conditional_update(
                TableName=self.table, Key=ThrottleItem.key(policy, key),
                UpdateExpression="SET failures = :one, last_failure_at = :now, expires_at_epoch = :exp "
                                 "REMOVE alerted_at",
                ConditionExpression="expires_at_epoch <= :now", ExpressionAttributeValues=fresh)
            if restarted is not None:
                return 1

    def take(self, policy: Policy, key: str, now: int) -> tuple[bool, FailureCount | None]:
        dynamodb = client("dynamodb")
        for attempt in range(TAKE_ATTEMPTS):
            got = dynamodb.get_item(TableName=self.table, Key=ThrottleItem.key(policy, key), ConsistentRead=True)
            seen = from_item(got.get("Item"))
            count = ThrottleItem.from_item(seen)
            if retry_after(policy, count, now):
                return False, count
            after = after_attempt(policy, count, now)
            fields = values(failures=after.failures, now=now, exp=after.expires_at, locked=after.locked_until,
                            **({"seen": seen["failures"], "seen_at": seen.get("last_failure_at", 0)} if seen else {}))
            update = ("SET failures = :failures, last_failure_at = :now, expires_at_epoch = :exp, "
                      "locked_until = :locked")
            if after.alerted_at is None:
                update += " REMOVE alerted_at"
            taken = conditional_update(
                TableName=self.table, Key=ThrottleItem.key(policy, key), UpdateExpression=update,
                # Nobody counted in between: the count and the time of the last attempt are still what was read.
                ConditionExpression=("failures = :seen AND last_failure_at = :seen_at" if seen
                                     else "attribute_not_exists(pk)"),
                ExpressionAttributeValues={k: v for k, v in fields.items()
                                           if seen or k not in (":seen", ":seen_at")})
            if taken is not None:
                return True, after
            time.sleep(0.005 * random.random() * (attempt + 1))  # another attempt won: read again
        # Contended that hard, the key is being hammered: refusing is the safe side.
        return False, ThrottleItem.from_item(seen)

    def clear(self, policy: Policy, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=ThrottleItem.key(policy, key))

    def claim_alert(self, policy: Policy, key: str, now: int) -> bool:
        return conditional_update(
            TableName=self.table, Key=ThrottleItem.key(policy, key), UpdateExpression="SET alerted_at = :now",
            ConditionExpression=("attribute_exists(pk) AND expires_at_epoch > :now AND failures >= :threshold "
                                 "AND attribute_not_exists(alerted_at)"),
            ExpressionAttributeValues=values(now=now, threshold=policy.threshold)) is not None

    def release_alert(self, policy: Policy, key: str) -> None:
        conditional_update(TableName=self.table, Key=ThrottleItem.key(policy, key), UpdateExpression="REMOVE alerted_at",
                           ConditionExpression="attribute_exists(pk)")
