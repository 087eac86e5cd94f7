"""Accounts: a pending account may be replaced, an active one never; a one-time code activates once, only with
its own hash and before it expires."""
from __future__ import annotations

import dataclasses

from chalicelib.domain.model.accounts import AccountStatus, Person, StaffMember

from .builders import HOLDER, NOW, OTHER, at_once

OTP_TTL = 300


def pending(national_code: str = HOLDER, otp_hash: str = "a" * 64, mobile: str = "09121234567",
            expires_at: int = NOW + OTP_TTL) -> Person:
    return Person(national_code=national_code, mobile=mobile, birth_date="1362/04/12",
                  password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", email="ali@example.ir",
                  status=AccountStatus.PENDING_ACTIVATION, registered_at="2025-06-15T08:30:00Z", otp_hash=otp_hash,
                  otp_expires_at=expires_at)


def active(national_code: str = HOLDER) -> Person:
    return Person(national_code=national_code, mobile="09120000000", birth_date="1362/04/12",
                  password_hash="$argon2id$v=19$m=65536,t=3,p=4$YWN0aXZl$YWN0aXZlaGFzaA",
                  status=AccountStatus.ACTIVE, registered_at="2024-01-02T10:00:00Z", activated_at=NOW - 86_400)


def test_unknown_person_is_none(store):
    assert store.accounts.person(HOLDER) is None


def test_register_pending_stores_the_account(store):
    person = pending()
    assert store.accounts.register_pending(person, NOW) is True
    assert store.accounts.person(HOLDER) == person


def test_register_pending_replaces_a_pending_account(store):
    assert store.accounts.register_pending(pending(otp_hash="a" * 64, mobile="09121234567"), NOW)
    store.accounts.count_otp_failure(HOLDER)
    again = pending(otp_hash="b" * 64, mobile="09351234567", expires_at=NOW + 900)
    assert store.accounts.register_pending(again, NOW + OTP_TTL - 1) is False  # its code still works: kept
    assert store.accounts.person(HOLDER).otp_hash == "a" * 64
    assert store.accounts.register_pending(again, NOW + OTP_TTL) is True  # expired: a new registration replaces it
    assert store.accounts.person(HOLDER) == again


def test_register_pending_never_overwrites_an_active_account(store):
    store.accounts.add_active(active())
    assert store.accounts.register_pending(pending(), NOW) is False
    assert store.accounts.person(HOLDER) == active()


def test_register_pending_after_activation_is_refused(store):
    store.accounts.register_pending(pending(otp_hash="c" * 64), NOW)
    assert store.accounts.activate(HOLDER, "c" * 64, NOW)
    assert store.accounts.register_pending(pending(otp_hash="d" * 64), NOW) is False
    assert store.accounts.person(HOLDER).is_active


def test_activate_with_the_right_hash_before_expiry(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64), NOW)
    store.accounts.count_otp_failure(HOLDER)
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + 10) is True
    person = store.accounts.person(HOLDER)
    assert person.status is AccountStatus.ACTIVE
    assert person.activated_at == NOW + 10
    assert (person.otp_hash, person.otp_expires_at, person.otp_failures) == (None, None, 0)
    assert (person.mobile, person.password_hash) == (pending().mobile, pending().password_hash)


def test_a_code_works_once(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64), NOW)
    assert store.accounts.activate(HOLDER, "e" * 64, NOW) is True
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + 1) is False
    assert store.accounts.person(HOLDER).activated_at == NOW


def test_activate_with_a_wrong_hash_changes_nothing(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64), NOW)
    assert store.accounts.activate(HOLDER, "f" * 64, NOW) is False
    assert store.accounts.person(HOLDER) == pending(otp_hash="e" * 64)
    assert store.accounts.activate(HOLDER, "e" * 64, NOW) is True


def test_activate_fails_once_the_code_has_expired(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64, expires_at=NOW + OTP_TTL), NOW)
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + OTP_TTL) is False
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + OTP_TTL + 3600) is False
    assert store.accounts.person(HOLDER).status is AccountStatus.PENDING_ACTIVATION
    assert store.accounts.activate(HOLDER, "e" * 64, NOW + OTP_TTL - 1) is True


def test_a_new_registration_replaces_the_old_code_once_it_expired(store):
    store.accounts.register_pending(pending(otp_hash="1" * 64), NOW)
    later = NOW + OTP_TTL
    store.accounts.register_pending(pending(otp_hash="2" * 64, expires_at=later + OTP_TTL), later)
    assert store.accounts.activate(HOLDER, "1" * 64, later) is False
    assert store.accounts.activate(HOLDER, "2" * 64, later) is True


def test_activate_needs_a_pending_account(store):
    assert store.accounts.activate(HOLDER, "e" * 64, NOW) is False
    assert store.accounts.person(HOLDER) is None
    store.accounts.add_active(active(OTHER))
    assert store.accounts.activate(OTHER, "e" * 64, NOW) is False
    assert store.accounts.person(OTHER) == active(OTHER)


def test_concurrent_activations_succeed_once(store):
    store.accounts.register_pending(pending(otp_hash="e" * 64), NOW)
    outcomes = at_once(8, lambda i: store.accounts.activate(HOLDER, "e" * 64, NOW + i))
    assert outcomes.count(True) == 1
    assert store.accounts.person(HOLDER).activated_at == NOW + outcomes.index(True)


def test_count_otp_failure_counts_up(store):
    store.accounts.register_pending(pending(), NOW)
    assert [store.accounts.count_otp_failure(HOLDER) for _ in range(3)] == [1, 2, 3]
    assert store.accounts.person(HOLDER).otp_failures == 3


def test_count_otp_failure_of_an_unknown_person_creates_nothing(store):
    assert store.accounts.count_otp_failure(OTHER) == 0
    assert store.accounts.person(OTHER) is None


def test_accounts_are_kept_apart(store):
    store.accounts.register_pending(pending(HOLDER, otp_hash="1" * 64), NOW)
    store.accounts.register_pending(pending(OTHER, otp_hash="2" * 64), NOW)
    assert store.accounts.activate(OTHER, "1" * 64, NOW) is False
    assert store.accounts.activate(OTHER, "2" * 64, NOW) is True
    assert store.accounts.person(HOLDER).status is AccountStatus.PENDING_ACTIVATION


def test_add_active_stores_an_active_account(store):
    store.accounts.add_active(active())
    assert store.accounts.person(HOLDER) == active()
    assert store.accounts.person(HOLDER).is_active


def test_a_read_person_is_a_copy(store):
    store.accounts.add_active(active())
    person = store.accounts.person(HOLDER)
    person.mobile = "09999999999"
    person.status = AccountStatus.PENDING_ACTIVATION
    assert store.accounts.person(HOLDER) == active()


def test_a_stored_person_is_not_the_callers_object(store):
    person = pending()
    store.accounts.register_pending(person, NOW)
    person.otp_hash = "9" * 64
    assert store.accounts.person(HOLDER) == dataclasses.replace(person, otp_hash=pending().otp_hash)


def test_staff_members(store):
    assert store.accounts.staff_member("staff") is None
    member = StaffMember("staff", "$argon2id$v=19$m=65536,t=3,p=4$c3RhZmY$c3RhZmZoYXNo", "کارشناس شعبه ۱۲ تهران")
    store.accounts.add_staff(member)
    assert store.accounts.staff_member("staff") == member
    assert store.accounts.staff_member("other") is None
    assert store.accounts.person("staff") is None
