"""Statement requests (the personal inbox) and published documents, in the requests table.

Keys: `PERSON#<national code>` / `REQ#<tracking no>` for a request, `DOC#<document id>` / `DOC` for what
`/verify` shows, `COUNTER` / `tracking` for the tracking-number sequence. Tracking numbers grow with time, so
the inbox is one Query in reverse sort-key order."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.errors import NotFound
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, to_item, values

FIRST_TRACKING_NO = 1_000_000_000
_INBOX_FIELDS = ("tracking_no, national_code, kind, #st, sent_at, mobile, email, viewed_at, permits, mailbox, "
                 "document_id, failure, created_at")


def request_key(national_code: str, tracking_no: str) -> dict:
    return {"pk": {"S": f"PERSON#{national_code}"}, "sk": {"S": f"REQ#{tracking_no}"}}


def doc_key(document_id: str) -> dict:
    return {"pk": {"S": f"DOC#{document_id}"}, "sk": {"S": "DOC"}}


def expiry_bucket(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")


class RequestStore:
    def __init__(self, table: str):
        self.table = table

    def next_tracking_no(self) -> str:
        answer = client("dynamodb").update_item(
            TableName=self.table,
            Key={"pk": {"S": "COUNTER"}, "sk": {"S": "tracking"}},
            UpdateExpression="ADD #v :one",
            ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues=values(one=1),
            ReturnValues="UPDATED_NEW",
        )
        return str(FIRST_TRACKING_NO + int(answer["Attributes"]["value"]["N"]))

    def put_new(self, request: dict) -> None:
        item = {"pk": f"PERSON#{request['national_code']}", "sk": f"REQ#{request['tracking_no']}", **request,
                "expiry_bucket": expiry_bucket(request["expires_at_epoch"])}
        client("dynamodb").put_item(TableName=self.table, Item=to_item(item),
                                    ConditionExpression="attribute_not_exists(pk)")

    def get(self, national_code: str, tracking_no: str, consistent: bool = True) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=request_key(national_code, tracking_no),
                                          ConsistentRead=consistent)
        return from_item(got.get("Item"))

    def get_live(self, national_code: str, tracking_no: str) -> dict:
        """The caller's own request; someone else's tracking number is simply not in the caller's partition."""
        found = self.get(national_code, tracking_no) if tracking_no.isdigit() else None
        if not found or found.get("status") in ("deleted", "expired"):
            raise NotFound("No such request in your inbox.", code="not_found")
        return found

    def inbox_page(self, national_code: str, start_sort_key: str | None, limit: int):
        kwargs = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :req)",
            "FilterExpression": "#st IN (:pending, :ready, :failed)",
            "ProjectionExpression": _INBOX_FIELDS,
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}", req="REQ#", pending="pending",
                                                ready="ready", failed="failed"),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if start_sort_key:
            kwargs["ExclusiveStartKey"] = {"pk": {"S": f"PERSON#{national_code}"}, "sk": {"S": start_sort_key}}
        answer = client("dynamodb").query(**kwargs)
        last = answer.get("LastEvaluatedKey")
        return [from_item(i) for i in answer["Items"]], (last["sk"]["S"] if last else None)

    def update(self, national_code: str, tracking_no: str, update: str, condition: str | None = None,
               names: dict | None = None, gone: Exception | None = None, **named) -> dict | None:
        """One UpdateItem. When the condition fails: raise `gone` if given, else return None."""
        kwargs = {"TableName": self.table, "Key": request_key(national_code, tracking_no),
                  "UpdateExpression": update, "ReturnValues": "ALL_NEW"}
        if condition:
            kwargs["ConditionExpression"] = condition
        if names:
            kwargs["ExpressionAttributeNames"] = names
        if named:
            kwargs["ExpressionAttributeValues"] = values(**named)
        dynamodb = client("dynamodb")
        try:
            return from_item(dynamodb.update_item(**kwargs)["Attributes"])
        except dynamodb.exceptions.ConditionalCheckFailedException:
            if gone is not None:
                raise gone from None
            return None

    def get_document(self, document_id: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=doc_key(document_id))
        return from_item(got.get("Item"))

    def document_item(self, document: dict) -> dict:
        return {"Put": {"TableName": self.table,
                        "Item": to_item({"pk": f"DOC#{document['document_id']}", "sk": "DOC", **document}),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def set_document_status(self, document_id: str, status: str, at: str) -> None:
        try:
            client("dynamodb").update_item(
                TableName=self.table, Key=doc_key(document_id),
                UpdateExpression="SET #st = :status, status_changed_at = :at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#st": "status"}, ExpressionAttributeValues=values(status=status, at=at))
        except client("dynamodb").exceptions.ConditionalCheckFailedException:
            pass

    def get_checkpoint(self, name: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table,
                                          Key={"pk": {"S": "CHECKPOINT"}, "sk": {"S": name}}, ConsistentRead=True)
        return from_item(got.get("Item"))

    def put_checkpoint(self, name: str, data: dict) -> None:
        client("dynamodb").put_item(TableName=self.table,
                                    Item=to_item({"pk": "CHECKPOINT", "sk": name, **data}))


class IdempotencyStore:
    """Remembers the answer to a POST sent with an `Idempotency-Key`, for a day, in the requests table
    (`IDEMP#<national code>` / `<key>`), so a retried request gets the first answer instead of a duplicate."""

    TTL_SECONDS = 86_400

    def __init__(self, table: str):
        self.table = table

    def claim(self, owner: str, key: str, fingerprint: str, now: int) -> dict | None:
        """Claim the key; returns None when claimed now, else the earlier record."""
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=to_item({"pk": f"IDEMP#{owner}", "sk": key, "fingerprint": fingerprint,
                              "expires_at_epoch": now + self.TTL_SECONDS}),
                ConditionExpression="attribute_not_exists(pk) OR expires_at_epoch <= :now",
                ExpressionAttributeValues=values(now=now),
            )
            return None
        except dynamodb.exceptions.ConditionalCheckFailedException:
            got = dynamodb.get_item(TableName=self.table, ConsistentRead=True,
                                    Key={"pk": {"S": f"IDEMP#{owner}"}, "sk": {"S": key}})
            return from_item(got.get("Item")) or {}

    def complete(self, owner: str, key: str, response: dict) -> None:
        client("dynamodb").update_item(
            TableName=self.table, Key={"pk": {"S": f"IDEMP#{owner}"}, "sk": {"S": key}},
            UpdateExpression="SET #r = :response", ExpressionAttributeNames={"#r": "response"},
            ExpressionAttributeValues=values(response=response))

    def release(self, owner: str, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key={"pk": {"S": f"IDEMP#{owner}"}, "sk": {"S": key}})
