"""Idempotency keys of the person's POSTs, in the requests table (`IDEMP#<owner>` / `<key>`), removed by TTL after a
day: the fingerprint of the request, a short lease while it is handled, what it reserved, and its answer."""
from __future__ import annotations

import secrets

from chalicelib.domain.model.counters import IdempotencyRecord, IdempotentAnswer
from chalicelib.domain.ports import IdempotencyKeys
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values
from chalicelib.storage.dynamodb.transact import conditional_update


class IdempotencyItem:
    @staticmethod
    def key(owner: str, key: str) -> dict:
        return key_of(pk=f"IDEMP#{owner}", sk=key)

    @staticmethod
    def from_item(item: dict, mine: bool = False) -> IdempotencyRecord:
        return IdempotencyRecord(item.get("fingerprint", ""), item.get("expires_at_epoch", 0), item.get("response"),
                                 item.get("lease_until", 0), item.get("reference"), mine)

    @staticmethod
    def answer(table: str, answer: IdempotentAnswer) -> dict:
        """The answer recorded as one write of the transaction that makes the change it describes."""
        return {"Update": {"TableName": table, "Key": IdempotencyItem.key(answer.owner, answer.key),
                           "UpdateExpression": "SET #r = :response",
                           "ConditionExpression": "fingerprint = :fingerprint AND attribute_not_exists(#r)",
                           "ExpressionAttributeNames": {"#r": "response"},
                           "ExpressionAttributeValues": values(response=answer.response,
                                                               fingerprint=answer.fingerprint)}}


class DynamoIdempotencyKeys(IdempotencyKeys):
    def __init__(self, table: str):
        self.table = table

    def claim(self, owner: str, key: str, fingerprint: str, now: int, ttl: int, lease: int) -> IdempotencyRecord:
        dynamodb = client("dynamodb")
        holder = secrets.token_hex(8)  # recognises our own claim when its answer was lost and the write retried
        fresh = {"pk": f"IDEMP#{owner}", "sk": key, "fingerprint": fingerprint, "expires_at_epoch": now + ttl,
                 "lease_until": now + lease, "holder": holder}
        try:
            dynamodb.put_item(TableName=self.table, Item=to_item(fresh),
                              ConditionExpression="attribute_not_exists(pk) OR expires_at_epoch <= :now",
                              ExpressionAttributeValues=values(now=now))
            return IdempotencyItem.from_item(fresh, mine=True)
        except dynamodb.exceptions.ConditionalCheckFailedException:
            pass
        earlier, held_by = self._read(owner, key)
        if earlier is None:  # gone meanwhile (TTL): claim again
            return self.claim(owner, key, fingerprint, now, ttl, lease)
        if held_by == holder:
            return IdempotencyItem.from_item({**fresh, **self._raw(owner, key)}, mine=True)
        if earlier.response is not None or earlier.lease_until > now:
            return earlier
        # The holder's lease ran out without an answer (its process died): take over, keeping what it reserved.
        taken = conditional_update(
            TableName=self.table, Key=IdempotencyItem.key(owner, key),
            UpdateExpression="SET lease_until = :lease, holder = :holder",
            ConditionExpression="lease_until = :old AND attribute_not_exists(#r)",
            ExpressionAttributeNames={"#r": "response"},
            ExpressionAttributeValues=values(lease=now + lease, old=earlier.lease_until, holder=holder),
            ReturnValues="ALL_NEW")
        if taken is None:
            again, held_by = self._read(owner, key)
            return IdempotencyItem.from_item(self._raw(owner, key), mine=True) if held_by == holder else (again or earlier)
        return IdempotencyItem.from_item(from_item(taken), mine=True)

    def reserve(self, owner: str, key: str, reference: str, lease_until: int) -> bool:
        return conditional_update(
            TableName=self.table, Key=IdempotencyItem.key(owner, key), UpdateExpression="SET #ref = :reference",
            ConditionExpression="lease_until = :lease AND attribute_not_exists(#r)",
            ExpressionAttributeNames={"#r": "response", "#ref": "reference"},
            ExpressionAttributeValues=values(reference=reference, lease=lease_until)) is not None

    def complete(self, owner: str, key: str, response: dict) -> None:
        client("dynamodb").update_item(
            TableName=self.table, Key=IdempotencyItem.key(owner, key), UpdateExpression="SET #r = :response",
            ExpressionAttributeNames={"#r": "response"}, ExpressionAttributeValues=values(response=response))

    def release(self, owner: str, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=IdempotencyItem.key(owner, key))

    def _raw(self, owner: str, key: str) -> dict:
        got = client("dynamodb").get_item(TableName=self.table, ConsistentRead=True, Key=IdempotencyItem.key(owner, key))
        return from_item(got.get("Item")) or {}

    def _read(self, owner: str, key: str) -> tuple[IdempotencyRecord | None, str | None]:
        item = self._raw(owner, key)
        return (IdempotencyItem.from_item(item) if item else None), item.get("holder")
