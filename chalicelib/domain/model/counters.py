"""Small records that guard the service: failure counters for throttling and remembered idempotent answers."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FailureCount:
    failures: int
    last_failure_at: int
    expires_at: int  # the end of the quiet window; a count past it is forgotten even before TTL removes it
    alerted_at: int | None = None  # the person was told someone keeps failing, in this window
    locked_until: int = 0  # stored by attempts taken (Throttles.take), so a condition in storage can test it
    # Counts kept inside this one (an inquiry client's per identifier), so one read and one write serve both.
    within: dict = field(default_factory=dict, compare=False)
    version: int = field(default=0, compare=False)  # bumped by every attempt taken: the compare-and-set's witness

    def current(self, now: int) -> "FailureCount | None":
        return self if self.expires_at > now else None

    def inner(self, sub: str, now: int) -> "FailureCount | None":
        found = self.within.get(sub)
        return found.current(now) if found else None


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str
    expires_at: int
    response: dict | None = None  # None while the first request is still being handled
    lease_until: int = 0  # a request still being handled holds the key until then; a retry after it takes over
    reference: str | None = None  # what the first attempt reserved (a tracking number), reused by a takeover
    mine: bool = False  # this call holds the claim


@dataclass(frozen=True)
class IdempotentAnswer:
    """The answer to record with the change it describes, in the same step: a retry then replays it."""

    owner: str
    key: str
    fingerprint: str
    response: dict
