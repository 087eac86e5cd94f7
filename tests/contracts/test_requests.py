"""Requests: the inbox, a request with its permits, and every status change conditional on the version read."""
from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.model.requests import (DocumentStatus, MailboxState, MailboxStatus, RequestStatus,
                                              StatementRequest)
from chalicelib.domain.ports import StaleRequest
from chalicelib.domain.statement_kinds import RETENTION_SECONDS, TOMBSTONE_SECONDS

from .builders import (DAY, HOLDER, NOW, OTHER, all_pages, document_for, entry, issue, new_request, publish,
                       ready_request, statement_of, timeline_kinds)

KEEP = NOW + TOMBSTONE_SECONDS


# --- tracking numbers and adding -------------------------------------------------------------------------------
def test_tracking_numbers_are_ten_digits_unique_and_increasing(store):
    numbers = [store.requests.next_tracking_no() for _ in range(5)]
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    assert numbers == sorted(set(numbers))
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)


def test_add_then_get(store):
    tracking_no = store.requests.next_tracking_no()
    request = StatementRequest(HOLDER, tracking_no, "wages", RequestStatus.PENDING, iso(NOW), NOW,
                               NOW + RETENTION_SECONDS, mobile="09121234567", agreement_version="1403-01",
                               agreement_sha256="ab" * 32)
    store.requests.add(request, statement_of(request), entry(HOLDER, "statement_requested", NOW,
                                                             tracking_no=tracking_no, kind="wages"))
    assert store.requests.get(HOLDER, tracking_no) == request
    assert store.requests.statement(HOLDER, tracking_no) == statement_of(request)
    assert timeline_kinds(store) == ["statement_requested"]


def test_add_never_overwrites_a_request(store):
    request = new_request(store)
    again = dataclasses.replace(request, kind="summary", permits=[])
    with pytest.raises(StaleRequest):
        store.requests.add(again, statement_of(again), entry(HOLDER, "statement_requested", NOW + 1))
    assert store.requests.get(HOLDER, request.tracking_no) == request
    assert store.requests.statement(HOLDER, request.tracking_no) == statement_of(request)


def test_unknown_request(store):
    new_request(store)
    assert store.requests.get(HOLDER, "1999999999") is None
    assert store.requests.statement(HOLDER, "1999999999") is None


def test_a_request_is_found_only_under_its_owner(store):
    request = new_request(store, HOLDER)
    assert store.requests.get(OTHER, request.tracking_no) is None
    assert store.requests.statement(OTHER, request.tracking_no) is None


def test_a_read_request_is_a_copy(store):
    request = ready_request(store)
    issue(store, request)
    read = store.requests.get(HOLDER, request.tracking_no)
    read.status = RequestStatus.DELETED
    read.permits[0].revoked_at = iso(NOW)
    read.permits.clear()
    again = store.requests.get(HOLDER, request.tracking_no)
    assert again.status is RequestStatus.READY
    assert len(again.permits) == 1 and again.permits[0].revoked_at is None


# --- get and the inbox -----------------------------------------------------------------------------------------
def test_get_returns_the_request_with_its_permits(store):
    request = ready_request(store)
    first, _ = issue(store, request, validity="week")
    second, _ = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 60, validity="year")
    got = store.requests.get(HOLDER, request.tracking_no)
    assert sorted(got.permits, key=lambda p: p.permit_id) == sorted([first, second], key=lambda p: p.permit_id)
    assert got.permit(first.permit_id) == first


def test_get_returns_requests_of_every_status(store):
    pending = new_request(store)
    failed = new_request(store)
    store.requests.mark_failed(failed, "font missing", entry(HOLDER, "statement_failed", NOW))
    deleted = ready_request(store)
    store.requests.delete(deleted, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    expired = ready_request(store)
    store.requests.expire(expired, iso(NOW), KEEP)
    statuses = [store.requests.get(HOLDER, r.tracking_no).status for r in (pending, failed, deleted, expired)]
    assert statuses == [RequestStatus.PENDING, RequestStatus.FAILED, RequestStatus.DELETED, RequestStatus.EXPIRED]


def test_inbox_is_live_requests_newest_first_with_their_permits(store):
    pending = new_request(store)
    ready = ready_request(store)
    permit, _ = issue(store, ready)
    failed = new_request(store)
    store.requests.mark_failed(failed, "renderer timed out", entry(HOLDER, "statement_failed", NOW))
    deleted = ready_request(store)
    store.requests.delete(deleted, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    expired = new_request(store)
    store.requests.expire(expired, iso(NOW), KEEP)
    new_request(store, OTHER)

    items, after = store.requests.inbox(HOLDER, None, 20)
    assert after is None
    assert [r.tracking_no for r in items] == [failed.tracking_no, ready.tracking_no, pending.tracking_no]
    assert [r.status for r in items] == [RequestStatus.FAILED, RequestStatus.READY, RequestStatus.PENDING]
    assert items[1].permits == [permit]
    assert items[0].permits == [] and items[2].permits == []
    assert items[1] == store.requests.get(HOLDER, ready.tracking_no)


def test_an_empty_inbox(store):
    new_request(store, OTHER)
    assert store.requests.inbox(HOLDER, None, 20) == ([], None)


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_inbox_pages_give_every_live_request_once(store, limit):
    # Read the table in small steps, so that pages and DynamoDB's own pages end in different places, and a
    # request's permits can lie on another DynamoDB page than the request.
    store.requests.INBOX_READ = 2
    store.requests.expire(new_request(store), iso(NOW), KEEP)  # the oldest is gone
    live = []
    for i in range(9):
        request = ready_request(store) if i % 2 else new_request(store)
        if i in (1, 5):
            issue(store, request)
            issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 1, validity="day")
        if i in (3, 6):
            store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW), KEEP,
                                  entry(HOLDER, "statement_deleted", NOW))
            continue
        live.append(request.tracking_no)
    store.requests.expire(new_request(store), iso(NOW), KEEP)  # and the newest
    new_request(store, OTHER)

    pages = all_pages(lambda after, n: store.requests.inbox(HOLDER, after, n), limit)
    seen = [r for page in pages for r in page]
    assert [r.tracking_no for r in seen] == sorted(live, reverse=True)
    assert all(page for page in pages[:-1])
    for r in seen:
        assert r == store.requests.get(HOLDER, r.tracking_no)
        assert len(r.permits) == (2 if r.status is RequestStatus.READY and r.permits else 0)
    assert sum(len(r.permits) for r in seen) == 4


def test_inbox_continues_after_the_cursor_it_gave(store):
    numbers = [new_request(store).tracking_no for _ in range(4)]
    first, after = store.requests.inbox(HOLDER, None, 2)
    assert [r.tracking_no for r in first] == numbers[:1:-1]
    assert after == first[-1].tracking_no
    rest, _ = store.requests.inbox(HOLDER, after, 2)
    assert [r.tracking_no for r in rest] == numbers[1::-1]


# --- publish and mark_failed -----------------------------------------------------------------------------------
def test_publish_makes_a_pending_request_ready_with_its_document(store):
    request = new_request(store)
    issued, published = document_for(request)
    store.requests.publish(request, issued, published, entry(HOLDER, "statement_ready", NOW + 1,
                                                             document_id=issued.document_id))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.status is RequestStatus.READY
    assert got.document == issued
    assert got.version > request.version
    assert got.may_hold_a_pdf
    assert store.requests.published(issued.document_id) == published
    assert timeline_kinds(store) == ["statement_ready", "statement_requested"]


def test_a_document_keeps_the_signature_it_was_published_with(store):
    request = new_request(store)
    issued, published = document_for(request)
    store.requests.publish(request, issued, published, entry(HOLDER, "statement_ready", NOW + 1))
    signature = store.requests.published(issued.document_id).signature
    assert signature == published.signature and signature.valid is True
    store.requests.set_document_status(issued.document_id, DocumentStatus.WITHDRAWN, iso(NOW + DAY))
    assert store.requests.published(issued.document_id).signature == published.signature  # withdrawn, still signed


def test_a_document_published_before_statements_were_signed_reads_without_a_signature(store):
    request = new_request(store)
    issued, published = document_for(request)
    store.requests.publish(request, issued, dataclasses.replace(published, signature=None),
                           entry(HOLDER, "statement_ready", NOW + 1))
    assert store.requests.published(issued.document_id).signature is None


def test_publish_twice_is_stale(store):
    request = new_request(store)
    publish(store, request)
    ready = store.requests.get(HOLDER, request.tracking_no)
    issued, published = document_for(request)
    with pytest.raises(StaleRequest):
        store.requests.publish(request, issued, published, entry(HOLDER, "statement_ready", NOW + 1))
    with pytest.raises(StaleRequest):  # read again, but no longer pending
        store.requests.publish(ready, issued, published, entry(HOLDER, "statement_ready", NOW + 2))
    assert store.requests.get(HOLDER, request.tracking_no) == ready
    assert store.requests.published(issued.document_id).issued_at == ready.document.ready_at  # the first one
    assert timeline_kinds(store) == ["statement_ready", "statement_requested"]


def test_publish_a_deleted_request_is_stale(store):
    request = new_request(store)
    store.requests.delete(request, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    issued, published = document_for(request)
    with pytest.raises(StaleRequest):
        store.requests.publish(store.requests.get(HOLDER, request.tracking_no), issued, published,
                               entry(HOLDER, "statement_ready", NOW))
    assert store.requests.get(HOLDER, request.tracking_no).document is None
    assert store.requests.published(issued.document_id) is None


def test_publish_never_reuses_a_document_id(store):
    first = ready_request(store)
    second = new_request(store)
    issued, published = document_for(second)
    taken = dataclasses.replace(issued, document_id=first.document.document_id)
    with pytest.raises(StaleRequest):
        store.requests.publish(second, taken, dataclasses.replace(published, document_id=taken.document_id),
                               entry(HOLDER, "statement_ready", NOW))
    assert store.requests.get(HOLDER, second.tracking_no) == second
    assert store.requests.published(first.document.document_id).tracking_no == first.tracking_no


def test_mark_failed(store):
    request = new_request(store)
    store.requests.mark_failed(request, "statement too large", entry(HOLDER, "statement_failed", NOW + 1))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert (got.status, got.failure) == (RequestStatus.FAILED, "statement too large")
    assert got.version > request.version
    assert got.is_live
    assert timeline_kinds(store)[0] == "statement_failed"


def test_mark_failed_is_stale_unless_pending_and_unchanged(store):
    request = new_request(store)
    ready = publish(store, request)
    with pytest.raises(StaleRequest):
        store.requests.mark_failed(request, "late", entry(HOLDER, "statement_failed", NOW))
    with pytest.raises(StaleRequest):
        store.requests.mark_failed(ready, "late", entry(HOLDER, "statement_failed", NOW))
    assert store.requests.get(HOLDER, request.tracking_no) == ready
    assert "statement_failed" not in timeline_kinds(store)


@pytest.mark.parametrize("change", ["publish", "mark_failed", "delete", "expire"])
def test_a_status_change_needs_the_stored_version(store, change):
    request = new_request(store)
    other_read = dataclasses.replace(request, version=request.version + 1)
    issued, published = document_for(request)
    with pytest.raises(StaleRequest):
        if change == "publish":
            store.requests.publish(other_read, issued, published, entry(HOLDER, "statement_ready", NOW + 1))
        elif change == "mark_failed":
            store.requests.mark_failed(other_read, "late", entry(HOLDER, "statement_failed", NOW + 1))
        elif change == "delete":
            store.requests.delete(other_read, iso(NOW + 1), KEEP, entry(HOLDER, "statement_deleted", NOW + 1))
        else:
            store.requests.expire(other_read, iso(NOW + 1), KEEP)
    assert store.requests.get(HOLDER, request.tracking_no) == request
    assert store.requests.statement(HOLDER, request.tracking_no) == statement_of(request)
    assert store.requests.published(issued.document_id) is None
    assert timeline_kinds(store) == ["statement_requested"]


# --- delete ----------------------------------------------------------------------------------------------------
def test_delete_revokes_open_permits_removes_grants_and_the_statement(store):
    request = ready_request(store)
    first, first_grant = issue(store, request)
    second, second_grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 5, "year")
    read = store.requests.get(HOLDER, request.tracking_no)
    store.requests.delete(read, iso(NOW + 60), KEEP, entry(HOLDER, "statement_deleted", NOW + 60, permits_revoked=2))

    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.status is RequestStatus.DELETED
    assert (got.deleted_at, got.expires_at) == (iso(NOW + 60), KEEP)
    assert got.version > read.version
    assert not got.is_live
    assert [p.revoked_at for p in got.permits] == [iso(NOW + 60)] * 2
    assert {p.permit_id for p in got.permits} == {first.permit_id, second.permit_id}
    for grant in (first_grant, second_grant):
        assert store.inquiry_lookup.find(grant.key, [])[0] is None
    assert store.requests.statement(HOLDER, request.tracking_no) is None
    assert store.requests.inbox(HOLDER, None, 10) == ([], None)
    assert timeline_kinds(store)[0] == "statement_deleted"


def test_delete_keeps_an_earlier_revocation(store):
    request = ready_request(store)
    permit, _ = issue(store, request)
    store.permits.revoke(permit, iso(NOW + 10), entry(HOLDER, "permit_revoked", NOW + 10))
    open_permit, grant = issue(store, store.requests.get(HOLDER, request.tracking_no), NOW + 20)
    store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW + 60), KEEP,
                          entry(HOLDER, "statement_deleted", NOW + 60))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.permit(permit.permit_id).revoked_at == iso(NOW + 10)
    assert got.permit(open_permit.permit_id).revoked_at == iso(NOW + 60)
    assert store.inquiry_lookup.find(grant.key, [])[0] is None


@pytest.mark.parametrize("status", ["pending", "failed"])
def test_delete_a_request_without_permits(store, status):
    request = new_request(store)
    if status == "failed":
        store.requests.mark_failed(request, "no font", entry(HOLDER, "statement_failed", NOW))
        request = store.requests.get(HOLDER, request.tracking_no)
    store.requests.delete(request, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    assert store.requests.get(HOLDER, request.tracking_no).status is RequestStatus.DELETED
    assert store.requests.statement(HOLDER, request.tracking_no) is None


def test_delete_is_stale_when_a_permit_was_issued_meanwhile(store):
    request = ready_request(store)
    _, grant = issue(store, request)
    with pytest.raises(StaleRequest):
        store.requests.delete(request, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.status is RequestStatus.READY
    assert got.permits[0].revoked_at is None
    assert store.inquiry_lookup.find(grant.key, [])[0] == grant
    assert store.requests.statement(HOLDER, request.tracking_no) is not None
    assert "statement_deleted" not in timeline_kinds(store)


def test_delete_is_stale_when_a_permit_was_revoked_meanwhile(store):
    request = ready_request(store)
    issue(store, request)
    read = store.requests.get(HOLDER, request.tracking_no)
    store.permits.revoke(read.permits[0], iso(NOW + 10), entry(HOLDER, "permit_revoked", NOW + 10))
    with pytest.raises(StaleRequest):
        store.requests.delete(read, iso(NOW + 20), KEEP, entry(HOLDER, "statement_deleted", NOW + 20))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.status is RequestStatus.READY
    assert got.permits[0].revoked_at == iso(NOW + 10)


def test_delete_twice_is_stale(store):
    request = ready_request(store)
    store.requests.delete(request, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    deleted = store.requests.get(HOLDER, request.tracking_no)
    for read in (request, deleted):
        with pytest.raises(StaleRequest):
            store.requests.delete(read, iso(NOW + 5), KEEP + 5, entry(HOLDER, "statement_deleted", NOW + 5))
    assert store.requests.get(HOLDER, request.tracking_no) == deleted
    assert timeline_kinds(store).count("statement_deleted") == 1


def test_delete_an_expired_request_is_stale(store):
    request = ready_request(store)
    store.requests.expire(request, iso(NOW), KEEP)
    with pytest.raises(StaleRequest):
        store.requests.delete(store.requests.get(HOLDER, request.tracking_no), iso(NOW), KEEP,
                              entry(HOLDER, "statement_deleted", NOW))
    assert store.requests.get(HOLDER, request.tracking_no).status is RequestStatus.EXPIRED


# --- expire ----------------------------------------------------------------------------------------------------
def test_expire_a_live_request(store):
    request = ready_request(store)
    store.requests.expire(request, iso(NOW + 1), KEEP)
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.status is RequestStatus.EXPIRED
    assert (got.expired_at, got.expires_at) == (iso(NOW + 1), KEEP)
    assert got.version > request.version
    assert got.document == request.document
    assert store.requests.statement(HOLDER, request.tracking_no) is None
    assert store.requests.inbox(HOLDER, None, 10) == ([], None)


def test_expire_is_stale_when_the_request_changed(store):
    request = ready_request(store)
    issue(store, request)  # a permit issued meanwhile extends the request
    with pytest.raises(StaleRequest):
        store.requests.expire(request, iso(NOW), KEEP)
    assert store.requests.get(HOLDER, request.tracking_no).status is RequestStatus.READY
    assert store.requests.statement(HOLDER, request.tracking_no) is not None


def test_expire_twice_or_after_delete_is_stale(store):
    expired, deleted = ready_request(store), ready_request(store)
    store.requests.expire(expired, iso(NOW), KEEP)
    store.requests.delete(deleted, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    for request in (expired, deleted):
        for read in (request, store.requests.get(HOLDER, request.tracking_no)):
            with pytest.raises(StaleRequest):
                store.requests.expire(read, iso(NOW + 1), KEEP + 1)
    assert store.requests.get(HOLDER, expired.tracking_no).expires_at == KEEP
    assert store.requests.get(HOLDER, deleted.tracking_no).status is RequestStatus.DELETED


# --- the PDF, the e-mailbox and the published record ------------------------------------------------------------
def test_mark_pdf_removed(store):
    request = ready_request(store)
    store.requests.delete(request, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    deleted = store.requests.get(HOLDER, request.tracking_no)
    store.requests.mark_pdf_removed(deleted, iso(NOW + 2))
    got = store.requests.get(HOLDER, request.tracking_no)
    assert got.pdf_removed_at == iso(NOW + 2)
    assert not got.may_hold_a_pdf
    assert got.status is RequestStatus.DELETED


def test_queue_mailbox_only_while_ready(store):
    pending = new_request(store)
    assert store.requests.queue_mailbox(pending, iso(NOW)) is False
    ready = ready_request(store)
    assert store.requests.queue_mailbox(ready, iso(NOW + 1)) is True
    assert store.requests.get(HOLDER, ready.tracking_no).mailbox == MailboxState(MailboxStatus.QUEUED,
                                                                                  requested_at=iso(NOW + 1))
    assert store.requests.get(HOLDER, pending.tracking_no).mailbox == MailboxState()
    deleted = ready_request(store)
    store.requests.delete(deleted, iso(NOW), KEEP, entry(HOLDER, "statement_deleted", NOW))
    assert store.requests.queue_mailbox(deleted, iso(NOW + 2)) is False
    assert store.requests.get(HOLDER, deleted.tracking_no).mailbox == MailboxState()


def test_record_mailbox_while_ready(store):
    ready = ready_request(store)
    store.requests.queue_mailbox(ready, iso(NOW))
    retrying = MailboxState(MailboxStatus.RETRYING, iso(NOW), attempts=1, last_error="gateway answered 503")
    store.requests.record_mailbox(ready, retrying)
    assert store.requests.get(HOLDER, ready.tracking_no).mailbox == retrying
    delivered = MailboxState(MailboxStatus.DELIVERED, iso(NOW), attempts=2, delivered_at=iso(NOW + 90),
                             reference="EMB-1404-0000123")
    store.requests.record_mailbox(ready, delivered, entry(HOLDER, "mailbox_delivery", NOW + 90))
    assert store.requests.get(HOLDER, ready.tracking_no).mailbox == delivered
    assert timeline_kinds(store)[0] == "mailbox_delivery"


def test_record_mailbox_after_delete_records_nothing(store):
    ready = ready_request(store)
    store.requests.queue_mailbox(ready, iso(NOW))
    store.requests.delete(ready, iso(NOW + 1), KEEP, entry(HOLDER, "statement_deleted", NOW + 1))
    store.requests.record_mailbox(ready, MailboxState(MailboxStatus.DELIVERED, iso(NOW), 1, iso(NOW + 2)),
                                  entry(HOLDER, "mailbox_delivery", NOW + 2))
    store.requests.record_mailbox(ready, MailboxState(MailboxStatus.FAILED, iso(NOW), 3, last_error="gone"))
    assert store.requests.get(HOLDER, ready.tracking_no).mailbox == MailboxState(MailboxStatus.QUEUED,
                                                                                  requested_at=iso(NOW))
    assert "mailbox_delivery" not in timeline_kinds(store)


def test_published_documents(store):
    request = ready_request(store)
    document_id = request.document.document_id
    published = store.requests.published(document_id)
    assert (published.tracking_no, published.national_code, published.status) == (
        request.tracking_no, HOLDER, DocumentStatus.VALID)
    assert published.sha256 == request.document.sha256
    store.requests.set_document_status(document_id, DocumentStatus.WITHDRAWN, iso(NOW + DAY))
    assert store.requests.published(document_id) == dataclasses.replace(
        published, status=DocumentStatus.WITHDRAWN, status_changed_at=iso(NOW + DAY))
    assert store.requests.published("ZZZZZZZZZZZZ") is None
    store.requests.set_document_status("ZZZZZZZZZZZZ", DocumentStatus.EXPIRED, iso(NOW))
    assert store.requests.published("ZZZZZZZZZZZZ") is None
