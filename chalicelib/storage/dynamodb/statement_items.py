"""The items of a statement request, in the requests and grants tables, and the writes that several stores make
to them inside one transaction.

Keys, in the person's partition `PERSON#<national code>` of the requests table:
- `REQ#<tracking no>`: the request (small: it is read with every inbox page);
- `REQ#<tracking no>#P#<permit id>`: each permit, so one Query reads a request with its permits, and a view
  changes only this small item;
- `STMT#<tracking no>`: the statement as issued (compressed) and the agreement text, read only to render it and
  to issue a permit.
Elsewhere in the requests table: `DOC#<document id>` / `DOC` (what /verify shows). In the grants table:
`GRANT#<keyed hash of identifier and passcode>`, so the passcode itself is never stored and an inquiry finds its
grant with one read."""
from __future__ import annotations

from chalicelib.domain.model.permits import Grant, Permit, View
from chalicelib.domain.model.requests import (LIVE_STATUSES, DocumentStatus, IssuedDocument, MailboxState,
                                              MailboxStatus, PublishedDocument, RequestStatus, Statement,
                                              StatementRequest)
from chalicelib.domain.model.signatures import DocumentSignature
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.statement_kinds import RETENTION_SECONDS, TOMBSTONE_SECONDS
from chalicelib.storage.dynamodb.codec import expiry_bucket, key_of, to_item, values
from chalicelib.storage.dynamodb.tables import Tables

LIVE = {f"live{i}": s.value for i, s in enumerate(LIVE_STATUSES)}
LIVE_CONDITION = "#st IN (" + ", ".join(f":{name}" for name in LIVE) + ")"


class RequestItem:
    @staticmethod
    def key(national_code: str, tracking_no: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk=f"REQ#{tracking_no}")

    @staticmethod
    def to_item(r: StatementRequest) -> dict:
        return {
            "pk": f"PERSON#{r.national_code}", "sk": f"REQ#{r.tracking_no}", "tracking_no": r.tracking_no,
            "national_code": r.national_code, "kind": r.kind, "status": r.status.value, "sent_at": r.sent_at,
            "created_at": r.created_at, "expires_at_epoch": r.expires_at, "expiry_bucket": expiry_bucket(r.expires_at),
            "mobile": r.mobile, "email": r.email, "agreement_version": r.agreement_version,
            "agreement_sha256": r.agreement_sha256,
            "document": DocumentFields.to_map(r.document) if r.document else None, "failure": r.failure,
            "mailbox": MailboxFields.to_map(r.mailbox), "deleted_at": r.deleted_at, "expired_at": r.expired_at,
            "pdf_removed_at": r.pdf_removed_at, "document_id": r.document_id or None,
            "idempotency_key": r.idempotency_key, "outdated_since": r.outdated_since, "version": r.version,
            "language": r.language,
        }

    @staticmethod
    def from_item(item: dict, permits: list[Permit] = ()) -> StatementRequest:
        return StatementRequest(
            national_code=item["national_code"], tracking_no=item["tracking_no"], kind=item["kind"],
            status=RequestStatus(item["status"]), sent_at=item["sent_at"], created_at=item.get("created_at", 0),
            expires_at=item["expires_at_epoch"], mobile=item.get("mobile", ""), email=item.get("email"),
            agreement_version=item.get("agreement_version", ""), agreement_sha256=item.get("agreement_sha256", ""),
            document=DocumentFields.from_map(item["document"]) if item.get("document") else None,
            failure=item.get("failure"), mailbox=MailboxFields.from_map(item.get("mailbox") or {}),
            deleted_at=item.get("deleted_at"), expired_at=item.get("expired_at"),
            pdf_removed_at=item.get("pdf_removed_at"), version=item.get("version", 0),
            document_id=item.get("document_id") or (item.get("document") or {}).get("document_id", ""),
            idempotency_key=item.get("idempotency_key"), outdated_since=item.get("outdated_since"),
            language=item.get("language", "fa"),
            permits=list(permits))

    @staticmethod
    def is_request(item: dict) -> bool:
        return item["sk"].startswith("REQ#") and "#P#" not in item["sk"]


class DocumentFields:
    @staticmethod
    def to_map(d: IssuedDocument) -> dict:
        return {"document_id": d.document_id, "s3_key": d.s3_key, "sha256": d.sha256, "size": d.size,
                "ready_at": d.ready_at, "verify_url": d.verify_url}

    @staticmethod
    def from_map(m: dict) -> IssuedDocument:
        return IssuedDocument(m["document_id"], m["s3_key"], m["sha256"], m["size"], m["ready_at"], m["verify_url"])


class MailboxFields:
    @staticmethod
    def to_map(m: MailboxState) -> dict:
        return {"status": m.status.value, "requested_at": m.requested_at, "attempts": m.attempts,
                "delivered_at": m.delivered_at, "last_error": m.last_error, "gateway_ref": m.reference}

    @staticmethod
    def from_map(m: dict) -> MailboxState:
        return MailboxState(MailboxStatus(m.get("status", "none")), m.get("requested_at"), m.get("attempts", 0),
                            m.get("delivered_at"), m.get("last_error"), m.get("gateway_ref"))


class PermitItem:
    @staticmethod
    def key(national_code: str, tracking_no: str, permit_id: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk=f"REQ#{tracking_no}#P#{permit_id}")

    @staticmethod
    def to_item(p: Permit) -> dict:
        return {
            "pk": f"PERSON#{p.national_code}", "sk": f"REQ#{p.tracking_no}#P#{p.permit_id}",
            "national_code": p.national_code, "tracking_no": p.tracking_no, "permit_id": p.permit_id,
            "validity": p.validity, "issued_at": p.issued_at, "valid_until": p.expires_at,
            "grant_key": p.grant_key, "mobile": p.mobile, "label": p.label or None, "views": p.views,
            "first_viewed_at": p.first_viewed_at,
            "last_viewed_at": p.last_viewed_at,
            "last_view": ViewFields.to_map(p.last_view) if p.last_view else None,
            "revoked_at": p.revoked_at, "expired_at": p.expired_at,
            # Kept as long as its request can be (TTL): the inbox shows expired and revoked permits too.
            "expires_at_epoch": p.expires_at + RETENTION_SECONDS + TOMBSTONE_SECONDS,
        }

    @staticmethod
    def from_item(item: dict) -> Permit:
        return Permit(
            national_code=item["national_code"], tracking_no=item["tracking_no"], permit_id=item["permit_id"],
            validity=item["validity"], issued_at=item["issued_at"], expires_at=item["valid_until"],
            grant_key=item["grant_key"], mobile=item.get("mobile", ""), label=item.get("label") or "",
            views=item.get("views", 0),
            first_viewed_at=item.get("first_viewed_at"), last_viewed_at=item.get("last_viewed_at"),
            last_view=ViewFields.from_map(item["last_view"]) if item.get("last_view") else None,
            revoked_at=item.get("revoked_at"), expired_at=item.get("expired_at"))

    @staticmethod
    def is_permit(item: dict) -> bool:
        return "#P#" in item.get("sk", "")


class ViewFields:
    @staticmethod
    def to_map(v: View) -> dict:
        return {"at": v.at, "client_ip": v.client_ip, "user_agent": v.user_agent, "id": v.id}

    @staticmethod
    def from_map(m: dict) -> View:
        return View(m["at"], m.get("client_ip", ""), m.get("user_agent", ""), m.get("id", ""))


class StatementItem:
    @staticmethod
    def key(national_code: str, tracking_no: str) -> dict:
        return key_of(pk=f"PERSON#{national_code}", sk=f"STMT#{tracking_no}")

    @staticmethod
    def to_item(s: Statement) -> dict:
        return {"pk": f"PERSON#{s.national_code}", "sk": f"STMT#{s.tracking_no}", "national_code": s.national_code,
                "tracking_no": s.tracking_no, "statement_z": s.statement_z, "agreement_text": s.agreement_text}

    @staticmethod
    def from_item(item: dict) -> Statement:
        return Statement(item["national_code"], item["tracking_no"], bytes(item["statement_z"]),
                         item.get("agreement_text", ""))


class DocumentItem:
    @staticmethod
    def key(document_id: str) -> dict:
        return key_of(pk=f"DOC#{document_id}", sk="DOC")

    @staticmethod
    def to_item(d: PublishedDocument) -> dict:
        return {"pk": f"DOC#{d.document_id}", "sk": "DOC", "document_id": d.document_id,
                "tracking_no": d.tracking_no, "national_code": d.national_code, "kind": d.kind,
                "issued_at": d.issued_at, "sha256": d.sha256, "size": d.size, "status": d.status.value,
                "first_name": d.first_name, "last_name": d.last_name, "status_changed_at": d.status_changed_at,
                "signature": SignatureFields.to_map(d.signature) if d.signature else None, "language": d.language}

    @staticmethod
    def from_item(item: dict) -> PublishedDocument:
        return PublishedDocument(
            document_id=item["document_id"], tracking_no=item["tracking_no"], national_code=item["national_code"],
            kind=item["kind"], issued_at=item["issued_at"], sha256=item["sha256"], size=item.get("size", 0),
            status=DocumentStatus(item.get("status", "valid")), first_name=item.get("first_name", ""),
            last_name=item.get("last_name", ""), status_changed_at=item.get("status_changed_at"),
            signature=SignatureFields.from_map(item["signature"]) if item.get("signature") else None,
            language=item.get("language", "fa"))


class SignatureFields:
    """The signature recorded with a published document; documents published before statements were signed have
    none."""

    @staticmethod
    def to_map(s: DocumentSignature) -> dict:
        return {"signer": s.signer, "organisation": s.organisation, "signed_at": s.signed_at,
                "certificate_sha256": s.certificate_sha256, "valid": s.valid}

    @staticmethod
    def from_map(m: dict) -> DocumentSignature:
        return DocumentSignature(signer=m["signer"], organisation=m.get("organisation", ""), signed_at=m["signed_at"],
                                 certificate_sha256=m["certificate_sha256"], valid=bool(m.get("valid", False)))


class TaskItem:
    """A follow-up task (the outbox), one partition per hour so the cleanup finds what is left without a scan:
    `OUTBOX#<YYYY-MM-DDTHH>` / `<kind>#<national code>#<tracking no>`."""

    KEEP_SECONDS = 7 * 86_400  # a task nobody could do in a week is TTL's, and the alarms' (DLQ) by then

    @staticmethod
    def partition(epoch: int) -> str:
        import datetime as dt

        return "OUTBOX#" + dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H")

    @staticmethod
    def key(task: FollowUpTask) -> dict:
        return key_of(pk=TaskItem.partition(task.created_at),
                      sk=f"{task.kind.value}#{task.national_code}#{task.tracking_no}")

    @staticmethod
    def to_item(t: FollowUpTask) -> dict:
        return {"pk": TaskItem.partition(t.created_at), "sk": f"{t.kind.value}#{t.national_code}#{t.tracking_no}",
                "kind": t.kind.value, "national_code": t.national_code, "tracking_no": t.tracking_no,
                "created_at": t.created_at, "expires_at_epoch": t.created_at + TaskItem.KEEP_SECONDS,
                "since_month": t.since_month or None}

    @staticmethod
    def from_item(item: dict) -> FollowUpTask:
        return FollowUpTask(TaskKind(item["kind"]), item["national_code"], item["tracking_no"], item["created_at"],
                            item.get("since_month") or "")

    @staticmethod
    def is_task(item: dict) -> bool:
        return item.get("pk", "").startswith("OUTBOX#")

    @staticmethod
    def put(table: str, task: FollowUpTask) -> dict:
        return {"Put": {"TableName": table, "Item": to_item(TaskItem.to_item(task))}}


def document_status_change(tables: Tables, document_id: str, status: DocumentStatus, at: str) -> dict:
    """The published document's status, as one write of a transaction (only if it was published)."""
    return {"Update": {"TableName": tables.requests, "Key": DocumentItem.key(document_id),
                       "UpdateExpression": "SET #st = :status, status_changed_at = :at",
                       "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeNames": {"#st": "status"},
                       "ExpressionAttributeValues": values(status=status.value, at=at)}}


def request_change(tables: Tables, request: StatementRequest, update: str, condition: str,
                   names: dict | None = None, **named) -> dict:
    """An Update of the request, as one write of a transaction, that holds only if the request is still the version
    that was read; it moves the version on."""
    return {"Update": {
        "TableName": tables.requests, "Key": RequestItem.key(request.national_code, request.tracking_no),
        "UpdateExpression": f"{update}, version = :next" if update.startswith("SET") else update,
        "ConditionExpression": f"({condition}) AND version = :version",
        "ExpressionAttributeNames": {"#st": "status", **(names or {})},
        "ExpressionAttributeValues": values(version=request.version, next=request.version + 1, **named),
    }}


def answering_permits(request: StatementRequest, at: int) -> list[Permit]:
    """Permits whose grant still answers at `at`: at most the live-permit cap, however many a request has had.
    A past permit's grant answers no more (its expiry is checked on every inquiry) and goes with the cleanup, so
    a deletion's transaction stays far below DynamoDB's 100 items."""
    return [p for p in request.permits if p.is_live(at)]


class GrantItem:
    @staticmethod
    def key(grant_key: str) -> dict:
        return key_of(pk=f"GRANT#{grant_key}")

    @staticmethod
    def to_item(g: Grant) -> dict:
        return {"pk": f"GRANT#{g.key}", "permit_id": g.permit_id, "national_code": g.national_code,
                "tracking_no": g.tracking_no, "kind": g.kind, "document_id": g.document_id, "s3_key": g.s3_key,
                "sha256": g.sha256, "issued_at": g.issued_at, "expires_at_epoch": g.expires_at,
                "expiry_bucket": expiry_bucket(g.expires_at), "statement_z": g.statement_z, "holder": g.holder,
                "mobile": g.mobile, "outdated_since": g.outdated_since, "language": g.language}

    @staticmethod
    def from_item(item: dict) -> Grant:
        return Grant(key=item["pk"].split("#", 1)[1], permit_id=item["permit_id"],
                     national_code=item["national_code"], tracking_no=item["tracking_no"], kind=item["kind"],
                     document_id=item["document_id"], s3_key=item["s3_key"], sha256=item.get("sha256", ""),
                     issued_at=item["issued_at"], expires_at=item["expires_at_epoch"],
                     statement_z=bytes(item["statement_z"]), holder=item.get("holder") or {},
                     mobile=item.get("mobile", ""), outdated_since=item.get("outdated_since"),
                     language=item.get("language", "fa"))


def revoke_permit_writes(tables: Tables, permit: Permit, at: str) -> list[dict]:
    """The grant stops answering and the permit shows as revoked, as writes of one transaction."""
    return [
        {"Delete": {"TableName": tables.grants, "Key": GrantItem.key(permit.grant_key)}},
        {"Update": {"TableName": tables.requests,
                    "Key": PermitItem.key(permit.national_code, permit.tracking_no, permit.permit_id),
                    "UpdateExpression": "SET revoked_at = :at",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(revoked_at)",
                    "ExpressionAttributeValues": values(at=at)}},
    ]
