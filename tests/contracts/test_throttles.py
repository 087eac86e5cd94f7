"""Throttles: failures counted atomically per policy and key; a window that has passed starts over."""
from __future__ import annotations

from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.throttling import INQUIRY_PER_ADDRESS as ADDRESS
from chalicelib.domain.throttling import INQUIRY_PER_CLIENT, LOGIN_PER_ACCOUNT, LOGIN_PER_ACCOUNT_AND_CLIENT
from chalicelib.domain.throttling import INQUIRY_PER_IDENTIFIER_AND_CLIENT as PAIR

from .builders import HOLDER, NOW, OTHER, at_once

POLICY = LOGIN_PER_ACCOUNT_AND_CLIENT
KEY = f"{HOLDER}|198.51.100.7"


def test_no_failures(store):
    assert store.throttles.count(POLICY, KEY) is None


def test_failures_count_up_within_the_window(store):
    assert [store.throttles.record_failure(POLICY, KEY, NOW + i * 10) for i in range(4)] == [1, 2, 3, 4]
    assert store.throttles.count(POLICY, KEY) == FailureCount(4, NOW + 30, NOW + 30 + POLICY.window)


def test_each_failure_moves_the_window_on(store):
    store.throttles.record_failure(POLICY, KEY, NOW)
    assert store.throttles.record_failure(POLICY, KEY, NOW + POLICY.window - 1) == 2
    assert store.throttles.record_failure(POLICY, KEY, NOW + 2 * POLICY.window - 2) == 3


def test_a_passed_window_starts_over(store):
    for i in range(3):
        store.throttles.record_failure(POLICY, KEY, NOW + i)
    end = NOW + 2 + POLICY.window
    assert store.throttles.record_failure(POLICY, KEY, end) == 1
    assert store.throttles.count(POLICY, KEY) == FailureCount(1, end, end + POLICY.window)
    assert store.throttles.record_failure(POLICY, KEY, end + 1) == 2


def test_a_count_past_its_window_is_read_but_not_current(store):
    store.throttles.record_failure(POLICY, KEY, NOW)
    count = store.throttles.count(POLICY, KEY)
    assert count.current(NOW + POLICY.window - 1) == count
    assert count.current(NOW + POLICY.window) is None


def test_clear(store):
    store.throttles.record_failure(POLICY, KEY, NOW)
    store.throttles.record_failure(POLICY, KEY, NOW + 1)
    store.throttles.clear(POLICY, KEY)
    assert store.throttles.count(POLICY, KEY) is None
    assert store.throttles.record_failure(POLICY, KEY, NOW + 2) == 1
    store.throttles.clear(POLICY, "never-failed")


def test_policies_and_keys_are_counted_apart(store):
    store.throttles.record_failure(POLICY, KEY, NOW)
    store.throttles.record_failure(POLICY, KEY, NOW)
    assert store.throttles.record_failure(LOGIN_PER_ACCOUNT, KEY, NOW) == 1
    assert store.throttles.record_failure(POLICY, f"{OTHER}|198.51.100.7", NOW) == 1
    store.throttles.clear(LOGIN_PER_ACCOUNT, KEY)
    assert store.throttles.count(POLICY, KEY).failures == 2


def test_concurrent_failures_are_all_counted(store):
    counts = at_once(12, lambda i: store.throttles.record_failure(INQUIRY_PER_CLIENT, "203.0.113.50", NOW))
    assert sorted(counts) == list(range(1, 13))
    assert store.throttles.count(INQUIRY_PER_CLIENT, "203.0.113.50").failures == 12


def test_concurrent_failures_after_a_passed_window_are_all_counted(store):
    for _ in range(4):
        store.throttles.record_failure(INQUIRY_PER_CLIENT, "203.0.113.50", NOW)
    later = NOW + INQUIRY_PER_CLIENT.window + 60
    counts = at_once(12, lambda i: store.throttles.record_failure(INQUIRY_PER_CLIENT, "203.0.113.50", later))
    assert sorted(counts) == list(range(1, 13))
    assert store.throttles.count(INQUIRY_PER_CLIENT, "203.0.113.50").failures == 12


def test_the_alert_of_a_window_is_claimed_once_from_the_threshold_on(store):
    from chalicelib.domain.throttling import INQUIRY_PER_IDENTIFIER as POLICY

    for i in range(POLICY.threshold - 1):
        store.throttles.record_failure(POLICY, "0499370899", NOW + i)
    assert store.throttles.claim_alert(POLICY, "0499370899", NOW + 10) is False  # not yet at the threshold
    store.throttles.record_failure(POLICY, "0499370899", NOW + 11)
    assert store.throttles.claim_alert(POLICY, "0499370899", NOW + 12) is True
    assert store.throttles.claim_alert(POLICY, "0499370899", NOW + 13) is False  # once a window
    store.throttles.release_alert(POLICY, "0499370899")  # the message could not be sent
    store.throttles.record_failure(POLICY, "0499370899", NOW + 14)
    assert store.throttles.claim_alert(POLICY, "0499370899", NOW + 15) is True
    later = NOW + 15 + POLICY.window + 1  # a new window: counted afresh, its own alert
    store.throttles.record_failure(POLICY, "0499370899", later)
    assert store.throttles.claim_alert(POLICY, "0499370899", later) is False
    assert store.throttles.count(POLICY, "0499370899").alerted_at is None


# --- attempts taken (a compare-and-set on the count) -------------------------------------------------------------
def test_attempts_are_taken_until_the_policy_locks_the_key(store):
    taken = [store.throttles.take(POLICY, KEY, NOW + i)[0] for i in range(POLICY.threshold + 2)]
    assert taken == [True] * POLICY.threshold + [False, False]
    ok, count = store.throttles.take(POLICY, KEY, NOW + 10)
    assert not ok and count.failures == POLICY.threshold
    assert count.locked_until == NOW + POLICY.threshold - 1 + POLICY.base_lock
    assert store.throttles.take(POLICY, KEY, count.locked_until)[0]  # the lock has passed: one more try


def test_thirty_simultaneous_attempts_get_exactly_the_policys_share_through(store):
    outcomes = at_once(30, lambda i: store.throttles.take(INQUIRY_PER_CLIENT, "203.0.113.9", NOW)[0])
    assert outcomes.count(True) == INQUIRY_PER_CLIENT.threshold
    assert store.throttles.count(INQUIRY_PER_CLIENT, "203.0.113.9").failures == INQUIRY_PER_CLIENT.threshold


def test_a_spent_quota_waits_for_its_window_from_the_first_attempt(store):
    from chalicelib.domain.throttling import SMS_PER_PERSON as QUOTA

    for i in range(QUOTA.threshold):
        assert store.throttles.take(QUOTA, HOLDER, NOW + i * 60)[0]
    ok, count = store.throttles.take(QUOTA, HOLDER, NOW + 3600)
    assert not ok and count.locked_until == NOW + QUOTA.window
    assert store.throttles.take(QUOTA, HOLDER, NOW + QUOTA.window)[0]  # a new window
    assert store.throttles.count(QUOTA, HOLDER).failures == 1



# --- an inquiry address's attempts, with its desks' and identifiers' counts inside --------------------------------
def within(identifier: str, desk: str = "desk:-") -> tuple:
    return ((INQUIRY_PER_CLIENT, desk), (PAIR, identifier))


def test_attempts_within_lock_the_identifier_for_that_client_first_and_the_client_at_its_own_limit(store):
    client = "203.0.113.7"
    took = [store.throttles.take_within(ADDRESS, client, within(HOLDER), NOW)[0] for _ in range(7)]
    assert took == [True] * PAIR.threshold + [False, False]
    assert store.throttles.pass_guard(ADDRESS, client, within(HOLDER), NOW + 1) == PAIR.base_lock - 1
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER), NOW + 1) == 0  # another identifier
    for i in range(INQUIRY_PER_CLIENT.threshold - PAIR.threshold):
        assert store.throttles.take_within(ADDRESS, client, within(f"{i:010d}"), NOW + 2)[0]
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER), NOW + 3) > 0  # the client's own limit
    assert store.throttles.pass_guard(ADDRESS, "203.0.113.8", within(HOLDER), NOW + 3) == 0
    count = store.throttles.count(ADDRESS, client)
    assert count.failures == INQUIRY_PER_CLIENT.threshold and count.within[HOLDER].failures == PAIR.threshold
    assert count.within["desk:-"].failures == INQUIRY_PER_CLIENT.threshold
    later = NOW + 2 + ADDRESS.window
    assert store.throttles.pass_guard(ADDRESS, client, within(HOLDER), later) == 0  # all forgotten


def test_a_desk_locked_by_its_own_failures_leaves_the_other_desks_behind_its_address_be(store):
    client = "203.0.113.30"
    for i in range(INQUIRY_PER_CLIENT.threshold):
        assert store.throttles.take_within(ADDRESS, client, within(f"{i:010d}", "desk:A"), NOW)[0]
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER, "desk:A"), NOW + 1) > 0
    assert not store.throttles.take_within(ADDRESS, client, within(OTHER, "desk:A"), NOW + 1)[0]
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER, "desk:B"), NOW + 1) == 0
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER), NOW + 1) == 0  # the shared count too


def test_all_desks_behind_one_address_together_stop_at_the_address_limit(store):
    client, n = "203.0.113.31", 0
    for desk in ("A", "B", "C", "D"):
        for _ in range(INQUIRY_PER_CLIENT.threshold):
            if n < ADDRESS.threshold:
                assert store.throttles.take_within(ADDRESS, client, within(f"{n:010d}", f"desk:{desk}"), NOW)[0]
            n += 1
    assert not store.throttles.take_within(ADDRESS, client, within(OTHER, "desk:D"), NOW + 1)[0]
    assert store.throttles.pass_guard(ADDRESS, client, within(OTHER, "desk:E"), NOW + 1) == ADDRESS.base_lock - 1
    assert store.throttles.count(ADDRESS, client).failures == ADDRESS.threshold


def test_thirty_simultaneous_guesses_within_get_exactly_five_through_and_a_guard_after_them_is_refused(store):
    outcomes = at_once(30, lambda i: store.throttles.take_within(ADDRESS, "203.0.113.9", within(HOLDER), NOW)[0])
    assert outcomes.count(True) == PAIR.threshold
    assert store.throttles.pass_guard(ADDRESS, "203.0.113.9", within(HOLDER), NOW) > 0
