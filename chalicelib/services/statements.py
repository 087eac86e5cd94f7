"""Asking for a statement, the inbox, the PDF link, the e-mailbox, deleting, and what /verify answers."""
from __future__ import annotations

import hashlib
import secrets

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.cursors import decode_cursor, encode_cursor
from chalicelib.domain.errors import Conflict, InProgress, InvalidValue, NotFound
from chalicelib.domain.model.counters import IdempotentAnswer
from chalicelib.domain.model.requests import (DocumentStatus, MailboxStatus, RequestStatus, Statement,
                                              StatementRequest)
from chalicelib.domain.ports import (Accounts, DocumentFiles, IdempotencyKeys, Registry, Requests, SignatureChecker,
                                     StaleRequest, Timeline)
from chalicelib.domain.presenting import inbox_item, jalali_or_none
from chalicelib.domain.statement_kinds import (AGREEMENT_TEXT, AGREEMENT_VERSION, KINDS, LANGUAGES, RETENTION_SECONDS,
                                               SUBJECT,
                                               SYSTEM, TOMBSTONE_SECONDS)
from chalicelib.services.timeline import entry

IDEMPOTENCY_SECONDS = 86_400
LEASE_SECONDS = 30  # a request still being handled holds its key this long; a retry after that finishes it
MAX_ATTEMPTS_ON_RACE = 3  # a request changed by another call between read and write is read and decided again


class StatementService:
    def __init__(self, *, requests: Requests, registry: Registry, accounts: Accounts, timeline: Timeline,
                 files: DocumentFiles, idempotency: IdempotencyKeys, signatures: SignatureChecker, clock: Clock):
        self.requests = requests
        self.signatures = signatures
        self.registry = registry
        self.accounts = accounts
        self.timeline = timeline
        self.files = files
        self.idempotency = idempotency
        self.clock = clock

    def request(self, national_code: str, kind: str, agree: bool, idempotency_key: str | None = None,
                language: str = "fa") -> dict:
        """Ask for a statement. The request, its statement, its timeline entry, the task that has its PDF drawn
        and the answer for the idempotency key are written in one step. With a key, a retry (a double click, a
        network resending, a process that died half-way) gets the first answer instead of a second statement."""
        if kind not in KINDS:
            raise InvalidValue("kind must be summary, wages or combined.", code="invalid_kind")
        if language not in LANGUAGES:
            raise InvalidValue("language must be fa or en.", code="invalid_language")
        if agree is not True:
            raise InvalidValue("You must accept the agreement (agree: true) to send a statement.",
                               code="agreement_required")
        profile, contributions = self.registry.career(national_code)
        if not contributions:
            raise Conflict("There are no contribution records to state yet.", code="no_records")
        if not idempotency_key:
            return self._add(national_code, kind, language, profile, contributions, self.requests.next_tracking_no(),
                             None)
        # Persian keeps the fingerprint it always had, so a retry across the deploy that added English still matches.
        fingerprint = f"{kind}|{agree}" + ("" if language == "fa" else f"|{language}")
        now = self.clock.epoch()
        claim = self.idempotency.claim(national_code, idempotency_key, fingerprint, now, IDEMPOTENCY_SECONDS,
                                       LEASE_SECONDS)
        if claim.fingerprint != fingerprint:
            raise InvalidValue("This Idempotency-Key was used for a different request.", code="idempotency_key_reused")
        if not claim.mine:
            if claim.response is None:
                raise InProgress("The same request is still being processed; try again shortly.",
                                 retry_after=claim.lease_until - now)
            return claim.response
        tracking_no = claim.reference
        if tracking_no is None:
            tracking_no = self.requests.next_tracking_no()
            if not self.idempotency.reserve(national_code, idempotency_key, tracking_no, claim.lease_until):
                raise InProgress("The same request is still being processed; try again shortly.",
                                 retry_after=LEASE_SECONDS)
        answer = (national_code, idempotency_key, fingerprint)
        try:
            return self._add(national_code, kind, language, profile, contributions, tracking_no, answer)
        except StaleRequest:
            # Written already, by an attempt whose answer never came back (a lost response, a process killed just
            # after): recognise our own request and answer with it.
            written = self.requests.get(national_code, tracking_no)
            if written is None or written.idempotency_key != idempotency_key:
                raise
            response = self._answer(written)
            self.idempotency.complete(national_code, idempotency_key, response)
            return response

    def _add(self, national_code: str, kind: str, language: str, profile, contributions, tracking_no: str,
             answer) -> dict:
        person = self.accounts.person(national_code)
        now = self.clock.epoch()
        content = snapshot.build(kind, profile, national_code, contributions)
        request = StatementRequest(
            national_code=national_code, tracking_no=tracking_no, kind=kind, language=language,
            status=RequestStatus.PENDING,
            sent_at=iso(now), created_at=now, expires_at=now + RETENTION_SECONDS,
            mobile=person.mobile if person else "", email=person.email if person else None,
            agreement_version=AGREEMENT_VERSION, agreement_sha256=hashlib.sha256(AGREEMENT_TEXT.encode()).hexdigest(),
            document_id=new_document_id(), idempotency_key=answer[1] if answer else None)
        response = self._answer(request)
        self.requests.add(request, Statement(national_code, tracking_no, snapshot.pack(content), AGREEMENT_TEXT),
                          entry(self.clock, national_code, "statement_requested", tracking_no=tracking_no, kind=kind),
                          IdempotentAnswer(answer[0], answer[1], answer[2], response) if answer else None)
        return response

    @staticmethod
    def _answer(request: StatementRequest) -> dict:
        return {"tracking_no": request.tracking_no, "status": RequestStatus.PENDING.value, "kind": request.kind,
                "language": request.language, "subject": SUBJECT, "system": SYSTEM, "sent_at": request.sent_at,
                "sent_at_jalali": jalali_or_none(request.sent_at)}

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
        """Ask for the e-mailbox once: asking again while it is on its way, or after it arrived, answers with where
        it stands instead of sending it again."""
        request = self._ready(national_code, tracking_no)
        if self.requests.queue_mailbox(request, iso(self.clock.epoch())):
            return {"status": MailboxStatus.QUEUED.value, "tracking_no": tracking_no}
        return {"status": self._ready(national_code, tracking_no).mailbox.status.value, "tracking_no": tracking_no}

    def _ready(self, national_code: str, tracking_no: str) -> StatementRequest:
        request = self.live(national_code, tracking_no)
        if request.status is not RequestStatus.READY:
            raise Conflict("The statement is not ready yet.", code="statement_not_ready")
        return request

    def delete(self, national_code: str, tracking_no: str) -> None:
        """One step removes every grant, withdraws the document (/verify says so at once) and leaves the task that
        removes the PDF (done at once by the follow-up, or within the hour by the cleanup)."""
        for attempt in range(MAX_ATTEMPTS_ON_RACE):
            request = self.live(national_code, tracking_no)
            now = self.clock.epoch()
            try:
                self.requests.delete(request, iso(now), now + TOMBSTONE_SECONDS,
                                     entry(self.clock, national_code, "statement_deleted", tracking_no=tracking_no,
                                           permits_revoked=len(request.live_permits(now))))
                return
            except StaleRequest:
                if attempt == MAX_ATTEMPTS_ON_RACE - 1:
                    raise Conflict("The statement changed meanwhile; try again.", code="request_changed") from None

    def verify(self, document_id: str) -> dict:
        from chalicelib.domain.identifiers import mask_national_code
        from chalicelib.domain.signature_views import recorded_signature

        document = self._published(document_id)
        return {
            "document_id": document_id,
            "status": document.status.value,
            "valid": document.status is DocumentStatus.VALID,
            "tracking_no": document.tracking_no,
            "kind": document.kind,
            "language": document.language,
            "issued_at": document.issued_at,
            "issued_at_jalali": jalali_or_none(document.issued_at),
            "holder": {"national_code_masked": mask_national_code(document.national_code),
                       "name_masked": f"{document.first_name[:1]}… {document.last_name}".strip()},
            "sha256": document.sha256,
            "size": document.size,
            "signature": recorded_signature(document.signature),
        }

    def check_file(self, document_id: str, pdf: bytes) -> dict:
        """A file someone holds, held against what was issued under the id: whether it is that very file (its
        SHA-256), and what its own signature says, checked now against the service's trust root. The bytes are
        neither kept nor logged."""
        from chalicelib.domain.signature_views import file_signature

        document = self._published(document_id)
        report = self.signatures.check(pdf)
        sha256 = hashlib.sha256(pdf).hexdigest()
        return {"document_id": document_id, "status": document.status.value,
                "valid": document.status is DocumentStatus.VALID, "sha256": sha256, "size": len(pdf),
                "same_file": sha256 == document.sha256, "signature": file_signature(report, document.signature)}

    def _published(self, document_id: str):
        document = self.requests.published(document_id) if document_id.isalnum() and len(document_id) < 40 else None
        if not document:
            raise NotFound("No document was issued with this id.", code="not_found")
        return document


def new_document_id() -> str:
    """Crockford base32 without look-alikes; 12 characters, 60 bits: unguessable, short enough for a URL. Chosen when
    the statement is asked for, so every attempt to draw it writes the same object."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))
