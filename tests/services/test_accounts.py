"""AccountService: registration only for people in the registry, the one-time code, login throttling, sessions."""
from __future__ import annotations

import re

import pytest

from chalicelib.domain import throttling
from chalicelib.domain.errors import Conflict, Forbidden, InvalidValue, Throttled, Unauthenticated
from chalicelib.domain.model.accounts import AccountStatus
from devstack.seed import (DEMO_BIRTH_DATE, DEMO_MOBILE, DEMO_NATIONAL_CODE, DEMO_PASSWORD, NEWCOMER,
                           STAFF_PASSWORD, STAFF_USERNAME)

from .helpers import kinds

NEW = NEWCOMER["national_code"]
NEW_BIRTH = NEWCOMER["birth_date"]
NEW_MOBILE = NEWCOMER["mobile"]  # the line the operators' directory has in his name
STRONG = "Kh0shbakht-2024"
IP = "198.51.100.7"


def otp_sent(services, mobile: str = NEW_MOBILE) -> str:
    texts = [text for to, text in services.adapters.sms.sent if to == mobile]
    assert texts, "no SMS was sent"
    return re.search(r"\d{6}", texts[-1]).group(0)


def another_code(otp: str) -> str:
    return f"{(int(otp) + 1) % 10**6:06d}"


# --- registration ----------------------------------------------------------------------------------------------
def test_registration_sends_a_code_by_sms_that_activates_the_account_once(demo):
    accounts = demo.accounts
    answer = accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
    assert answer == {"status": "pending_activation", "otp_expires_in": 300}
    assert len(demo.adapters.sms.sent) == 1 and demo.adapters.sms.sent[0][0] == NEW_MOBILE
    otp = otp_sent(demo)
    stored = demo.adapters.accounts.person(NEW)
    assert stored.status is AccountStatus.PENDING_ACTIVATION
    assert otp not in str(stored) and STRONG not in str(stored)  # only keyed hashes are kept
    assert stored.password_hash.startswith("$argon2id$v=19$m=65536,t=3,")  # 64 MiB, 3 passes

    with pytest.raises(Forbidden) as not_yet:
        accounts.login(NEW, STRONG, IP)
    assert not_yet.value.code == "not_activated"

    assert accounts.activate(NEW, otp) == {"status": "active"}
    # A retry of the activation that worked (its answer was lost) gets the same answer, and no second entry.
    assert accounts.activate(NEW, otp) == {"status": "active"}
    with pytest.raises(InvalidValue) as wrong:
        accounts.activate(NEW, "000000" if otp != "000000" else "111111")
    assert wrong.value.code == "invalid_otp"
    assert kinds(demo, NEW).count("registered") == 1
    assert accounts.login(NEW, STRONG, IP)["token"]


def test_unknown_code_and_wrong_birth_date_get_the_same_refusal(demo):
    refusals = []
    for national_code, birth_date in ((NEW, "1370/01/16"), ("0067749828", NEW_BIRTH)):
        with pytest.raises(InvalidValue) as refused:
            demo.accounts.register(national_code, NEW_MOBILE, birth_date, STRONG, IP)
        refusals.append((type(refused.value), refused.value.code, refused.value.message, refused.value.status))
    assert refusals[0] == refusals[1] and refusals[0][1] == "identity_mismatch"
    assert demo.adapters.sms.sent == []
    assert demo.adapters.accounts.person(NEW) is None and demo.adapters.accounts.person("0067749828") is None


def test_an_active_account_cannot_be_registered_again(demo):
    before = demo.adapters.accounts.person(DEMO_NATIONAL_CODE)
    with pytest.raises(Conflict) as refused:
        demo.accounts.register(DEMO_NATIONAL_CODE, "09129999999", DEMO_BIRTH_DATE, STRONG, IP)
    assert refused.value.code == "already_registered"
    assert demo.adapters.accounts.person(DEMO_NATIONAL_CODE) == before  # password and mobile untouched
    assert demo.adapters.sms.sent == []


def test_a_weak_password_is_refused_before_any_code_is_sent(demo):
    for weak in ("short1A", "alllowercaseletters", f"Xx-{NEW}"):
        with pytest.raises(InvalidValue) as refused:
            demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, weak, IP)
        assert refused.value.code == "weak_password"
    assert demo.adapters.sms.sent == [] and demo.adapters.accounts.person(NEW) is None


def test_the_code_expires_after_five_minutes(demo, clock):
    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
    otp = otp_sent(demo)
    clock.advance(301)
    with pytest.raises(InvalidValue) as late:
        demo.accounts.activate(NEW, otp)
    assert late.value.code == "invalid_otp"
    assert demo.adapters.accounts.person(NEW).status is AccountStatus.PENDING_ACTIVATION


def test_five_wrong_codes_lock_the_code_until_the_person_registers_again(demo):
    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
    otp = otp_sent(demo)
    for _ in range(5):
        with pytest.raises(InvalidValue) as wrong:
            demo.accounts.activate(NEW, another_code(otp))
        assert wrong.value.code == "invalid_otp"
    with pytest.raises(InvalidValue) as locked:
        demo.accounts.activate(NEW, otp)  # even the right code: guessing has used up this one
    assert locked.value.code == "otp_locked"
    assert demo.adapters.accounts.person(NEW).status is AccountStatus.PENDING_ACTIVATION

    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)  # the registrant asks again: a new code
    fresh = otp_sent(demo)
    assert len(demo.adapters.sms.sent) == 2
    if fresh != otp:
        with pytest.raises(InvalidValue):
            demo.accounts.activate(NEW, otp)  # the replaced code is gone
    assert demo.accounts.activate(NEW, fresh) == {"status": "active"}
    assert demo.accounts.profile(NEW)["mobile"] == NEW_MOBILE


def test_a_code_only_activates_its_own_account(demo):
    with pytest.raises(InvalidValue) as refused:
        demo.accounts.activate(DEMO_NATIONAL_CODE, "123456")  # active already: no code works
    assert refused.value.code == "invalid_otp"
    with pytest.raises(InvalidValue):
        demo.accounts.activate("0067749828", "123456")  # no account at all: the same answer


# --- login and sessions ----------------------------------------------------------------------------------------
def test_login_opens_a_session_that_authenticates_until_logout(demo):
    accounts = demo.accounts
    answer = accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)
    assert answer["expires_in"] == 900 and answer["expires_at"].endswith("Z")
    principal = accounts.authenticate(answer["token"], "insured")
    assert principal.subject == DEMO_NATIONAL_CODE and principal.role == "insured"

    accounts.logout(principal)
    with pytest.raises(Unauthenticated) as ended:
        accounts.authenticate(answer["token"], "insured")
    assert ended.value.code == "session_ended"
    assert set(kinds(demo)[:2]) == {"login", "logout"}


def test_a_session_ends_when_its_token_expires(demo, clock):
    token = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]
    clock.advance(899)
    assert demo.accounts.authenticate(token, "insured").subject == DEMO_NATIONAL_CODE
    clock.advance(1)
    with pytest.raises(Unauthenticated) as expired:
        demo.accounts.authenticate(token, "insured")
    assert expired.value.code == "token_expired"


def test_a_forged_token_and_a_staff_token_are_refused_on_insured_routes(demo):
    token = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(Unauthenticated) as bad:
        demo.accounts.authenticate(forged, "insured")
    assert bad.value.code == "invalid_token"
    staff = demo.accounts.staff_login(STAFF_USERNAME, STAFF_PASSWORD, IP)["token"]
    with pytest.raises(Forbidden) as wrong_role:
        demo.accounts.authenticate(staff, "insured")
    assert wrong_role.value.code == "wrong_role"
    assert demo.accounts.authenticate(staff, "staff").subject == STAFF_USERNAME


def test_a_wrong_password_and_an_unknown_code_get_the_same_refusal(demo):
    refusals = []
    for national_code in (DEMO_NATIONAL_CODE, "0067749828"):
        with pytest.raises(Unauthenticated) as refused:
            demo.accounts.login(national_code, "Wrong-pass-123", IP)
        refusals.append((refused.value.code, refused.value.message))
    assert refusals[0] == refusals[1] == ("invalid_credentials", "The national code or password is wrong.")
    assert kinds(demo).count("login_failed") == 1  # the person's own timeline shows the try on their account


def test_five_wrong_passwords_lock_that_client_for_a_while_and_not_other_clients(demo, clock):
    accounts = demo.accounts
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", IP)
    with pytest.raises(Throttled) as locked:
        accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)  # even the right password waits
    assert locked.value.retry_after == 30 and locked.value.status == 429
    clock.advance(10)
    with pytest.raises(Throttled) as still:
        accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)
    assert still.value.retry_after == 20  # Retry-After counts down; refused tries do not extend the lock

    assert accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.50")["token"]  # the person, elsewhere
    clock.advance(21)
    assert accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]  # the lock has passed
    assert kinds(demo).count("login_failed") == 5


def test_a_successful_login_forgives_that_clients_earlier_typos(demo):
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(Unauthenticated):
                demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", IP)
        assert demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]  # eight typos, never locked


def test_twenty_failures_from_many_clients_slow_an_unknown_device_by_seconds_only(demo, clock):
    # Four tries from each of five addresses: no address reaches its own lock of five.
    for i in range(20):
        with pytest.raises(Unauthenticated):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", f"192.0.2.{i // 4}")
    with pytest.raises(Throttled) as locked:
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.50")  # a client that never failed
    assert locked.value.retry_after == 10  # short: an attacker can slow the person down, not lock them out
    clock.advance(10)
    assert demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.50")["token"]


def test_the_account_wide_wait_never_exceeds_a_minute(demo, clock):
    for i in range(200):
        with pytest.raises((Unauthenticated, Throttled)):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", f"192.0.{i // 4}.1")
        clock.advance(1)
    with pytest.raises(Throttled) as locked:
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.50")
    assert locked.value.retry_after <= 60
    clock.advance(60)
    assert demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.50")["token"]


def test_a_device_that_logged_in_before_gets_in_whatever_strangers_do(demo, clock):
    device = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["device_token"]
    # Strangers hammer the account from many addresses, and from the person's own address (a shared NAT).
    for i in range(60):
        with pytest.raises((Unauthenticated, Throttled)):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", f"192.0.2.{i % 12}")
    for _ in range(6):
        with pytest.raises((Unauthenticated, Throttled)):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", IP)
    with pytest.raises(Throttled):
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)  # without the device: this address waits
    answer = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP, device)
    assert demo.accounts.authenticate(answer["token"], "insured").subject == DEMO_NATIONAL_CODE

    # The device is still held to its own wrong passwords, and its token names only this account.
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", IP, device)
    with pytest.raises(Throttled):
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP, device)
    with pytest.raises(Unauthenticated) as not_a_bearer:
        demo.accounts.authenticate(device, "insured")
    assert not_a_bearer.value.code == "session_ended"


def test_a_device_token_of_another_account_or_a_forged_one_proves_nothing(demo):
    from devstack.seed import seed_active_person

    seed_active_person(demo, NEW, NEW_MOBILE, NEW_BIRTH, STRONG)
    other_device = demo.accounts.login(NEW, STRONG, "203.0.113.9")["device_token"]
    for i in range(20):
        with pytest.raises(Unauthenticated):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", f"192.0.2.{i // 4}")
    for token in (other_device, other_device[:-2] + "xx", "v1.e30.AAAA"):
        with pytest.raises(Throttled):
            demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.9", token)


def test_every_login_attempt_from_one_address_costs_it_a_hash_and_they_are_capped(demo, clock):
    # 300 hashes per ten minutes per address: an address cannot make the service burn CPU on demand.
    with pytest.raises(Unauthenticated):
        demo.accounts.login("0067749828", "Wrong-pass-123", "198.51.100.99")
    counted = demo.adapters.throttles.count(throttling.HASHES_PER_CLIENT, "198.51.100.99")
    assert counted.failures == 1  # an unknown account costs a hash too (the same time as a known one)
    for _ in range(throttling.HASHES_PER_CLIENT.threshold - 1):
        demo.adapters.throttles.take(throttling.HASHES_PER_CLIENT, "198.51.100.99", clock.epoch())
    with pytest.raises(Throttled) as capped:
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "198.51.100.99")
    assert 0 < capped.value.retry_after <= 600
    assert demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]  # another address is not held


def test_profile_joins_the_registry_and_the_account(demo):
    profile = demo.accounts.profile(DEMO_NATIONAL_CODE)
    assert profile["name"] == "مریم رضایی" and profile["mobile"] == DEMO_MOBILE
    assert profile["birth_date"] == DEMO_BIRTH_DATE and profile["insurance_no"] == "0012345678"
    assert demo.accounts.profile(NEW)["mobile"] == ""  # known to the registry, no account yet
