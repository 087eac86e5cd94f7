"""Delivering a ready statement to the national e-mailbox, with retries that SQS drives.

A failed attempt is counted and re-raised so the message comes back; after the last attempt the inbox shows
"failed" and the message rests in the dead-letter queue, from which operations can redrive it."""
from __future__ import annotations

import dataclasses

from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.model.requests import MailboxStatus, RequestStatus
from chalicelib.domain.ports import DocumentFiles, MailboxGateway, Requests
from chalicelib.domain.statement_kinds import SUBJECT
from chalicelib.logs import log
from chalicelib.services.timeline import entry

MAX_ATTEMPTS = 3


class DeliveryFailed(Exception):
    pass


class MailboxService:
    def __init__(self, *, requests: Requests, files: DocumentFiles, gateway: MailboxGateway, clock: Clock):
        self.requests = requests
        self.files = files
        self.gateway = gateway
        self.clock = clock

    def deliver(self, national_code: str, tracking_no: str, attempt: int) -> str:
        request = self.requests.get(national_code, tracking_no)
        if not request or request.status is not RequestStatus.READY:
            return "skipped"
        if request.mailbox.status is MailboxStatus.DELIVERED:
            return "skipped"
        document = request.document
        delivery = {"national_code": national_code, "mobile": request.mobile, "tracking_no": tracking_no,
                    "document_id": document.document_id, "sha256": document.sha256,
                    "subject": f"{SUBJECT} — {tracking_no}"}
        try:
            reference = self.gateway.deliver(delivery, self.files.get(document.s3_key))
        except Exception as exc:  # noqa: BLE001 - any gateway failure is retried the same way
            final = attempt >= MAX_ATTEMPTS
            state = dataclasses.replace(request.mailbox, status=MailboxStatus.FAILED if final else MailboxStatus.RETRYING,
                                        attempts=attempt, last_error=type(exc).__name__)
            self.requests.record_mailbox(request, state, entry(self.clock, national_code, "mailbox_failed",
                                                               tracking_no=tracking_no, attempts=attempt)
                                         if final else None)
            log("mailbox_delivery_failed", "WARNING", tracking_no=tracking_no, attempt=attempt, final=final,
                error=str(exc)[:200])
            raise DeliveryFailed(str(exc)) from exc
        state = dataclasses.replace(request.mailbox, status=MailboxStatus.DELIVERED, delivered_at=iso(self.clock.epoch()),
                                    attempts=attempt, reference=reference)
        self.requests.record_mailbox(request, state, entry(self.clock, national_code, "mailbox_delivery",
                                                           tracking_no=tracking_no, reference=reference))
        return "delivered"
