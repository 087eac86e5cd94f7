"""What the client was answered, statement by statement and permit by permit: the record the invariants
(invariants.py) hold the stack's storage to."""
from __future__ import annotations

import dataclasses

from devstack.load.people import Person


@dataclasses.dataclass
class StatementAsked:
    person: Person
    key: str
    kind: str
    tracking_no: str | None = None  # from the first 201
    answers: list = dataclasses.field(default_factory=list)  # every tracking number a 201 for this key gave
    document_id: str | None = None
    ready: bool = False
    permits: int = 0


@dataclasses.dataclass
class PermitIssued:
    statement: StatementAsked
    key: str
    validity: str
    permit_id: str | None = None
    passcode: str | None = None
    answers: list = dataclasses.field(default_factory=list)  # (permit_id, passcode) of every 201
    views: int = 0  # inquiries with its passcode answered 200
    unanswered: int = 0  # inquiries with its passcode that got a 5xx or no answer (may have counted a view)
