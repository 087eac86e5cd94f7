"""The inquiry's read and the cleanup's index, in memory."""
from __future__ import annotations

from chalicelib.domain.clock import utc_day
from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.model.permits import Grant
from chalicelib.domain.ports import ExpiryIndex, InquiryLookup
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
