"""What is left of the follow-up tasks (the outbox, see statement_items.TaskItem), found hour by hour."""
from __future__ import annotations

from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import Tasks
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, values
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
