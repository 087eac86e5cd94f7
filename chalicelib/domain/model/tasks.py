"""Work that must follow a change, written in the same step as the change (an outbox): the follow-up does it at
once, driven by the table's stream; the hourly cleanup does whatever is still left. Done means deleted."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TaskKind(str, Enum):
    RENDER = "render"  # a new request: queue the drawing of its PDF
    MAILBOX = "mailbox"  # the person asked for the e-mailbox: queue the delivery
    REMOVE_PDF = "remove_pdf"  # a deleted or expired request: remove its PDF
    OUTDATE = "outdate"  # a person's records changed (a decided objection, a corrected list): mark the statements


@dataclass(frozen=True)
class FollowUpTask:
    kind: TaskKind
    national_code: str
    tracking_no: str  # the request it is about; for OUTDATE, what changed the records (an objection, a list)
    created_at: int
    since_month: str = ""  # OUTDATE: the earliest changed month, Jalali "YYYY/MM"
