"""The list ledger: one list at a time writes a workshop's month, the same bytes again are a duplicate, a list
already standing is a replay, an abandoned claim can be taken over, and a retry of the claimant goes on."""
from __future__ import annotations

import pytest

from chalicelib.domain.model.employer_lists import Claim, MonthClaim, WorkshopMonth

MAY = WorkshopMonth("1234567890", 1403, 5)
STALE = 1200


def test_a_first_list_claims_and_then_stands(store):
    ledger = store.list_ledger
    assert ledger.claim(MAY, "L1", "aaa", 1000, STALE) == MonthClaim(Claim.GO, None)
    assert ledger.standing(MAY) is None
    ledger.commit(MAY, "L1", "aaa", 1010)
    assert ledger.standing(MAY) == "L1"
    assert ledger.claim(MAY, "L1", "aaa", 1020, STALE).outcome is Claim.DONE  # a replayed event


def test_the_same_bytes_under_another_list_are_a_duplicate(store):
    ledger = store.list_ledger
    ledger.claim(MAY, "L1", "aaa", 1000, STALE)
    ledger.commit(MAY, "L1", "aaa", 1010)
    assert ledger.claim(MAY, "L2", "aaa", 1020, STALE) == MonthClaim(Claim.DUPLICATE, "L1")


def test_a_corrected_list_replaces_the_standing_one(store):
    ledger = store.list_ledger
    ledger.claim(MAY, "L1", "aaa", 1000, STALE)
    ledger.commit(MAY, "L1", "aaa", 1010)
    assert ledger.claim(MAY, "L2", "bbb", 1020, STALE) == MonthClaim(Claim.GO, "L1")
    ledger.commit(MAY, "L2", "bbb", 1030)
    assert ledger.standing(MAY) == "L2"
    # The first list's bytes again are a correction back, not a duplicate of what stands.
    assert ledger.claim(MAY, "L3", "aaa", 1040, STALE) == MonthClaim(Claim.GO, "L2")


def test_one_list_at_a_time_and_its_own_retry_goes_on(store):
    ledger = store.list_ledger
    ledger.claim(MAY, "L1", "aaa", 1000, STALE)
    assert ledger.claim(MAY, "L2", "bbb", 1100, STALE) == MonthClaim(Claim.BUSY, "L1")
    assert ledger.claim(MAY, "L1", "aaa", 1100, STALE).outcome is Claim.GO
    with pytest.raises(RuntimeError):
        ledger.commit(MAY, "L2", "bbb", 1110)  # it never held the claim
    assert ledger.standing(MAY) is None


def test_an_abandoned_claim_is_taken_over_and_its_list_cannot_commit(store):
    ledger = store.list_ledger
    ledger.claim(MAY, "L1", "aaa", 1000, STALE)
    assert ledger.claim(MAY, "L2", "bbb", 1000 + STALE + 1, STALE) == MonthClaim(Claim.GO, None)
    with pytest.raises(RuntimeError):
        ledger.commit(MAY, "L1", "aaa", 3000)
    ledger.commit(MAY, "L2", "bbb", 3000)
    assert ledger.standing(MAY) == "L2"


def test_months_and_workshops_are_apart(store):
    ledger = store.list_ledger
    ledger.claim(MAY, "L1", "aaa", 1000, STALE)
    other = WorkshopMonth("1234567890", 1403, 6)
    assert ledger.claim(other, "L2", "aaa", 1000, STALE).outcome is Claim.GO
    assert ledger.claim(WorkshopMonth("9999999999", 1403, 5), "L3", "aaa", 1000, STALE).outcome is Claim.GO
