"""The PDF worker: turns a pending request into a stored, signed, verifiable document.

Idempotent: a message for a request that is no longer pending (already rendered, deleted) does nothing, and every
attempt writes the same object (the document id is chosen with the request), so SQS redelivering a message, or a
worker that died between storing the PDF and publishing it, leaves one PDF, never an orphan. The signature is part of
that: it is dated with the issue time and made deterministically, so a second draw signs to the same bytes."""
from __future__ import annotations

import hashlib
from typing import Callable

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.model.requests import IssuedDocument, PublishedDocument, RequestStatus
from chalicelib.domain.ports import DocumentFiles, DocumentSigner, Requests, StaleRequest
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.logs import log, log_exception
from chalicelib.services.timeline import entry

FAILURE_TEXT = "The statement could not be produced; please ask again."


class RenderService:
    def __init__(self, *, requests: Requests, files: DocumentFiles, renderer: Callable[[dict, str, str], bytes],
                 signer: DocumentSigner, verify_base_url: str, clock: Clock):
        self.requests = requests
        self.files = files
        self.renderer = renderer  # (statement, verify_url, language) -> PDF bytes
        self.signer = signer
        self.verify_base_url = verify_base_url.rstrip("/")
        self.clock = clock

    def render(self, national_code: str, tracking_no: str) -> str:
        request = self.requests.get(national_code, tracking_no)
        statement = self.requests.statement(national_code, tracking_no) if request else None
        if not request or request.status is not RequestStatus.PENDING or statement is None:
            return "skipped"
        document_id = request.document_id
        # The statement is the record as it stood when asked for, and is issued as of then: the same request always
        # draws the same bytes, so a twin delivery overwrites the object with what was published, not other bytes.
        issued_at = request.sent_at
        content = snapshot.unpack(statement.statement_z)
        verify_url = f"{self.verify_base_url}/verify/{document_id}"
        try:
            pdf = self.renderer({**content, "tracking_no": tracking_no, "document_id": document_id,
                                 "issued_at": issued_at, "issued_at_jalali": jalali_or_none(issued_at)}, verify_url,
                                request.language)
        except Exception:  # noqa: BLE001 - a statement that cannot be drawn will not draw on a retry either
            log_exception("render_failed", tracking_no=tracking_no)
            try:
                self.requests.mark_failed(request, FAILURE_TEXT,
                                          entry(self.clock, national_code, "statement_failed", tracking_no=tracking_no))
            except StaleRequest:
                return "skipped"
            return "failed"
        # Outside the try above: a signature that cannot be made now (KMS out of reach, the chain not set up or not
        # the key's) is the deployment's trouble, not the statement's. The message fails, SQS tries it again, and
        # the dead-letter queue's alarm calls the operator; the request stays pending instead of failing for good.
        signed = self.signer.sign(pdf, issued_at)
        pdf = signed.pdf
        sha256 = hashlib.sha256(pdf).hexdigest()
        key = self.files.key_for(national_code, tracking_no, document_id)
        self.files.put(key, pdf, sha256)
        holder = content.get("holder", {})
        try:
            self.requests.publish(
                request,
                IssuedDocument(document_id, key, sha256, len(pdf), iso(self.clock.epoch()), verify_url),
                PublishedDocument(document_id=document_id, tracking_no=tracking_no, national_code=national_code,
                                  kind=request.kind, language=request.language, issued_at=issued_at, sha256=sha256,
                                  size=len(pdf),
                                  first_name=holder.get("first_name", ""), last_name=holder.get("last_name", ""),
                                  signature=signed.signature),
                entry(self.clock, national_code, "statement_ready", tracking_no=tracking_no, document_id=document_id))
        except StaleRequest:
            # Rendered by a twin delivery (same object, published), or deleted meanwhile: then the PDF goes, here
            # and by the deletion's task.
            if not self.requests.get(national_code, tracking_no).is_live:
                self.files.delete(key)
            return "skipped"
        log("statement_ready", tracking_no=tracking_no, document_id=document_id, size=len(pdf),
            certificate_sha256=signed.signature.certificate_sha256)
        return "ready"
