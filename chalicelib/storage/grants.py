"""Inquiry permits in the grants table, keyed by the keyed hash of identifier and passcode (`GRANT#<hash>`),
so the passcode itself is never stored and an inquiry finds its grant with one read."""
from __future__ import annotations

from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, to_item
from chalicelib.storage.requests import expiry_bucket


def grant_key(grant_hash: str) -> dict:
    return {"pk": {"S": f"GRANT#{grant_hash}"}}


class GrantStore:
    def __init__(self, table: str):
        self.table = table

    def put_item_request(self, grant: dict) -> dict:
        """The Put of a new grant, for a transaction with the request it belongs to."""
        item = {**grant, "expiry_bucket": expiry_bucket(grant["expires_at_epoch"])}
        return {"Put": {"TableName": self.table, "Item": to_item(item),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def get(self, pk: str, consistent: bool = True) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key={"pk": {"S": pk}}, ConsistentRead=consistent)
        return from_item(got.get("Item"))
