from __future__ import annotations

import dataclasses

from chalicelib.domain.model.accounts import AccountStatus, Person, Session, StaffMember
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.ports import Accounts, Sessions
from chalicelib.storage.memory.requests import append
from chalicelib.storage.memory.state import MemoryState, copied


class MemoryAccounts(Accounts):
    def __init__(self, state: MemoryState):
        self.state = state

    def person(self, national_code: str) -> Person | None:
        with self.state.lock:
            return copied(self.state.persons.get(national_code))

    def register_pending(self, person: Person, now: int, replacing: str | None = None) -> bool:
        with self.state.lock:
            existing = self.state.persons.get(person.national_code)
            if existing and (existing.status is not AccountStatus.PENDING_ACTIVATION
                             or ((existing.otp_expires_at or 0) > now and existing.otp_hash != (replacing or "-"))):
                return False
            self.state.persons[person.national_code] = copied(person)
            return True

    def add_active(self, person: Person) -> None:
        with self.state.lock:
            self.state.persons[person.national_code] = copied(person)

    def activate(self, national_code: str, otp_hash: str, at: int, entry: ActivityEntry | None = None) -> bool:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p or p.status is not AccountStatus.PENDING_ACTIVATION or p.otp_hash != otp_hash \
                    or (p.otp_expires_at or 0) <= at:
                return False
            self.state.persons[national_code] = dataclasses.replace(
                p, status=AccountStatus.ACTIVE, activated_at=at, otp_hash=None, otp_expires_at=None, otp_failures=0,
                activated_by=otp_hash)
            if entry is not None:
                append(self.state, entry)
            return True

    def count_otp_failure(self, national_code: str) -> int:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p:
                return 0
            p.otp_failures += 1
            return p.otp_failures

    def start_reset(self, national_code: str, otp_hash: str, expires_at: int) -> bool:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p or not p.is_active:
                return False
            self.state.persons[national_code] = dataclasses.replace(p, reset_otp_hash=otp_hash,
                                                                    reset_expires_at=expires_at, reset_failures=0)
            return True

    def count_reset_failure(self, national_code: str) -> int:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p or not p.reset_otp_hash:
                return 0
            p.reset_failures += 1
            return p.reset_failures

    def reset_password(self, national_code: str, otp_hash: str, password_hash: str, at: float,
                       entry: ActivityEntry) -> bool:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p or not p.is_active or p.reset_otp_hash != otp_hash or (p.reset_expires_at or 0) <= at:
                return False
            self.state.persons[national_code] = dataclasses.replace(
                p, password_hash=password_hash, password_set_at=int(at), reset_by=otp_hash, reset_otp_hash=None,
                reset_expires_at=None, reset_failures=0)
            self.state.session_cuts[national_code] = at
            append(self.state, entry)
            return True

    def change_password(self, national_code: str, old_hash: str, new_hash: str, at: float,
                        entry: ActivityEntry) -> bool:
        with self.state.lock:
            p = self.state.persons.get(national_code)
            if not p or not p.is_active or p.password_hash != old_hash:
                return False
            self.state.persons[national_code] = dataclasses.replace(p, password_hash=new_hash,
                                                                    password_set_at=int(at))
            self.state.session_cuts[national_code] = at
            append(self.state, entry)
            return True

    def staff_member(self, username: str) -> StaffMember | None:
        with self.state.lock:
            return self.state.staff.get(username)

    def add_staff(self, staff: StaffMember) -> None:
        with self.state.lock:
            self.state.staff[staff.username] = staff


class MemorySessions(Sessions):
    def __init__(self, state: MemoryState):
        self.state = state

    def open(self, session: Session, entry: ActivityEntry | None = None) -> None:
        with self.state.lock:
            if session.session_id in self.state.sessions:
                raise ValueError("session id taken")
            self.state.sessions[session.session_id] = session
            if entry is not None:
                append(self.state, entry)

    def get(self, session_id: str, subject: str) -> Session | None:
        with self.state.lock:
            session = self.state.sessions.get(session_id)
            cut = self.state.session_cuts.get(subject)
            return None if session is None or (cut is not None and session.created_at < cut) else session

    def end(self, session_id: str, entry: ActivityEntry | None = None) -> None:
        with self.state.lock:
            if self.state.sessions.pop(session_id, None) is not None and entry is not None:
                append(self.state, entry)
