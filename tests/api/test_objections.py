"""Objections through the HTTP contract, on the real DynamoDB and S3 code paths (moto): the person files and follows
them; staff see what waits and decide; an accepted objection changes the records, and a statement issued before it
tells the person (inbox, timeline) and the institution (inquiry) that the records changed after it was issued."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import follow_up, inquire, read_outbox

GAP = {"kind": "missing", "workshop_code": "2000300040", "from": "1395/07", "to": "1395/07",
       "description": "ماه اول کار ثبت نشده است"}


def staff_token(api) -> str:
    answer = api.post("/v1/staff/auth/login", {"username": "staff", "password": "Sabeghe-staff-1403"})
    assert answer.status_code == 200, answer.body
    return answer.data["token"]


def mehr_1395(api) -> list:
    """The workshops that reported 1395/07 (a month nobody reported is left out of the answer)."""
    months = api.get("/v1/me/records/wages?year=1395").data["months"]
    return next((m["workshops"] for m in months if m["month"] == 7), [])


def test_a_person_files_an_objection_and_follows_it_to_the_decision(api, demo):
    api.login_demo()
    filed = api.post("/v1/me/objections", GAP)
    assert filed.status_code == 201, filed.body
    assert filed.data == {"tracking_no": filed.data["tracking_no"], "status": "submitted"}
    [mine] = api.get("/v1/me/objections").data["items"]
    assert (mine["tracking_no"], mine["status"], mine["from"], mine["to"]) == (filed.data["tracking_no"],
                                                                               "submitted", "1395/07", "1395/07")

    staff = staff_token(api)
    [waiting] = api.get("/v1/staff/objections?status=submitted", token=staff).data["items"]
    assert waiting["tracking_no"] == filed.data["tracking_no"] and waiting["national_code"] == "0499370899"
    decided = api.post(f"/v1/staff/objections/{filed.data['tracking_no']}/decision",
                       {"decision": "reject", "reason": "کارفرما برای این ماه لیستی نداده است"}, token=staff)
    assert decided.status_code == 200 and decided.data == {"tracking_no": filed.data["tracking_no"],
                                                           "status": "rejected"}

    [mine] = api.get("/v1/me/objections").data["items"]
    assert (mine["status"], mine["decision_reason"]) == ("rejected", "کارفرما برای این ماه لیستی نداده است")
    assert mine["decided_at"] and mine["decided_at_jalali"]
    kinds = [e["kind"] for e in api.get("/v1/me/activity").data["items"]]
    assert {"objection_filed", "objection_decided"} <= set(kinds)
    assert any(filed.data["tracking_no"] in m.get("text", "") for m in read_outbox())  # the SMS
    assert api.get("/v1/staff/objections", token=staff).data["items"] == []


def test_an_accepted_objection_changes_the_records_and_outdates_the_statement(api, ready_statement):
    permit = api.post(f"/v1/me/inbox/{ready_statement}/permits", {"validity": "month"}).data
    filed = api.post("/v1/me/objections", GAP).data
    assert mehr_1395(api) == []
    days_before = api.get("/v1/me/records").data["totals"]["days"]

    staff = staff_token(api)
    decided = api.post(f"/v1/staff/objections/{filed['tracking_no']}/decision",
                       {"decision": "accept", "reason": "لیست اصلاحی کارفرما رسید",
                        "corrections": [{"year": 1395, "month": 7, "days": 30, "wage": 90_000_000}]}, token=staff)
    assert decided.status_code == 200, decided.body
    [workshop] = mehr_1395(api)
    assert (workshop["workshop_code"], workshop["days"], workshop["wage"]) == ("2000300040", 30, 90_000_000)
    assert api.get("/v1/me/records").data["totals"]["days"] == days_before + 30

    follow_up()  # the stream hands the correction's task on
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    assert item["outdated"] is True and item["outdated_since"]
    assert api.get("/v1/me/activity").data["items"][0]["kind"] == "statement_outdated"
    answer = inquire("0499370899", permit["passcode"])
    assert answer["statusCode"] == 200
    assert answer["json"]["outdated"] is True and answer["json"]["outdated_since"] == item["outdated_since"]


def test_an_attachment_goes_to_a_private_link_signed_for_its_size_and_type(api, demo):
    api.login_demo()
    filed = api.post("/v1/me/objections", {**GAP, "attachment": {"filename": "فیش.pdf", "size": 84_000,
                                                                  "content_type": "application/pdf"}})
    assert filed.status_code == 201, filed.body
    url = urlparse(filed.data["upload_url"])
    signed = parse_qs(url.query)
    assert url.path.endswith(f"/objections/0499370899/{filed.data['tracking_no']}/attachment.pdf")
    assert {"content-length", "content-type"} <= set(signed["X-Amz-SignedHeaders"][0].split(";"))
    assert int(signed["X-Amz-Expires"][0]) == filed.data["upload_expires_in"] <= 300


@pytest.mark.parametrize("body, code", [
    ({**GAP, "kind": "other"}, "invalid_value"),
    ({**GAP, "from": "1395/09"}, "invalid_month_range"),
    ({**GAP, "from": "13a5/07"}, "invalid_jalali_month"),
    ({**GAP, "workshop_code": "12"}, "invalid_workshop_code"),
    ({**GAP, "extra": 1}, "unknown_field"),
    ({k: v for k, v in GAP.items() if k != "to"}, "missing_field"),
    ({**GAP, "attachment": {"filename": "x.exe", "size": 10, "content_type": "application/octet-stream"}},
     "invalid_value"),
    ({**GAP, "attachment": {"filename": "x.pdf", "size": 50 * 2**20, "content_type": "application/pdf"}},
     "invalid_attachment"),
])
def test_an_objection_that_cannot_be_decided_gets_a_clear_4xx(api, demo, body, code):
    api.login_demo()
    answer = api.post("/v1/me/objections", body)
    assert answer.status_code == 422 and answer.data["error"]["code"] == code, answer.body
    assert answer.data["error"]["message_fa"]
    assert api.get("/v1/me/objections").data["items"] == []


def test_only_staff_decide_and_only_once(api, demo):
    api.login_demo()
    filed = api.post("/v1/me/objections", GAP).data
    path = f"/v1/staff/objections/{filed['tracking_no']}/decision"
    assert api.get("/v1/staff/objections").status_code == 403  # a person's token
    assert api.post(path, {"decision": "reject", "reason": "x"}).status_code == 403
    assert api.get("/v1/staff/objections", token="nonsense").status_code == 401

    staff = staff_token(api)
    assert api.post(path, {"decision": "accept", "reason": "ok"}, token=staff).data["error"]["code"] == \
        "corrections_required"
    assert api.post(path, {"decision": "reject", "reason": ""}, token=staff).data["error"]["code"] == "reason_required"
    assert api.post(path, {"decision": "reject", "reason": "بدون مدرک"}, token=staff).status_code == 200
    again = api.post(path, {"decision": "reject", "reason": "بدون مدرک"}, token=staff)
    assert again.status_code == 409 and again.data["error"]["code"] == "already_decided"
    assert api.post("/v1/staff/objections/12345678/decision", {"decision": "reject", "reason": "x"},
                    token=staff).status_code == 404
    assert api.get("/v1/staff/objections?status=accepted", token=staff).status_code == 422
