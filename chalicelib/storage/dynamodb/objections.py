"""Objections, in the requests table beside the person's other requests: `PERSON#<national code>` /
`OBJ#<tracking no>`; `OBJNO#<tracking no>` / `OBJ` finds the person from the number (the staff's routes); and the
staff's queue, `OBJQ#submitted` / `<submitted at>#<tracking no>`, written and removed in the same step as the status.
An accepted objection's corrected months go to the records table with their record of change (`AUDIT#...`)."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.objections import (Attachment, Correction, Objection, ObjectionKind, ObjectionStatus,
                                                RecordChange)
from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import Objections
from chalicelib.domain.service_days import Contribution
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.activity import ActivityItem
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values
from chalicelib.storage.dynamodb.registry import ContributionItem, RecordChangeItem
from chalicelib.storage.dynamodb.statement_items import TaskItem
from chalicelib.storage.dynamodb.tables import Tables
from chalicelib.storage.dynamodb.transact import ConditionFailed, transact

QUEUE = "OBJQ#submitted"


class ObjectionItem:
    @staticmethod
    def key(national_code: str, tracking_no: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk=f"OBJ#{tracking_no}")

    @staticmethod
    def to_item(o: Objection) -> dict:
        return {
            "pk": f"PERSON#{o.national_code}", "sk": f"OBJ#{o.tracking_no}", "tracking_no": o.tracking_no,
            "national_code": o.national_code, "kind": o.kind.value, "workshop_code": o.workshop_code,
            "from_month": o.from_month, "to_month": o.to_month, "description": o.description,
            "submitted_at": o.submitted_at, "status": o.status.value,
            "attachment": ({"key": o.attachment.key, "filename": o.attachment.filename,
                            "content_type": o.attachment.content_type, "size": o.attachment.size}
                           if o.attachment else None),
            "decided_at": o.decided_at, "decided_by": o.decided_by, "decision_reason": o.decision_reason,
            "corrections": [{"year": c.year, "month": c.month, "workshop_code": c.workshop_code, "days": c.days,
                             "wage": c.wage} for c in o.corrections] or None,
        }

    @staticmethod
    def from_item(item: dict) -> Objection:
        attachment = item.get("attachment")
        return Objection(
            tracking_no=item["tracking_no"], national_code=item["national_code"], kind=ObjectionKind(item["kind"]),
            workshop_code=item["workshop_code"], from_month=item["from_month"], to_month=item["to_month"],
            description=item.get("description", ""), submitted_at=item["submitted_at"],
            status=ObjectionStatus(item["status"]),
            attachment=Attachment(**attachment) if attachment else None, decided_at=item.get("decided_at"),
            decided_by=item.get("decided_by"), decision_reason=item.get("decision_reason"),
            corrections=[Correction(**c) for c in item.get("corrections") or []])


class DynamoObjections(Objections):
    def __init__(self, tables: Tables):
        self.tables = tables
        self.table = tables.requests

    def add(self, objection: Objection, entry: ActivityEntry) -> None:
        transact([
            {"Put": {"TableName": self.table, "Item": to_item(ObjectionItem.to_item(objection)),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self.table, "Item": to_item({"pk": f"OBJNO#{objection.tracking_no}", "sk": "OBJ",
                                                               "national_code": objection.national_code})}},
            {"Put": {"TableName": self.table, "Item": to_item(self._queued(objection))}},
            ActivityItem.put(self.tables.activity, entry),
        ])

    @staticmethod
    def _queued(o: Objection) -> dict:
        return {"pk": QUEUE, "sk": f"{o.submitted_at}#{o.tracking_no}", "national_code": o.national_code,
                "tracking_no": o.tracking_no}

    def get(self, tracking_no: str) -> Objection | None:
        dynamodb = client("dynamodb")
        pointer = from_item(dynamodb.get_item(TableName=self.table, Key=key_of(pk=f"OBJNO#{tracking_no}", sk="OBJ"),
                                              ConsistentRead=True).get("Item"))
        if not pointer:
            return None
        item = from_item(dynamodb.get_item(TableName=self.table, ConsistentRead=True,
                                           Key=ObjectionItem.key(pointer["national_code"], tracking_no)).get("Item"))
        return ObjectionItem.from_item(item) if item else None

    def of_person(self, national_code: str) -> list[Objection]:
        answer = client("dynamodb").query(
            TableName=self.table, KeyConditionExpression="pk = :pk AND begins_with(sk, :obj)",
            ExpressionAttributeValues=values(pk=f"PERSON#{national_code}", obj="OBJ#"), ScanIndexForward=False)
        return [ObjectionItem.from_item(from_item(i)) for i in answer["Items"]]

    def waiting(self, limit: int) -> list[Objection]:
        dynamodb = client("dynamodb")
        queued = dynamodb.query(TableName=self.table, KeyConditionExpression="pk = :q",
                                ExpressionAttributeValues=values(q=QUEUE), Limit=limit)["Items"]
        if not queued:
            return []
        keys = [ObjectionItem.key(q["national_code"], q["tracking_no"]) for q in map(from_item, queued)]
        found: dict[str, Objection] = {}
        request = {self.table: {"Keys": keys, "ConsistentRead": True}}
        while request:
            answer = dynamodb.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(self.table, []):
                objection = ObjectionItem.from_item(from_item(item))
                found[objection.tracking_no] = objection
            request = answer.get("UnprocessedKeys") or {}
        return [found[q["tracking_no"]] for q in map(from_item, queued) if q["tracking_no"] in found]

    def _decided(self, objection: Objection) -> list[dict]:
        return [
            {"Update": {"TableName": self.table, "Key": ObjectionItem.key(objection.national_code, objection.tracking_no),
                        "UpdateExpression": ("SET #st = :status, decided_at = :at, decided_by = :by, "
                                             "decision_reason = :why, corrections = :corrections"),
                        "ConditionExpression": "#st = :submitted", "ExpressionAttributeNames": {"#st": "status"},
                        "ExpressionAttributeValues": values(
                            status=objection.status.value, at=objection.decided_at, by=objection.decided_by,
                            why=objection.decision_reason or "", submitted=ObjectionStatus.SUBMITTED.value,
                            corrections=ObjectionItem.to_item(objection)["corrections"] or [])}},
            {"Delete": {"TableName": self.table, "Key": key_of(pk=QUEUE, sk=f"{objection.submitted_at}#"
                                                                           f"{objection.tracking_no}")}},
        ]

    def accept(self, objection: Objection, contributions: list[Contribution], changes: list[RecordChange],
               entry: ActivityEntry, outdates: FollowUpTask) -> bool:
        writes = self._decided(objection)
        writes += [{"Put": {"TableName": self.tables.records,
                            "Item": to_item(ContributionItem.to_item(objection.national_code, c))}}
                   for c in contributions]
        writes += [{"Put": {"TableName": self.tables.records, "Item": to_item(RecordChangeItem.to_item(c))}}
                   for c in changes]
        writes += [ActivityItem.put(self.tables.activity, entry), TaskItem.put(self.table, outdates)]
        try:
            transact(writes)
            return True
        except ConditionFailed:
            return False

    def reject(self, objection: Objection, entry: ActivityEntry) -> bool:
        try:
            transact([*self._decided(objection), ActivityItem.put(self.tables.activity, entry)])
            return True
        except ConditionFailed:
            return False
