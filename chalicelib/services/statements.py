"""Asking for a statement, the inbox, the PDF link, the e-mailbox, deleting, and what /verify answers."""
from __future__ import annotations

import hashlib

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.cursors import decode_cursor, encode_cursor
from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.domain.model.requests import (DocumentStatus, MailboxStatus, RequestStatus, Statement,
                                              StatementRequest)
from chalicelib.domain.ports import (Accounts, DocumentFiles, IdempotencyKeys, Registry, Requests, StaleRequest,
                                     Timeline, WorkQueue)
from chalicelib.domain.presenting import inbox_item, jalali_or_none
from chalicelib.domain.statement_kinds import (AGREEMENT_TEXT, AGREEMENT_VERSION, KINDS, RETENTION_SECONDS, SUBJECT,
                                               SYSTEM, TOMBSTONE_SECONDS)
from chalicelib.services.timeline import entry

IDEMPOTENCY_SECONDS = 86_400
MAX_ATTEMPTS_ON_RACE = 3  # a request changed by another call between read and write is read and decided again


class StatementService:
    def __init__(self, *, requests: Requests, registry: Registry, accounts: Accounts, timeline: Timeline,
                 files: DocumentFiles, render_queue: WorkQueue, mailbox_queue: WorkQueue,
                 idempotency: IdempotencyKeys, clock: Clock):
        self.requests = requests
        self.registry = registry
        self.accounts = accounts
        self.timeline = timeline
        self.files = files
        self.render_queue = render_queue
        self.mailbox_queue = mailbox_queue
        self.idempotency = idempotency
        self.clock = clock

    def request(self, national_code: str, kind: str, agree: bool, idempotency_key: str | None = None) -> dict:
        """Ask for a statement. With an idempotency key, a retry of the same request (a double click, a mobile
        network resending) gets the first answer instead of creating a second statement."""
        if not idempotency_key:
            return self._request(national_code, kind, agree)
        fingerprint = f"{kind}|{agree}"
        earlier = self.idempotency.claim(national_code, idempotency_key, fingerprint, self.clock.epoch(),
                                         IDEMPOTENCY_SECONDS)
        if earlier is not None:
            if earlier.fingerprint != fingerprint:
                raise InvalidValue("This Idempotency-Key was used for a different request.",
                                   code="idempotency_key_reused")
            if earlier.response is None:
                raise Conflict("The same request is still being processed; try again shortly.",
                               code="request_in_progress")
            return earlier.response
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
        profile, contributions = self.registry.career(national_code)
        if not contributions:
            raise Conflict("There are no contribution records to state yet.", code="no_records")
        person = self.accounts.person(national_code)
        now = self.clock.epoch()
        content = snapshot.build(kind, profile, national_code, contributions)
        tracking_no = self.requests.next_tracking_no()
        request = StatementRequest(
            national_code=national_code, tracking_no=tracking_no, kind=kind, status=RequestStatus.PENDING,
            sent_at=iso(now), created_at=now, expires_at=now + RETENTION_SECONDS,
            mobile=person.mobile if person else "", email=person.email if person else None,
            agreement_version=AGREEMENT_VERSION,
            agreement_sha256=hashlib.sha256(AGREEMENT_TEXT.encode()).hexdigest())
        statement = Statement(national_code, tracking_no, snapshot.pack(content), AGREEMENT_TEXT)
        self.requests.add(request, statement, entry(self.clock, national_code, "statement_requested",
                                                    tracking_no=tracking_no, kind=kind))
        self.render_queue.send({"national_code": national_code, "tracking_no": tracking_no})
        return {"tracking_no": tracking_no, "status": request.status.value, "kind": kind, "subject": SUBJECT,
                "system": SYSTEM, "sent_at": request.sent_at, "sent_at_jalali": jalali_or_none(request.sent_at)}

    def inbox(self, national_code: str, cursor: str | None, limit: int = 20) -> dict:
        after = decode_cursor(cursor, max_length=20, pattern=r"[0-9]+") if cursor else None
        requests, last = self.requests.inbox(national_code, after, limit)
        now = self.clock.epoch()
        return {"items": [inbox_item(r, now) for r in requests], "next": encode_cursor(last) if last else None}

    def item(self, national_code: str, tracking_no: str) -> dict:
        return inbox_item(self.live(national_code, tracking_no), self.clock.epoch())

    def live(self, national_code: str, tracking_no: str) -> StatementRequest:
        """The caller's own request; someone else's tracking number is simply not among the caller's."""
        found = self.requests.get(national_code, tracking_no) if tracking_no.isdigit() else None
        if not found or not found.is_live:
            raise NotFound("No such request in your inbox.", code="not_found")
        return found

    def document_url(self, national_code: str, tracking_no: str) -> dict:
        request = self._ready(national_code, tracking_no)
        url = self.files.link(request.document.s3_key, f"sabeghe-{tracking_no}.pdf")
        self.timeline.append(entry(self.clock, national_code, "document_opened", tracking_no=tracking_no))
        return {"url": url, "expires_in": self.files.presign_seconds, "sha256": request.document.sha256,
                "document_id": request.document.document_id}

    def request_mailbox(self, national_code: str, tracking_no: str) -> dict:
        request = self._ready(national_code, tracking_no)
        if not self.requests.queue_mailbox(request, iso(self.clock.epoch())):
            raise NotFound("No such request in your inbox.", code="not_found")
        self.mailbox_queue.send({"national_code": national_code, "tracking_no": tracking_no})
        return {"status": MailboxStatus.QUEUED.value, "tracking_no": tracking_no}

    def _ready(self, national_code: str, tracking_no: str) -> StatementRequest:
        request = self.live(national_code, tracking_no)
        if request.status is not RequestStatus.READY:
            raise Conflict("The statement is not ready yet.", code="statement_not_ready")
        return request

    def delete(self, national_code: str, tracking_no: str) -> None:
        for attempt in range(MAX_ATTEMPTS_ON_RACE):
            request = self.live(national_code, tracking_no)
            now = self.clock.epoch()
            revoked = len(request.live_permits(now))
            try:
                self.requests.delete(request, iso(now), now + TOMBSTONE_SECONDS,
                                     entry(self.clock, national_code, "statement_deleted", tracking_no=tracking_no,
                                           permits_revoked=revoked))
                break
            except StaleRequest:
                if attempt == MAX_ATTEMPTS_ON_RACE - 1:
                    raise Conflict("The statement changed meanwhile; try again.", code="request_changed") from None
        # After that step nothing answers for this request; the PDF goes next. If S3 fails here the tombstone
        # still holds the document and the scheduled cleanup removes it.
        if request.document:
            self.files.delete(request.document.s3_key)
            self.requests.mark_pdf_removed(request, iso(now))
            self.requests.set_document_status(request.document.document_id, DocumentStatus.WITHDRAWN, iso(now))

    def verify(self, document_id: str) -> dict:
        from chalicelib.domain.identifiers import mask_national_code

        document = self.requests.published(document_id) if document_id.isalnum() and len(document_id) < 40 else None
        if not document:
            raise NotFound("No document was issued with this id.", code="not_found")
        return {
            "document_id": document_id,
            "status": document.status.value,
            "valid": document.status is DocumentStatus.VALID,
            "tracking_no": document.tracking_no,
            "kind": document.kind,
            "issued_at": document.issued_at,
            "issued_at_jalali": jalali_or_none(document.issued_at),
            "holder": {"national_code_masked": mask_national_code(document.national_code),
                       "name_masked": f"{document.first_name[:1]}… {document.last_name}".strip()},
            "sha256": document.sha256,
            "size": document.size,
        }
