"""The data behind the in-memory stores, and one lock that makes each call atomic as DynamoDB makes each call."""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field


@dataclass
class MemoryState:
    lock: threading.RLock = field(default_factory=threading.RLock)
    persons: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    session_cuts: dict = field(default_factory=dict)  # subject -> when its password was reset
    profiles: dict = field(default_factory=dict)
    contributions: dict = field(default_factory=dict)  # national code -> {(year, month, workshop): Contribution}
    requests: dict = field(default_factory=dict)  # (national code, tracking no) -> StatementRequest (no permits)
    permits: dict = field(default_factory=dict)  # (national code, tracking no, permit id) -> Permit
    statements: dict = field(default_factory=dict)  # (national code, tracking no) -> Statement
    documents: dict = field(default_factory=dict)  # document id -> PublishedDocument
    grants: dict = field(default_factory=dict)  # grant key -> Grant
    timeline: dict = field(default_factory=dict)  # national code -> {entry id: ActivityEntry}
    throttles: dict = field(default_factory=dict)  # (scope, key) -> FailureCount
    idempotency: dict = field(default_factory=dict)  # (owner, key) -> IdempotencyRecord
    checkpoints: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)  # (kind, national code, tracking no) -> FollowUpTask
    objections: dict = field(default_factory=dict)  # tracking no -> Objection
    record_changes: list = field(default_factory=list)  # RecordChange, in the order written
    sms: dict = field(default_factory=dict)  # message id -> SmsDelivery
    sms_days: dict = field(default_factory=dict)  # UTC day -> messages sent
    tracking_counter: int = 0
    changes: list = field(default_factory=list)  # (before, after) of every permit change, like a table stream


def copied(value):
    """What a store hands out or keeps is never the caller's own object: like a database, not a shared dict."""
    return copy.deepcopy(value)
