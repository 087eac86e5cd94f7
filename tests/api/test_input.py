"""Bad input always gets the contract's 4xx JSON error, never a 500 or a traceback."""
from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("raw,status,code", [
    ("{not json", 400, "malformed_json"),
    ("[1, 2]", 400, "malformed_json"),
    ('"text"', 400, "malformed_json"),
    ('{"national_code": 499370899, "password": "x"}', 422, "invalid_value"),
    ('{"national_code": "0499370899"}', 422, "missing_field"),
    ('{"national_code": "0499370899", "password": "x", "admin": true}', 422, "unknown_field"),
    ('{"national_code": null, "password": "x"}', 422, "invalid_value"),
])
def test_malformed_login_bodies(api, demo, raw, status, code):
    answer = api.post("/v1/auth/login", raw=raw)
    assert answer.status_code == status, answer.body
    assert answer.data["error"]["code"] == code
    assert answer.data["error"]["message"]


def test_oversized_body_is_413(api, demo):
    answer = api.post("/v1/auth/login", raw='{"national_code": "' + "1" * 20000 + '"}')
    assert answer.status_code == 413 and answer.data["error"]["code"] == "body_too_large"


def test_persian_and_arabic_digits_and_separators_are_accepted(api, demo):
    for code in ("۰۴۹۹۳۷۰۸۹۹", "٠٤٩٩٣٧٠٨٩٩", "049-937-0899", "0499 370 899", "499370899"):
        answer = api.post("/v1/auth/login", {"national_code": code, "password": "Sabeghe-demo-1403"})
        assert answer.status_code == 200, (code, answer.body)


def test_protected_routes_need_a_token(api, demo):
    for path in ("/v1/me", "/v1/me/records", "/v1/me/records/wages", "/v1/me/activity"):
        answer = api.get(path)
        assert answer.status_code == 401 and answer.data["error"]["code"] == "not_logged_in"


def test_bad_query_values_are_422(api, demo):
    api.login_demo()
    assert api.get("/v1/me/records/wages?year=abc").data["error"]["code"] == "invalid_year"
    assert api.get("/v1/me/records/wages?year=99").data["error"]["code"] == "invalid_year"
    assert api.get("/v1/me/activity?limit=0").data["error"]["code"] == "invalid_limit"
    assert api.get("/v1/me/activity?cursor=%%%").data["error"]["code"] == "invalid_cursor"


def test_an_unexpected_failure_is_a_bare_500_without_traceback(api, demo, monkeypatch):
    from chalicelib.services.records import RecordsService

    def explode(*_args, **_kwargs):
        raise RuntimeError("database on fire at /secret/path")

    monkeypatch.setattr(RecordsService, "history", explode)
    api.login_demo()
    answer = api.get("/v1/me/records")
    assert answer.status_code == 500
    assert answer.data["error"]["code"] == "internal_error"
    assert "secret" not in answer.body.decode() and "Traceback" not in answer.body.decode()


def test_openapi_document_lists_the_contract(api):
    answer = api.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.data["openapi"].startswith("3.1")
    assert "/v1/auth/register" in answer.data["paths"]
    register = answer.data["components"]["schemas"]["Register"]
    assert set(register["required"]) == {"national_code", "mobile", "birth_date", "password"}
    assert register["additionalProperties"] is False


def test_every_request_is_logged_as_one_json_line_without_secrets(api, demo, capsys):
    import json

    api.login_demo()
    api.get("/v1/me/records")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["event"] == "request"]
    assert [r["route"] for r in requests] == ["/v1/auth/login", "/v1/me/records"]
    assert all(set(r) >= {"status", "latency_ms", "request_id", "method"} for r in requests)
    assert "Sabeghe-demo-1403" not in json.dumps(lines) and api.token not in json.dumps(lines)


def test_errors_also_speak_persian(api, demo):
    answer = api.post("/v1/auth/login", {"national_code": "0499370899", "password": "Wrong-pass-123"})
    assert answer.data["error"]["message_fa"] == "کد ملی (نام کاربری) یا گذرواژه نادرست است."


def test_every_error_code_a_client_can_see_has_persian_words():
    import pathlib
    import re

    from chalicelib.http.messages_fa import MESSAGES_FA

    internal = {"invalid_days", "invalid_month", "invalid_wage", "not_pending"}  # never leave the workers
    root = pathlib.Path(__file__).resolve().parents[2] / "chalicelib"
    codes = {m for path in root.rglob("*.py") for m in re.findall(r'code="([a-z_]+)"', path.read_text())}
    assert codes - internal - set(MESSAGES_FA) == set()


def test_shared_page_script_is_served_by_both_addresses_and_nothing_else_is(api):
    from tests.conftest import inquire

    on_api = api.get("/assets/common.js")
    assert on_api.status_code == 200 and on_api.headers["Content-Type"].startswith("application/javascript")
    on_inquiry = inquire(None, None, method="GET", path="/assets/common.js")
    assert on_inquiry["statusCode"] == 200 and on_inquiry["body"] == on_api.body.decode()
    assert api.get("/assets/..%2Fpages.py").status_code == 404
    assert api.get("/assets/pages.py").status_code == 404
    assert inquire(None, None, method="GET", path="/assets/pages.py")["statusCode"] == 404


DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("raw", [
    '{"national_code": ' + DEEP + ', "password": "x"}',
    DEEP,
    '{"a": ' + '{"a": ' * 1000 + "1" + "}" * 1001,
    '{"national_code": "0499370899", "password": ' + "9" * 5000 + "}",
])
def test_deeply_nested_or_huge_json_is_a_400_not_a_500(api, demo, raw):
    answer = api.post("/v1/auth/login", raw=raw)
    assert answer.status_code == 400, answer.body
    assert answer.data["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("raw", ["{" * 1000, '{"identifier": ' + DEEP + "}", "[" * 5000])
def test_deeply_nested_json_at_the_inquiry_function_is_a_400(raw):
    answer = _raw_inquiry(raw)
    assert answer["statusCode"] == 400, answer["body"]
    assert answer["json"]["error"]["code"] == "malformed_json"


def _raw_inquiry(raw: str):
    import json

    import app
    from devstack.workers import function_url_event

    event = function_url_event("POST", "/", "", {"Host": "abc.lambda-url.us-east-1.on.aws",
                                                 "Content-Type": "application/json"}, raw.encode(), "198.51.100.7")
    answer = app.inquiry(event, None)
    answer["json"] = json.loads(answer["body"])
    return answer


@pytest.mark.parametrize("query,code", [
    ("/v1/me/activity?limit=%C2%B2", "invalid_limit"),  # a superscript two: str.isdigit() says yes, int() says no
    ("/v1/me/activity?limit=" + "9" * 5000, "invalid_limit"),
    ("/v1/me/activity?limit=%D9%A1%D9%A0", None),  # Arabic-Indic 10: a valid limit
    ("/v1/me/records/wages?year=%C2%B2", "invalid_year"),
    ("/v1/me/records/wages?year=" + "1" * 5000, "invalid_year"),
    ("/v1/me/inbox?limit=%E2%91%A0", "invalid_limit"),  # a circled one
    ("/v1/me/inbox?cursor=" + "W" * 4000, "invalid_cursor"),
    ("/v1/me/activity?cursor=" + __import__("base64").urlsafe_b64encode(b"[" * 3000).decode(), "invalid_cursor"),
])
def test_odd_digits_and_huge_numbers_in_queries_are_4xx(api, demo, query, code):
    api.login_demo()
    answer = api.get(query)
    if code is None:
        assert answer.status_code == 200, answer.body
    else:
        assert answer.status_code == 422, answer.body
        assert answer.data["error"]["code"] == code


def test_an_unknown_address_is_a_404_that_never_repeats_the_authorization_header(api):
    for method in ("get", "post", "delete"):
        answer = getattr(api.client.http, method)("/v1/nowhere/at/all", headers={
            "Authorization": "Bearer secret-token-xyz", "Content-Type": "application/json"})
        assert answer.status_code == 404 and json.loads(answer.body)["error"]["code"] == "not_found"
        assert b"secret-token-xyz" not in answer.body


def test_a_body_that_is_not_json_gets_415_in_the_contract_shape(api, demo):
    answer = api.client.http.post("/v1/auth/login", headers={"Content-Type": "text/plain"},
                                  body=b'{"national_code": "0499370899", "password": "x"}')
    assert answer.status_code == 415
    error = json.loads(answer.body)["error"]
    assert error["code"] == "unsupported_media_type" and error["message_fa"]
    answer = api.client.http.put("/v1/auth/login", headers={"Content-Type": "application/json"}, body=b"{}")
    assert answer.status_code == 405 and json.loads(answer.body)["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          None])
def test_the_inquiry_function_takes_only_json(content_type):
    import app
    from devstack.workers import function_url_event

    headers = {"Host": "abc.lambda-url.us-east-1.on.aws"}
    if content_type:
        headers["Content-Type"] = content_type
    event = function_url_event("POST", "/", "", headers, b'{"identifier": "0499370899", "passcode": "1"}',
                               "198.51.100.7")
    answer = app.inquiry(event, None)
    assert answer["statusCode"] == 415
    assert json.loads(answer["body"])["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("path", ["/", "/staff"])
def test_pages_run_only_their_own_scripts_and_talk_only_to_their_origin_and_storage(api, path):
    import base64
    import hashlib
    import re

    answer = api.client.http.get(path)
    policy = dict(part.strip().split(" ", 1) for part in answer.headers["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "*" not in policy["script-src"]
    inline = re.findall(r"<script>(.*?)</script>", answer.body.decode(), flags=re.S)
    assert inline == [] and policy["script-src"] == "'self'"  # every script is an asset now
    for script in inline:  # and one added inline later would need its hash
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    sources = policy["connect-src"].split()
    assert "*" not in sources and sources[0] == "'self'" and len(sources) == 2  # and the storage endpoint
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


def test_the_institution_panel_talks_only_to_its_own_origin():
    import app
    from devstack.workers import function_url_event

    event = function_url_event("GET", "/", "", {"Host": "abc.lambda-url.us-east-1.on.aws"}, b"", "198.51.100.7")
    policy = app.inquiry(event, None)["headers"]["Content-Security-Policy"]
    assert "connect-src 'self';" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_the_pages_font_is_the_pdfs_own_subset_as_woff2_and_cached_for_a_year(api):
    import base64
    import re

    css = api.client.http.get("/assets/fonts.css?v=1")
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"] and "31536000" in css.headers["Cache-Control"]
    faces = re.findall(rb"font-weight: (\d+);.*?base64,([A-Za-z0-9+/=]+)", css.body, flags=re.S)
    assert [w for w, _ in faces] == [b"400", b"700"]
    assert all(base64.b64decode(data)[:4] == b"wOF2" and len(data) < 60_000 for _, data in faces)
    page = api.client.http.get("/")
    assert "font-src 'self' data:" in page.headers["Content-Security-Policy"]


def test_the_panel_serves_the_same_font():
    import app
    from devstack.workers import function_url_event

    event = function_url_event("GET", "/assets/fonts.css", "v=1", {"Host": "abc.lambda-url.us-east-1.on.aws"},
                               b"", "198.51.100.7")
    answer = app.inquiry(event, None)
    assert answer["statusCode"] == 200 and "data:font/woff2;base64," in answer["body"]
