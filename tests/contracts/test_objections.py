"""Objections and the corrections they bring, on both stores: filed with their timeline entry and a place in the
staff's queue; decided once (a second decision, even at the same moment, changes nothing); an accepted one writes
the corrected months, their record of change and the task that outdates statements, or nothing at all. And a
statement marked outdated says so to the institution reading it through any permit that still answers."""
from __future__ import annotations

import dataclasses

from chalicelib.domain.clock import iso
from chalicelib.domain.model.objections import Correction, Objection, ObjectionKind, ObjectionStatus, RecordChange
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.service_days import Contribution

from .builders import DAY, HOLDER, NOW, OTHER, at_once, entry, issue, ready_request, timeline_kinds

WORKSHOP = "2051198"


def objection(store, national_code: str = HOLDER, now: int = NOW) -> Objection:
    filed = Objection(tracking_no=store.requests.next_tracking_no(), national_code=national_code,
                      kind=ObjectionKind.MISSING, workshop_code=WORKSHOP, from_month="1402/02", to_month="1402/03",
                      description="دو ماه ثبت نشده", submitted_at=iso(now))
    store.objections.add(filed, entry(national_code, "objection_filed", now, tracking_no=filed.tracking_no))
    return filed


def accepted(filed: Objection, now: int = NOW + DAY) -> tuple[Objection, list, list, FollowUpTask]:
    corrections = [Correction(1402, 2, WORKSHOP, 31, 120_000_000), Correction(1402, 3, WORKSHOP, 31, 120_000_000)]
    decided = dataclasses.replace(filed, status=ObjectionStatus.ACCEPTED, decided_at=iso(now), decided_by="staff",
                                  decision_reason="لیست اصلاحی", corrections=corrections)
    rows = [Contribution(c.year, c.month, WORKSHOP, "بانک ملت", c.days, c.wage, c.wage, "کارشناس")
            for c in corrections]
    changes = [RecordChange(filed.national_code, c.year, c.month, WORKSHOP, None, {"days": c.days, "wage": c.wage},
                            "staff", iso(now), "لیست اصلاحی", f"objection {filed.tracking_no}") for c in corrections]
    task = FollowUpTask(TaskKind.OUTDATE, filed.national_code, filed.tracking_no, now, "1402/02")
    return decided, rows, changes, task


def test_a_filed_objection_is_the_persons_and_waits_in_the_queue(store):
    first, second = objection(store), objection(store, now=NOW + 60)
    theirs = objection(store, OTHER, now=NOW + 120)
    assert store.objections.get(first.tracking_no) == first
    assert [o.tracking_no for o in store.objections.of_person(HOLDER)] == [second.tracking_no, first.tracking_no]
    assert [o.tracking_no for o in store.objections.waiting(10)] == [first.tracking_no, second.tracking_no,
                                                                     theirs.tracking_no]  # oldest first
    assert [o.tracking_no for o in store.objections.waiting(1)] == [first.tracking_no]
    assert timeline_kinds(store).count("objection_filed") == 2
    assert store.objections.get("99999999") is None


def test_an_accepted_objection_writes_its_months_their_history_and_the_outdating_task(store):
    filed = objection(store)
    decided, rows, changes, task = accepted(filed)
    assert store.objections.accept(decided, rows, changes, entry(HOLDER, "objection_decided", NOW + DAY), task)

    assert store.objections.get(filed.tracking_no) == decided
    assert store.objections.waiting(10) == []
    _, career = store.registry.career(HOLDER)
    assert [(c.year, c.month, c.days) for c in career if c.workshop_code == WORKSHOP] == [(1402, 2, 31), (1402, 3, 31)]
    assert store.registry.changes(HOLDER) == changes
    assert store.registry.changes(OTHER) == []
    assert [(t.kind, t.since_month) for t in store.tasks.due(NOW, NOW + 2 * DAY)] == [(TaskKind.OUTDATE, "1402/02")]
    assert "objection_decided" in timeline_kinds(store)


def test_an_objection_is_decided_once_even_when_two_staff_decide_together(store):
    filed = objection(store)
    decided, rows, changes, task = accepted(filed)
    rejected = dataclasses.replace(filed, status=ObjectionStatus.REJECTED, decided_at=iso(NOW + DAY),
                                   decided_by="other-staff", decision_reason="بدون مدرک")

    def decide(i):
        if i == 0:
            return store.objections.accept(decided, rows, changes, entry(HOLDER, "objection_decided", NOW + DAY), task)
        return store.objections.reject(rejected, entry(HOLDER, "objection_decided", NOW + DAY))

    outcomes = at_once(2, decide)
    assert sorted(outcomes) == [False, True]
    stored = store.objections.get(filed.tracking_no)
    _, career = store.registry.career(HOLDER)
    written = [c for c in career if c.workshop_code == WORKSHOP and (c.year, c.month) in {(1402, 2), (1402, 3)}
               and c.days == 31]
    if stored.status is ObjectionStatus.ACCEPTED:
        assert len(written) == 2 and len(store.registry.changes(HOLDER)) == 2
    else:
        assert written == [] and store.registry.changes(HOLDER) == [] and store.tasks.due(NOW, NOW + 2 * DAY) == []
    assert timeline_kinds(store).count("objection_decided") == 1


def test_an_outdated_statement_says_so_through_every_permit_that_answers(store):
    request = ready_request(store)
    live, live_grant = issue(store, request, validity="month")
    request = store.requests.get(HOLDER, request.tracking_no)
    at = iso(NOW + DAY)
    assert store.requests.mark_outdated(request, at, entry(HOLDER, "statement_outdated", NOW + DAY))
    marked = store.requests.get(HOLDER, request.tracking_no)
    assert marked.outdated_since == at
    grant, _ = store.inquiry_lookup.find(live_grant.key, [])
    assert grant.outdated_since == at
    assert not store.requests.mark_outdated(marked, at, entry(HOLDER, "statement_outdated", NOW + DAY))  # once
    assert timeline_kinds(store).count("statement_outdated") == 1


def test_outdating_a_request_read_before_a_new_permit_fails_so_it_is_read_again(store):
    request = ready_request(store)
    issue(store, request)  # issued after `request` was read: the version moved on
    assert not store.requests.mark_outdated(request, iso(NOW + DAY), entry(HOLDER, "statement_outdated", NOW + DAY))
    assert store.requests.get(HOLDER, request.tracking_no).outdated_since is None
    assert "statement_outdated" not in timeline_kinds(store)
