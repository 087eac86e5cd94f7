"""Inquiry permits and the institution's inquiry, with every refusal."""
from __future__ import annotations

import threading

from tests.conftest import follow_up, inquire, read_outbox

NC = "0499370899"


def issue(api, tracking, validity=None):
    body = {} if validity is None else {"validity": validity}
    answer = api.post(f"/v1/me/inbox/{tracking}/permits", body)
    assert answer.status_code == 201, answer.body
    return answer.data


def test_permit_defaults_to_a_month_and_the_passcode_is_shown_once(api, ready_statement, services):
    import datetime as dt

    permit = issue(api, ready_statement)
    assert permit["validity"] == "month"
    issued = dt.datetime.strptime(permit["expires_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert 29 <= (issued - dt.datetime.utcnow()).days <= 30
    digits = permit["passcode"].replace("-", "")
    assert len(digits) == 15 and digits.isdigit()
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    assert digits not in str(item) and permit["passcode"] not in str(item)
    grant_key = services.adapters.requests.get(NC, ready_statement).permit(permit["permit_id"]).grant_key
    grant = services.adapters.inquiry_lookup.find(grant_key, [])[0]
    assert grant is not None and digits not in str(grant) and digits not in grant_key
    assert item["inquirable_until"] == permit["expires_at"]


def test_institution_reads_the_statement_with_persian_digits_and_hyphens(api, ready_statement):
    permit = issue(api, ready_statement, "week")
    persian = permit["passcode"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    answer = inquire("۰۴۹۹۳۷۰۸۹۹", persian.replace("-", " - "))
    assert answer["statusCode"] == 200, answer["body"]
    data = answer["json"]
    assert data["tracking_no"] == ready_statement and data["kind"] == "combined"
    assert data["holder"]["last_name"] == "رضایی"
    assert data["statement"]["totals"]["years"] >= 15
    assert "history" in data["statement"] and "wages" in data["statement"]
    assert "X-Amz-Expires=" in data["document_url"]
    assert data["verify_url"].endswith(f"/verify/{data['document_id']}")


def test_every_view_is_logged_and_shown_with_a_first_view_sms(api, ready_statement):
    permit = issue(api, ready_statement)
    for _ in range(2):
        assert inquire(NC, permit["passcode"], source_ip="203.0.113.9", user_agent="Embassy/2")["statusCode"] == 200
    follow_up()  # the stream hands both views to the follow_up function
    follow_up()  # a second pass finds nothing new: nothing is doubled
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    assert item["viewed_at"] and item["viewed_at_jalali"]
    assert item["permits"][0]["views"] == 2 and item["permits"][0]["first_viewed_at"]
    views = [i for i in api.get("/v1/me/activity").data["items"] if i["kind"] == "institution_view"]
    assert len(views) == 2
    assert views[0]["details"]["client_ip"] == "203.0.113.9" and views[0]["details"]["user_agent"] == "Embassy/2"
    first_view_sms = [m for m in read_outbox() if m["channel"] == "sms" and ready_statement in m["text"]]
    assert len(first_view_sms) == 1 and first_view_sms[0]["to"] == "09120000000"


def test_wrong_expired_revoked_and_deleted_all_get_the_same_404(api, ready_statement, aws):
    wrong = inquire(NC, "12345-67890-12345")
    revoked = issue(api, ready_statement)
    assert api.delete(f"/v1/me/inbox/{ready_statement}/permits/{revoked['permit_id']}").status_code == 204
    after_revoke = inquire(NC, revoked["passcode"])
    expiring = issue(api, ready_statement, "day")
    aws.services().clock.offset_seconds = 86_400 + 60  # TTL has not removed the grant: the code must refuse it
    after_expiry = inquire(NC, expiring["passcode"], source_ip="198.51.100.8")
    bodies = {(a["statusCode"], a["body"]) for a in (wrong, after_revoke, after_expiry)}
    assert len(bodies) == 1 and next(iter(bodies))[0] == 404
    assert '"not_found"' in next(iter(bodies))[1]


def test_a_wrong_identifier_with_a_right_passcode_is_refused(api, ready_statement):
    permit = issue(api, ready_statement)
    assert inquire("0013542419", permit["passcode"])["statusCode"] == 404
    assert inquire("10380284790", permit["passcode"])["statusCode"] == 404


def test_junk_from_many_addresses_never_blocks_the_right_passcode_and_the_person_is_told(api, ready_statement):
    permit = issue(api, ready_statement)
    statuses = [inquire(NC, f"{i:05d}-00000-00000", source_ip=f"192.0.2.{i}")["statusCode"] for i in range(20)]
    assert statuses == [404] * 20
    assert inquire(NC, permit["passcode"], source_ip="192.0.2.200")["statusCode"] == 200
    warnings = [m for m in read_outbox() if m["channel"] == "sms" and "ناموفق" in m["text"]]
    assert len(warnings) == 1 and warnings[0]["to"] == "09120000000"
    kinds = [i["kind"] for i in api.get("/v1/me/activity").data["items"]]
    assert "inquiry_failures" in kinds


def test_five_wrong_passcodes_lock_that_client_for_the_identifier_right_passcode_included(api, ready_statement):
    permit = issue(api, ready_statement)
    statuses = [inquire(NC, f"{i:05d}-00000-00000", source_ip="192.0.2.9")["statusCode"] for i in range(7)]
    assert statuses == [404] * 5 + [429] * 2
    locked = inquire(NC, permit["passcode"], source_ip="192.0.2.9")
    assert locked["statusCode"] == 429 and int(locked["headers"]["Retry-After"]) >= 1
    assert locked["json"]["error"]["code"] == "too_many_attempts"


def test_thirty_simultaneous_wrong_guesses_get_no_more_answers_than_the_limit(api, ready_statement):
    from tests.contracts.builders import at_once

    permit = issue(api, ready_statement)
    guesses = [f"{i:05d}-11111-11111" for i in range(29)] + [permit["passcode"]]
    statuses = at_once(30, lambda i: inquire(NC, guesses[i], source_ip="192.0.2.50")["statusCode"])
    answered = [s for s in statuses if s != 429]
    assert set(statuses) <= {404, 429, 200}
    assert statuses.count(404) <= 5 and len(answered) <= 6, statuses  # five wrong ones, and the right one at most
    assert statuses.count(429) >= 24


def test_one_client_guessing_many_identifiers_is_throttled(api, demo):
    from chalicelib.domain.identifiers import national_code_check_digit

    statuses = []
    for i in range(25):
        nine = f"{100000000 + i * 7919:09d}"
        statuses.append(inquire(nine + str(national_code_check_digit(nine)), "11111-11111-11111",
                                source_ip="192.0.2.77")["statusCode"])
    assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}


def test_a_desk_token_keeps_one_desk_answered_while_the_rest_of_its_address_is_locked(api, demo, ready_statement):
    from chalicelib.domain.identifiers import national_code_check_digit

    permit = issue(api, ready_statement)
    first = inquire(NC, permit["passcode"], source_ip="192.0.2.60")
    desk = first["json"]["desk_token"]
    for i in range(20):  # another desk behind the same address, without a token
        nine = f"{100000000 + i * 7919:09d}"
        assert inquire(nine + str(national_code_check_digit(nine)), "11111-11111-11111",
                       source_ip="192.0.2.60")["statusCode"] == 404
    assert inquire(NC, permit["passcode"], source_ip="192.0.2.60")["statusCode"] == 429
    again = inquire(NC, None, source_ip="192.0.2.60",
                    body={"identifier": NC, "passcode": permit["passcode"], "desk_token": desk})
    assert again["statusCode"] == 200 and again["json"]["desk_token"].split(".")[1] == desk.split(".")[1]
    refused = inquire(NC, None, source_ip="192.0.2.61",
                      body={"identifier": NC, "passcode": permit["passcode"], "desk_token": "d1." + "x" * 90})
    assert refused["statusCode"] == 422 and refused["json"]["error"]["code"] == "invalid_value"


def test_two_permits_revoked_concurrently_are_both_revoked(api, ready_statement):
    first, second = issue(api, ready_statement), issue(api, ready_statement)
    results = []

    def revoke(permit):
        results.append(api.delete(f"/v1/me/inbox/{ready_statement}/permits/{permit['permit_id']}").status_code)

    threads = [threading.Thread(target=revoke, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [204, 204]
    statuses = {p["permit_id"]: p["status"] for p in api.get(f"/v1/me/inbox/{ready_statement}").data["permits"]}
    assert statuses == {first["permit_id"]: "revoked", second["permit_id"]: "revoked"}
    assert inquire(NC, first["passcode"])["statusCode"] == 404
    assert inquire(NC, second["passcode"])["statusCode"] == 404


def test_revoking_one_permit_leaves_the_other_working(api, ready_statement):
    keep, drop = issue(api, ready_statement, "year"), issue(api, ready_statement, "day")
    api.delete(f"/v1/me/inbox/{ready_statement}/permits/{drop['permit_id']}")
    assert inquire(NC, keep["passcode"])["statusCode"] == 200
    assert api.delete(f"/v1/me/inbox/{ready_statement}/permits/{drop['permit_id']}").status_code == 204
    assert api.delete(f"/v1/me/inbox/{ready_statement}/permits/nosuch").status_code == 404


def test_invalid_validity_and_pending_statements_are_refused(api, demo):
    from tests.conftest import render_pending

    api.login_demo()
    tracking = api.post("/v1/me/statements", {"kind": "summary", "agree": True}).data["tracking_no"]
    pending = api.post(f"/v1/me/inbox/{tracking}/permits", {})
    assert pending.status_code == 409 and pending.data["error"]["code"] == "statement_not_ready"
    render_pending()
    bad = api.post(f"/v1/me/inbox/{tracking}/permits", {"validity": "forever"})
    assert bad.status_code == 422


def test_inquiry_input_errors_are_4xx(api, demo):
    assert inquire(None, None, body={"identifier": "0499370899"})["statusCode"] == 422
    assert inquire(None, None, body={"identifier": "12", "passcode": "1"})["json"]["error"]["code"] == "invalid_identifier"
    raw = inquire(None, None, body={"identifier": "0499370899", "passcode": "x", "extra": 1})
    assert raw["statusCode"] == 422
    assert inquire(None, None, method="GET", path="/nowhere")["statusCode"] == 404
    page = inquire(None, None, method="GET", path="/")
    assert page["statusCode"] == 200 and page["headers"]["Content-Type"].startswith("text/html")


def test_successful_inquiry_costs_three_small_dynamodb_round_trips(api, ready_statement):
    """One read (grant and the client's record), two small conditional writes (the client's mark, the view)."""
    from chalicelib.storage.aws import client

    permit = issue(api, ready_statement)
    calls = []
    client("dynamodb").meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    assert inquire(NC, permit["passcode"])["statusCode"] == 200
    # The read; the mark that the client is not locked (ordering the answer after every guess counted before it);
    # the view.
    assert calls == ["BatchGetItem", "UpdateItem", "UpdateItem"]


def test_every_kind_of_refusal_does_the_same_work(api, ready_statement, aws):
    """Comparable time without timing: wrong, revoked and expired passcodes make the same DynamoDB calls."""
    from chalicelib.storage.aws import client

    revoked = issue(api, ready_statement)
    api.delete(f"/v1/me/inbox/{ready_statement}/permits/{revoked['permit_id']}")
    expiring = issue(api, ready_statement, "day")
    calls = []
    client("dynamodb").meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    sequences = []
    # The expired case first: moving the clock back afterwards keeps every case inside one throttle window.
    for ip, passcode, offset in (("192.0.2.3", expiring["passcode"], 2 * 86_400),
                                 ("192.0.2.1", "13579-24680-13579", 0), ("192.0.2.2", revoked["passcode"], 0)):
        aws.services().clock.offset_seconds = offset
        calls.clear()
        assert inquire(NC, passcode, source_ip=ip)["statusCode"] == 404
        sequences.append(list(calls))
    # The read; the attempt taken against the client and the identifier within it (a read and a conditional put);
    # the identifier's count for the person's warning.
    expected = ["BatchGetItem", "GetItem", "PutItem", "UpdateItem"]
    assert sequences[0] == sequences[1] == sequences[2] == expected, sequences


def test_a_client_that_accepts_gzip_gets_the_statement_compressed(api, ready_statement):
    """A combined statement's answer is tens of kilobytes of JSON: compressed it travels in a fraction."""
    import base64
    import gzip
    import json

    import app
    from devstack.workers import function_url_event

    permit = issue(api, ready_statement)
    body = json.dumps({"identifier": NC, "passcode": permit["passcode"]}).encode()
    event = function_url_event("POST", "/", "", {"Host": "abc.lambda-url.us-east-1.on.aws",
                                                 "Content-Type": "application/json", "Accept-Encoding": "gzip, br"},
                               body, "198.51.100.7")
    answer = app.inquiry(event, None)
    assert answer["statusCode"] == 200 and answer["isBase64Encoded"] is True
    assert answer["headers"]["Content-Encoding"] == "gzip" and answer["headers"]["Vary"] == "Accept-Encoding"
    packed = base64.b64decode(answer["body"])
    plain = gzip.decompress(packed)
    assert json.loads(plain)["tracking_no"] == ready_statement
    assert len(packed) * 5 < len(plain)
    small = inquire(NC, "00000-00000-00000")  # an error answer is small: sent as it is
    assert "isBase64Encoded" not in small and small["json"]["error"]["code"] == "not_found"
