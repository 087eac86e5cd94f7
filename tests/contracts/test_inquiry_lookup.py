"""InquiryLookup.find: the grant an identifier and passcode name, and the throttle counters, in one read."""
from __future__ import annotations

from chalicelib.domain import passcodes
from chalicelib.domain.clock import iso
from chalicelib.domain.model.counters import FailureCount
from chalicelib.domain.statement_kinds import TOMBSTONE_SECONDS
from chalicelib.domain.throttling import INQUIRY_PER_CLIENT, INQUIRY_PER_IDENTIFIER

from .builders import HOLDER, NOW, OTHER, PASSCODE_KEY, entry, issue, permit_for, ready_request

CLIENT = "198.51.100.7"


def counters(identifier: str = HOLDER, client: str = CLIENT) -> list:
    return [(INQUIRY_PER_IDENTIFIER, identifier), (INQUIRY_PER_CLIENT, client)]


def test_find_an_issued_grant(store):
    request = ready_request(store)
    permit, grant, passcode = permit_for(store, request)
    store.permits.issue(request, permit, grant, request.expires_at, entry(HOLDER, "permit_issued", NOW))
    key = passcodes.grant_hash(PASSCODE_KEY, HOLDER, passcodes.normalize_passcode(passcode))
    found, counts = store.inquiry_lookup.find(key, counters())
    assert found == grant
    assert found.answers(HOLDER, NOW + 60)
    assert found.statement_z == store.requests.statement(HOLDER, request.tracking_no).statement_z
    assert counts == [None, None]


def test_a_wrong_passcode_or_identifier_finds_nothing(store):
    request = ready_request(store)
    permit, grant, passcode = permit_for(store, request)
    store.permits.issue(request, permit, grant, request.expires_at, entry(HOLDER, "permit_issued", NOW))
    digits = passcodes.normalize_passcode(passcode)
    wrong = str((int(digits) + 1) % 10 ** 15).zfill(15)
    for identifier, code in ((HOLDER, wrong), (OTHER, digits)):
        assert store.inquiry_lookup.find(passcodes.grant_hash(PASSCODE_KEY, identifier, code), [])[0] is None


def test_find_gives_the_counters_in_the_order_asked(store):
    store.throttles.record_failure(INQUIRY_PER_IDENTIFIER, HOLDER, NOW)
    store.throttles.record_failure(INQUIRY_PER_IDENTIFIER, HOLDER, NOW + 5)
    store.throttles.record_failure(INQUIRY_PER_CLIENT, CLIENT, NOW + 5)
    store.throttles.record_failure(INQUIRY_PER_CLIENT, "203.0.113.20", NOW + 6)
    grant, counts = store.inquiry_lookup.find("f" * 64, counters() + [(INQUIRY_PER_IDENTIFIER, OTHER)])
    assert grant is None
    assert counts == [FailureCount(2, NOW + 5, NOW + 5 + INQUIRY_PER_IDENTIFIER.window),
                      FailureCount(1, NOW + 5, NOW + 5 + INQUIRY_PER_CLIENT.window), None]
    _, reversed_counts = store.inquiry_lookup.find("f" * 64, list(reversed(counters())))
    assert reversed_counts == counts[1::-1]


def test_the_same_counter_asked_twice(store):
    store.throttles.record_failure(INQUIRY_PER_CLIENT, CLIENT, NOW)
    _, counts = store.inquiry_lookup.find("f" * 64, [(INQUIRY_PER_CLIENT, CLIENT), (INQUIRY_PER_CLIENT, CLIENT)])
    assert counts == [FailureCount(1, NOW, NOW + INQUIRY_PER_CLIENT.window)] * 2


def test_a_policy_scope_keeps_counters_apart(store):
    store.throttles.record_failure(INQUIRY_PER_IDENTIFIER, CLIENT, NOW)
    _, counts = store.inquiry_lookup.find("f" * 64, [(INQUIRY_PER_CLIENT, CLIENT)])
    assert counts == [None]


def test_find_with_no_counters(store):
    _, grant = issue(store, ready_request(store))
    assert store.inquiry_lookup.find(grant.key, []) == (grant, [])


def test_no_grant_once_revoked_deleted_or_expired(store):
    revoked, deleted, expired = (ready_request(store) for _ in range(3))
    permit, revoked_grant = issue(store, revoked)
    store.permits.revoke(permit, iso(NOW + 1), entry(HOLDER, "permit_revoked", NOW + 1))
    _, deleted_grant = issue(store, deleted)
    store.requests.delete(store.requests.get(HOLDER, deleted.tracking_no), iso(NOW + 1), NOW + TOMBSTONE_SECONDS,
                          entry(HOLDER, "statement_deleted", NOW + 1))
    permit, expired_grant = issue(store, expired, validity="day")
    store.permits.expire(expired_grant, permit.expires_at, entry(HOLDER, "permit_expired", permit.expires_at))
    for grant in (revoked_grant, deleted_grant, expired_grant):
        assert store.inquiry_lookup.find(grant.key, counters()) == (None, [None, None])


def test_a_grant_past_its_expiry_is_still_found_until_the_cleanup(store):
    # The lookup does not judge: Grant.answers() compares the expiry with the clock.
    permit, grant = issue(store, ready_request(store), validity="day")
    found, _ = store.inquiry_lookup.find(grant.key, [])
    assert found == grant
    assert not found.answers(HOLDER, permit.expires_at)
