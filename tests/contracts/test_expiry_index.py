"""ExpiryIndex: the grants and requests falling due on a UTC day, once their time has passed; never those not due
yet, nor those due on another day."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.clock import iso, utc_day
from chalicelib.domain.statement_kinds import RETENTION_SECONDS, TOMBSTONE_SECONDS

from .builders import DAY, HOLDER, NOW, OTHER, entry, issue, new_request, ready_request


def day_of(epoch: int) -> str:
    return utc_day(epoch).isoformat()


def midnight_after(epoch: int) -> int:
    day = utc_day(epoch) + dt.timedelta(days=1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def keys(grants) -> set[str]:
    return {g.key for g in grants}


def test_nothing_due(store):
    ready_request(store)
    assert store.expiry.grants_due(day_of(NOW), NOW) == []
    assert store.expiry.requests_due(day_of(NOW), NOW) == []


def test_grants_due_on_a_day(store):
    request = ready_request(store)
    day_permit, day_grant = issue(store, request, validity="day")
    _, week_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1, validity="week")
    due_day = day_of(day_permit.expires_at)
    assert store.expiry.grants_due(due_day, day_permit.expires_at - 1) == []
    assert store.expiry.grants_due(due_day, day_permit.expires_at) == [day_grant]
    assert store.expiry.grants_due(due_day, midnight_after(day_permit.expires_at) + 10 * DAY) == [day_grant]
    assert store.expiry.grants_due(day_of(NOW), NOW + 30 * DAY) == []
    assert store.expiry.grants_due(day_of(day_permit.expires_at + DAY), NOW + 30 * DAY) == []
    assert store.expiry.grants_due(day_of(NOW + 7 * DAY + 1), NOW + 30 * DAY) == [week_grant]


def test_grants_of_one_day_before_and_after_now(store):
    # Three grants due the same UTC day, at 00:00:00, 12:00 and 23:59:59 of it.
    start = midnight_after(NOW) + 29 * DAY
    request = ready_request(store)
    grants = []
    for offset in (0, 12 * 3600, DAY - 1):
        _, grant = issue(store, store.requests.get(HOLDER, request.tracking_no), expires_at=start + offset)
        grants.append(grant)
    _, next_day = issue(store, store.requests.get(HOLDER, request.tracking_no), expires_at=start + DAY)
    day = day_of(start)
    assert day_of(start + DAY - 1) == day
    assert keys(store.expiry.grants_due(day, start)) == {grants[0].key}
    assert keys(store.expiry.grants_due(day, start + 12 * 3600)) == {grants[0].key, grants[1].key}
    assert keys(store.expiry.grants_due(day, start + 2 * DAY)) == keys(grants)
    assert store.expiry.grants_due(day_of(start + DAY), start + 2 * DAY) == [next_day]


def test_grants_revoked_or_expired_are_no_longer_due(store):
    request = ready_request(store)
    revoked, revoked_grant = issue(store, request, validity="day")
    expired, expired_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1, validity="day")
    _, left = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 2, validity="day")
    later = NOW + 2 * DAY
    store.permits.revoke(revoked, iso(NOW + 10), entry(HOLDER, "permit_revoked", NOW + 10))
    store.permits.expire(expired_grant, later, entry(HOLDER, "permit_expired", later))
    assert store.expiry.grants_due(day_of(NOW + DAY), later) == [left]


def test_grants_of_a_deleted_request_are_no_longer_due(store):
    request = ready_request(store)
    issue(store, request, validity="day")
    store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW + 5), NOW + TOMBSTONE_SECONDS,
                          entry(HOLDER, "statement_deleted", NOW + 5))
    assert store.expiry.grants_due(day_of(NOW + DAY), NOW + 2 * DAY) == []


def test_requests_due_on_a_day(store):
    first = new_request(store, HOLDER)
    second = ready_request(store, OTHER, NOW + 3600)
    later = new_request(store, HOLDER, NOW + 2 * DAY)
    year_end = first.expires_at
    assert store.expiry.requests_due(day_of(year_end), year_end - 1) == []
    assert store.expiry.requests_due(day_of(year_end), year_end) == [(HOLDER, first.tracking_no)]
    assert sorted(store.expiry.requests_due(day_of(year_end), year_end + 3600)) == sorted(
        [(HOLDER, first.tracking_no), (OTHER, second.tracking_no)])
    assert store.expiry.requests_due(day_of(year_end + 2 * DAY), year_end + 3 * DAY) == [
        (HOLDER, later.tracking_no)]
    assert store.expiry.requests_due(day_of(year_end - DAY), year_end + 3 * DAY) == []


def test_a_permit_that_extends_the_request_moves_its_day(store):
    request = ready_request(store)
    old_end = request.expires_at
    late = old_end + 20 * DAY
    issue(store, request, NOW + 345 * DAY, validity="month", expires_at=late)
    assert store.expiry.requests_due(day_of(old_end), late + DAY) == []
    assert store.expiry.requests_due(day_of(late), late) == [(HOLDER, request.tracking_no)]


def test_a_deleted_or_expired_request_is_due_when_its_audit_entry_ends(store):
    deleted, expired = ready_request(store), ready_request(store)
    store.requests.delete(deleted, iso(NOW + 10), NOW + TOMBSTONE_SECONDS,
                          entry(HOLDER, "statement_deleted", NOW + 10))
    store.requests.expire(expired, iso(NOW + 10), NOW + TOMBSTONE_SECONDS + 60)
    assert store.expiry.requests_due(day_of(NOW + RETENTION_SECONDS), NOW + 2 * RETENTION_SECONDS) == []
    end = NOW + TOMBSTONE_SECONDS
    assert store.expiry.requests_due(day_of(end), end) == [(HOLDER, deleted.tracking_no)]
    assert sorted(store.expiry.requests_due(day_of(end), end + 60)) == sorted(
        [(HOLDER, deleted.tracking_no), (HOLDER, expired.tracking_no)])
