"""The scheduled cleanup: expired permits and requests go, live ones stay, and a second run changes nothing."""
from __future__ import annotations

import pytest

from tests.conftest import inquire

NC = "0499370899"
DAY = 86_400


def run_cleanup():
    import app

    scheduled = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": "2026-11-25T09:00:00Z", "region": "us-east-1",
                 "resources": ["arn:aws:events:us-east-1:123456789012:rule/cleanup"], "detail": {}}
    return app.cleanup(scheduled, None)


@pytest.fixture
def two_permits(api, ready_statement):
    day = api.post(f"/v1/me/inbox/{ready_statement}/permits", {"validity": "day"}).data
    year = api.post(f"/v1/me/inbox/{ready_statement}/permits", {"validity": "year"}).data
    return ready_statement, day, year


def test_cleanup_expires_old_permits_but_not_live_ones_and_is_safe_twice(api, two_permits, aws, services):
    tracking, day, year = two_permits
    aws.services().clock.offset_seconds = 2 * DAY
    first = run_cleanup()
    assert first["permits_expired"] == 1 and first["requests_expired"] == 0 and first["complete"]
    second = run_cleanup()
    assert second["permits_expired"] == 0 and second["requests_expired"] == 0 and second["pdfs_removed"] == 0
    api.login_demo()  # two days on, the morning's session has long expired
    permits = {p["permit_id"]: p["status"] for p in api.get(f"/v1/me/inbox/{tracking}").data["permits"]}
    assert permits == {day["permit_id"]: "expired", year["permit_id"]: "active"}
    assert inquire(NC, year["passcode"])["statusCode"] == 200
    assert inquire(NC, day["passcode"])["statusCode"] == 404
    stored = services.adapters.requests.get(NC, tracking)
    grant_key = stored.permit(day["permit_id"]).grant_key
    assert services.adapters.inquiry_lookup.find(grant_key, [])[0] is None
    assert api.get(f"/v1/me/inbox/{tracking}/document").status_code == 200
    kinds = [i["kind"] for i in api.get("/v1/me/activity").data["items"]]
    assert kinds.count("permit_expired") == 1


def test_cleanup_retires_a_request_after_its_last_permit_and_removes_the_pdf(api, two_permits, aws, services):
    from chalicelib.storage.aws import client

    tracking, _day, _year = two_permits
    stored = services.adapters.requests.get(NC, tracking)
    aws.services().clock.offset_seconds = 2 * DAY
    assert run_cleanup()["permits_expired"] == 1
    aws.services().clock.offset_seconds = 366 * DAY  # past the year permit and the year of retention
    counts = run_cleanup()
    assert counts["permits_expired"] == 1 and counts["requests_expired"] == 1 and counts["pdfs_removed"] == 1
    again = run_cleanup()
    assert (again["permits_expired"], again["requests_expired"], again["pdfs_removed"]) == (0, 0, 0)
    api.login_demo()
    with pytest.raises(client("s3").exceptions.ClientError):
        client("s3").head_object(Bucket=services.settings.documents_bucket, Key=stored.document.s3_key)
    assert api.get("/v1/me/inbox").data["items"] == []
    verify = inquire(None, None, method="GET", path=f"/verify/{stored.document.document_id}")["json"]
    assert verify["status"] == "expired"


def test_cleanup_uses_queries_not_scans(api, two_permits, aws):
    from chalicelib.storage.aws import client

    calls = []
    client("dynamodb").meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    aws.services().clock.offset_seconds = 2 * DAY
    run_cleanup()
    assert "Scan" not in calls and "Query" in calls


def test_a_cleanup_out_of_time_keeps_its_place_and_the_next_run_finishes(api, two_permits, aws, services):
    tracking, day, _year = two_permits
    aws.services().clock.offset_seconds = 2 * DAY
    stopped = services.cleanup.run(budget_seconds=0)
    assert stopped["complete"] is False and stopped["days"] == 0 and stopped["permits_expired"] == 0
    assert services.adapters.checkpoints.get("cleanup") is None  # nothing finished, nothing skipped
    finished = run_cleanup()
    assert finished["complete"] is True and finished["permits_expired"] == 1
