"""The inquiry's first round trip: the grant and both throttle counters in one BatchGetItem."""
from __future__ import annotations

from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item


class InquiryLookups:
    def __init__(self, grants_table: str, throttles_table: str):
        self.grants_table = grants_table
        self.throttles_table = throttles_table

    def grant_and_throttles(self, grant_pk: str, *throttles):
        throttle_pks = [f"{policy.scope}#{key}" for policy, key in throttles]
        request = {
            self.grants_table: {"Keys": [{"pk": {"S": grant_pk}}], "ConsistentRead": True},
            self.throttles_table: {"Keys": [{"pk": {"S": pk}} for pk in dict.fromkeys(throttle_pks)]},
        }
        found: dict[str, dict] = {}
        dynamodb = client("dynamodb")
        while request:
            answer = dynamodb.batch_get_item(RequestItems=request)
            for items in answer["Responses"].values():
                for item in items:
                    plain = from_item(item)
                    found[plain["pk"]] = plain
            request = answer.get("UnprocessedKeys") or {}
        return (found.get(grant_pk), *(found.get(pk) for pk in throttle_pks))
