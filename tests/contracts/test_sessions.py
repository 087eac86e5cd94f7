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
    got = store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A")
    assert got == session()
    assert got.is_open(HOLDER, NOW + 60)
    assert not got.is_open(OTHER, NOW + 60)


def test_unknown_session_is_none(store):
    assert store.sessions.get("no-such-session") is None


def test_end_removes_the_session(store):
    store.sessions.open(session())
    store.sessions.open(session("second-login-on-a-phone"))
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A") is None
    assert store.sessions.get("second-login-on-a-phone") == session("second-login-on-a-phone")


def test_ending_twice_or_an_unknown_session_is_harmless(store):
    store.sessions.open(session())
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    store.sessions.end("s7Qx2mJ0cY4kP1vR9tLw3A")
    store.sessions.end("never-opened")
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A") is None


def test_an_expired_session_is_read_but_not_open(store):
    store.sessions.open(session(created_at=NOW - 2 * TOKEN_TTL))
    got = store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A")
    assert got == session(created_at=NOW - 2 * TOKEN_TTL)
    assert not got.is_open(HOLDER, NOW)


def test_a_taken_session_id_is_never_overwritten(store):
    store.sessions.open(session())
    with pytest.raises(Exception):
        store.sessions.open(session(subject=OTHER))
    assert store.sessions.get("s7Qx2mJ0cY4kP1vR9tLw3A").subject == HOLDER


def test_staff_sessions(store):
    store.sessions.open(session("staff-session-1", subject="staff", role=Role.STAFF))
    got = store.sessions.get("staff-session-1")
    assert (got.subject, got.role) == ("staff", Role.STAFF)
