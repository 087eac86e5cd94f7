"""Finding what has expired without a Scan: the `by_expiry` index, one partition per UTC day."""
from __future__ import annotations

from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, values
from chalicelib.storage.schema import EXPIRY_INDEX


def expired_keys(table: str, day: str, now: int) -> list[dict]:
    """Keys of the items whose expiry falls on `day` (YYYY-MM-DD) and has passed."""
    kwargs = {
        "TableName": table, "IndexName": EXPIRY_INDEX,
        "KeyConditionExpression": "expiry_bucket = :day AND expires_at_epoch <= :now",
        "ExpressionAttributeValues": values(day=day, now=now),
    }
    keys = []
    while True:
        answer = client("dynamodb").query(**kwargs)
        keys += [from_item(item) for item in answer["Items"]]
        if "LastEvaluatedKey" not in answer:
            return keys
        kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


class ExpiryStore:
    """The cleanup's writes, each conditional on the item still being expired (a permit or request whose
    expiry was extended meanwhile is live again and is left alone)."""

    def __init__(self, requests_table: str, grants_table: str):
        self.requests_table = requests_table
        self.grants_table = grants_table

    def expired_grants(self, day: str, now: int) -> list[dict]:
        return expired_keys(self.grants_table, day, now)

    def expired_requests(self, day: str, now: int) -> list[dict]:
        return expired_keys(self.requests_table, day, now)

    def get_grants(self, pks: list[str]) -> list[dict]:
        """The grants behind index keys, 100 to a BatchGetItem (the index holds keys only)."""
        found, dynamodb = [], client("dynamodb")
        for start in range(0, len(pks), 100):
            request = {self.grants_table: {"Keys": [{"pk": {"S": pk}} for pk in pks[start:start + 100]],
                                           "ConsistentRead": True}}
            while request:
                answer = dynamodb.batch_get_item(RequestItems=request)
                found += [from_item(item) for item in answer["Responses"].get(self.grants_table, [])]
                request = answer.get("UnprocessedKeys") or {}
        return found

    def delete_grant_if_expired(self, pk: str, now: int) -> bool:
        dynamodb = client("dynamodb")
        try:
            dynamodb.delete_item(TableName=self.grants_table, Key={"pk": {"S": pk}},
                                 ConditionExpression="expires_at_epoch <= :now",
                                 ExpressionAttributeValues=values(now=now))
            return True
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
