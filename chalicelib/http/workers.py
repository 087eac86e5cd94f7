"""SQS batches for the worker Lambdas: each message handled on its own, failures reported per message
(`batchItemFailures`) so one bad message never makes SQS redeliver the whole batch."""
from __future__ import annotations

import json

from chalicelib.logs import log, log_exception


def each_message(event: dict, handle) -> dict:
    failures = []
    for record in event.get("Records", []):
        attempt = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
        try:
            body = json.loads(record["body"])
            outcome = handle(body, attempt)
            log("message_handled", message_id=record.get("messageId"), outcome=outcome, attempt=attempt)
        except (ValueError, KeyError, TypeError):
            log_exception("message_malformed", message_id=record.get("messageId"))  # retrying will not help
        except Exception:  # noqa: BLE001
            log_exception("message_failed", message_id=record.get("messageId"), attempt=attempt)
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}
