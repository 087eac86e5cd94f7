"""Every flow that writes more than once, with each of its AWS calls failing in each way (harness.py): after the
retries AWS and people make, it reaches one end state, nothing lost, nothing doubled.

The cases are generated from the flows themselves: each flow is run once cleanly to list its calls, then once per
call and failure mode. A call a flow gains later is a case at once. The number of cases run is printed at the end
of the test session."""
from __future__ import annotations

import json
import re

import pytest

from devstack.load.storage import scan  # the test's own look at a whole table
from devstack.seed import DEMO_NATIONAL_CODE as NC
from tests.faults.harness import MODES, Faults, world

FLOWS = {}


def flow(setup=None):
    def register(act):
        FLOWS[act.__name__] = (setup or (lambda w: {}), act)
        return act
    return register


# --- set-ups (before any fault) ------------------------------------------------------------------------------------
def ready(w) -> dict:
    status, answer = w.api("post", "/v1/me/statements", {"kind": "combined", "agree": True}, key="set-up-statement")
    assert status == 201, answer
    w.settle()
    return {"tracking_no": answer["tracking_no"]}


def ready_with_permit(w) -> dict:
    given = ready(w)
    status, permit = w.api("post", f"/v1/me/inbox/{given['tracking_no']}/permits", {"validity": "week"},
                           key="set-up-permit-01")
    assert status == 201, permit
    return {**given, "permit": permit}


# --- the flows ----------------------------------------------------------------------------------------------------
@flow()
def register_and_activate(w):
    from devstack.seed import NEWCOMER

    status, _ = w.api("post", "/v1/auth/register", {"national_code": NEWCOMER["national_code"],
                                                    "mobile": "09121234567", "birth_date": NEWCOMER["birth_date"],
                                                    "password": "Kh0shbakht-2024"})
    assert status == 202
    otp = re.search(r"(\d{6})", [m for m in w.outbox() if m["channel"] == "sms"][-1]["text"]).group(1)
    status, answer = w.api("post", "/v1/auth/activate", {"national_code": NEWCOMER["national_code"], "otp": otp})
    assert (status, answer) == (200, {"status": "active"}), answer
    status, _ = w.api("post", "/v1/auth/login", {"national_code": NEWCOMER["national_code"],
                                                 "password": "Kh0shbakht-2024"}, token="-")
    assert status == 200
    timeline = timeline_of(w, NEWCOMER["national_code"])
    assert timeline.count("registered") == 1


@flow()
def log_out(w):
    ended = w.token
    status, _ = w.api("post", "/v1/auth/logout", token=ended)
    assert status in (204, 401)  # a retry after the logout went through finds the session ended
    assert w.api("get", "/v1/me", token=ended)[0] == 401
    assert timeline_of(w).count("logout") == 1


@flow()
def request_a_statement(w):
    status, answer = w.api("post", "/v1/me/statements", {"kind": "combined", "agree": True}, key="the-one-statement")
    assert status == 201, answer
    w.settle(hours=1)
    requests = stored_requests(w)
    assert [r["tracking_no"] for r in requests] == [answer["tracking_no"]], "one statement per key"
    assert requests[0]["status"] == "ready", "never stuck pending"
    assert timeline_of(w).count("statement_requested") == 1 and timeline_of(w).count("statement_ready") == 1


def asked(w) -> dict:
    status, answer = w.api("post", "/v1/me/statements", {"kind": "combined", "agree": True}, key="set-up-statement")
    assert status == 201, answer
    return {"tracking_no": answer["tracking_no"]}


@flow(asked)
def draw_the_pdf(w, given):
    """The follow-up queues the drawing, the worker draws and publishes: one PDF, one document, whatever fails."""
    w.settle(hours=1)
    (request,) = stored_requests(w)
    assert request["status"] == "ready"
    assert timeline_of(w).count("statement_ready") == 1
    assert verify(w, request["document_id"]) == "valid"


@flow(ready)
def issue_a_permit(w, given):
    status, permit = w.api("post", f"/v1/me/inbox/{given['tracking_no']}/permits", {"validity": "week"},
                           key="the-one-permit-01")
    assert status == 201, permit
    w.settle(hours=1)
    item = w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]
    assert len(item["permits"]) == 1, "one permit per key, never one nobody saw"
    assert w.inquire(NC, permit["passcode"])[0] == 200, "the passcode shown works"
    assert timeline_of(w).count("permit_issued") == 1


@flow(ready_with_permit)
def revoke_a_permit(w, given):
    status, _ = w.api("delete", f"/v1/me/inbox/{given['tracking_no']}/permits/{given['permit']['permit_id']}")
    assert status == 204
    w.settle(hours=1)
    assert w.inquire(NC, given["permit"]["passcode"])[0] == 404
    assert timeline_of(w).count("permit_revoked") == 1


@flow(ready_with_permit)
def an_institution_views(w, given):
    status, answer = w.inquire(NC, given["permit"]["passcode"])
    assert status == 200, answer
    w.settle(hours=1)
    views = w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]["permits"][0]["views"]
    assert timeline_of(w).count("institution_view") == views >= 1, "every counted view is in the timeline"
    first_view = [m for m in w.outbox() if m["channel"] == "sms" and given["tracking_no"] in m["text"]]
    assert len(first_view) == 1, "exactly one SMS for the first view"


@flow(ready)
def deliver_to_the_mailbox(w, given):
    status, _ = w.api("post", f"/v1/me/inbox/{given['tracking_no']}/mailbox")
    assert status == 202
    w.settle(hours=1)
    w.api("post", f"/v1/me/inbox/{given['tracking_no']}/mailbox")  # asking again after it arrived
    w.settle(hours=1)
    item = w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]
    assert item["mailbox"]["status"] == "delivered"
    assert len([m for m in w.outbox() if m["channel"] == "mailbox"]) == 1, "exactly one delivery"
    assert timeline_of(w).count("mailbox_delivery") == 1


@flow(ready_with_permit)
def delete_a_statement(w, given):
    document_id = w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]["document_id"]
    status, _ = w.api("delete", f"/v1/me/inbox/{given['tracking_no']}")
    assert status in (204, 404)  # a retry after the deletion went through finds nothing left to delete
    assert verify(w, document_id) == "withdrawn", "withdrawn from the moment it is deleted"
    w.settle(hours=1)
    assert w.api("get", "/v1/me/inbox")[1]["items"] == []
    assert w.inquire(NC, given["permit"]["passcode"])[0] == 404
    assert timeline_of(w).count("statement_deleted") == 1


def a_week_on(w) -> dict:
    given = ready_with_permit(w)
    w.clock().offset_seconds = 7 * 86_400 - 3600  # the hourly cleanup has kept up until an hour before the expiry
    w.cleanup()
    return given


@flow(a_week_on)
def expire_a_permit(w, given):
    w.clock().offset_seconds = 7 * 86_400 + 3600  # past the week-long permit
    w.cleanup()
    w.settle(hours=1)
    assert w.inquire(NC, given["permit"]["passcode"])[0] == 404
    assert timeline_of(w).count("permit_expired") == 1
    assert w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]["permits"][0]["status"] == "expired"


def nearly_a_year_on(w) -> dict:
    given = ready_with_permit(w)
    document_id = w.api("get", f"/v1/me/inbox/{given['tracking_no']}")[1]["document_id"]
    for offset in (8 * 86_400, 365 * 86_400 - 3600):  # the hourly cleanup has kept up until an hour before
        w.clock().offset_seconds = offset
        w.cleanup()
    return {**given, "document_id": document_id}


@flow(nearly_a_year_on)
def expire_a_request(w, given):
    w.clock().offset_seconds = 365 * 86_400 + 3600  # past the year of retention
    w.cleanup()
    w.settle(hours=1)
    assert verify(w, given["document_id"]) == "expired"
    assert w.api("get", "/v1/me/inbox")[1]["items"] == []


# --- what must hold after every flow, whatever failed ---------------------------------------------------------------
def invariants(w) -> None:
    from chalicelib.storage.aws import client

    with w.faults.harness():
        requests = stored_requests(w)
        assert not [r for r in requests if r["status"] == "pending"], "a request stuck pending"
        s3 = client("s3")
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket="sabeghe-documents").get("Contents", [])}
        wanted = {r["document"]["s3_key"] for r in requests if r["status"] == "ready" and r.get("document")}
        assert keys == wanted, f"PDFs that no live request references, or missing: {keys ^ wanted}"
        left = [i for i in scan(client("dynamodb"), "sabeghe-requests") if i["pk"].startswith("OUTBOX#")]
        assert not left, f"follow-up work left undone an hour later: {left}"
        sms_ids = [m.get("message_id") for m in w.outbox() if m["channel"] == "sms"]
        assert len(sms_ids) == len(set(sms_ids)), "an SMS sent twice"


def stored_requests(w) -> list[dict]:
    from chalicelib.storage.aws import client

    with w.faults.harness():
        return [i for i in scan(client("dynamodb"), "sabeghe-requests")
                if i["sk"].startswith("REQ#") and "#P#" not in i["sk"]]


def timeline_of(w, national_code: str = NC) -> list[str]:
    from chalicelib.storage.aws import client

    with w.faults.harness():
        return [i["kind"] for i in scan(client("dynamodb"), "sabeghe-activity") if i["pk"] == f"PERSON#{national_code}"]


def verify(w, document_id: str) -> str:
    import app
    from devstack.workers import function_url_event

    with w.faults.harness():
        answer = app.inquiry(function_url_event("GET", f"/verify/{document_id}", "", {"Host": "x"}, b"", "1.2.3.4"),
                             None)
    return json.loads(answer["body"]).get("status")


# --- the cases ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FLOWS))
def test_a_flow_reaches_one_end_state_whatever_call_fails(name, monkeypatch, tmp_path, fault_report):
    setup, act = FLOWS[name]
    faults = Faults()
    faults.install(monkeypatch)
    with world(monkeypatch, tmp_path, faults) as w:
        with faults.harness():
            given = setup(w)
        faults.calls.clear()
        act(w, given) if given else act(w)
        invariants(w)
        calls = list(faults.calls)
    broken = []
    for index in range(len(calls)):
        for mode in MODES:
            with world(monkeypatch, tmp_path, faults) as w:
                with faults.harness():
                    given = setup(w)
                faults.calls.clear()
                faults.plan, faults.fired = (index, mode), None
                try:
                    act(w, given) if given else act(w)
                    invariants(w)
                except AssertionError as failure:
                    broken.append(f"{calls[index]} #{index} {mode}: {failure}".splitlines()[0][:300])
                finally:
                    faults.plan = None
    fault_report(name, len(calls) * len(MODES), calls)
    assert not broken, "\n".join(broken)
