"""Settling after the load, faults disarmed: the workers drain the queues and the stream; then what AWS and an
operator would do next (the hourly cleanup an hour later, a redrive of the render dead-letter queue); then the
workers drain again."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from devstack.load.storage import scan, storage

if TYPE_CHECKING:
    from devstack.load.stack import LoadStack


def _backlog(services) -> dict:
    from chalicelib.storage.aws import client

    settings = services.settings
    requests = scan(client("dynamodb"), settings.requests_table)
    sqs = client("sqs")
    queued = 0
    for url in (settings.render_queue_url, settings.mailbox_queue_url):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        queued += sum(int(attributes[name]) for name in ("ApproximateNumberOfMessages",
                                                          "ApproximateNumberOfMessagesNotVisible"))
    return {"pending": sum(1 for i in requests if i["sk"].startswith("REQ#") and "#P#" not in i["sk"]
                           and i.get("status") == "pending"),
            "tasks": sum(1 for i in requests if i["pk"].startswith("OUTBOX#")), "queued": queued}


def settle(stack: LoadStack, timeout: float = 60) -> dict:
    """Until nothing moves: the workers drain the queues and the stream; then what AWS and an operator would do
    next: the hourly cleanup an hour later (it sweeps the follow-up tasks the stream gave up) and a redrive of the
    render dead-letter queue (renders that failed three times); then the workers drain again."""
    from chalicelib.domain.clock import Clock
    from chalicelib.storage.aws import client

    done = {"swept": 0, "redriven": 0, "seconds": 0.0}
    started = time.monotonic()

    def quiet(limit: float) -> dict:
        deadline = time.monotonic() + limit
        while True:
            with storage(stack) as services:
                backlog = _backlog(services)
            if not any(backlog.values()) or time.monotonic() > deadline or not stack.alive():
                return backlog
            time.sleep(1)

    backlog = quiet(timeout)
    with storage(stack, clock=Clock(offset_seconds=3600)) as services:
        done["swept"] = services.cleanup.run()["tasks_left_over"]
        sqs = client("sqs")
        dlq = sqs.get_queue_url(QueueName=services.settings.render_queue_url.rsplit("/", 1)[-1] + "-dlq")["QueueUrl"]
        while True:
            messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
            if not messages:
                break
            for m in messages:
                sqs.send_message(QueueUrl=services.settings.render_queue_url, MessageBody=m["Body"])
                sqs.delete_message(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"])
                done["redriven"] += 1
    if done["swept"] or done["redriven"] or any(backlog.values()):
        backlog = quiet(timeout)
    done["left"] = backlog
    done["seconds"] = round(time.monotonic() - started, 1)
    return done
