"""The PDF worker: turns a pending request into a stored, verifiable document.

Idempotent: a message for a request that is no longer pending (already rendered, deleted) does nothing, so
SQS redelivering a message is harmless."""
from __future__ import annotations

import hashlib

from chalicelib.domain import snapshot
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import NotFound
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.domain.statements import new_document_id
from chalicelib.logs import log, log_exception


class RenderService:
    def __init__(self, requests, documents, activity, tx, renderer, verify_base_url: str, clock: Clock):
        self.requests = requests
        self.documents = documents
        self.activity = activity
        self.tx = tx
        self.renderer = renderer  # render_statement(statement: dict, verify_url: str) -> bytes
        self.verify_base_url = verify_base_url.rstrip("/")
        self.clock = clock

    def render(self, national_code: str, tracking_no: str) -> str:
        request = self.requests.get(national_code, tracking_no)
        if not request or request.get("status") != "pending":
            return "skipped"
        now = self.clock.epoch()
        document_id = new_document_id()
        statement = snapshot.unpack(request["statement_z"])
        verify_url = f"{self.verify_base_url}/verify/{document_id}"
        try:
            pdf = self.renderer({**statement, "tracking_no": tracking_no, "document_id": document_id,
                                 "issued_at": iso(now), "issued_at_jalali": jalali_or_none(iso(now))}, verify_url)
        except Exception:  # noqa: BLE001 - a statement that cannot be drawn will not draw on a retry either
            log_exception("render_failed", tracking_no=tracking_no)
            self.requests.update(national_code, tracking_no, "SET #st = :failed, failure = :why", "#st = :pending",
                                 names={"#st": "status"}, failed="failed", pending="pending",
                                 why="The statement could not be produced; please ask again.")
            self.activity.append(national_code, "statement_failed", iso_precise(self.clock.now()),
                                 {"tracking_no": tracking_no})
            return "failed"
        sha256 = hashlib.sha256(pdf).hexdigest()
        key = self.documents.key_for(national_code, tracking_no, document_id)
        self.documents.put_pdf(key, pdf, sha256)
        holder = statement.get("holder", {})
        try:
            self.tx.publish(
                request,
                {"status": "ready", "document_id": document_id, "s3_key": key, "sha256": sha256, "size": len(pdf),
                 "ready_at": iso(now), "verify_url": verify_url},
                {"document_id": document_id, "tracking_no": tracking_no, "national_code": national_code,
                 "kind": request["kind"], "issued_at": iso(now), "sha256": sha256, "size": len(pdf),
                 "status": "valid", "first_name": holder.get("first_name", ""),
                 "last_name": holder.get("last_name", "")},
                self.activity.new_item(national_code, "statement_ready", iso_precise(self.clock.now()),
                                       {"tracking_no": tracking_no, "document_id": document_id}),
            )
        except NotFound:
            self.documents.delete(key)  # deleted (or rendered by a twin delivery) meanwhile: leave nothing behind
            return "skipped"
        log("statement_ready", tracking_no=tracking_no, document_id=document_id, size=len(pdf))
        return "ready"
