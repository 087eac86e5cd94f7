"""Registering, activating, logging in and out, throttling: through the real handlers, boto3 and moto."""
from __future__ import annotations

import re

import pytest

from tests.conftest import read_outbox

NEW_CODE = "0013542419"  # a valid national code that is not the demo person's
NEW_BIRTH = "1370/01/15"
STRONG = "Kh0shbakht-2024"


@pytest.fixture
def known_person(services):
    from devstack.seed import seed_registry_person

    seed_registry_person(services, NEW_CODE, NEW_BIRTH, "رضا", "کریمی", mobile="09121234567")


def register(api, **overrides):
    body = {"national_code": NEW_CODE, "mobile": "09121234567", "birth_date": NEW_BIRTH, "password": STRONG}
    body.update(overrides)
    return api.post("/v1/auth/register", body)


def sent_otp(mobile="09121234567") -> str:
    texts = [m["text"] for m in read_outbox() if m["channel"] == "sms" and m["to"] == mobile]
    assert texts, "no SMS was sent"
    return re.search(r"(\d{6})", texts[-1]).group(1)


def test_register_activate_login_and_see_profile(api, known_person):
    answer = register(api, national_code="۰۰۱۳۵۴۲۴۱۹", mobile="۰۹۱۲-۱۲۳-۴۵۶۷", birth_date="۱۳۷۰/۰۱/۱۵")
    assert answer.status_code == 202
    assert answer.data["status"] == "pending_activation"

    blocked = api.post("/v1/auth/login", {"national_code": NEW_CODE, "password": STRONG})
    assert blocked.status_code == 403 and blocked.data["error"]["code"] == "not_activated"

    activated = api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": sent_otp()})
    assert activated.status_code == 200 and activated.data == {"status": "active"}

    login = api.post("/v1/auth/login", {"national_code": NEW_CODE, "password": STRONG})
    assert login.status_code == 200
    assert login.data["expires_at"].endswith("Z")
    me = api.get("/v1/me", token=login.data["token"])
    assert me.status_code == 200
    assert me.data["national_code"] == NEW_CODE and me.data["mobile"] == "09121234567"
    assert me.data["name"] == "رضا کریمی"


def test_otp_is_not_logged_and_password_is_not_stored_in_clear(api, known_person, services, capsys):
    register(api)
    otp = sent_otp()
    api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": otp})
    logs = capsys.readouterr().out
    assert otp not in logs and STRONG not in logs
    stored = services.adapters.accounts.person(NEW_CODE)
    assert stored.password_hash.startswith("$argon2id$")
    assert STRONG not in str(stored)


def test_registering_an_active_code_again_conflicts(api, demo):
    from devstack.seed import DEMO_BIRTH_DATE, DEMO_MOBILE, DEMO_NATIONAL_CODE

    answer = register(api, national_code=DEMO_NATIONAL_CODE, mobile=DEMO_MOBILE, birth_date=DEMO_BIRTH_DATE)
    assert answer.status_code == 409 and answer.data["error"]["code"] == "already_registered"
    assert api.login_demo()  # the existing account still works


def test_codes_go_only_to_the_persons_line_and_a_pending_registration_is_kept(api, known_person, aws):
    stranger = register(api, mobile="09351111111")
    assert stranger.status_code == 422 and stranger.data["error"]["code"] == "mobile_not_owned"
    assert stranger.data["error"]["message_fa"]
    assert register(api).status_code == 202
    again = register(api, password="Attacker-Pass-99")
    assert again.status_code == 409 and again.data["error"]["code"] == "registration_pending"
    assert [m["to"] for m in read_outbox() if m["channel"] == "sms"] == ["09121234567"]
    aws.services().clock.offset_seconds = 301  # the code expired: a new registration sends a new one
    assert register(api).status_code == 202
    fresh = api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": sent_otp()})
    assert fresh.status_code == 200
    assert register(api).status_code == 409


def test_a_forgotten_password_is_reset_by_sms_and_every_session_ends(api, demo):
    from devstack.seed import DEMO_MOBILE, DEMO_NATIONAL_CODE, DEMO_PASSWORD

    old_token = api.login_demo()
    for mobile in ("09350000001", DEMO_MOBILE):  # the same answer whether or not the pair matches
        answer = api.post("/v1/auth/password-reset", {"national_code": DEMO_NATIONAL_CODE, "mobile": mobile})
        assert answer.status_code == 202 and answer.data["status"] == "code_sent_if_matched"
    assert [m["to"] for m in read_outbox() if m["channel"] == "sms"] == [DEMO_MOBILE]
    body = {"national_code": DEMO_NATIONAL_CODE, "otp": sent_otp(DEMO_MOBILE), "new_password": "Tazeh-Ramz-1405"}
    done = api.post("/v1/auth/password-reset/confirm", body)
    assert done.status_code == 200 and done.data == {"status": "reset"}
    api.token = old_token
    ended = api.get("/v1/me")
    assert ended.status_code == 401 and ended.data["error"]["code"] == "session_ended"
    assert api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD}).status_code \
        == 401
    fresh = api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": "Tazeh-Ramz-1405"})
    assert fresh.status_code == 200 and fresh.data["device_token"]
    api.token = fresh.data["token"]
    kinds = [i["kind"] for i in api.get("/v1/me/activity").data["items"]]
    assert "password_reset" in kinds
    wrong = api.post("/v1/auth/password-reset/confirm", {**body, "otp": "000000"})
    assert wrong.status_code == 422 and wrong.data["error"]["code"] == "invalid_otp"


def test_a_known_device_logs_in_while_strangers_hold_the_account(api, demo):
    from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD

    right = {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD}
    device = api.post("/v1/auth/login", right).data["device_token"]
    for i in range(25):
        api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": "Wrong-pass-123"},
                 headers={"X-Forwarded-For": f"192.0.2.{i}"})
    assert api.post("/v1/auth/login", right).status_code == 429
    assert api.post("/v1/auth/login", {**right, "device_token": device}).status_code == 200


def test_racing_activations_with_the_right_code_succeed_once(api, known_person, services):
    """Four simultaneous activations with the right code: the conditional update lets exactly one through."""
    import threading

    from chalicelib.domain.errors import InvalidValue

    register(api)
    otp = sent_otp()
    results, start = [], threading.Barrier(4)

    def activate():
        start.wait()
        try:
            results.append(services.accounts.activate(NEW_CODE, otp)["status"])
        except InvalidValue:
            results.append("refused")

    threads = [threading.Thread(target=activate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One activation: the others carried the same code at the same moment and get its answer, not a refusal.
    assert results == ["active"] * 4
    kinds = [entry.kind for entry in services.adapters.timeline.page(NEW_CODE, None, 10)[0]]
    assert kinds.count("registered") == 1


def test_unknown_identity_or_wrong_birth_date_get_the_same_answer(api, known_person):
    wrong_birth = register(api, birth_date="1370/01/16")
    unknown = register(api, national_code="0067749828")
    assert wrong_birth.status_code == unknown.status_code == 422
    assert wrong_birth.data["error"] == unknown.data["error"]


@pytest.mark.parametrize("field,value,code", [
    ("national_code", "0499370898", "invalid_national_code"),
    ("national_code", "1111111111", "invalid_national_code"),
    ("mobile", "0812345678", "invalid_mobile"),
    ("birth_date", "1402/12/30", "invalid_jalali_date"),
    ("password", "short1A", "weak_password"),
    ("password", "alllowercaseletters", "weak_password"),
    ("password", "Xx-0013542419", "weak_password"),
])
def test_invalid_registration_values_are_422(api, known_person, field, value, code):
    answer = register(api, **{field: value})
    assert answer.status_code == 422
    assert answer.data["error"]["code"] == code


def test_wrong_otp_is_refused_and_locks_after_five(api, known_person):
    register(api)
    for _ in range(5):
        wrong = api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": "000000"})
        assert wrong.status_code == 422
    right = api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": sent_otp()})
    assert right.status_code == 422 and right.data["error"]["code"] == "otp_locked"


def test_wrong_password_is_401_and_repeated_failures_are_throttled_then_forgiven(api, demo, aws):
    from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD

    for _ in range(5):
        wrong = api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": "Wrong-pass-123"})
        assert wrong.status_code == 401
        assert wrong.data["error"]["code"] == "invalid_credentials"
    locked = api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 30
    # The lock is bounded: once it has passed, the right password works again.
    aws.services().clock.offset_seconds = 31
    assert api.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD}).status_code == 200


def test_lock_never_exceeds_its_cap():
    from chalicelib.domain.throttling import LOGIN_PER_ACCOUNT, LOGIN_PER_ACCOUNT_AND_CLIENT

    for policy in (LOGIN_PER_ACCOUNT, LOGIN_PER_ACCOUNT_AND_CLIENT):
        assert policy.lock_seconds(10_000) == policy.max_lock <= 900


def test_logout_ends_the_session(api, demo):
    token = api.login_demo()
    assert api.get("/v1/me").status_code == 200
    assert api.post("/v1/auth/logout").status_code == 204
    after = api.get("/v1/me", token=token)
    assert after.status_code == 401 and after.data["error"]["code"] == "session_ended"


def test_expired_or_forged_tokens_are_refused(api, demo, aws):
    token = api.login_demo()
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert api.get("/v1/me", token=forged).data["error"]["code"] == "invalid_token"
    aws.services().clock.offset_seconds = 3600
    assert api.get("/v1/me", token=token).data["error"]["code"] == "token_expired"
    assert api.get("/v1/me", token="").status_code == 401


def test_staff_login_carries_the_staff_role(api, demo):
    staff = api.post("/v1/staff/auth/login", {"username": "staff", "password": "Sabeghe-staff-1403"})
    assert staff.status_code == 200
    refused = api.get("/v1/me", token=staff.data["token"])
    assert refused.status_code == 403 and refused.data["error"]["code"] == "wrong_role"
    assert api.post("/v1/staff/auth/login", {"username": "staff", "password": "nope"}).status_code == 401


def test_login_and_registration_appear_in_the_timeline(api, known_person):
    register(api)
    api.post("/v1/auth/activate", {"national_code": NEW_CODE, "otp": sent_otp()})
    api.token = api.post("/v1/auth/login", {"national_code": NEW_CODE, "password": STRONG}).data["token"]
    kinds = [item["kind"] for item in api.get("/v1/me/activity").data["items"]]
    assert kinds == ["login", "registered"]
