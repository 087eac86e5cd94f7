"""The PDF worker: turns a pending request into a stored, verifiable document.

Idempotent: a message for a request that is no longer pending (already rendered, deleted) does nothing, so
SQS redelivering a message is harmless."""
from __future__ import annotations

import hashlib
import secrets
from typing import Callable

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.model.requests import IssuedDocument, PublishedDocument, RequestStatus
from chalicelib.domain.ports import DocumentFiles, Requests, StaleRequest
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.logs import log, log_exception
from chalicelib.services.timeline import entry

FAILURE_TEXT = "The statement could not be produced; please ask again."


def new_document_id() -> str:
    # Crockford base32 without look-alikes; 12 characters, 60 bits: unguessable, short enough for a URL.
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class RenderService:
    def __init__(self, *, requests: Requests, files: DocumentFiles, renderer: Callable[[dict, str], bytes],
                 verify_base_url: str, clock: Clock):
        self.requests = requests
        self.files = files
        self.renderer = renderer  # (statement, verify_url) -> PDF bytes
        self.verify_base_url = verify_base_url.rstrip("/")
        self.clock = clock

    def render(self, national_code: str, tracking_no: str) -> str:
        request = self.requests.get(national_code, tracking_no)
        statement = self.requests.statement(national_code, tracking_no) if request else None
        if not request or request.status is not RequestStatus.PENDING or statement is None:
            return "skipped"
        now = self.clock.epoch()
        document_id = new_document_id()
        content = snapshot.unpack(statement.statement_z)
        verify_url = f"{self.verify_base_url}/verify/{document_id}"
        try:
            pdf = self.renderer({**content, "tracking_no": tracking_no, "document_id": document_id,
                                 "issued_at": iso(now), "issued_at_jalali": jalali_or_none(iso(now))}, verify_url)
        except Exception:  # noqa: BLE001 - a statement that cannot be drawn will not draw on a retry either
            log_exception("render_failed", tracking_no=tracking_no)
            try:
                self.requests.mark_failed(request, FAILURE_TEXT,
                                          entry(self.clock, national_code, "statement_failed", tracking_no=tracking_no))
            except StaleRequest:
                return "skipped"
            return "failed"
        sha256 = hashlib.sha256(pdf).hexdigest()
        key = self.files.key_for(national_code, tracking_no, document_id)
        self.files.put(key, pdf, sha256)
        holder = content.get("holder", {})
        try:
            self.requests.publish(
                request,
                IssuedDocument(document_id, key, sha256, len(pdf), iso(now), verify_url),
                PublishedDocument(document_id=document_id, tracking_no=tracking_no, national_code=national_code,
                                  kind=request.kind, issued_at=iso(now), sha256=sha256, size=len(pdf),
                                  first_name=holder.get("first_name", ""), last_name=holder.get("last_name", "")),
                entry(self.clock, national_code, "statement_ready", tracking_no=tracking_no, document_id=document_id))
        except StaleRequest:
            self.files.delete(key)  # deleted (or rendered by a twin delivery) meanwhile: leave nothing behind
            return "skipped"
        log("statement_ready", tracking_no=tracking_no, document_id=document_id, size=len(pdf))
        return "ready"
