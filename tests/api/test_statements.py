"""Asking for a statement, the inbox, the PDF, the e-mailbox and deleting."""
from __future__ import annotations

import hashlib
import urllib.parse

import pytest
import requests

from tests.conftest import drain, follow_up, read_outbox, render_pending


def test_statement_needs_the_agreement(api, demo):
    api.login_demo()
    refused = api.post("/v1/me/statements", {"kind": "summary", "agree": False})
    assert refused.status_code == 422 and refused.data["error"]["code"] == "agreement_required"
    bad_kind = api.post("/v1/me/statements", {"kind": "everything", "agree": True})
    assert bad_kind.status_code == 422
    assert api.get("/v1/me/inbox").data["items"] == []


def test_request_appears_pending_then_ready_with_every_inbox_column(api, demo, services):
    api.login_demo()
    created = api.post("/v1/me/statements", {"kind": "summary", "agree": True})
    assert created.status_code == 201
    assert created.data["status"] == "pending" and len(created.data["tracking_no"]) == 10
    item = api.get("/v1/me/inbox").data["items"][0]
    assert item["status"] == "pending"
    render_pending()
    item = api.get("/v1/me/inbox").data["items"][0]
    assert item["status"] == "ready"
    for column in ("tracking_no", "sent_at", "sent_at_jalali", "system", "subject", "kind", "national_code", "mobile",
                   "email", "viewed_at", "inquirable_until", "permits", "status"):
        assert column in item
    assert item["subject"] == "اعلام سابقه به موسسات" and item["system"] == "سابقه"
    assert item["national_code"] == "0499370899" and item["mobile"] == "09120000000"
    assert item["viewed_at"] is None and item["inquirable_until"] is None
    stored = services.adapters.requests.get("0499370899", item["tracking_no"])
    statement = services.adapters.requests.statement("0499370899", item["tracking_no"])
    assert stored.agreement_version and "موافقت" in statement.agreement_text


def test_tracking_numbers_are_unique_and_the_inbox_is_newest_first_and_paginated(api, demo):
    api.login_demo()
    numbers = [api.post("/v1/me/statements", {"kind": "summary", "agree": True}).data["tracking_no"]
               for _ in range(5)]
    assert len(set(numbers)) == 5
    first = api.get("/v1/me/inbox?limit=3").data
    assert [i["tracking_no"] for i in first["items"]] == numbers[::-1][:3]
    second = api.get(f"/v1/me/inbox?limit=3&cursor={first['next']}").data
    assert [i["tracking_no"] for i in second["items"]] == numbers[::-1][3:]


def test_document_is_a_short_lived_s3v4_presigned_pdf(api, ready_statement, services):
    answer = api.get(f"/v1/me/inbox/{ready_statement}/document")
    assert answer.status_code == 200
    url = answer.data["url"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert int(query["X-Amz-Expires"][0]) <= 300 and answer.data["expires_in"] <= 300
    pdf = requests.get(url, timeout=10).content  # moto intercepts requests inside mock_aws
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == answer.data["sha256"]


def test_pdf_is_private_and_encrypted(api, ready_statement, services):
    from chalicelib.storage.aws import client

    stored = services.adapters.requests.get("0499370899", ready_statement)
    head = client("s3").head_object(Bucket=services.settings.documents_bucket, Key=stored.document.s3_key)
    assert head["ServerSideEncryption"] == "AES256"
    block = client("s3").get_public_access_block(Bucket=services.settings.documents_bucket)
    assert all(block["PublicAccessBlockConfiguration"].values())


def test_another_persons_tracking_number_is_not_found(api, ready_statement, services):
    from devstack.seed import seed_active_person, seed_registry_person

    seed_registry_person(services, "0013542419", "1370/01/15", "رضا", "کریمی")
    seed_active_person(services, "0013542419", "09121234567", "1370/01/15", "Kh0shbakht-2024")
    other = api.post("/v1/auth/login", {"national_code": "0013542419", "password": "Kh0shbakht-2024"}).data["token"]
    for method, path in (("get", f"/v1/me/inbox/{ready_statement}/document"),
                         ("post", f"/v1/me/inbox/{ready_statement}/permits"),
                         ("post", f"/v1/me/inbox/{ready_statement}/mailbox"),
                         ("delete", f"/v1/me/inbox/{ready_statement}")):
        answer = api.call(method, path, token=other, body={} if method == "post" else None)
        assert answer.status_code == 404, (path, answer.body)
        assert "0499370899" not in answer.body.decode()
    assert api.get(f"/v1/me/inbox/{ready_statement}").data["status"] == "ready"  # owner still has it


def test_verify_shows_what_was_issued(api, ready_statement):
    import app  # noqa: F401
    from tests.conftest import inquire

    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    pdf_sha = api.get(f"/v1/me/inbox/{ready_statement}/document").data["sha256"]
    answer = inquire(None, None, method="GET", path=f"/verify/{item['document_id']}")
    assert answer["statusCode"] == 200
    data = answer["json"]
    assert data["status"] == "valid" and data["sha256"] == pdf_sha and data["tracking_no"] == ready_statement
    assert data["holder"]["national_code_masked"] == "049****899"
    assert inquire(None, None, method="GET", path="/verify/NOSUCHDOC123")["statusCode"] == 404


def test_mailbox_delivery_goes_to_the_outbox_and_shows_in_the_inbox(api, ready_statement):
    answer = api.post(f"/v1/me/inbox/{ready_statement}/mailbox")
    assert answer.status_code == 202
    assert api.get(f"/v1/me/inbox/{ready_statement}").data["mailbox"]["status"] == "queued"
    drain("MAILBOX_QUEUE_URL", "deliver_mailbox")
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    assert item["mailbox"]["status"] == "delivered" and item["mailbox"]["delivered_at"]
    sent = [m for m in read_outbox() if m["channel"] == "mailbox"]
    assert sent and sent[-1]["to"] == "09120000000" and sent[-1]["tracking_no"] == ready_statement
    with open(sent[-1]["file"], "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_a_failed_mailbox_delivery_is_retried_not_lost(api, ready_statement, services):
    real = services.adapters.mailbox_gateway
    calls = []

    class Flaky:
        def deliver(self, delivery, pdf):
            calls.append(delivery["tracking_no"])
            if len(calls) == 1:
                raise ConnectionError("gateway down")
            return real.deliver(delivery, pdf)

    services.mailbox.gateway = Flaky()
    api.post(f"/v1/me/inbox/{ready_statement}/mailbox")
    first = drain("MAILBOX_QUEUE_URL", "deliver_mailbox")
    assert first[0]["batchItemFailures"], "the failure must be reported back to SQS for a retry"
    assert first[-1]["batchItemFailures"] == []
    assert len(calls) == 2
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    assert item["mailbox"]["status"] == "delivered" and item["mailbox"]["attempts"] == 2


def test_delete_revokes_permits_removes_the_pdf_and_keeps_an_audit_entry(api, ready_statement, services):
    from chalicelib.storage.aws import client
    from tests.conftest import inquire

    permit = api.post(f"/v1/me/inbox/{ready_statement}/permits", {"validity": "week"}).data
    stored = services.adapters.requests.get("0499370899", ready_statement)
    assert api.delete(f"/v1/me/inbox/{ready_statement}").status_code == 204
    verify = inquire(None, None, method="GET", path=f"/verify/{stored.document.document_id}")["json"]
    assert verify["status"] == "withdrawn"  # from the moment of the deletion
    follow_up()  # the deletion left the PDF's removal to the follow-up
    assert [i["tracking_no"] for i in api.get("/v1/me/inbox").data["items"]] == []
    assert api.get(f"/v1/me/inbox/{ready_statement}/document").status_code == 404
    with pytest.raises(client("s3").exceptions.ClientError):
        client("s3").head_object(Bucket=services.settings.documents_bucket, Key=stored.document.s3_key)
    assert inquire("0499370899", permit["passcode"])["statusCode"] == 404
    tombstone = services.adapters.requests.get("0499370899", ready_statement)
    assert tombstone.status.value == "deleted"
    assert services.adapters.requests.statement("0499370899", ready_statement) is None
    kinds = [i["kind"] for i in api.get("/v1/me/activity").data["items"]]
    assert kinds[0] == "statement_deleted"
    verify = inquire(None, None, method="GET", path=f"/verify/{stored.document.document_id}")["json"]
    assert verify["status"] == "withdrawn"
    assert api.delete(f"/v1/me/inbox/{ready_statement}").status_code == 404


def test_a_statement_that_cannot_be_drawn_is_marked_failed(api, demo, services):
    def broken(statement, verify_url):
        raise ValueError("font missing")

    services.rendering.renderer = broken
    api.login_demo()
    tracking = api.post("/v1/me/statements", {"kind": "wages", "agree": True}).data["tracking_no"]
    render_pending()
    item = api.get(f"/v1/me/inbox/{tracking}").data
    assert item["status"] == "failed" and item["failure"]
    assert api.post(f"/v1/me/inbox/{tracking}/permits", {}).status_code == 409


def test_the_agreement_shown_is_the_one_stored_with_the_request(api, demo, services):
    import hashlib

    shown = api.get("/v1/agreement").data
    assert shown["version"] and len(shown["fa"]["items"]) == len(shown["en"]["items"]) >= 3
    api.login_demo()
    tracking = api.post("/v1/me/statements", {"kind": "summary", "agree": True}).data["tracking_no"]
    stored = services.adapters.requests.get("0499370899", tracking)
    accepted = services.adapters.requests.statement("0499370899", tracking).agreement_text
    assert stored.agreement_version == shown["version"]
    assert all(item in accepted for item in shown["fa"]["items"])
    assert stored.agreement_sha256 == hashlib.sha256(accepted.encode()).hexdigest()


def test_a_browser_opening_the_qr_link_lands_on_the_verification_page(api, ready_statement):
    from tests.conftest import inquire

    document_id = api.get(f"/v1/me/inbox/{ready_statement}").data["document_id"]
    import app
    from devstack.workers import function_url_event

    event = function_url_event("GET", f"/verify/{document_id}", "", {"Host": "x.lambda-url.us-east-1.on.aws",
                                                                     "Accept": "text/html,application/xhtml+xml"},
                               b"", "198.51.100.3")
    answer = app.inquiry(event, None)
    assert answer["statusCode"] == 302 and answer["headers"]["Location"] == f"/?verify={document_id}"
    assert inquire(None, None, method="GET", path=f"/verify/{document_id}")["json"]["status"] == "valid"


def test_a_retried_request_with_the_same_idempotency_key_creates_one_statement(api, demo):
    api.login_demo()
    headers = {"Idempotency-Key": "click-7f3a9c21"}
    first = api.post("/v1/me/statements", {"kind": "summary", "agree": True}, headers=headers)
    again = api.post("/v1/me/statements", {"kind": "summary", "agree": True}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert [i["tracking_no"] for i in api.get("/v1/me/inbox").data["items"]] == [first.data["tracking_no"]]
    other = api.post("/v1/me/statements", {"kind": "wages", "agree": True}, headers=headers)
    assert other.status_code == 422 and other.data["error"]["code"] == "idempotency_key_reused"
    bad = api.post("/v1/me/statements", {"kind": "wages", "agree": True}, headers={"Idempotency-Key": "x"})
    assert bad.status_code == 422 and bad.data["error"]["code"] == "invalid_idempotency_key"
    refused = api.post("/v1/me/statements", {"kind": "wages", "agree": False}, headers={"Idempotency-Key": "k-0000001"})
    assert refused.status_code == 422
    fixed = api.post("/v1/me/statements", {"kind": "wages", "agree": True}, headers={"Idempotency-Key": "k-0000002"})
    assert fixed.status_code == 201


def test_a_batch_that_cannot_finish_in_time_hands_the_rest_back_untouched(api, ready_statement):
    """Each delivery may wait out the gateway's timeout: what would run past the function's timeout is returned to
    the queue before it is tried, not cut off half-way."""
    import json
    import types

    import app

    slow_clock = iter([40_000, 9_000])  # enough for the first message, not for the second
    context = types.SimpleNamespace(get_remaining_time_in_millis=lambda: next(slow_clock))
    event = {"Records": [
        {"messageId": "m-1", "body": json.dumps({"national_code": "0499370899", "tracking_no": ready_statement}),
         "attributes": {"ApproximateReceiveCount": "1"}},
        {"messageId": "m-2", "body": json.dumps({"national_code": "0499370899", "tracking_no": ready_statement}),
         "attributes": {"ApproximateReceiveCount": "1"}}]}
    assert app.deliver_mailbox(event, context) == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}
