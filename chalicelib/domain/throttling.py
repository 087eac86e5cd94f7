"""When repeated attempts lock a key, and for how long.

Two kinds of policy share one shape. Failure locks (logins, inquiries) count failures and grow exponentially but
are capped, and the count is forgotten after a quiet window. Quotas (codes sent by SMS, password hashes) count
every attempt and, once spent, wait out the window. No policy keys on what a stranger can name alone and blocks
the rightful user with it: an institution's correct passcode is never refused for others' junk, and a person's
correct password still works from a device that logged in before (services/accounts.py)."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.model.counters import FailureCount


@dataclass(frozen=True)
class Policy:
    scope: str
    threshold: int  # attempts allowed before the first lock
    base_lock: int  # seconds of the first lock
    max_lock: int  # seconds: no lock is ever longer
    window: int  # seconds of quiet after which the count is forgotten (a quota's: from its first attempt)
    quota: bool = False

    def lock_seconds(self, failures: int) -> int:
        if failures < self.threshold:
            return 0
        return min(self.max_lock, self.base_lock * 2 ** min(failures - self.threshold, 32))

    def retry_after(self, failures: int, last_failure_at: int, now: int) -> int:
        """Seconds until the key may try again; 0 when it may try now."""
        lock = self.lock_seconds(failures)
        if not lock:
            return 0
        return min(lock, max(0, last_failure_at + lock - now))


def quota(scope: str, attempts: int, window: int) -> Policy:
    """`attempts` per `window` seconds: the one after them waits until the window (from the first) has passed."""
    return Policy(scope, threshold=attempts, base_lock=window, max_lock=window, window=window, quota=True)


HOUR, DAY = 3600, 86400

# Logins. A person's own client (an address, or a device that logged in before): tight. The account as a whole,
# from anywhere: loose and short, so strangers can slow the owner by seconds at most; a known device skips it.
LOGIN_PER_ACCOUNT_AND_CLIENT = Policy("login-ac", threshold=5, base_lock=30, max_lock=900, window=HOUR)
LOGIN_PER_ACCOUNT = Policy("login-a", threshold=20, base_lock=10, max_lock=60, window=HOUR)
STAFF_LOGIN = Policy("staff-login", threshold=5, base_lock=60, max_lock=900, window=HOUR)

# Inquiries. Wrong passcodes lock only the client that sent them: for that identifier after five, for every
# identifier after twenty. A client is a desk (a clerk's browser or an institution's program holding a desk token,
# which only a right answer earns: domain/desks.py) or, for everyone behind an address without one, the address;
# all desks behind one address together stop at sixty, so tokens spread a bank branch's typos over its clerks but
# never let an address guess more than three desks' worth. Per identifier alone they are counted to warn the
# person (once per window, by SMS) and never refuse anyone: whoever holds the passcode gets the statement.
INQUIRY_PER_IDENTIFIER_AND_CLIENT = Policy("inq-idc", threshold=5, base_lock=30, max_lock=HOUR, window=6 * HOUR)
INQUIRY_PER_CLIENT = Policy("inq-desk", threshold=20, base_lock=60, max_lock=HOUR, window=6 * HOUR)
INQUIRY_PER_ADDRESS = Policy("inq-ip", threshold=60, base_lock=60, max_lock=HOUR, window=6 * HOUR)
INQUIRY_PER_IDENTIFIER = Policy("inq-id", threshold=5, base_lock=0, max_lock=0, window=6 * HOUR)

# What costs money or CPU on demand: every SMS (registration, password reset) and every password hash.
CODES_PER_CLIENT = quota("codes-ip", 20, HOUR)  # registration and reset attempts from one address, answered or not
SMS_PER_PERSON = quota("sms-nc", 5, DAY)
SMS_PER_MOBILE = quota("sms-m", 5, DAY)
HASHES_PER_CLIENT = quota("hash-ip", 300, 10 * 60)  # argon2 at 64 MiB each: logins, registrations, resets


def retry_after(policy: Policy, count: FailureCount | None, now: int) -> int:
    """Seconds the key must wait given its stored count (a count whose window has passed is forgotten)."""
    if count is None or count.current(now) is None:
        return 0
    if count.locked_until:  # set by Throttles.take
        return max(0, count.locked_until - now)
    return policy.retry_after(count.failures, count.last_failure_at, now)


def after_attempt(policy: Policy, count: FailureCount | None, now: int) -> FailureCount:
    """The count once one more attempt is taken at `now` (a count whose window has passed starts over)."""
    current = count.current(now) if count else None
    failures = (current.failures if current else 0) + 1
    expires = current.expires_at if policy.quota and current else now + policy.window
    lock = policy.lock_seconds(failures)
    if not lock:
        locked_until = 0
    else:
        locked_until = expires if policy.quota else now + lock  # a spent quota waits for its window to end
    return FailureCount(failures, now, expires, current.alerted_at if current else None, locked_until)


Inner = tuple[Policy, str]  # a count kept inside a key's record: its policy and its sub-key


def after_attempt_within(policy: Policy, inners: tuple[Inner, ...], count: FailureCount | None,
                         now: int) -> FailureCount:
    """The count (and each inner count inside it) once one more attempt is taken at `now`; inner counts whose
    window has passed are dropped, so the record stays small."""
    import dataclasses

    outer = after_attempt(policy, count, now)
    within = {k: c for k, c in (count.within.items() if count else ()) if c.current(now)}
    for inner, sub in inners:
        within[sub] = after_attempt(inner, within.get(sub), now)
    return dataclasses.replace(outer, within=within, version=(count.version if count else 0) + 1)


def wait_within(policy: Policy, inners: tuple[Inner, ...], count: FailureCount | None, now: int) -> int:
    """Seconds to wait before the key, and every inner count named, may try again."""
    if count is None:
        return 0
    return max([retry_after(policy, count, now), *(retry_after(inner, count.within.get(sub), now)
                                                   for inner, sub in inners)])
