"""An employer's monthly list once it is in: which list a workshop's month currently stands on, and what one batch
of its rows changes in the registry."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.model.objections import RecordChange
from chalicelib.domain.service_days import Contribution


class ListStatus(str, Enum):
    RECEIVED = "received"      # asked for an upload, or some of its files are still on their way
    PROCESSING = "processing"
    PROCESSED = "processed"
    REJECTED = "rejected"      # nothing taken: unreadable, or a list-level rule failed
    DUPLICATE = "duplicate"    # the same list (byte for byte) already stands for its workshop's month

    @property
    def final(self) -> bool:
        return self in (ListStatus.PROCESSED, ListStatus.REJECTED, ListStatus.DUPLICATE)


@dataclass(frozen=True)
class WorkshopMonth:
    workshop_code: str
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}/{self.month:02d}"


class Claim(str, Enum):
    GO = "go"                # write the rows, then commit
    DONE = "done"            # this very list already stands for the month (a replayed event)
    DUPLICATE = "duplicate"  # another list with the same bytes stands for the month
    BUSY = "busy"            # another list is being written for the month right now: try again later


@dataclass(frozen=True)
class MonthClaim:
    """What the ledger answered: go (with the list the month stood on before, to replace), or why not."""

    outcome: Claim
    previous_list: str | None = None  # GO: the list being replaced; DUPLICATE: the list already standing


@dataclass
class RegistryBatch:
    """One batch of a list's rows as registry writes. Written in two steps so that a crash between them loses
    nothing: first the records of change (a retry finds the rows already written and would not know what they
    were), then the rows and profiles. Every item has a key fixed by the list, so writing a batch twice is writing
    it once."""

    contributions: list[tuple[str, Contribution]] = field(default_factory=list)
    removals: list[tuple[str, WorkshopMonth]] = field(default_factory=list)
    profiles: list[InsuredProfile] = field(default_factory=list)
    changes: list[RecordChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.contributions or self.removals or self.profiles or self.changes)
