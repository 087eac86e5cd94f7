"""The person's timeline ("My Social Security") in the activity table.

Key: `PERSON#<national code>`, sort key `<ISO time>#<random>` so a Query in reverse gives newest first and two
events in the same millisecond never collide. Pages are cut by DynamoDB itself; the cursor is its
LastEvaluatedKey, sealed so a client cannot steer it into another person's partition."""
from __future__ import annotations

import secrets

from chalicelib.domain.cursors import decode_cursor, encode_cursor
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, to_item, values


class ActivityStore:
    def __init__(self, table: str):
        self.table = table

    @staticmethod
    def new_item(national_code: str, kind: str, at_iso: str, details: dict) -> dict:
        return {
            "pk": f"PERSON#{national_code}",
            "sk": f"{at_iso}#{secrets.token_hex(4)}",
            "kind": kind,
            "at": at_iso,
            "details": details,
        }

    def append(self, national_code: str, kind: str, at_iso: str, details: dict | None = None) -> None:
        client("dynamodb").put_item(
            TableName=self.table, Item=to_item(self.new_item(national_code, kind, at_iso, details or {}))
        )

    def page(self, national_code: str, cursor: str | None, limit: int = 20) -> tuple[list[dict], str | None]:
        kwargs = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}"),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = {"pk": {"S": f"PERSON#{national_code}"}, "sk": {"S": decode_cursor(cursor)}}
        answer = client("dynamodb").query(**kwargs)
        items = [from_item(i) for i in answer["Items"]]
        last = answer.get("LastEvaluatedKey")
        return items, (encode_cursor(last["sk"]["S"]) if last else None)
