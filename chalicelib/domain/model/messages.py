"""Text messages the service sends, as their delivery is tracked (never their text: it may hold a one-time code)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SmsStatus(str, Enum):
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"  # the day's spending cap was reached: operations decide (the message rests in the dead-letter queue)


@dataclass
class SmsDelivery:
    message_id: str
    mobile_masked: str
    status: SmsStatus
    attempts: int
    queued_at: str
    expires_at: int
    provider_ref: str | None = None
    last_error: str | None = None
    sent_at: str | None = None
