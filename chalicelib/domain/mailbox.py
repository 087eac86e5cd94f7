"""Delivering a ready statement to the national e-mailbox, with retries that SQS drives.

A failed attempt is counted and re-raised so the message comes back; after the last attempt the inbox shows
"failed" and the message rests in the dead-letter queue, from which operations can redrive it."""
from __future__ import annotations

from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.statement_kinds import SUBJECT
from chalicelib.logs import log

MAX_ATTEMPTS = 3


class DeliveryFailed(Exception):
    pass


class MailboxService:
    def __init__(self, requests, documents, activity, gateway, clock: Clock):
        self.requests = requests
        self.documents = documents
        self.activity = activity
        self.gateway = gateway
        self.clock = clock

    def deliver(self, national_code: str, tracking_no: str, attempt: int) -> str:
        request = self.requests.get(national_code, tracking_no)
        if not request or request.get("status") != "ready":
            return "skipped"
        mailbox = request.get("mailbox") or {}
        if mailbox.get("status") == "delivered":
            return "skipped"
        delivery = {"national_code": national_code, "mobile": request.get("mobile", ""),
                    "tracking_no": tracking_no, "document_id": request["document_id"], "sha256": request["sha256"],
                    "subject": f"{SUBJECT} — {tracking_no}"}
        try:
            reference = self.gateway.deliver(delivery, self.documents.get_pdf(request["s3_key"]))
        except Exception as exc:  # noqa: BLE001 - any gateway failure is retried the same way
            final = attempt >= MAX_ATTEMPTS
            self.requests.update(
                national_code, tracking_no,
                "SET mailbox.#st = :status, mailbox.attempts = :attempt, mailbox.last_error = :error",
                "#st = :ready", names={"#st": "status"},
                status="failed" if final else "retrying", attempt=attempt, error=type(exc).__name__, ready="ready")
            log("mailbox_delivery_failed", "WARNING", tracking_no=tracking_no, attempt=attempt, final=final,
                error=str(exc)[:200])
            if final:
                self.activity.append(national_code, "mailbox_failed", iso_precise(self.clock.now()),
                                     {"tracking_no": tracking_no, "attempts": attempt})
            raise DeliveryFailed(str(exc)) from exc
        self.requests.update(
            national_code, tracking_no,
            "SET mailbox.#st = :delivered, mailbox.delivered_at = :at, mailbox.attempts = :attempt, "
            "mailbox.gateway_ref = :ref", "#st = :ready", names={"#st": "status"},
            delivered="delivered", at=iso(self.clock.epoch()), attempt=attempt, ref=reference, ready="ready")
        self.activity.append(national_code, "mailbox_delivery", iso_precise(self.clock.now()),
                             {"tracking_no": tracking_no, "reference": reference})
        return "delivered"
