"""The person's timeline ("My Social Security") in the activity table.

Key: `PERSON#<national code>`, sort key the entry id (`<ISO time>#<nonce>`), so a Query in reverse gives newest
first, two events in the same millisecond never collide, and the same event written twice stays one item."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.ports import Timeline
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values


class ActivityItem:
    @staticmethod
    def to_item(e: ActivityEntry) -> dict:
        return {"pk": f"PERSON#{e.national_code}", "sk": e.entry_id, "kind": e.kind, "at": e.at, "details": e.details}

    @staticmethod
    def from_item(item: dict) -> ActivityEntry:
        nonce = item["sk"].rsplit("#", 1)[1]
        return ActivityEntry(item["pk"].split("#", 1)[1], item["kind"], item["at"], item.get("details") or {}, nonce)

    @staticmethod
    def put(table: str, e: ActivityEntry) -> dict:
        """The entry as one write of a transaction."""
        return {"Put": {"TableName": table, "Item": to_item(ActivityItem.to_item(e))}}


class DynamoTimeline(Timeline):
    def __init__(self, table: str):
        self.table = table

    def append(self, entry: ActivityEntry) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=to_item(ActivityItem.to_item(entry)))

    def page(self, national_code: str, after: str | None, limit: int) -> tuple[list[ActivityEntry], str | None]:
        kwargs = {"TableName": self.table, "KeyConditionExpression": "pk = :pk",
                  "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}"), "ScanIndexForward": False,
                  "Limit": limit}
        if after:
            # Bound to the caller's own partition: a cursor can only continue their own timeline.
            kwargs["ExclusiveStartKey"] = key_of(pk=f"PERSON#{national_code}", sk=after)
        answer = client("dynamodb").query(**kwargs)
        last = answer.get("LastEvaluatedKey")
        return [ActivityItem.from_item(from_item(i)) for i in answer["Items"]], (last["sk"]["S"] if last else None)
