"""Failure counters for throttling, one item per policy and key (`<scope>#<key>`), forgotten by TTL.

Counting a failure is one atomic ADD, so concurrent failures are all counted; a window that has passed (but that
TTL has not removed yet) starts over instead of counting on. Taking an attempt is a compare-and-set on the count
read a moment before, so thirty simultaneous attempts get exactly as many through as the policy allows."""
from __future__ import annotations

import random
import time

from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.ports import Throttles
from chalicelib.domain.throttling import (Inner, Policy, after_attempt, after_attempt_within, retry_after,
                                         wait_within)
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values
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
        within = {sub: FailureCount(c.get("failures", 0), c.get("last_failure_at", 0), c.get("expires_at", 0),
                                    locked_until=c.get("locked_until", 0))
                  for sub, c in (item.get("within") or {}).items()}
        return FailureCount(item.get("failures", 0), item.get("last_failure_at", 0), item.get("expires_at_epoch", 0),
                            item.get("alerted_at"), item.get("locked_until", 0), within, item.get("version", 0))

    @staticmethod
    def to_item(policy: Policy, key: str, count: FailureCount) -> dict:
        within = {sub: {"failures": c.failures, "last_failure_at": c.last_failure_at, "expires_at": c.expires_at,
                        "locked_until": c.locked_until} for sub, c in count.within.items()}
        return {"pk": ThrottleItem.pk(policy, key), "failures": count.failures,
                "last_failure_at": count.last_failure_at, "locked_until": count.locked_until,
                # TTL removes the record once neither it nor any count inside it matters any more.
                "expires_at_epoch": max([count.expires_at, *(c.expires_at for c in count.within.values())]),
                "within": within, "version": count.version}


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

    def take_within(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> tuple[bool, int]:
        dynamodb = client("dynamodb")
        for attempt in range(TAKE_ATTEMPTS):
            got = dynamodb.get_item(TableName=self.table, Key=ThrottleItem.key(policy, key), ConsistentRead=True)
            seen = ThrottleItem.from_item(from_item(got.get("Item")))
            wait = wait_within(policy, inners, seen, now)
            if wait:
                return False, wait
            after = after_attempt_within(policy, inners, seen, now)
            try:
                dynamodb.put_item(
                    TableName=self.table, Item=to_item(ThrottleItem.to_item(policy, key, after)),
                    # Nobody took an attempt in between (a guard's mark does not change the version).
                    ConditionExpression=("version = :seen" if seen and seen.version else
                                         "attribute_not_exists(version)"),
                    **({"ExpressionAttributeValues": values(seen=seen.version)} if seen and seen.version else {}))
                return True, 0
            except dynamodb.exceptions.ConditionalCheckFailedException:
                time.sleep(0.005 * random.random() * (attempt + 1))
        return False, 1  # contended that hard, the key is being hammered: refusing is the safe side

    def pass_guard(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> int:
        names = {"#within": "within"}
        unlocked = ["(attribute_not_exists(locked_until) OR locked_until <= :now)"]
        for n, (_inner, sub) in enumerate(inners):
            names[f"#s{n}"] = sub
            unlocked.append(f"(attribute_not_exists(#within.#s{n}) OR #within.#s{n}.locked_until <= :now "
                            f"OR #within.#s{n}.expires_at <= :now)")
        marked = conditional_update(
            TableName=self.table, Key=ThrottleItem.key(policy, key),
            UpdateExpression="SET guarded_at = :now, expires_at_epoch = if_not_exists(expires_at_epoch, :exp)",
            ConditionExpression=("attribute_not_exists(pk) OR expires_at_epoch <= :now OR ("
                                 + " AND ".join(unlocked) + ")"),
            ExpressionAttributeNames=names, ExpressionAttributeValues=values(now=now, exp=now + policy.window))
        if marked is not None:
            return 0
        return max(1, wait_within(policy, inners, self.count(policy, key), now))

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

