"""MailboxService: a ready statement handed to the national e-mailbox, retried as SQS redelivers, given up
after the third attempt."""
from __future__ import annotations

import hashlib

import pytest

from chalicelib.domain.model.requests import MailboxStatus
from chalicelib.services.mailbox import DeliveryFailed

from .helpers import MOBILE, NC, follow_tasks, kinds, ready, stored


class DownGateway:
    """An e-mailbox that refuses the first `failures` deliveries (by default all of them)."""

    def __init__(self, failures: int = 10**9):
        self.failures = failures
        self.tries = []
        self.delivered = []

    def deliver(self, delivery, pdf):
        self.tries.append(delivery["tracking_no"])
        if len(self.tries) <= self.failures:
            raise ConnectionError("gateway down")
        self.delivered.append(delivery)
        return f"ref-{len(self.tries)}"


def queued(services) -> str:
    tracking_no = ready(services)
    services.statements.request_mailbox(NC, tracking_no)
    return tracking_no


def deliver_queued(services, attempt: int = 1) -> list:
    """Hand the waiting messages to the worker with SQS's receive count; a failure leaves the message queued."""
    outcomes = []
    follow_tasks(services)  # the e-mailbox ask left a task: its follow-up queues the delivery
    for message in services.adapters.mailbox_queue.take_all():
        try:
            outcomes.append(services.mailbox.deliver(message["national_code"], message["tracking_no"], attempt))
        except DeliveryFailed:
            services.adapters.mailbox_queue.send(message)  # SQS makes it visible again
            outcomes.append("retry")
    return outcomes


def test_a_delivery_reaches_the_mailbox_and_is_recorded(demo):
    tracking_no = queued(demo)
    assert deliver_queued(demo) == ["delivered"]
    delivered = demo.adapters.mailbox_gateway.delivered
    pdf = demo.adapters.files.objects[stored(demo, tracking_no).document.s3_key]
    assert len(delivered) == 1
    assert delivered[0]["tracking_no"] == tracking_no and delivered[0]["mobile"] == MOBILE
    assert delivered[0]["national_code"] == NC and tracking_no in delivered[0]["subject"]
    assert delivered[0]["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    mailbox = demo.statements.item(NC, tracking_no)["mailbox"]
    assert mailbox["status"] == "delivered" and mailbox["attempts"] == 1
    assert mailbox["delivered_at"] == "2025-06-15T08:30:00Z" and mailbox["delivered_at_jalali"] == "1404/03/25"
    entries = [e for e in demo.adapters.timeline.page(NC, None, 50)[0] if e.kind == "mailbox_delivery"]
    assert len(entries) == 1 and entries[0].details["reference"] == f"memory:{delivered[0]['document_id']}"

    # A message SQS delivers again after success is not sent twice.
    assert demo.mailbox.deliver(NC, tracking_no, 2) == "skipped"
    assert len(demo.adapters.mailbox_gateway.delivered) == 1


def test_a_failing_gateway_is_retried_and_given_up_after_the_third_attempt(build, seeded):
    gateway = DownGateway()
    services = seeded(build(mailbox_gateway=gateway))
    tracking_no = queued(services)

    for attempt in (1, 2):
        assert deliver_queued(services, attempt) == ["retry"]
        state = stored(services, tracking_no).mailbox
        assert (state.status, state.attempts, state.last_error) == (MailboxStatus.RETRYING, attempt, "ConnectionError")
        assert "mailbox_failed" not in kinds(services)
    assert deliver_queued(services, 3) == ["retry"]  # SQS moves it to the dead-letter queue after this one

    item = services.statements.item(NC, tracking_no)
    assert item["mailbox"]["status"] == "failed" and item["mailbox"]["attempts"] == 3
    assert item["mailbox"]["delivered_at"] is None
    failed = [e for e in services.adapters.timeline.page(NC, None, 50)[0] if e.kind == "mailbox_failed"]
    assert len(failed) == 1 and failed[0].details == {"tracking_no": tracking_no, "attempts": 3}
    assert gateway.tries == [tracking_no] * 3 and gateway.delivered == []


def test_a_gateway_back_on_the_second_attempt_delivers(build, seeded):
    gateway = DownGateway(failures=1)
    services = seeded(build(mailbox_gateway=gateway))
    tracking_no = queued(services)
    assert deliver_queued(services, 1) == ["retry"]
    assert deliver_queued(services, 2) == ["delivered"]
    mailbox = services.statements.item(NC, tracking_no)["mailbox"]
    assert mailbox["status"] == "delivered" and mailbox["attempts"] == 2
    assert len(gateway.delivered) == 1
    assert "mailbox_failed" not in kinds(services) and "mailbox_delivery" in kinds(services)


def test_a_statement_deleted_while_queued_is_not_delivered(demo):
    tracking_no = queued(demo)
    demo.statements.delete(NC, tracking_no)
    assert deliver_queued(demo) == ["skipped"]
    assert demo.adapters.mailbox_gateway.delivered == []


def test_the_worker_gives_up_on_the_last_attempt_even_if_sqs_counts_past_it(build, seeded):
    services = seeded(build(mailbox_gateway=DownGateway()))
    tracking_no = queued(services)
    with pytest.raises(DeliveryFailed):
        services.mailbox.deliver(NC, tracking_no, 4)
    assert stored(services, tracking_no).mailbox.status is MailboxStatus.FAILED
