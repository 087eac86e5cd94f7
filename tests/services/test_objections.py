"""ObjectionService: a person objects to a missing or short month; staff accept with the corrected months (written
with who changed what, when and why) or reject with a reason; the person follows it by SMS and in the timeline; and
a correction marks the statements it makes untrue as outdated, for the person and for an institution."""
from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.services.objections import decision_sms

from .helpers import DAY, MOBILE, NC, inquire, kinds, ready, stored

GAP_WORKSHOP = "2000300040"  # the demo person's second job began 1395/08; 1395/07 is missing from the records


def file_gap(services, **overrides) -> str:
    given = {"kind": "missing", "workshop_code": GAP_WORKSHOP, "from_month": "1395/07", "to_month": "1395/07",
             "description": "ماه اول کار در کارگاه ثبت نشده است", **overrides}
    return services.objections.file(NC, **given)["tracking_no"]


def records(services, year: int, month: int) -> list:
    _, contributions = services.adapters.registry.career(NC)
    return [c for c in contributions if (c.year, c.month) == (year, month)]


def accept_gap(services, tracking_no: str, days: int = 30, wage: int = 90_000_000) -> dict:
    return services.objections.decide("staff", tracking_no, "accept", "لیست اصلاحی کارفرما دیده شد",
                                      [{"year": 1395, "month": 7, "days": days, "wage": wage}])


def test_a_filed_objection_is_the_persons_to_follow(demo):
    answer = demo.objections.file(NC, "missing", "۲۰۰۰-۳۰۰-۰۴۰", "۱۳۹۵/۰۷", "1395/7", " ماه جاافتاده ")
    assert answer == {"tracking_no": answer["tracking_no"], "status": "submitted"}
    [mine] = demo.objections.mine(NC)["items"]
    assert mine["tracking_no"] == answer["tracking_no"]
    assert (mine["kind"], mine["workshop_code"], mine["from"], mine["to"]) == ("missing", GAP_WORKSHOP, "1395/07",
                                                                                "1395/07")
    assert mine["description"] == "ماه جاافتاده" and mine["decision_reason"] is None
    assert kinds(demo)[0] == "objection_filed"
    assert demo.objections.mine("0013542419")["items"] == []  # nobody else sees it


@pytest.mark.parametrize("overrides, code", [
    ({"kind": "late"}, "invalid_objection_kind"),
    ({"workshop_code": "12345"}, "invalid_workshop_code"),
    ({"from_month": "1395/09", "to_month": "1395/07"}, "invalid_month_range"),
    ({"from_month": "1393/01", "to_month": "1395/07"}, "invalid_month_range"),  # more than 24 months
    ({"to_month": "1404/04"}, "invalid_month_range"),  # past this month (the clock stands at 1404/03)
    ({"from_month": "1395/13"}, "invalid_jalali_month"),
    ({"attachment": {"filename": "a.exe", "size": 10, "content_type": "application/x-msdownload"}},
     "invalid_attachment"),
    ({"attachment": {"filename": "a.pdf", "size": 6 * 2**20, "content_type": "application/pdf"}},
     "invalid_attachment"),
])
def test_an_objection_that_cannot_be_decided_is_refused_with_its_reason(demo, overrides, code):
    with pytest.raises(InvalidValue) as refused:
        file_gap(demo, **overrides)
    assert refused.value.code == code
    assert demo.objections.mine(NC)["items"] == []


def test_an_attachment_is_uploaded_to_a_link_signed_for_its_size_and_type(demo):
    answer = demo.objections.file(NC, "missing", GAP_WORKSHOP, "1395/07", "1395/07", "",
                                  {"filename": "فیش حقوق.pdf", "size": 120_000, "content_type": "application/pdf"})
    key = f"objections/{NC}/{answer['tracking_no']}/attachment.pdf"
    assert answer["upload_url"] == demo.adapters.files.upload_links[-1]["url"]
    assert demo.adapters.files.upload_links[-1] == {"url": answer["upload_url"], "key": key,
                                                    "content_type": "application/pdf", "size": 120_000}
    [waiting] = demo.objections.waiting()["items"]
    assert waiting["attachment"]["size"] == 120_000 and key in waiting["attachment"]["url"]


def test_staff_see_what_waits_with_the_persons_records_for_the_period(demo):
    tracking_no = file_gap(demo, kind="deficient", from_month="1395/06", to_month="1395/08")
    [waiting] = demo.objections.waiting()["items"]
    assert waiting["tracking_no"] == tracking_no and waiting["national_code"] == NC and waiting["name"]
    assert [(r["year"], r["month"], r["workshop_code"]) for r in waiting["records"]] == [
        (1395, 6, "1000200030"), (1395, 8, GAP_WORKSHOP)]  # 1395/07 is the gap the person points at


def test_an_accepted_objection_corrects_the_records_and_keeps_who_changed_what(demo):
    tracking_no = file_gap(demo)
    before = demo.records.history(NC)["totals"]
    assert accept_gap(demo, tracking_no) == {"tracking_no": tracking_no, "status": "accepted"}

    [month] = records(demo, 1395, 7)
    assert (month.workshop_code, month.days, month.wage) == (GAP_WORKSHOP, 30, 90_000_000)
    assert month.workshop_name == "شرکت مهندسی پارس"  # named as the workshop's other months are
    after = demo.records.history(NC)["totals"]
    assert after != before
    [change] = demo.memory_state.record_changes
    assert (change.before, change.after, change.by, change.source) == (
        None, {"days": 30, "wage": 90_000_000}, "staff", f"objection {tracking_no}")
    assert change.why == "لیست اصلاحی کارفرما دیده شد"

    [mine] = demo.objections.mine(NC)["items"]
    assert mine["status"] == "accepted" and mine["decided_at"] and mine["decision_reason"]
    assert mine["corrections"] == [{"year": 1395, "month": 7, "workshop_code": GAP_WORKSHOP, "days": 30,
                                    "wage": 90_000_000}]
    assert "objection_decided" in kinds(demo)
    assert demo.adapters.sms.sent[-1][0] == MOBILE
    assert demo.adapters.sms.sent[-1][1] == decision_sms(demo.adapters.objections.get(tracking_no))


def test_a_deficient_month_keeps_what_it_was_beside_the_correction(demo):
    tracking_no = file_gap(demo, kind="deficient", workshop_code="3000400050", from_month="1399/05",
                           to_month="1399/05")
    [was] = [c for c in records(demo, 1399, 5) if c.workshop_code == "3000400050"]
    demo.objections.decide("staff", tracking_no, "accept", "قرارداد تمام‌وقت بود",
                           [{"year": 1399, "month": 5, "days": 31, "wage": was.wage * 2}])
    [now] = [c for c in records(demo, 1399, 5) if c.workshop_code == "3000400050"]
    assert (now.days, now.wage) == (31, was.wage * 2)
    [change] = demo.memory_state.record_changes
    assert change.before == {"days": was.days, "wage": was.wage}


def test_a_rejected_objection_changes_no_record_and_says_why(demo):
    tracking_no = file_gap(demo)
    assert demo.objections.decide("staff", tracking_no, "reject", "کارفرما این ماه را گزارش نکرده است", []) == {
        "tracking_no": tracking_no, "status": "rejected"}
    assert records(demo, 1395, 7) == [] and demo.memory_state.record_changes == []
    [mine] = demo.objections.mine(NC)["items"]
    assert (mine["status"], mine["decision_reason"]) == ("rejected", "کارفرما این ماه را گزارش نکرده است")
    assert "پذیرفته نشد" in demo.adapters.sms.sent[-1][1]
    assert demo.objections.waiting()["items"] == []


@pytest.mark.parametrize("decision, reason, corrections, code", [
    ("maybe", "x", [], "invalid_decision"),
    ("reject", "  ", [], "reason_required"),
    ("accept", "ok", [], "corrections_required"),
    ("accept", "ok", [{"year": 1395, "month": 9, "days": 30, "wage": 1}], "invalid_correction"),  # not named
    ("accept", "ok", [{"year": 1395, "month": 7, "workshop_code": "1000200030", "days": 30, "wage": 1}],
     "invalid_correction"),  # another workshop
    ("accept", "ok", [{"year": 1395, "month": 7, "days": 31, "wage": 1}], "invalid_correction"),  # Mehr has 30
    ("accept", "ok", [{"year": 1395, "month": 7, "days": 30, "wage": 1}] * 2, "invalid_correction"),
])
def test_a_decision_that_does_not_hold_is_refused_and_leaves_the_objection_waiting(demo, decision, reason,
                                                                                      corrections, code):
    tracking_no = file_gap(demo)
    with pytest.raises(InvalidValue) as refused:
        demo.objections.decide("staff", tracking_no, decision, reason, corrections)
    assert refused.value.code == code
    assert [o["tracking_no"] for o in demo.objections.waiting()["items"]] == [tracking_no]
    assert records(demo, 1395, 7) == []


def test_an_objection_is_decided_once(demo):
    tracking_no = file_gap(demo)
    accept_gap(demo, tracking_no)
    with pytest.raises(Conflict) as twice:
        demo.objections.decide("staff", tracking_no, "reject", "دوباره", [])
    assert twice.value.code == "already_decided"
    with pytest.raises(NotFound):
        demo.objections.decide("staff", "99999999", "reject", "x", [])
    assert len(demo.adapters.sms.sent) == 1


def test_a_correction_outdates_the_statements_that_showed_the_old_months(demo, clock):
    tracking_no = ready(demo)
    permit = demo.permits.issue(NC, tracking_no, "month")
    assert demo.statements.inbox(NC, None)["items"][0]["outdated"] is False

    clock.advance(60)
    objection = file_gap(demo)
    clock.advance(DAY)
    accept_gap(demo, objection)
    clock.advance(1)  # the follow-up acts after the decision (at one instant the timeline's order is a coin toss)
    assert demo.tasks.perform(next(iter(demo.memory_state.tasks.values()))) == "outdate"

    request = stored(demo, tracking_no)
    [item] = demo.statements.inbox(NC, None)["items"]
    assert item["outdated"] is True and item["outdated_since"] == request.outdated_since
    assert kinds(demo)[0] == "statement_outdated"
    answer = inquire(demo, permit["passcode"])
    assert answer["outdated"] is True and answer["outdated_since"] == request.outdated_since

    later = demo.permits.issue(NC, tracking_no, "week")  # a permit issued afterwards says so too
    assert inquire(demo, later["passcode"])["outdated"] is True

    fresh = ready(demo)  # the fresh statement shows the corrected records
    assert stored(demo, fresh).outdated_since is None


def test_a_statement_issued_before_the_corrected_months_stays_true(demo, clock):
    tracking_no = ready(demo)  # 1404/03
    clock.advance(90 * DAY)  # 1404/06
    objection = file_gap(demo, kind="deficient", from_month="1404/05", to_month="1404/05")
    demo.objections.decide("staff", objection, "accept", "کسری روز",
                           [{"year": 1404, "month": 5, "days": 31, "wage": 500_000_000}])
    for task in list(demo.memory_state.tasks.values()):
        demo.tasks.perform(task)
    assert stored(demo, tracking_no).outdated_since is None
    assert "statement_outdated" not in kinds(demo)


def test_outdating_twice_marks_once(demo):
    tracking_no = ready(demo)
    accept_gap(demo, file_gap(demo))
    [task] = [t for t in demo.memory_state.tasks.values() if t.kind.value == "outdate"]
    demo.tasks.perform(task)
    first = stored(demo, tracking_no).outdated_since
    demo.tasks.perform(task)  # the stream and the cleanup both reached it
    assert stored(demo, tracking_no).outdated_since == first
    assert kinds(demo).count("statement_outdated") == 1
