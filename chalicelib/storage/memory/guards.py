"""Throttle counters, idempotency records, checkpoints and SMS delivery records, in memory."""
from __future__ import annotations

import dataclasses

from chalicelib.domain.model.counters import FailureCount, IdempotencyRecord
from chalicelib.domain.model.messages import SmsDelivery
from chalicelib.domain.ports import Checkpoints, IdempotencyKeys, SmsDeliveries, Throttles
from chalicelib.domain import throttling
from chalicelib.domain.throttling import Inner, Policy
from chalicelib.storage.memory.state import MemoryState, copied


class MemoryThrottles(Throttles):
    def __init__(self, state: MemoryState):
        self.state = state

    def count(self, policy: Policy, key: str) -> FailureCount | None:
        with self.state.lock:
            return self.state.throttles.get((policy.scope, key))

    def record_failure(self, policy: Policy, key: str, now: int) -> int:
        with self.state.lock:
            earlier = self.state.throttles.get((policy.scope, key))
            if earlier and earlier.expires_at > now:
                counted = FailureCount(earlier.failures + 1, now, now + policy.window, earlier.alerted_at)
            else:
                counted = FailureCount(1, now, now + policy.window)
            self.state.throttles[(policy.scope, key)] = counted
            return counted.failures

    def take(self, policy: Policy, key: str, now: int) -> tuple[bool, FailureCount | None]:
        with self.state.lock:
            count = self.state.throttles.get((policy.scope, key))
            if throttling.retry_after(policy, count, now):
                return False, count
            after = throttling.after_attempt(policy, count, now)
            self.state.throttles[(policy.scope, key)] = after
            return True, after

    def take_within(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> tuple[bool, int]:
        with self.state.lock:
            count = self.state.throttles.get((policy.scope, key))
            wait = throttling.wait_within(policy, inners, count, now)
            if wait:
                return False, wait
            self.state.throttles[(policy.scope, key)] = throttling.after_attempt_within(policy, inners, count, now)
            return True, 0

    def pass_guard(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> int:
        with self.state.lock:
            return throttling.wait_within(policy, inners, self.state.throttles.get((policy.scope, key)), now)

    def claim_alert(self, policy: Policy, key: str, now: int) -> bool:
        with self.state.lock:
            count = self.state.throttles.get((policy.scope, key))
            if not count or count.expires_at <= now or count.failures < policy.threshold or count.alerted_at:
                return False
            self.state.throttles[(policy.scope, key)] = dataclasses.replace(count, alerted_at=now)
            return True

    def release_alert(self, policy: Policy, key: str) -> None:
        with self.state.lock:
            count = self.state.throttles.get((policy.scope, key))
            if count:
                self.state.throttles[(policy.scope, key)] = dataclasses.replace(count, alerted_at=None)

    def clear(self, policy: Policy, key: str) -> None:
        with self.state.lock:
            self.state.throttles.pop((policy.scope, key), None)


class MemoryIdempotencyKeys(IdempotencyKeys):
    def __init__(self, state: MemoryState):
        self.state = state

    def claim(self, owner: str, key: str, fingerprint: str, now: int, ttl: int, lease: int) -> IdempotencyRecord:
        with self.state.lock:
            earlier = self.state.idempotency.get((owner, key))
            if earlier is None or earlier.expires_at <= now:
                fresh = IdempotencyRecord(fingerprint, now + ttl, lease_until=now + lease)
                self.state.idempotency[(owner, key)] = fresh
                return dataclasses.replace(fresh, mine=True)
            if earlier.response is not None or earlier.lease_until > now:
                return copied(earlier)
            taken = dataclasses.replace(earlier, lease_until=now + lease)
            self.state.idempotency[(owner, key)] = taken
            return dataclasses.replace(copied(taken), mine=True)

    def reserve(self, owner: str, key: str, reference: str, lease_until: int) -> bool:
        with self.state.lock:
            earlier = self.state.idempotency.get((owner, key))
            if earlier is None or earlier.lease_until != lease_until or earlier.response is not None:
                return False
            self.state.idempotency[(owner, key)] = dataclasses.replace(earlier, reference=reference)
            return True

    def complete(self, owner: str, key: str, response: dict) -> None:
        with self.state.lock:
            earlier = self.state.idempotency[(owner, key)]
            self.state.idempotency[(owner, key)] = dataclasses.replace(earlier, response=copied(response), mine=False)

    def release(self, owner: str, key: str) -> None:
        with self.state.lock:
            self.state.idempotency.pop((owner, key), None)


class MemoryCheckpoints(Checkpoints):
    def __init__(self, state: MemoryState):
        self.state = state

    def get(self, name: str) -> dict | None:
        with self.state.lock:
            return copied(self.state.checkpoints.get(name))

    def put(self, name: str, data: dict) -> None:
        with self.state.lock:
            self.state.checkpoints[name] = copied(data)


class MemorySmsDeliveries(SmsDeliveries):
    def __init__(self, state: MemoryState):
        self.state = state

    def get(self, message_id: str) -> SmsDelivery | None:
        with self.state.lock:
            return copied(self.state.sms.get(message_id))

    def save(self, delivery: SmsDelivery) -> None:
        with self.state.lock:
            self.state.sms[delivery.message_id] = copied(delivery)

    def count_send(self, day: str, now: int) -> int:
        with self.state.lock:
            self.state.sms_days[day] = self.state.sms_days.get(day, 0) + 1
            return self.state.sms_days[day]
