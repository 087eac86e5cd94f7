"""Structured JSON logs: one line per event on stdout (CloudWatch on Lambda), secrets never written.

Fields whose names suggest a secret are replaced before the line is built, so a careless `log(...)` call
cannot leak a password, passcode, one-time code or token."""
from __future__ import annotations

import json
import os
import sys
import time

_SECRET_HINTS = ("password", "passcode", "otp", "token", "secret", "authorization", "cookie")
_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


def redact(fields: dict) -> dict:
    return {
        key: ("[redacted]" if any(h in key.lower() for h in _SECRET_HINTS) else value)
        for key, value in fields.items()
    }


def log(event: str, level: str = "INFO", **fields) -> None:
    if _LEVELS.get(level, 20) < _LEVELS.get(os.environ.get("LOG_LEVEL", "INFO"), 20):
        return
    line = {"ts": round(time.time(), 3), "level": level, "event": event, **redact(fields)}
    # sys.stdout is looked up on every call so test capture and Lambda's redirected stream both work.
    sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


def log_exception(event: str, **fields) -> None:
    import traceback

    log(event, "ERROR", traceback=traceback.format_exc(limit=20), **fields)
