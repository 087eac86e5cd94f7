"""What a change leaves for later is written in the same step as the change: the task (outbox) that queues a PDF's
drawing, an e-mailbox delivery or a PDF's removal; the answer a retried request replays; the timeline entry of an
activation, a login or a logout."""
from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.model.accounts import Role, Session
from chalicelib.domain.model.counters import IdempotentAnswer
from chalicelib.domain.model.requests import DocumentStatus
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import StaleRequest
from chalicelib.domain.statement_kinds import TOMBSTONE_SECONDS

from .builders import HOLDER, NOW, entry, new_request, ready_request, statement_of, timeline_kinds
from .test_accounts import pending

HOUR = 3600


def tasks_of(store, since=NOW - HOUR, until=NOW + 3 * HOUR):
    return sorted((t.kind.value, t.tracking_no) for t in store.tasks.due(since, until))


def test_a_new_request_leaves_the_task_that_has_its_pdf_drawn(store):
    request = new_request(store)
    assert tasks_of(store) == [("render", request.tracking_no)]
    store.tasks.done(FollowUpTask(TaskKind.RENDER, HOLDER, request.tracking_no, request.created_at))
    assert tasks_of(store) == []


def test_tasks_are_found_by_when_they_were_left(store):
    early, late = new_request(store, now=NOW), new_request(store, now=NOW + 5 * HOUR)
    assert tasks_of(store, NOW - HOUR, NOW + HOUR) == [("render", early.tracking_no)]
    assert tasks_of(store, NOW + 4 * HOUR, NOW + 6 * HOUR) == [("render", late.tracking_no)]
    assert len(store.tasks.due(NOW - HOUR, NOW + 6 * HOUR)) == 2


def test_the_answer_is_written_with_the_request_or_not_at_all(store):
    tracking_no = store.requests.next_tracking_no()
    request = dataclasses.replace(new_request(store), tracking_no=tracking_no, permits=[], version=0,
                                  idempotency_key="k-1")
    claimed = store.idempotency.claim(HOLDER, "k-1", "combined|True", NOW, 86_400, 30)
    assert claimed.mine
    store.requests.add(request, statement_of(request), entry(HOLDER, "statement_requested", NOW),
                       IdempotentAnswer(HOLDER, "k-1", "combined|True", {"tracking_no": tracking_no}))
    assert store.idempotency.claim(HOLDER, "k-1", "combined|True", NOW + 1, 86_400, 30).response == \
        {"tracking_no": tracking_no}
    assert store.requests.get(HOLDER, tracking_no).idempotency_key == "k-1"
    # Written already: the same step again changes nothing and says so.
    with pytest.raises(StaleRequest):
        store.requests.add(request, statement_of(request), entry(HOLDER, "statement_requested", NOW + 2),
                           IdempotentAnswer(HOLDER, "k-1", "combined|True", {"tracking_no": "other"}))
    assert timeline_kinds(store).count("statement_requested") == 2  # the two requests of this test, not three


def test_a_deletion_withdraws_the_document_and_leaves_the_pdfs_removal(store):
    request = ready_request(store)
    for task in store.tasks.due(NOW - HOUR, NOW + HOUR):
        store.tasks.done(task)
    store.requests.delete(request, iso(NOW + 60), NOW + TOMBSTONE_SECONDS, entry(HOLDER, "statement_deleted", NOW))
    assert store.requests.published(request.document.document_id).status is DocumentStatus.WITHDRAWN
    assert tasks_of(store) == [("remove_pdf", request.tracking_no)]


def test_an_expiry_marks_the_document_expired_and_leaves_the_pdfs_removal(store):
    request = ready_request(store)
    for task in store.tasks.due(NOW - HOUR, NOW + HOUR):
        store.tasks.done(task)
    store.requests.expire(request, iso(NOW + 60), NOW + TOMBSTONE_SECONDS)
    assert store.requests.published(request.document.document_id).status is DocumentStatus.EXPIRED
    assert tasks_of(store) == [("remove_pdf", request.tracking_no)]


def test_the_mailbox_is_asked_for_once_with_its_task(store):
    request = ready_request(store)
    for task in store.tasks.due(NOW - HOUR, NOW + HOUR):
        store.tasks.done(task)
    assert store.requests.queue_mailbox(request, iso(NOW + 60)) is True
    assert tasks_of(store) == [("mailbox", request.tracking_no)]
    again = store.requests.get(HOLDER, request.tracking_no)
    assert store.requests.queue_mailbox(again, iso(NOW + 120)) is False  # on its way already
    assert tasks_of(store) == [("mailbox", request.tracking_no)]


def test_an_activation_and_its_entry_are_one_step(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64), NOW)
    assert store.accounts.activate(HOLDER, "e" * 64, NOW, entry(HOLDER, "registered", NOW)) is True
    assert store.accounts.person(HOLDER).activated_by == "e" * 64
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + 1, entry(HOLDER, "registered", NOW + 1)) is False
    assert timeline_kinds(store) == ["registered"]


def test_a_session_opens_and_ends_with_its_entries_once(store):
    session = Session("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER, Role.INSURED, NOW, NOW + 900)
    store.sessions.open(session, entry(HOLDER, "login", NOW))
    store.sessions.end(session.session_id, entry(HOLDER, "logout", NOW + 60))
    store.sessions.end(session.session_id, entry(HOLDER, "logout", NOW + 61))  # a retried logout
    assert store.sessions.get(session.session_id, HOLDER) is None
    assert timeline_kinds(store) == ["logout", "login"]


def test_a_request_that_has_had_sixty_permits_can_still_be_deleted(store):
    """Only the permits still answering take part in the deletion's step (at most the live-permit cap), so a
    request's history never outgrows DynamoDB's 100 items a transaction (two writes a permit: 60 past permits
    would have needed 120)."""
    from .builders import issue

    request = ready_request(store)
    for i in range(60):  # sixty day-long permits over the months, none marked expired by the cleanup yet
        issue(store, store.requests.get(HOLDER, request.tracking_no), now=NOW + i * 3 * 86_400, validity="day")
    for i in range(2):  # and two live ones
        issue(store, store.requests.get(HOLDER, request.tracking_no), now=NOW + 300 * 86_400 + i, validity="week")
    later = NOW + 300 * 86_400 + 60
    current = store.requests.get(HOLDER, request.tracking_no)
    assert len(current.permits) == 62 and len(current.live_permits(later)) == 2
    store.requests.delete(current, iso(later), later + TOMBSTONE_SECONDS, entry(HOLDER, "statement_deleted", later))
    deleted = store.requests.get(HOLDER, request.tracking_no)
    assert deleted.status.value == "deleted" and not deleted.live_permits(later)
    assert sum(1 for p in deleted.permits if p.revoked_at) == 2


def test_tasks_added_together_are_each_found_once_however_often_added(store):
    told = [FollowUpTask(TaskKind.OUTDATE, code, "L20261126000000aaaaaaaa", NOW, since_month="1403/05")
            for code in (HOLDER, "0013542419")]
    store.tasks.add_all(told * 2)
    store.tasks.add_all(told)
    due = store.tasks.due(NOW - HOUR, NOW + HOUR)
    assert sorted(due, key=lambda t: t.national_code) == sorted(told, key=lambda t: t.national_code)
    assert {t.since_month for t in due} == {"1403/05"}
