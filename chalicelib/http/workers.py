"""Batches for the worker Lambdas: SQS messages and DynamoDB stream records, each handled on its own, failures
reported per item (`batchItemFailures`) so one bad item never makes the whole batch come back."""
from __future__ import annotations

import json

from chalicelib.logs import log, log_exception


def each_message(event: dict, handle, context=None, reserve_seconds: float = 0) -> dict:
    """With the Lambda context and the time one message may take (`reserve_seconds`), messages that could not
    finish before the function's timeout are handed back untouched instead of being cut off half-way."""
    failures = []
    for record in event.get("Records", []):
        if context is not None and context.get_remaining_time_in_millis() < reserve_seconds * 1000:
            log("message_deferred", message_id=record.get("messageId"))
            failures.append({"itemIdentifier": record.get("messageId")})
            continue
        attempt = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
        try:
            body = json.loads(record["body"])
            if not isinstance(body, dict):
                raise ValueError("not a JSON object")
        except (ValueError, KeyError, TypeError):
            log_exception("message_malformed", message_id=record.get("messageId"))  # retrying will not help
            continue
        try:
            outcome = handle(body, attempt)
            log("message_handled", message_id=record.get("messageId"), outcome=outcome, attempt=attempt)
        except Exception:  # noqa: BLE001 - whatever failed may work next time; the DLQ keeps what never does
            log_exception("message_failed", message_id=record.get("messageId"), attempt=attempt)
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}


def each_change(event: dict, handle) -> dict:
    """Stream records in order; at the first failure, report it and stop: Lambda retries the batch from that record,
    so every change is handled in order, at least once."""
    outcomes: dict[str, int] = {}
    for record in event.get("Records", []):
        sequence = (record.get("dynamodb") or {}).get("SequenceNumber")
        try:
            outcome = handle(record)
        except Exception:  # noqa: BLE001
            log_exception("change_failed", sequence=sequence, handled=outcomes)
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # One line per batch, not per record: a view's own record is its timeline entry.
    log("changes_handled", records=len(event.get("Records", [])), outcomes=outcomes)
    return {"batchItemFailures": []}


def uploaded_keys(event: dict) -> list[str]:
    """The object keys of an S3 object-created event: EventBridge's (one object, `detail.object.key`) or a bucket
    notification's (`Records`, keys URL-encoded with + for a space)."""
    from urllib.parse import unquote_plus

    if event.get("source") == "aws.s3":
        return [event["detail"]["object"]["key"]]
    return [unquote_plus(r["s3"]["object"]["key"]) for r in event.get("Records", []) if r.get("eventSource") == "aws:s3"]
