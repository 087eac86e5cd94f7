"""A person's objection to their records (a month missing, or short of days or wages), and the staff's decision."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ObjectionKind(str, Enum):
    MISSING = "missing"
    DEFICIENT = "deficient"


class ObjectionStatus(str, Enum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Attachment:
    key: str  # where the person's file is (uploaded with a presigned PUT of this size and type)
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Correction:
    """A month as the staff member who accepted the objection says it is."""

    year: int
    month: int
    workshop_code: str
    days: int
    wage: int


@dataclass
class Objection:
    tracking_no: str
    national_code: str
    kind: ObjectionKind
    workshop_code: str
    from_month: str  # Jalali "YYYY/MM"
    to_month: str
    description: str
    submitted_at: str
    status: ObjectionStatus = ObjectionStatus.SUBMITTED
    attachment: Attachment | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    decision_reason: str | None = None
    corrections: list[Correction] = field(default_factory=list)

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the objection names, from its first to its last month."""
        (y, m), last = (int(p) for p in self.from_month.split("/")), tuple(int(p) for p in self.to_month.split("/"))
        out = []
        while (y, m) <= last:
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


@dataclass(frozen=True)
class RecordChange:
    """Who changed a person's month, from what to what, when and why (kept beside the records)."""

    national_code: str
    year: int
    month: int
    workshop_code: str
    before: dict | None  # {"days", "wage"} or None when the month was missing
    after: dict | None  # None when the month was removed (a corrected list without the person)
    by: str
    at: str
    why: str
    source: str  # "objection <tracking no>" or "list <list id>"
