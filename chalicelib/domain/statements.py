"""Asking for a history statement, the personal inbox, opening the PDF, e-mailbox hand-off and deleting."""
from __future__ import annotations

import hashlib
import secrets

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.domain.presenting import inbox_item, jalali_or_none
from chalicelib.domain.statement_kinds import (AGREEMENT_TEXT, AGREEMENT_VERSION, KINDS, RETENTION_SECONDS, SUBJECT,
                                               SYSTEM, TOMBSTONE_SECONDS)
from chalicelib.domain.cursors import decode_cursor, encode_cursor


class StatementService:
    def __init__(self, requests, records, users, activity, documents, render_queue, mailbox_queue, tx, clock: Clock,
                 idempotency=None):
        self.idempotency = idempotency
        self.requests = requests
        self.records = records
        self.users = users
        self.activity = activity
        self.documents = documents
        self.render_queue = render_queue
        self.mailbox_queue = mailbox_queue
        self.tx = tx
        self.clock = clock

    def request(self, national_code: str, kind: str, agree: bool, idempotency_key: str | None = None) -> dict:
        """Ask for a statement. With an idempotency key, a retry of the same request (a double click, a mobile
        network resending) gets the first answer instead of creating a second statement."""
        if not idempotency_key:
            return self._request(national_code, kind, agree)
        fingerprint = f"{kind}|{agree}"
        earlier = self.idempotency.claim(national_code, idempotency_key, fingerprint, self.clock.epoch())
        if earlier is not None:
            if earlier.get("fingerprint") != fingerprint:
                raise InvalidValue("This Idempotency-Key was used for a different request.",
                                   code="idempotency_key_reused")
            if "response" not in earlier:
                raise Conflict("The same request is still being processed; try again shortly.",
                               code="request_in_progress")
            return earlier["response"]
        try:
            answer = self._request(national_code, kind, agree)
        except Exception:
            self.idempotency.release(national_code, idempotency_key)
            raise
        self.idempotency.complete(national_code, idempotency_key, answer)
        return answer

    def _request(self, national_code: str, kind: str, agree: bool) -> dict:
        if kind not in KINDS:
            raise InvalidValue("kind must be summary, wages or combined.", code="invalid_kind")
        if agree is not True:
            raise InvalidValue("You must accept the agreement (agree: true) to send a statement.",
                               code="agreement_required")
        profile, contributions = self.records.read_person(national_code)
        if not contributions:
            raise Conflict("There are no contribution records to state yet.", code="no_records")
        person = self.users.get_person(national_code) or {}
        now = self.clock.epoch()
        statement = snapshot.build(kind, profile or {"national_code": national_code}, contributions)
        tracking_no = self.requests.next_tracking_no()
        self.requests.put_new({
            "tracking_no": tracking_no,
            "national_code": national_code,
            "kind": kind,
            "status": "pending",
            "system": SYSTEM,
            "subject": SUBJECT,
            "sent_at": iso(now),
            "created_at": now,
            "mobile": person.get("mobile", ""),
            "email": person.get("email"),
            "agreement_version": AGREEMENT_VERSION,
            "agreement_text": AGREEMENT_TEXT,
            "agreement_sha256": hashlib.sha256(AGREEMENT_TEXT.encode()).hexdigest(),
            "statement_z": snapshot.pack(statement),
            "permits": {},
            "mailbox": {"status": "none"},
            "expires_at_epoch": now + RETENTION_SECONDS,
        })
        self.render_queue.send({"national_code": national_code, "tracking_no": tracking_no})
        self._timeline(national_code, "statement_requested", {"tracking_no": tracking_no, "kind": kind})
        return {"tracking_no": tracking_no, "status": "pending", "kind": kind, "subject": SUBJECT, "system": SYSTEM,
                "sent_at": iso(now), "sent_at_jalali": jalali_or_none(iso(now))}

    def inbox(self, national_code: str, cursor: str | None, limit: int = 20) -> dict:
        start = decode_cursor(cursor, prefix="REQ#") if cursor else None
        items, last = self.requests.inbox_page(national_code, start, limit)
        now = self.clock.epoch()
        return {"items": [inbox_item(item, now) for item in items], "next": encode_cursor(last) if last else None}

    def item(self, national_code: str, tracking_no: str) -> dict:
        return inbox_item(self.requests.get_live(national_code, tracking_no), self.clock.epoch())

    def document_url(self, national_code: str, tracking_no: str) -> dict:
        request = self.requests.get_live(national_code, tracking_no)
        if request.get("status") != "ready":
            raise Conflict("The statement is not ready yet.", code="statement_not_ready")
        url = self.documents.presigned_url(request["s3_key"], f"sabeghe-{tracking_no}.pdf")
        self._timeline(national_code, "document_opened", {"tracking_no": tracking_no})
        return {"url": url, "expires_in": self.documents.presign_seconds, "sha256": request.get("sha256"),
                "document_id": request.get("document_id")}

    def request_mailbox(self, national_code: str, tracking_no: str) -> dict:
        request = self.requests.get_live(national_code, tracking_no)
        if request.get("status") != "ready":
            raise Conflict("The statement is not ready yet.", code="statement_not_ready")
        self.requests.update(
            national_code, tracking_no, "SET mailbox = :mailbox", "#st = :ready", names={"#st": "status"},
            gone=NotFound("No such request in your inbox.", code="not_found"),
            mailbox={"status": "queued", "requested_at": iso(self.clock.epoch()), "attempts": 0}, ready="ready")
        self.mailbox_queue.send({"national_code": national_code, "tracking_no": tracking_no})
        return {"status": "queued", "tracking_no": tracking_no}

    def delete(self, national_code: str, tracking_no: str) -> None:
        request = self.requests.get_live(national_code, tracking_no)
        now = self.clock.epoch()
        grant_pks = [p["grant_pk"] for p in (request.get("permits") or {}).values() if not p.get("revoked_at")]
        self.tx.delete_request(request, grant_pks, iso(now), now + TOMBSTONE_SECONDS,
                               self.activity.new_item(national_code, "statement_deleted", iso_precise(self.clock.now()),
                                                      {"tracking_no": tracking_no, "permits_revoked": len(grant_pks)}))
        # After the transaction nothing answers for this request; the PDF goes next. If S3 fails here the
        # tombstone still names the object and the scheduled cleanup removes it.
        if request.get("s3_key"):
            self.documents.delete(request["s3_key"])
            self.requests.update(national_code, tracking_no, "REMOVE s3_key")
        if request.get("document_id"):
            self.requests.set_document_status(request["document_id"], "withdrawn", iso(now))

    def verify(self, document_id: str) -> dict:
        from chalicelib.domain.identifiers import mask_national_code

        document = self.requests.get_document(document_id) if document_id.isalnum() and len(document_id) < 40 else None
        if not document:
            raise NotFound("No document was issued with this id.", code="not_found")
        status = document.get("status", "valid")
        first, last = document.get("first_name", ""), document.get("last_name", "")
        return {
            "document_id": document_id,
            "status": status,
            "valid": status == "valid",
            "tracking_no": document["tracking_no"],
            "kind": document["kind"],
            "issued_at": document["issued_at"],
            "issued_at_jalali": jalali_or_none(document["issued_at"]),
            "holder": {"national_code_masked": mask_national_code(document["national_code"]),
                       "name_masked": f"{first[:1]}… {last}".strip()},
            "sha256": document["sha256"],
            "size": document.get("size"),
        }

    def _timeline(self, national_code: str, kind: str, details: dict) -> None:
        self.activity.append(national_code, kind, iso_precise(self.clock.now()), details)


def new_document_id() -> str:
    # Crockford base32 without look-alikes; 12 characters, 60 bits: unguessable, short enough for a URL.
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))
