"""The inquiry's first round trip: the grant and the throttle counters in one BatchGetItem."""
from __future__ import annotations

from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.model.permits import Grant
from chalicelib.domain.ports import InquiryLookup
from chalicelib.domain.throttling import Policy
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item
from chalicelib.storage.dynamodb.statement_items import GrantItem
from chalicelib.storage.dynamodb.tables import Tables
from chalicelib.storage.dynamodb.throttles import ThrottleItem


class DynamoInquiryLookup(InquiryLookup):
    def __init__(self, tables: Tables):
        self.tables = tables

    def find(self, grant_key: str, counters: list[tuple[Policy, str]]) -> tuple[Grant | None, list[FailureCount | None]]:
        grant_pk = GrantItem.key(grant_key)["pk"]["S"]
        counter_pks = [ThrottleItem.pk(policy, key) for policy, key in counters]
        request = {
            # Consistent: a permit issued a moment ago must answer, one revoked a moment ago must not.
            self.tables.grants: {"Keys": [{"pk": {"S": grant_pk}}], "ConsistentRead": True},
        }
        if counter_pks:
            request[self.tables.throttles] = {"Keys": [{"pk": {"S": pk}} for pk in dict.fromkeys(counter_pks)]}
        found: dict[str, dict] = {}
        dynamodb = client("dynamodb")
        while request:
            answer = dynamodb.batch_get_item(RequestItems=request)
            for items in answer["Responses"].values():
                for item in items:
                    plain = from_item(item)
                    found[plain["pk"]] = plain
            request = answer.get("UnprocessedKeys") or {}
        grant = found.get(grant_pk)
        return (GrantItem.from_item(grant) if grant else None,
                [ThrottleItem.from_item(found.get(pk)) for pk in counter_pks])
