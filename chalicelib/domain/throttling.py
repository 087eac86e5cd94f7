"""When repeated failures lock a key, and for how long.

Locks grow exponentially but are capped, and the failure count is forgotten after a quiet window, so an
attacker can slow a person down but never lock them out for good."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.model.counters import FailureCount


@dataclass(frozen=True)
class Policy:
    scope: str
    threshold: int  # failures allowed before the first lock
    base_lock: int  # seconds of the first lock
    max_lock: int  # seconds: no lock is ever longer
    window: int  # seconds of quiet after which failures are forgotten

    def lock_seconds(self, failures: int) -> int:
        if failures < self.threshold:
            return 0
        return min(self.max_lock, self.base_lock * 2 ** (failures - self.threshold))

    def retry_after(self, failures: int, last_failure_at: int, now: int) -> int:
        """Seconds until the key may try again; 0 when it may try now."""
        lock = self.lock_seconds(failures)
        if not lock:
            return 0
        return min(lock, max(0, last_failure_at + lock - now))


# A person's own device: tight. The account as a whole (many addresses): looser, and short.
LOGIN_PER_ACCOUNT_AND_CLIENT = Policy("login-ac", threshold=5, base_lock=30, max_lock=900, window=3600)
LOGIN_PER_ACCOUNT = Policy("login-a", threshold=20, base_lock=30, max_lock=300, window=3600)
STAFF_LOGIN = Policy("staff-login", threshold=5, base_lock=60, max_lock=900, window=3600)
INQUIRY_PER_IDENTIFIER = Policy("inq-id", threshold=5, base_lock=30, max_lock=3600, window=6 * 3600)
INQUIRY_PER_CLIENT = Policy("inq-ip", threshold=20, base_lock=30, max_lock=3600, window=6 * 3600)


def retry_after(policy: Policy, count: FailureCount | None, now: int) -> int:
    """Seconds the key must wait given its stored count (a count whose window has passed is forgotten)."""
    if count is None or count.current(now) is None:
        return 0
    return policy.retry_after(count.failures, count.last_failure_at, now)
