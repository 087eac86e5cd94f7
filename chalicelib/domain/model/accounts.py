"""People with an account, staff members, login sessions, and the fund's registry of insured people."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class AccountStatus(str, Enum):
    PENDING_ACTIVATION = "pending_activation"
    ACTIVE = "active"


class Role(str, Enum):
    INSURED = "insured"
    STAFF = "staff"


@dataclass
class Person:
    """An insured person's account. While pending, it carries the keyed hash of the one-time code sent by SMS."""

    national_code: str
    mobile: str
    birth_date: str  # Jalali, 1362/04/12
    password_hash: str
    status: AccountStatus
    email: str | None = None
    registered_at: str | None = None
    activated_at: int | None = None
    otp_hash: str | None = None
    otp_expires_at: int | None = None
    otp_failures: int = 0
    activated_by: str | None = None  # the hash of the code that activated it: a retried activation recognises it
    password_set_at: int = 0  # when the password last changed: keys its login counters and known devices
    reset_otp_hash: str | None = None
    reset_expires_at: int | None = None
    reset_failures: int = 0
    reset_by: str | None = None  # the hash of the code of the last reset: a retried confirmation recognises it

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE


@dataclass(frozen=True)
class StaffMember:
    username: str
    password_hash: str
    display_name: str


@dataclass(frozen=True)
class Session:
    """One login. The token names it; logging out deletes it; its expiry is checked even before TTL removes it."""

    session_id: str
    subject: str  # national code, or staff username
    role: Role
    created_at: float  # epoch seconds to the millisecond: a reset ends the sessions opened before it
    expires_at: int

    def is_open(self, subject: str, now: int) -> bool:
        return self.subject == subject and self.expires_at > now


@dataclass(frozen=True)
class InsuredProfile:
    """What the fund's registry knows of an insured person (registration is checked against it)."""

    national_code: str
    first_name: str = ""
    last_name: str = ""
    father_name: str = ""
    birth_date: str = ""
    insurance_no: str = ""
    gender: str = ""
    mobile: str = ""  # the registry's own line for the person, where it has one: codes go only there

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
