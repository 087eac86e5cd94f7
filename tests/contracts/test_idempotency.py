"""IdempotencyKeys: the first claim holds the key for a short lease; later claims see its record (with the answer
once there is one); a claim whose holder's lease ran out without an answer (a process that died) is taken over,
keeping what the first holder reserved."""
from __future__ import annotations

from .builders import HOLDER, NOW, OTHER, at_once

DAY = 86_400
LEASE = 30
KEY = "7f6c1f9e-6b1a-4c55-9d0e-2a7d3c0b9e41"
FINGERPRINT = "combined|True"
ANSWER = {"tracking_no": "1000000042", "status": "pending", "kind": "combined",
          "subject": "اعلام سابقه به موسسات", "sent_at": "2025-06-15T08:30:00Z", "sent_at_jalali": "1404/03/25",
          "attempt": 1, "links": {"inbox": "/v1/me/inbox/1000000042"}}


def claim(store, now=NOW, fingerprint=FINGERPRINT, owner=HOLDER, key=KEY):
    return store.idempotency.claim(owner, key, fingerprint, now, DAY, LEASE)


def test_the_first_claim_holds_the_key_and_a_second_sees_it_in_progress(store):
    first = claim(store)
    assert first.mine and first.response is None and first.lease_until == NOW + LEASE
    second = claim(store, NOW + 1)
    assert not second.mine and second.response is None and second.fingerprint == FINGERPRINT


def test_a_later_claim_sees_the_first_fingerprint(store):
    claim(store)
    earlier = claim(store, NOW + 5, "summary|True")
    assert not earlier.mine and earlier.fingerprint == FINGERPRINT


def test_complete_keeps_the_answer_for_later_claims(store):
    claim(store)
    store.idempotency.complete(HOLDER, KEY, ANSWER)
    later = claim(store, NOW + LEASE + 60)  # the lease has long run out: the answer, not a takeover
    assert not later.mine and later.response == ANSWER


def test_the_answer_stored_is_not_the_callers_dict(store):
    claim(store)
    answer = {**ANSWER, "links": dict(ANSWER["links"])}
    store.idempotency.complete(HOLDER, KEY, answer)
    answer["status"] = "ready"
    answer["links"]["inbox"] = "/elsewhere"
    assert claim(store, NOW + 1).response == ANSWER


def test_a_claim_whose_holder_died_is_taken_over_with_what_it_reserved(store):
    first = claim(store)
    assert store.idempotency.reserve(HOLDER, KEY, "1000000042", first.lease_until)
    assert not claim(store, NOW + LEASE - 1).mine  # still within the first holder's lease
    taken = claim(store, NOW + LEASE)
    assert taken.mine and taken.reference == "1000000042" and taken.lease_until == NOW + 2 * LEASE
    # The first holder, waking up, has lost the key: it can no longer reserve under its old lease.
    assert store.idempotency.reserve(HOLDER, KEY, "1000000099", first.lease_until) is False
    assert claim(store, NOW + LEASE + 1).reference == "1000000042"


def test_a_completed_key_is_never_taken_over(store):
    first = claim(store)
    store.idempotency.complete(HOLDER, KEY, ANSWER)
    assert store.idempotency.reserve(HOLDER, KEY, "1000000099", first.lease_until) is False
    assert claim(store, NOW + 10 * LEASE).response == ANSWER


def test_release_lets_the_key_be_claimed_again(store):
    claim(store)
    store.idempotency.release(HOLDER, KEY)
    again = claim(store, NOW + 5, "summary|True")
    assert again.mine and again.fingerprint == "summary|True"


def test_releasing_an_unknown_key_is_harmless(store):
    store.idempotency.release(HOLDER, "never-claimed")
    assert claim(store, key="never-claimed").mine


def test_an_expired_record_can_be_claimed_afresh(store):
    claim(store)
    store.idempotency.complete(HOLDER, KEY, ANSWER)
    assert claim(store, NOW + DAY - 1).response == ANSWER
    fresh = claim(store, NOW + DAY, "wages|True")
    assert fresh.mine and fresh.response is None and fresh.reference is None and fresh.fingerprint == "wages|True"


def test_keys_are_kept_apart_by_owner(store):
    claim(store)
    assert claim(store, fingerprint="summary|True", owner=OTHER).mine
    store.idempotency.complete(OTHER, KEY, {"tracking_no": "1000000043"})
    store.idempotency.release(HOLDER, KEY)
    assert claim(store, NOW + 1, "summary|True", owner=OTHER).response == {"tracking_no": "1000000043"}


def test_concurrent_claims_have_one_winner(store):
    outcomes = at_once(8, lambda i: claim(store))
    assert [o.mine for o in outcomes].count(True) == 1
    assert all(o.fingerprint == FINGERPRINT for o in outcomes)


def test_concurrent_takeovers_have_one_winner(store):
    claim(store)
    outcomes = at_once(8, lambda i: claim(store, NOW + LEASE + 1))
    assert [o.mine for o in outcomes].count(True) == 1
