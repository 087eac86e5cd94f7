"""Where a scheduled job stopped (`CHECKPOINT` / `<name>` in the requests table)."""
from __future__ import annotations

from chalicelib.domain.ports import Checkpoints
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item


class DynamoCheckpoints(Checkpoints):
    def __init__(self, table: str):
        self.table = table

    def get(self, name: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=key_of(pk="CHECKPOINT", sk=name),
                                          ConsistentRead=True)
        item = from_item(got.get("Item"))
        return {k: v for k, v in item.items() if k not in ("pk", "sk")} if item else None

    def put(self, name: str, data: dict) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=to_item({**data, "pk": "CHECKPOINT", "sk": name}))
