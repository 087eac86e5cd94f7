"""Sessions: a login is stored under its id until logout; an expired one is still read (its expiry is checked by
the caller, TTL removes it late) and an id is never taken over."""
from __future__ import annotations

import pytest

from chalicelib.domain.model.accounts import Role, Session

from .builders import HOLDER, NOW, OTHER

TOKEN_TTL = 900


def session(session_id: str = "s7Qx2mJ0cY4kP1vR9tLw3A", subject: str = HOLDER, role: Role = Role.INSURED,
            created_at: int = NOW) -> Session:
    return Session(session_id, subject, role, created_at, created_at + TOKEN_TTL)


def test_open_then_get(store):
    store.sessions.open(session())
    got = store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER)
    assert got == session()
    assert got.is_open(HOLDER, NOW + 60)
    assert not got.is_open(OTHER, NOW + 60)


def test_unknown_session_is_none(store):
    assert store.sessions.get("no-such-session", HOLDER) is None


def test_end_removes_the_session(store):
    store.sessions.open(session())
    store.sessions.open(session("second-login-on-a-phone"))
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER) is None
    assert store.sessions.get("second-login-on-a-phone", HOLDER) == session("second-login-on-a-phone")


def test_ending_twice_or_an_unknown_session_is_harmless(store):
    store.sessions.open(session())
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    store.sessions.end("never-opened")
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER) is None


def test_an_expired_session_is_read_but_not_open(store):
    store.sessions.open(session(created_at=NOW - 2 * TOKEN_TTL))
    got = store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER)
    assert got == session(created_at=NOW - 2 * TOKEN_TTL)
    assert not got.is_open(HOLDER, NOW)


def test_a_taken_session_id_is_never_overwritten(store):
    store.sessions.open(session())
    with pytest.raises(Exception):
        store.sessions.open(session(subject=OTHER))
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A", HOLDER).subject == HOLDER


def test_staff_sessions(store):
    store.sessions.open(session("staff-session-1", subject="staff", role=Role.STAFF))
    got = store.sessions.get("staff-session-1", "staff")
    assert (got.subject, got.role) == ("staff", Role.STAFF)


def test_a_password_reset_ends_every_session_opened_before_it(store):
    from chalicelib.domain.model.accounts import AccountStatus, Person

    from .builders import entry

    store.accounts.add_active(Person(national_code=HOLDER, mobile="09120000000", birth_date="1362/04/12",
                                     password_hash="old", status=AccountStatus.ACTIVE))
    store.sessions.open(session("phone", created_at=NOW - 100))
    store.sessions.open(session("laptop", created_at=NOW - 1))
    store.sessions.open(session("other-person", subject=OTHER, created_at=NOW - 1))
    assert store.accounts.start_reset(HOLDER, "r" * 64, NOW + 300)
    assert store.accounts.count_reset_failure(HOLDER) == 1
    assert not store.accounts.reset_password(HOLDER, "x" * 64, "new", NOW, entry(HOLDER, "password_reset", NOW))
    assert not store.accounts.reset_password(HOLDER, "r" * 64, "new", NOW + 300, entry(HOLDER, "password_reset", NOW))
    assert store.accounts.reset_password(HOLDER, "r" * 64, "new", NOW, entry(HOLDER, "password_reset", NOW))
    assert not store.accounts.reset_password(HOLDER, "r" * 64, "newer", NOW, entry(HOLDER, "password_reset", NOW))
    assert store.sessions.get("phone", HOLDER) is None and store.sessions.get("laptop", HOLDER) is None
    assert store.sessions.get("other-person", OTHER) is not None
    store.sessions.open(session("after", created_at=NOW))
    assert store.sessions.get("after", HOLDER) is not None
    person = store.accounts.person(HOLDER)
    assert (person.password_hash, person.password_set_at, person.reset_otp_hash) == ("new", NOW, None)
    assert not store.accounts.start_reset(OTHER, "r" * 64, NOW + 300)  # no active account: nothing to reset


def test_a_password_change_ends_sessions_before_it_only_while_the_old_hash_stands(store):
    from chalicelib.domain.model.accounts import AccountStatus, Person

    from .builders import entry

    store.accounts.add_active(Person(national_code=HOLDER, mobile="09120000000", birth_date="1362/04/12",
                                     password_hash="old", status=AccountStatus.ACTIVE))
    store.sessions.open(session("phone", created_at=NOW - 5))
    assert not store.accounts.change_password(HOLDER, "stale", "new", NOW, entry(HOLDER, "password_changed", NOW))
    assert store.sessions.get("phone", HOLDER) is not None
    assert store.accounts.change_password(HOLDER, "old", "new", NOW + 0.5, entry(HOLDER, "password_changed", NOW))
    assert store.sessions.get("phone", HOLDER) is None
    person = store.accounts.person(HOLDER)
    assert (person.password_hash, person.password_set_at) == ("new", NOW)
    assert not store.accounts.change_password(HOLDER, "old", "newer", NOW + 1, entry(HOLDER, "password_changed", NOW))
