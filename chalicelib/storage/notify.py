"""Outgoing messages. Production sends SMS through SNS; the local stack appends to the contract's outbox file
(`.local/outbox.jsonl`, one JSON object per line) so people and tests can read what was sent."""
from __future__ import annotations

import datetime as dt
import json
import os
import threading

_append_lock = threading.Lock()


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class OutboxFile:
    def __init__(self, path: str):
        self.path = path

    def append(self, channel: str, to: str, text: str, **extra) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        line = json.dumps({"channel": channel, "to": to, "text": text, "at": _now_iso(), **extra}, ensure_ascii=False)
        with _append_lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")


class OutboxSms:
    def __init__(self, outbox: OutboxFile):
        self.outbox = outbox

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append("sms", mobile, text)


class SnsSms:
    def send(self, mobile: str, text: str) -> None:
        from chalicelib.storage.aws import client

        client("sns").publish(
            PhoneNumber="+98" + mobile[1:],
            Message=text,
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )
