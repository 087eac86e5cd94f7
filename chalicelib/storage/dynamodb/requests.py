"""Statement requests (the personal inbox), their permits, frozen statements and published documents, in the
requests table (keys: statement_items.py). `COUNTER` / `tracking` holds the tracking-number sequence. Tracking
numbers grow with time and have ten digits, so the inbox is one Query in reverse sort-key order."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.counters import IdempotentAnswer
from chalicelib.domain.model.permits import Permit
from chalicelib.domain.model.requests import (DocumentStatus, IssuedDocument, MailboxState, MailboxStatus,
                                              PublishedDocument, RequestStatus, Statement, StatementRequest)
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import Requests, StaleRequest
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.activity import ActivityItem
from chalicelib.storage.dynamodb.codec import expiry_bucket, from_item, key_of, to_item, values
from chalicelib.storage.dynamodb.idempotency import IdempotencyItem
from chalicelib.storage.dynamodb.statement_items import (LIVE, LIVE_CONDITION, DocumentFields, DocumentItem,
                                                         MailboxFields, PermitItem, RequestItem, StatementItem,
                                                         TaskItem, answering_permits, document_status_change,
                                                         request_change, revoke_permit_writes)
from chalicelib.storage.dynamodb.tables import Tables
from chalicelib.storage.dynamodb.transact import ConditionFailed, conditional_update, transact

FIRST_TRACKING_NO = 1_000_000_000


class DynamoRequests(Requests):
    INBOX_READ = 100  # items per Query page while collecting an inbox page (requests with their permits)

    def __init__(self, tables: Tables):
        self.tables = tables
        self.table = tables.requests

    def next_tracking_no(self) -> str:
        answer = client("dynamodb").update_item(
            TableName=self.table, Key=key_of(pk="COUNTER", sk="tracking"), UpdateExpression="ADD #v :one",
            ExpressionAttributeNames={"#v": "value"}, ExpressionAttributeValues=values(one=1),
            ReturnValues="UPDATED_NEW")
        return str(FIRST_TRACKING_NO + int(answer["Attributes"]["value"]["N"]))

    def add(self, request: StatementRequest, statement: Statement, entry: ActivityEntry,
            answer: IdempotentAnswer | None = None) -> None:
        writes = [
            {"Put": {"TableName": self.table, "Item": to_item(RequestItem.to_item(request)),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self.table, "Item": to_item(StatementItem.to_item(statement))}},
            ActivityItem.put(self.tables.activity, entry),
            TaskItem.put(self.table, FollowUpTask(TaskKind.RENDER, request.national_code, request.tracking_no,
                                                  request.created_at)),
        ]
        if answer is not None:
            writes.append(IdempotencyItem.answer(self.table, answer))
        self._transact(writes)

    def get(self, national_code: str, tracking_no: str) -> StatementRequest | None:
        answer = client("dynamodb").query(
            TableName=self.table, ConsistentRead=True,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues=values(pk=f"PERSON#{national_code}", first=f"REQ#{tracking_no}",
                                             last=f"REQ#{tracking_no}#~"))
        items = [from_item(i) for i in answer["Items"]]
        found = next((i for i in items if RequestItem.is_request(i)), None)
        if found is None:
            return None
        return RequestItem.from_item(found, [PermitItem.from_item(i) for i in items if PermitItem.is_permit(i)])

    def inbox(self, national_code: str, after: str | None, limit: int) -> tuple[list[StatementRequest], str | None]:
        # In reverse sort-key order a request's permits come just before the request itself, so a page is cut
        # only after a request, never between it and its permits.
        kwargs = {"TableName": self.table, "KeyConditionExpression": "pk = :pk AND begins_with(sk, :req)",
                  "ExpressionAttributeValues": values(pk=f"PERSON#{national_code}", req="REQ#"),
                  "ScanIndexForward": False, "Limit": self.INBOX_READ}
        if after:
            kwargs["ExclusiveStartKey"] = key_of(pk=f"PERSON#{national_code}", sk=f"REQ#{after}")
        found: list[StatementRequest] = []
        permits: dict[str, list[Permit]] = {}
        while True:
            answer = client("dynamodb").query(**kwargs)
            items = [from_item(i) for i in answer["Items"]]
            for position, item in enumerate(items):
                if PermitItem.is_permit(item):
                    permits.setdefault(item["tracking_no"], []).append(PermitItem.from_item(item))
                    continue
                # Read in reverse, the permits came in descending id order: give them in id order, as get() does.
                request = RequestItem.from_item(item, reversed(permits.pop(item["tracking_no"], [])))
                if not request.is_live:
                    continue
                found.append(request)
                if len(found) == limit:
                    more = position < len(items) - 1 or "LastEvaluatedKey" in answer
                    return found, (request.tracking_no if more else None)
            if "LastEvaluatedKey" not in answer:
                return found, None
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def statement(self, national_code: str, tracking_no: str) -> Statement | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=StatementItem.key(national_code, tracking_no),
                                          ConsistentRead=True)
        item = from_item(got.get("Item"))
        return StatementItem.from_item(item) if item else None

    def publish(self, request: StatementRequest, document: IssuedDocument, published: PublishedDocument,
                entry: ActivityEntry) -> None:
        self._transact([
            request_change(self.tables, request, "SET #st = :ready, document = :document", "#st = :pending",
                           ready=RequestStatus.READY.value, pending=RequestStatus.PENDING.value,
                           document=DocumentFields.to_map(document)),
            {"Put": {"TableName": self.table, "Item": to_item(DocumentItem.to_item(published)),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            ActivityItem.put(self.tables.activity, entry),
        ])

    def mark_failed(self, request: StatementRequest, why: str, entry: ActivityEntry) -> None:
        self._transact([
            request_change(self.tables, request, "SET #st = :failed, failure = :why", "#st = :pending",
                           failed=RequestStatus.FAILED.value, pending=RequestStatus.PENDING.value, why=why),
            ActivityItem.put(self.tables.activity, entry),
        ])

    def delete(self, request: StatementRequest, at: str, keep_until: int, entry: ActivityEntry) -> None:
        writes = [request_change(
            self.tables, request,
            "SET #st = :deleted, deleted_at = :at, expires_at_epoch = :until, expiry_bucket = :bucket",
            LIVE_CONDITION, deleted=RequestStatus.DELETED.value, at=at, until=keep_until,
            bucket=expiry_bucket(keep_until), **LIVE)]
        writes.append({"Delete": {"TableName": self.table,
                                  "Key": StatementItem.key(request.national_code, request.tracking_no)}})
        from chalicelib.domain.clock import epoch_of

        for permit in answering_permits(request, epoch_of(at)):
            writes += revoke_permit_writes(self.tables, permit, at)
        writes += self._retire_document(request, DocumentStatus.WITHDRAWN, at)
        writes.append(ActivityItem.put(self.tables.activity, entry))
        self._transact(writes)

    def expire(self, request: StatementRequest, at: str, keep_until: int) -> None:
        self._transact([
            request_change(
                self.tables, request,
                "SET #st = :expired, expired_at = :at, expires_at_epoch = :until, expiry_bucket = :bucket",
                LIVE_CONDITION, expired=RequestStatus.EXPIRED.value, at=at, until=keep_until,
                bucket=expiry_bucket(keep_until), **LIVE),
            {"Delete": {"TableName": self.table, "Key": StatementItem.key(request.national_code, request.tracking_no)}},
            *self._retire_document(request, DocumentStatus.EXPIRED, at),
        ])

    def _retire_document(self, request: StatementRequest, status: DocumentStatus, at: str) -> list[dict]:
        """/verify tells the news from the moment of the change; the PDF goes by the task, at once or within
        the hour."""
        from chalicelib.domain.clock import epoch_of

        writes = []
        if request.document is not None:
            writes.append(document_status_change(self.tables, request.document.document_id, status, at))
        if request.may_hold_a_pdf:
            writes.append(TaskItem.put(self.table, FollowUpTask(TaskKind.REMOVE_PDF, request.national_code,
                                                                request.tracking_no, epoch_of(at))))
        return writes

    def mark_pdf_removed(self, request: StatementRequest, at: str) -> None:
        client("dynamodb").update_item(TableName=self.table,
                                       Key=RequestItem.key(request.national_code, request.tracking_no),
                                       UpdateExpression="SET pdf_removed_at = :at",
                                       ConditionExpression="attribute_exists(pk)",
                                       ExpressionAttributeValues=values(at=at))

    def queue_mailbox(self, request: StatementRequest, at: str) -> bool:
        from chalicelib.domain.clock import epoch_of

        try:
            transact([
                {"Update": {
                    "TableName": self.table, "Key": RequestItem.key(request.national_code, request.tracking_no),
                    "UpdateExpression": "SET mailbox = :mailbox",
                    # Asked once: a second ask while it is on its way, or after it arrived, changes nothing.
                    "ConditionExpression": "#st = :ready AND NOT mailbox.#st IN (:queued, :retrying, :delivered)",
                    "ExpressionAttributeNames": {"#st": "status"},
                    "ExpressionAttributeValues": values(
                        ready=RequestStatus.READY.value, queued=MailboxStatus.QUEUED.value,
                        retrying=MailboxStatus.RETRYING.value, delivered=MailboxStatus.DELIVERED.value,
                        mailbox=MailboxFields.to_map(MailboxState(MailboxStatus.QUEUED, requested_at=at)))}},
                TaskItem.put(self.table, FollowUpTask(TaskKind.MAILBOX, request.national_code, request.tracking_no,
                                                      epoch_of(at))),
            ])
            return True
        except ConditionFailed:
            return False

    def record_mailbox(self, request: StatementRequest, state: MailboxState,
                       entry: ActivityEntry | None = None) -> None:
        update = {"TableName": self.table, "Key": RequestItem.key(request.national_code, request.tracking_no),
                  "UpdateExpression": "SET mailbox = :mailbox", "ConditionExpression": "#st = :ready",
                  "ExpressionAttributeNames": {"#st": "status"},
                  "ExpressionAttributeValues": values(mailbox=MailboxFields.to_map(state),
                                                      ready=RequestStatus.READY.value)}
        if entry is None:
            conditional_update(**update)
            return
        try:
            transact([{"Update": update}, ActivityItem.put(self.tables.activity, entry)])
        except ConditionFailed:
            pass  # deleted meanwhile: nothing to record

    def mark_outdated(self, request: StatementRequest, at: str, entry: ActivityEntry) -> bool:
        """Versioned like every change of a request: a permit issued meanwhile makes this fail, and the caller reads
        the request again, so no grant is left without the notice."""
        from chalicelib.domain.clock import epoch_of
        from chalicelib.storage.dynamodb.statement_items import GrantItem, request_change

        writes = [request_change(self.tables, request, "SET outdated_since = :at",
                                 f"({LIVE_CONDITION}) AND attribute_not_exists(outdated_since)", at=at, **LIVE)]
        writes += [{"Update": {"TableName": self.tables.grants, "Key": GrantItem.key(p.grant_key),
                               "UpdateExpression": "SET outdated_since = :at",
                               "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": values(at=at)}}
                   for p in answering_permits(request, epoch_of(at))]
        writes.append(ActivityItem.put(self.tables.activity, entry))
        try:
            transact(writes)
            return True
        except ConditionFailed:
            return False

    def published(self, document_id: str) -> PublishedDocument | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=DocumentItem.key(document_id))
        item = from_item(got.get("Item"))
        return DocumentItem.from_item(item) if item else None

    def set_document_status(self, document_id: str, status: DocumentStatus, at: str) -> None:
        conditional_update(TableName=self.table, Key=DocumentItem.key(document_id),
                           UpdateExpression="SET #st = :status, status_changed_at = :at",
                           ConditionExpression="attribute_exists(pk)", ExpressionAttributeNames={"#st": "status"},
                           ExpressionAttributeValues=values(status=status.value, at=at))

    @staticmethod
    def _transact(writes: list[dict]) -> None:
        try:
            transact(writes)
        except ConditionFailed:
            raise StaleRequest() from None


