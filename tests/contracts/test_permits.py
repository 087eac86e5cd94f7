"""Permits: issued only on a ready request unchanged since read; revoked once; a view counted only while the
permit is live; expired only when due."""
from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.model.permits import PermitStatus
from chalicelib.domain.model.requests import RequestStatus
from chalicelib.domain.ports import StaleRequest
from chalicelib.domain.statement_kinds import RETENTION_SECONDS, TOMBSTONE_SECONDS

from .builders import (DAY, HOLDER, NOW, OTHER, at_once, entry, issue, new_request, permit_for, ready_request,
                       timeline_kinds, view)


def find(store, grant):
    return store.inquiry_lookup.find(grant.key, [])[0]


def stored_permit(store, permit):
    return store.requests.get(permit.national_code, permit.tracking_no).permit(permit.permit_id)


# --- issue -----------------------------------------------------------------------------------------------------
def test_issue_stores_the_permit_and_its_grant(store):
    request = ready_request(store)
    permit, grant = issue(store, request, NOW + 10)
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.permits == [permit]
    assert got.version > request.version
    assert got.permit(permit.permit_id).status(NOW + 20) is PermitStatus.ACTIVE
    assert find(store, grant) == grant
    assert timeline_kinds(store)[0] == "permit_issued"


def test_a_permit_that_outlives_the_request_extends_it(store):
    request = ready_request(store)
    late = request.expires_at + 30 * DAY
    permit, _ = issue(store, request, NOW + 340 * DAY, validity="year", expires_at=late)
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.expires_at == late
    assert store.requests.statement(HOLDER, request.tracking_no) is not None


def test_issue_keeps_the_retention_it_is_given(store):
    request = ready_request(store)
    issue(store, request, validity="day")
    assert store.requests.get(HOLDER, request.tracking_no).expires_at == NOW + RETENTION_SECONDS


def test_issue_refuses_a_request_changed_since_read(store):
    request = ready_request(store)
    first, _ = issue(store, request)
    permit, grant, _ = permit_for(store, request, NOW + 5)
    with pytest.raises(StaleRequest):
        store.permits.issue(request, permit, grant, request.expires_at, entry(HOLDER, "permit_issued", NOW + 5))
    assert store.requests.get(HOLDER, request.tracking_no).permits == [first]
    assert find(store, grant) is None
    assert timeline_kinds(store).count("permit_issued") == 1


def test_two_issues_on_one_read_give_one_permit(store):
    request = ready_request(store)
    candidates = [permit_for(store, request, NOW + i) for i in range(2)]
    outcomes = []
    for permit, grant, _ in candidates:
        try:
            store.permits.issue(request, permit, grant, request.expires_at, entry(HOLDER, "permit_issued", NOW))
            outcomes.append("issued")
        except StaleRequest:
            outcomes.append("stale")
    assert outcomes == ["issued", "stale"]
    assert len(store.requests.get(HOLDER, request.tracking_no).permits) == 1


def test_issue_refuses_a_request_that_is_not_ready(store):
    ready = ready_request(store)
    permit, grant, _ = permit_for(store, ready)  # built while ready, used on other requests below
    pending = new_request(store)
    failed = new_request(store)
    store.requests.mark_failed(failed, "no font", entry(HOLDER, "statement_failed", NOW))
    failed = store.requests.get(HOLDER, failed.tracking_no)
    for request in (pending, failed):
        moved = dataclasses.replace(permit, tracking_no=request.tracking_no)
        with pytest.raises(StaleRequest):
            store.permits.issue(request, moved, dataclasses.replace(grant, tracking_no=request.tracking_no),
                                request.expires_at, entry(HOLDER, "permit_issued", NOW))
        assert store.requests.get(HOLDER, request.tracking_no).permits == []
    assert find(store, grant) is None


@pytest.mark.parametrize("gone", ["deleted", "expired"])
def test_issue_refuses_a_request_that_is_gone(store, gone):
    request = ready_request(store)
    permit, grant, _ = permit_for(store, request)
    if gone == "deleted":
        store.requests.delete(request, iso(NOW), NOW + TOMBSTONE_SECONDS, entry(HOLDER, "statement_deleted", NOW))
    else:
        store.requests.expire(request, iso(NOW), NOW + TOMBSTONE_SECONDS)
    for read in (request, store.requests.get(HOLDER, request.tracking_no)):
        with pytest.raises(StaleRequest):
            store.permits.issue(read, permit, grant, read.expires_at, entry(HOLDER, "permit_issued", NOW))
    assert store.requests.get(HOLDER, request.tracking_no).permits == []
    assert find(store, grant) is None


def test_issue_never_reuses_a_grant(store):
    request = ready_request(store)
    _, grant = issue(store, request)
    read = store.requests.get(HOLDER, request.tracking_no)
    permit, _, _ = permit_for(store, read)
    with pytest.raises(StaleRequest):
        store.permits.issue(read, permit, dataclasses.replace(grant, permit_id=permit.permit_id), read.expires_at,
                            entry(HOLDER, "permit_issued", NOW))
    assert find(store, grant) == grant
    assert len(store.requests.get(HOLDER, request.tracking_no).permits) == 1


# --- revoke ----------------------------------------------------------------------------------------------------
def test_revoke_once(store):
    request = ready_request(store)
    permit, grant = issue(store, request)
    assert store.permits.revoke(permit, iso(NOW + 60), entry(HOLDER, "permit_revoked", NOW + 60)) is True
    assert find(store, grant) is None
    revoked = stored_permit(store, permit)
    assert revoked.revoked_at == iso(NOW + 60)
    assert revoked.status(NOW + 61) is PermitStatus.REVOKED
    assert store.permits.revoke(permit, iso(NOW + 90), entry(HOLDER, "permit_revoked", NOW + 90)) is False
    assert stored_permit(store, permit).revoked_at == iso(NOW + 60)
    assert timeline_kinds(store).count("permit_revoked") == 1


def test_revoking_one_permit_leaves_the_others(store):
    request = ready_request(store)
    first, first_grant = issue(store, request)
    second, second_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1)
    store.permits.revoke(first, iso(NOW + 60), entry(HOLDER, "permit_revoked", NOW + 60))
    assert find(store, second_grant) == second_grant
    assert stored_permit(store, second) == second
    assert store.requests.get(HOLDER, request.tracking_no).status is RequestStatus.READY


def test_revoke_an_unknown_permit(store):
    request = ready_request(store)
    permit, _, _ = permit_for(store, request)
    assert store.permits.revoke(permit, iso(NOW), entry(HOLDER, "permit_revoked", NOW)) is False
    assert store.requests.get(HOLDER, request.tracking_no).permits == []
    assert "permit_revoked" not in timeline_kinds(store)


def test_revoke_after_the_request_was_deleted(store):
    request = ready_request(store)
    permit, _ = issue(store, request)
    store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW + 5), NOW + TOMBSTONE_SECONDS,
                          entry(HOLDER, "statement_deleted", NOW + 5))
    assert store.permits.revoke(permit, iso(NOW + 10), entry(HOLDER, "permit_revoked", NOW + 10)) is False
    assert stored_permit(store, permit).revoked_at == iso(NOW + 5)


# --- record_view -----------------------------------------------------------------------------------------------
def test_record_view_counts_and_sets_the_first_view_once(store):
    request = ready_request(store)
    permit, grant = issue(store, request)
    first, second = view(NOW + 100.25), view(NOW + 200.5, "203.0.113.9", "Embassy-Visa/1.0")
    assert store.permits.record_view(grant, first, NOW + 100) is True
    assert store.permits.record_view(grant, second, NOW + 200) is True
    got = stored_permit(store, permit)
    assert got.views == 2
    assert got.first_viewed_at == iso(NOW + 100)
    assert got.last_viewed_at == iso(NOW + 200)
    assert got.last_view == second
    assert store.requests.get(HOLDER, request.tracking_no).first_viewed_at() == iso(NOW + 100)


def test_a_view_changes_nothing_else(store):
    request = ready_request(store)
    permit, grant = issue(store, request)
    read = store.requests.get(HOLDER, request.tracking_no)
    store.permits.record_view(grant, view(NOW + 100), NOW + 100)
    after = store.requests.get(HOLDER, request.tracking_no)
    assert dataclasses.replace(after, permits=[]) == dataclasses.replace(read, permits=[])
    assert find(store, grant) == grant
    # A view is no change of the request: a delete on the earlier read still goes through.
    store.requests.delete(read, iso(NOW + 200), NOW + TOMBSTONE_SECONDS, entry(HOLDER, "statement_deleted", NOW))


def test_views_of_two_permits_are_counted_apart(store):
    request = ready_request(store)
    first, first_grant = issue(store, request)
    second, second_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1)
    store.permits.record_view(first_grant, view(NOW + 10), NOW + 10)
    store.permits.record_view(first_grant, view(NOW + 20), NOW + 20)
    store.permits.record_view(second_grant, view(NOW + 30), NOW + 30)
    assert (stored_permit(store, first).views, stored_permit(store, second).views) == (2, 1)


def test_no_view_after_revoke(store):
    permit, grant = issue(store, ready_request(store))
    store.permits.record_view(grant, view(NOW + 10), NOW + 10)
    store.permits.revoke(permit, iso(NOW + 20), entry(HOLDER, "permit_revoked", NOW + 20))
    assert store.permits.record_view(grant, view(NOW + 30), NOW + 30) is False
    got = stored_permit(store, permit)
    assert (got.views, got.last_viewed_at) == (1, iso(NOW + 10))


def test_no_view_from_the_expiry_time_on(store):
    permit, grant = issue(store, ready_request(store), validity="day")
    expires = permit.expires_at
    assert store.permits.record_view(grant, view(expires - 1), expires - 1) is True
    assert store.permits.record_view(grant, view(expires), expires) is False
    assert store.permits.record_view(grant, view(expires + DAY), expires + DAY) is False
    assert stored_permit(store, permit).views == 1


def test_no_view_after_expire(store):
    permit, grant = issue(store, ready_request(store), validity="day")
    assert store.permits.expire(grant, permit.expires_at, entry(HOLDER, "permit_expired", permit.expires_at))
    # Even with a clock that lags behind the cleanup's.
    assert store.permits.record_view(grant, view(permit.expires_at - 10), permit.expires_at - 10) is False
    assert stored_permit(store, permit).views == 0


def test_no_view_after_the_request_was_deleted(store):
    request = ready_request(store)
    permit, grant = issue(store, request)
    store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW + 5), NOW + TOMBSTONE_SECONDS,
                          entry(HOLDER, "statement_deleted", NOW + 5))
    assert store.permits.record_view(grant, view(NOW + 10), NOW + 10) is False
    assert stored_permit(store, permit).views == 0


def test_no_view_of_an_unknown_permit(store):
    request = ready_request(store)
    _, grant, _ = permit_for(store, request)
    assert store.permits.record_view(grant, view(NOW), NOW) is False
    assert store.requests.get(HOLDER, request.tracking_no).permits == []


# --- expire ----------------------------------------------------------------------------------------------------
def test_expire_only_when_due(store):
    permit, grant = issue(store, ready_request(store), validity="week")
    due = permit.expires_at
    assert store.permits.expire(grant, due - 1, entry(HOLDER, "permit_expired", due - 1)) is False
    assert find(store, grant) == grant
    assert stored_permit(store, permit) == permit
    assert "permit_expired" not in timeline_kinds(store)

    assert store.permits.expire(grant, due, entry(HOLDER, "permit_expired", due)) is True
    assert find(store, grant) is None
    got = stored_permit(store, permit)
    assert got.expired_at == iso(due)
    assert got.status(due) is PermitStatus.EXPIRED
    assert timeline_kinds(store)[0] == "permit_expired"


def test_expire_twice(store):
    permit, grant = issue(store, ready_request(store), validity="day")
    later = permit.expires_at + 3600
    assert store.permits.expire(grant, later, entry(HOLDER, "permit_expired", later)) is True
    assert store.permits.expire(grant, later + 60, entry(HOLDER, "permit_expired", later + 60)) is False
    assert stored_permit(store, permit).expired_at == iso(later)
    assert timeline_kinds(store).count("permit_expired") == 1


def test_expire_after_revoke(store):
    permit, grant = issue(store, ready_request(store), validity="day")
    store.permits.revoke(permit, iso(NOW + 5), entry(HOLDER, "permit_revoked", NOW + 5))
    later = permit.expires_at + 1
    assert store.permits.expire(grant, later, entry(HOLDER, "permit_expired", later)) is False
    got = stored_permit(store, permit)
    assert (got.revoked_at, got.expired_at) == (iso(NOW + 5), None)


def test_expiring_one_permit_leaves_the_others(store):
    request = ready_request(store)
    short, short_grant = issue(store, request, validity="day")
    long, long_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1, validity="year")
    later = short.expires_at + 1
    assert store.permits.expire(short_grant, later, entry(HOLDER, "permit_expired", later))
    assert store.permits.expire(long_grant, later, entry(HOLDER, "permit_expired", later)) is False
    assert find(store, long_grant) == long_grant
    assert stored_permit(store, long) == long
    assert store.permits.record_view(long_grant, view(later), later) is True


def test_permits_of_two_people_are_kept_apart(store):
    mine, theirs = ready_request(store, HOLDER), ready_request(store, OTHER)
    my_permit, my_grant = issue(store, mine)
    their_permit, their_grant = issue(store, theirs)
    store.permits.revoke(my_permit, iso(NOW + 5), entry(HOLDER, "permit_revoked", NOW + 5))
    assert find(store, their_grant) == their_grant
    assert store.permits.record_view(their_grant, view(NOW + 6), NOW + 6) is True
    assert stored_permit(store, their_permit).views == 1
    assert "permit_revoked" not in timeline_kinds(store, OTHER)


# --- at the same moment ----------------------------------------------------------------------------------------
def test_concurrent_views_are_all_counted(store):
    permit, grant = issue(store, ready_request(store))
    outcomes = at_once(10, lambda i: store.permits.record_view(grant, view(NOW + 100, f"198.51.100.{i}"), NOW + 100))
    assert outcomes == [True] * 10
    got = stored_permit(store, permit)
    assert got.views == 10
    assert got.first_viewed_at == iso(NOW + 100)


def test_issue_and_delete_racing_on_one_read(store):
    request = ready_request(store)
    permit, grant, _ = permit_for(store, request)

    def act(i):
        try:
            if i == 0:
                store.permits.issue(request, permit, grant, request.expires_at, entry(HOLDER, "permit_issued", NOW))
            else:
                store.requests.delete(request, iso(NOW), NOW + TOMBSTONE_SECONDS,
                                      entry(HOLDER, "statement_deleted", NOW))
            return "done"
        except StaleRequest:
            return "stale"

    issued, deleted = at_once(2, act)
    assert sorted([issued, deleted]) == ["done", "stale"]
    got = store.requests.get(HOLDER, request.tracking_no)
    if issued == "done":
        assert got.status is RequestStatus.READY and got.permits == [permit]
        assert find(store, grant) == grant
    else:
        assert got.status is RequestStatus.DELETED and got.permits == []
        assert find(store, grant) is None



def test_the_same_view_recorded_twice_counts_once(store):
    import dataclasses

    permit, grant = issue(store, ready_request(store))
    once = dataclasses.replace(view(NOW + 100), id="a1b2c3d4e5f60718")
    assert store.permits.record_view(grant, once, NOW + 100) is True
    assert store.permits.record_view(grant, once, NOW + 100) is True  # re-sent after a lost answer
    assert stored_permit(store, permit).views == 1
    assert store.permits.record_view(grant, dataclasses.replace(once, id="ffffffffffffffff"), NOW + 101) is True
    assert stored_permit(store, permit).views == 2
