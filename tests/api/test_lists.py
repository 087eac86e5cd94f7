"""Employers' lists through the HTTP contract and the ingest_list function, on the real S3 and DynamoDB code paths
(moto): the presigned PUT signs type and length, the bucket's event ingests the list, the report says what was
taken and why the rest was not, and replays, duplicates and corrections behave as the clerk expects."""
from __future__ import annotations

import requests

from devstack.list_samples import invented_people, with_days, write_list
from tests.api.test_objections import staff_token

WORKSHOP = "1234567890"


def s3_event(*keys: str) -> dict:
    from urllib.parse import quote_plus

    return {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                         "s3": {"bucket": {"name": "sabeghe-lists"}, "object": {"key": quote_plus(k, safe="/")}}}
                        for k in keys]}


def upload_list(api, token, files: dict) -> tuple[str, list[str]]:
    """What the staff page does: ask for the links, PUT each file with the signed type; the keys S3 would report."""
    body = ({"files": [{"filename": n, "size": len(b)} for n, b in files.items()]} if len(files) > 1
            else {"filename": next(iter(files)), "size": len(next(iter(files.values())))})
    started = api.post("/v1/staff/lists", body, token=token)
    assert started.status_code == 201, started.body
    keys = []
    for upload, data in zip(started.data["uploads"], files.values()):
        put = requests.put(upload["upload_url"], data=data,
                           headers={"Content-Type": upload["content_type"]})
        assert put.status_code == 200, put.text
        keys.append(f"uploads/{started.data['list_id']}/{upload['filename']}")
    return started.data["list_id"], keys


def test_a_list_uploaded_by_a_clerk_is_ingested_and_reported(api, demo):
    import app

    staff = staff_token(api)
    people = invented_people(60, seed=21, year=1403, month=5)
    data = write_list(people, WORKSHOP, 1403, 5, breaks={7: "days_out_of_range"})
    list_id, keys = upload_list(api, staff, {"Mordad 1403.zip": data})
    assert api.get(f"/v1/staff/lists/{list_id}", token=staff).data["status"] == "received"

    assert app.ingest_list(s3_event(*keys), None) == ["processed"]
    report = api.get(f"/v1/staff/lists/{list_id}", token=staff)
    assert report.status_code == 200
    assert (report.data["status"], report.data["period"], report.data["workshop"]["code"]) == (
        "processed", "1403/05", WORKSHOP)
    assert len(report.data["accepted"]) == 59
    assert report.data["rejected"] == [{"row": 8, "national_code": people[7].national_code,
                                        "name": f"{people[7].first_name} {people[7].last_name}",
                                        "reasons": ["days_out_of_range"],
                                        "messages": ["Days worked are not within the month's length."]}]
    assert report.data["totals"]["accepted"]["rows"] == 59

    # The person the list made known sees the month in their records once registered (the registry has them).
    from chalicelib.bootstrap import services

    profile, rows = services().adapters.registry.career(people[0].national_code)
    assert profile.first_name == people[0].first_name
    assert [(r.year, r.month, r.days, r.wage) for r in rows] == [(1403, 5, people[0].days, people[0].monthly_wage)]

    # S3 delivers at least once: the same event again changes nothing.
    assert app.ingest_list(s3_event(*keys), None) == ["processed"]


def test_the_two_dbase_files_each_with_its_event(api, demo):
    import app

    staff = staff_token(api)
    files = write_list(invented_people(4, seed=22, year=1403, month=6), WORKSHOP, 1403, 6, form="dbf")
    list_id, keys = upload_list(api, staff, files)
    assert app.ingest_list(s3_event(keys[0]), None) + app.ingest_list(s3_event(keys[1]), None) == [
        "processed", "processed"]  # both files were in by the first event
    assert len(api.get(f"/v1/staff/lists/{list_id}", token=staff).data["accepted"]) == 4


def test_the_same_list_again_is_a_duplicate_and_a_corrected_one_replaces_it(api, demo):
    import app

    staff = staff_token(api)
    people = invented_people(3, seed=23, year=1403, month=7)
    first, keys = upload_list(api, staff, {"list.zip": write_list(people, WORKSHOP, 1403, 7)})
    app.ingest_list(s3_event(*keys), None)
    again, keys = upload_list(api, staff, {"list.zip": write_list(people, WORKSHOP, 1403, 7)})
    assert app.ingest_list(s3_event(*keys), None) == ["duplicate"]
    assert api.get(f"/v1/staff/lists/{again}", token=staff).data["duplicate_of"] == first

    fixed, keys = upload_list(api, staff, {"list.csv": write_list([with_days(people[0], 9)] + people[1:], WORKSHOP,
                                                                   1403, 7, form="csv", list_no="2")})
    assert app.ingest_list(s3_event(*keys), None) == ["processed"]
    report = api.get(f"/v1/staff/lists/{fixed}", token=staff).data
    assert report["replaces"] == first and report["changes"]["rows_corrected"] == 1

    from chalicelib.bootstrap import services

    [change] = services().adapters.registry.changes(people[0].national_code)
    assert (change.before["days"], change.after["days"]) == (people[0].days, 9)


def test_a_broken_upload_gets_a_report_not_a_crash(api, demo):
    import app

    staff = staff_token(api)
    list_id, keys = upload_list(api, staff, {"list.zip": b"PK\x03\x04 not really a zip"})
    assert app.ingest_list(s3_event(*keys), None) == ["rejected"]
    report = api.get(f"/v1/staff/lists/{list_id}", token=staff).data
    assert report["status"] == "rejected" and report["errors"][0]["code"] in ("truncated", "unreadable_zip")


def test_the_upload_link_is_signed_for_its_size_and_type(api, demo):
    from urllib.parse import parse_qs, urlparse

    staff = staff_token(api)
    started = api.post("/v1/staff/lists", {"filename": "list.zip", "size": 100}, token=staff).data
    query = parse_qs(urlparse(started["upload_url"]).query)
    # S3 refuses a PUT whose signed headers differ: the length and the type are among them (moto does not check).
    assert set(query["X-Amz-SignedHeaders"][0].split(";")) >= {"content-length", "content-type", "host"}
    assert int(query["X-Amz-Expires"][0]) <= 900


def test_only_staff_reach_lists_and_bad_input_gets_a_4xx(api, demo):
    assert api.post("/v1/staff/lists", {"filename": "list.zip", "size": 10}).status_code == 401
    api.login_demo()
    assert api.post("/v1/staff/lists", {"filename": "list.zip", "size": 10}).status_code in (401, 403)
    staff = staff_token(api)
    for body, status, code in (({"filename": "list.exe", "size": 10}, 422, "invalid_list"),
                               ({"filename": "list.zip", "size": 60 * 2**20}, 422, None),
                               ({"files": [{"filename": "a.dbf", "size": 1}, {"filename": "b.dbf", "size": 1}]},
                                422, "invalid_list"),
                               ({"filename": "list.zip", "size": 10, "extra": 1}, 422, None)):
        answer = api.post("/v1/staff/lists", body, token=staff)
        assert answer.status_code == status, (body, answer.body)
        assert "error" in answer.data and (code is None or answer.data["error"]["code"] == code)
    assert api.get("/v1/staff/lists/L20261126000000deadbeef", token=staff).status_code == 404
    assert api.get("/v1/staff/lists/..%2F..%2Fsecrets", token=staff).status_code == 404
    started = api.post("/v1/staff/lists", None, token=staff)  # no body: one zip of any size up to the limit
    assert started.status_code == 201 and started.data["content_type"] == "application/zip"


def test_a_list_put_straight_into_the_bucket_is_ingested_from_eventbridge(api, demo):
    """Operators may copy a list into uploads/<their folder>/ (aws s3 cp): EventBridge's event runs the same."""
    import app
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client

    staff = staff_token(api)
    data = write_list(invented_people(3, seed=24, year=1402, month=11), WORKSHOP, 1402, 11, form="csv")
    client("s3").put_object(Bucket=load_settings().lists_bucket, Key="uploads/bahman-1402/list.csv", Body=data)
    event = {"source": "aws.s3", "detail-type": "Object Created",
             "detail": {"bucket": {"name": load_settings().lists_bucket},
                        "object": {"key": "uploads/bahman-1402/list.csv", "size": len(data)}}}
    assert app.ingest_list(event, None) == ["processed"]
    report = api.get("/v1/staff/lists/bahman-1402", token=staff).data
    assert (report["status"], report["period"], len(report["accepted"])) == ("processed", "1402/11", 3)
    assert app.ingest_list({"source": "aws.s3", "detail-type": "Object Created",  # its own report: not a list
                            "detail": {"object": {"key": "reports/bahman-1402.json"}}}, None) == ["ignored"]
