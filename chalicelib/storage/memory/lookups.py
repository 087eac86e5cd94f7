"""The inquiry's read, the cleanup's index and the follow-up tasks left to do, in memory."""
from __future__ import annotations

from chalicelib.domain.clock import utc_day
from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.model.permits import Grant
from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import ExpiryIndex, InquiryLookup, Tasks
from chalicelib.domain.throttling import Policy
from chalicelib.storage.memory.state import MemoryState


class MemoryInquiryLookup(InquiryLookup):
    def __init__(self, state: MemoryState):
        self.state = state

    def find(self, grant_key: str, counters: list[tuple[Policy, str]]) -> tuple[Grant | None, list[FailureCount | None]]:
        with self.state.lock:
            return (self.state.grants.get(grant_key),
                    [self.state.throttles.get((policy.scope, key)) for policy, key in counters])


class MemoryExpiryIndex(ExpiryIndex):
    def __init__(self, state: MemoryState):
        self.state = state

    def grants_due(self, day: str, now: int) -> list[Grant]:
        with self.state.lock:
            return [g for g in self.state.grants.values()
                    if utc_day(g.expires_at).isoformat() == day and g.expires_at <= now]

    def requests_due(self, day: str, now: int) -> list[tuple[str, str]]:
        with self.state.lock:
            return [key for key, r in sorted(self.state.requests.items())
                    if utc_day(r.expires_at).isoformat() == day and r.expires_at <= now]


class MemoryTasks(Tasks):
    def __init__(self, state: MemoryState):
        self.state = state

    def due(self, since: int, until: int) -> list[FollowUpTask]:
        with self.state.lock:
            return sorted((t for t in self.state.tasks.values() if since <= t.created_at <= until),
                          key=lambda t: (t.created_at, t.kind.value, t.tracking_no))

    def done(self, task: FollowUpTask) -> None:
        with self.state.lock:
            self.state.tasks.pop((task.kind, task.national_code, task.tracking_no), None)

    def add_all(self, tasks: list[FollowUpTask]) -> None:
        with self.state.lock:
            for task in tasks:
                self.state.tasks[(task.kind, task.national_code, task.tracking_no)] = task
