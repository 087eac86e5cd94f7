"""The local stack's outbox (`.local/outbox.jsonl`, one JSON object per line): what would have been sent by SMS or
to the e-mailbox, for people and tests to read."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading

_append_lock = threading.Lock()


class OutboxFile:
    def __init__(self, path: str):
        self.path = path

    def append(self, channel: str, to: str, text: str, message_id: str | None = None, **extra) -> bool:
        """Add one line; with a message id, only if no line has it yet (a retried step sends once). True if added."""
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = {"channel": channel, "to": to, "text": text, "at": at, **extra}
        if message_id:
            fields["message_id"] = message_id
        line = json.dumps(fields, ensure_ascii=False)
        with _append_lock, open(self.path, "a+", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)  # the API process and the stack's workers share the file
            if message_id:
                out.seek(0)
                marker = json.dumps(message_id)
                if any(f'"message_id": {marker}' in earlier for earlier in out):
                    return False
            out.write(line + "\n")
        return True
