"""Nobody takes over an account: codes go only to a line in the person's name, a registration waiting for its code
is never replaced, a forgotten password is reset by SMS to that line, and SMS and password hashes are not free."""
from __future__ import annotations

import re

import pytest

from chalicelib.domain import throttling
from chalicelib.domain.errors import Conflict, InvalidValue, Throttled, Unauthenticated
from chalicelib.domain.model.accounts import InsuredProfile
from devstack.seed import DEMO_MOBILE, DEMO_NATIONAL_CODE, DEMO_PASSWORD, NEWCOMER

from .helpers import kinds

NEW, NEW_BIRTH, NEW_MOBILE = NEWCOMER["national_code"], NEWCOMER["birth_date"], NEWCOMER["mobile"]
ATTACKER_MOBILE = "09350000001"
STRONG = "Kh0shbakht-2024"
NEW_PASSWORD = "Tazeh-Ramz-1405"
IP, ATTACKER_IP = "198.51.100.7", "203.0.113.66"


def codes_to(services, mobile: str) -> list[str]:
    return [re.search(r"\d{6}", text).group(0) for to, text in services.adapters.sms.sent if to == mobile]


# --- registration ----------------------------------------------------------------------------------------------
def test_a_stranger_who_knows_the_code_and_birth_date_cannot_register_with_their_own_mobile(demo):
    with pytest.raises(InvalidValue) as refused:
        demo.accounts.register(NEW, ATTACKER_MOBILE, NEW_BIRTH, STRONG, ATTACKER_IP)
    assert refused.value.code == "mobile_not_owned"
    assert demo.adapters.sms.sent == [] and demo.adapters.accounts.person(NEW) is None


def test_a_pending_registration_is_never_replaced_while_its_code_works(demo, clock):
    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
    # A stranger who also knows the person's mobile tries to replace it with a password of their own.
    with pytest.raises(Conflict) as pending:
        demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, "Attacker-Pass-99", ATTACKER_IP)
    assert pending.value.code == "registration_pending"
    assert demo.accounts.activate(NEW, codes_to(demo, NEW_MOBILE)[-1]) == {"status": "active"}
    assert demo.accounts.login(NEW, STRONG, IP)["token"]  # the person's own password, not the stranger's
    with pytest.raises(Unauthenticated):
        demo.accounts.login(NEW, "Attacker-Pass-99", ATTACKER_IP)
    assert len(codes_to(demo, NEW_MOBILE)) == 1


def test_the_registrant_may_ask_again_for_a_code_that_never_arrived(demo):
    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
    demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, "203.0.113.8")  # the same line and password
    first, second = codes_to(demo, NEW_MOBILE)
    if first != second:
        with pytest.raises(InvalidValue):
            demo.accounts.activate(NEW, first)  # only the newest code works
    assert demo.accounts.activate(NEW, second) == {"status": "active"}


def test_the_registrys_own_mobile_decides_where_it_has_one(demo):
    demo.adapters.registry.add_profile(InsuredProfile("0067749828", first_name="سارا", last_name="احمدی",
                                                      birth_date="1365/02/03", mobile="09131112233"))
    demo.adapters.ownership.add_line("0067749828", "09139998877")  # the operators know another line of hers
    with pytest.raises(InvalidValue) as refused:
        demo.accounts.register("0067749828", "09139998877", "1365/02/03", STRONG, IP)
    assert refused.value.code == "mobile_not_owned"
    assert demo.accounts.register("0067749828", "09131112233", "1365/02/03", STRONG, IP)["status"] \
        == "pending_activation"


def test_codes_by_sms_are_capped_per_person_per_mobile_and_per_address(demo, clock):
    sent = 0
    for _ in range(10):  # ten registrations in a row, each waiting out the last code
        try:
            demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, IP)
            sent += 1
        except Throttled as capped:
            assert capped.code == "too_many_codes" and capped.retry_after > 0
        clock.advance(301)
    assert sent == len(codes_to(demo, NEW_MOBILE)) == throttling.SMS_PER_PERSON.threshold
    # From one address, registration attempts of any kind (answered or not) are capped too.
    for i in range(throttling.CODES_PER_CLIENT.threshold):
        with pytest.raises(InvalidValue):
            demo.accounts.register(NEW, NEW_MOBILE, "1300/01/01", STRONG, ATTACKER_IP)
    with pytest.raises(Throttled):
        demo.accounts.register(NEW, NEW_MOBILE, NEW_BIRTH, STRONG, ATTACKER_IP)


# --- password reset --------------------------------------------------------------------------------------------
def test_a_forgotten_password_is_reset_by_sms_ending_every_session_and_every_lock(demo, clock):
    sessions = [demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, ip)["token"] for ip in (IP, "203.0.113.5")]
    for i in range(25):  # strangers lock the account and the person's address
        with pytest.raises((Unauthenticated, Throttled)):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", IP if i < 5 else f"192.0.2.{i}")
    clock.advance(1)
    answer = demo.accounts.start_password_reset(DEMO_NATIONAL_CODE, DEMO_MOBILE, IP)
    assert answer["status"] == "code_sent_if_matched"
    otp = codes_to(demo, DEMO_MOBILE)[-1]
    assert demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, otp, NEW_PASSWORD, IP) == {"status": "reset"}
    assert demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, otp, NEW_PASSWORD, IP) == {"status": "reset"}

    for token in sessions:
        with pytest.raises(Unauthenticated) as ended:
            demo.accounts.authenticate(token, "insured")
        assert ended.value.code == "session_ended"
    with pytest.raises(Unauthenticated):
        demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.5")
    fresh = demo.accounts.login(DEMO_NATIONAL_CODE, NEW_PASSWORD, IP)["token"]  # no lock left on this address
    assert demo.accounts.authenticate(fresh, "insured").subject == DEMO_NATIONAL_CODE
    assert kinds(demo).count("password_reset") == 1


def test_a_reset_answers_the_same_whoever_asks_and_sends_only_to_the_persons_line(demo):
    answers = {str(demo.accounts.start_password_reset(nc, mobile, ATTACKER_IP))
               for nc, mobile in ((DEMO_NATIONAL_CODE, ATTACKER_MOBILE), ("0067749828", ATTACKER_MOBILE),
                                  (NEW, NEW_MOBILE), (DEMO_NATIONAL_CODE, DEMO_MOBILE))}
    assert len(answers) == 1
    assert [to for to, _ in demo.adapters.sms.sent] == [DEMO_MOBILE]


def test_a_reset_code_is_spent_by_five_wrong_tries_and_works_once(demo, clock):
    demo.accounts.start_password_reset(DEMO_NATIONAL_CODE, DEMO_MOBILE, IP)
    otp = codes_to(demo, DEMO_MOBILE)[-1]
    wrong = f"{(int(otp) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(InvalidValue) as refused:
            demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, wrong, NEW_PASSWORD, ATTACKER_IP)
        assert refused.value.code == "invalid_otp"
    with pytest.raises(InvalidValue) as locked:
        demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, otp, NEW_PASSWORD, IP)
    assert locked.value.code == "otp_locked"
    assert demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]  # the password did not change

    demo.accounts.start_password_reset(DEMO_NATIONAL_CODE, DEMO_MOBILE, IP)
    clock.advance(301)
    with pytest.raises(InvalidValue):  # expired
        demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, codes_to(demo, DEMO_MOBILE)[-1], NEW_PASSWORD, IP)


def test_a_device_known_before_a_reset_is_known_no_more(demo):
    device = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["device_token"]
    demo.accounts.start_password_reset(DEMO_NATIONAL_CODE, DEMO_MOBILE, IP)
    demo.accounts.confirm_password_reset(DEMO_NATIONAL_CODE, codes_to(demo, DEMO_MOBILE)[-1], NEW_PASSWORD, IP)
    for i in range(20):
        with pytest.raises(Unauthenticated):
            demo.accounts.login(DEMO_NATIONAL_CODE, "Wrong-pass-123", f"192.0.2.{i // 4}")
    with pytest.raises(Throttled):
        demo.accounts.login(DEMO_NATIONAL_CODE, NEW_PASSWORD, "203.0.113.5", device)


def test_changing_the_password_ends_every_other_session_and_keeps_this_one(demo, clock):
    other = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, "203.0.113.5")["token"]
    mine = demo.accounts.login(DEMO_NATIONAL_CODE, DEMO_PASSWORD, IP)["token"]
    me = demo.accounts.authenticate(mine, "insured")
    clock.advance(1)
    with pytest.raises(Unauthenticated) as wrong:
        demo.accounts.change_password(me, "Not-my-password-1", NEW_PASSWORD, IP)
    assert wrong.value.code == "wrong_password"
    with pytest.raises(InvalidValue):
        demo.accounts.change_password(me, DEMO_PASSWORD, "short", IP)
    answer = demo.accounts.change_password(me, DEMO_PASSWORD, NEW_PASSWORD, IP)
    assert answer["status"] == "changed"
    for token in (other, mine):
        with pytest.raises(Unauthenticated):
            demo.accounts.authenticate(token, "insured")
    assert demo.accounts.authenticate(answer["token"], "insured").subject == DEMO_NATIONAL_CODE
    assert demo.accounts.login(DEMO_NATIONAL_CODE, NEW_PASSWORD, IP)["token"]
    assert kinds(demo).count("password_changed") == 1
    assert demo.accounts.profile(DEMO_NATIONAL_CODE)["mobile_masked"] == "0912***0000"
