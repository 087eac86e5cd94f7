"""What is left of the follow-up tasks (the outbox, see statement_items.TaskItem), found hour by hour."""
from __future__ import annotations

from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import Tasks
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, to_item, values
from chalicelib.storage.dynamodb.statement_items import TaskItem

HOUR = 3600


class DynamoTasks(Tasks):
    def __init__(self, table: str):
        self.table = table

    def due(self, since: int, until: int) -> list[FollowUpTask]:
        found = []
        for hour in range(since - since % HOUR, until + 1, HOUR):
            kwargs = {"TableName": self.table, "KeyConditionExpression": "pk = :pk", "ConsistentRead": True,
                      "ExpressionAttributeValues": values(pk=TaskItem.partition(hour))}
            while True:
                answer = client("dynamodb").query(**kwargs)
                found += [TaskItem.from_item(from_item(i)) for i in answer["Items"]]
                if "LastEvaluatedKey" not in answer:
                    break
                kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return [t for t in found if since <= t.created_at <= until]

    def done(self, task: FollowUpTask) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=TaskItem.key(task))

    def add_all(self, tasks: list[FollowUpTask]) -> None:
        # A put, not an insert-if-absent: the key names the task, so writing it again writes the same task.
        by_key = {(t.kind, t.national_code, t.tracking_no): t for t in tasks}
        writes = [{"PutRequest": {"Item": to_item(TaskItem.to_item(t))}} for t in by_key.values()]
        dynamodb = client("dynamodb")
        for start in range(0, len(writes), 25):
            pending = {self.table: writes[start:start + 25]}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
