"""IdempotencyKeys: the first claim wins; later ones see its record (with the answer once completed) until it
expires or is released."""
from __future__ import annotations

from chalicelib.domain.model.counters import IdempotencyRecord

from .builders import HOLDER, NOW, OTHER, at_once

DAY = 86_400
KEY = "7f6c1f9e-6b1a-4c55-9d0e-2a7d3c0b9e41"
FINGERPRINT = "combined|True"
ANSWER = {"tracking_no": "1000000042", "status": "pending", "kind": "combined",
          "subject": "اعلام سابقه به موسسات", "sent_at": "2025-06-15T08:30:00Z", "sent_at_jalali": "1404/03/25",
          "attempt": 1, "links": {"inbox": "/v1/me/inbox/1000000042"}}


def test_the_first_claim_wins(store):
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY) is None
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + 1, DAY) == IdempotencyRecord(
        FINGERPRINT, NOW + DAY)


def test_a_later_claim_sees_the_first_fingerprint(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    earlier = store.idempotency.claim(HOLDER, KEY, "summary|True", NOW + 5, DAY)
    assert earlier.fingerprint == FINGERPRINT
    assert earlier.response is None


def test_complete_keeps_the_answer_for_later_claims(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    store.idempotency.complete(HOLDER, KEY, ANSWER)
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + 60, DAY) == IdempotencyRecord(
        FINGERPRINT, NOW + DAY, ANSWER)


def test_the_answer_stored_is_not_the_callers_dict(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    answer = {**ANSWER, "links": dict(ANSWER["links"])}
    store.idempotency.complete(HOLDER, KEY, answer)
    answer["status"] = "ready"
    answer["links"]["inbox"] = "/elsewhere"
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + 1, DAY).response == ANSWER


def test_release_lets_the_key_be_claimed_again(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    store.idempotency.release(HOLDER, KEY)
    assert store.idempotency.claim(HOLDER, KEY, "summary|True", NOW + 5, DAY) is None
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + 6, DAY) == IdempotencyRecord(
        "summary|True", NOW + 5 + DAY)


def test_releasing_an_unknown_key_is_harmless(store):
    store.idempotency.release(HOLDER, "never-claimed")
    assert store.idempotency.claim(HOLDER, "never-claimed", FINGERPRINT, NOW, DAY) is None


def test_an_expired_claim_can_be_claimed_again(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    store.idempotency.complete(HOLDER, KEY, ANSWER)
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + DAY - 1, DAY).response == ANSWER
    assert store.idempotency.claim(HOLDER, KEY, "wages|True", NOW + DAY, DAY) is None
    assert store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW + DAY + 1, DAY) == IdempotencyRecord(
        "wages|True", NOW + 2 * DAY)


def test_keys_are_kept_apart_by_owner(store):
    store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY)
    assert store.idempotency.claim(OTHER, KEY, "summary|True", NOW, DAY) is None
    store.idempotency.complete(OTHER, KEY, {"tracking_no": "1000000043"})
    store.idempotency.release(HOLDER, KEY)
    assert store.idempotency.claim(OTHER, KEY, "summary|True", NOW + 1, DAY).response == {"tracking_no": "1000000043"}


def test_concurrent_claims_have_one_winner(store):
    outcomes = at_once(8, lambda i: store.idempotency.claim(HOLDER, KEY, FINGERPRINT, NOW, DAY))
    assert outcomes.count(None) == 1
    assert all(o == IdempotencyRecord(FINGERPRINT, NOW + DAY) for o in outcomes if o is not None)
