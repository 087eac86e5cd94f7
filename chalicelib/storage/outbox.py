"""The local stack's outbox (`.local/outbox.jsonl`, one JSON object per line): what would have been sent by SMS or
to the e-mailbox, for people and tests to read."""
from __future__ import annotations

import datetime as dt
import json
import os
import threading

_append_lock = threading.Lock()


class OutboxFile:
    def __init__(self, path: str):
        self.path = path

    def append(self, channel: str, to: str, text: str, **extra) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = json.dumps({"channel": channel, "to": to, "text": text, "at": at, **extra}, ensure_ascii=False)
        with _append_lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
