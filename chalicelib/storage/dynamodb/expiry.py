"""Finding what has expired without a Scan: the `by_expiry` index of the requests and grants tables, one partition
per UTC day (`expiry_bucket`), sorted by expiry time, keys only."""
from __future__ import annotations

from chalicelib.domain.model.permits import Grant
from chalicelib.domain.ports import ExpiryIndex
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, values
from chalicelib.storage.dynamodb.statement_items import GrantItem
from chalicelib.storage.dynamodb.tables import EXPIRY_INDEX, Tables

BATCH_GET = 100  # BatchGetItem's limit


def due_keys(table: str, day: str, now: int) -> list[dict]:
    """Keys of the items whose expiry falls on `day` (YYYY-MM-DD) and has passed."""
    kwargs = {"TableName": table, "IndexName": EXPIRY_INDEX,
              "KeyConditionExpression": "expiry_bucket = :day AND expires_at_epoch <= :now",
              "ExpressionAttributeValues": values(day=day, now=now)}
    keys = []
    while True:
        answer = client("dynamodb").query(**kwargs)
        keys += [from_item(item) for item in answer["Items"]]
        if "LastEvaluatedKey" not in answer:
            return keys
        kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


class DynamoExpiryIndex(ExpiryIndex):
    def __init__(self, tables: Tables):
        self.tables = tables

    def grants_due(self, day: str, now: int) -> list[Grant]:
        pks = [key["pk"] for key in due_keys(self.tables.grants, day, now)]
        found, dynamodb = [], client("dynamodb")
        for start in range(0, len(pks), BATCH_GET):
            request = {self.tables.grants: {"Keys": [{"pk": {"S": pk}} for pk in pks[start:start + BATCH_GET]],
                                            "ConsistentRead": True}}
            while request:
                answer = dynamodb.batch_get_item(RequestItems=request)
                found += [GrantItem.from_item(from_item(i)) for i in answer["Responses"].get(self.tables.grants, [])]
                request = answer.get("UnprocessedKeys") or {}
        return found

    def requests_due(self, day: str, now: int) -> list[tuple[str, str]]:
        due = []
        for key in due_keys(self.tables.requests, day, now):
            if key["pk"].startswith("PERSON#") and key["sk"].startswith("REQ#") and "#P#" not in key["sk"]:
                due.append((key["pk"][len("PERSON#"):], key["sk"][len("REQ#"):]))
        return due
