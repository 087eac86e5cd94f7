"""Inquiry permits: what the person issued (the permit, with its view counters) and what answers an
institution (the grant, found by the keyed hash of identifier and passcode)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class PermitStatus(str, Enum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class View:
    """One institution's successful inquiry."""

    at: str  # ISO time with milliseconds: orders the timeline
    client_ip: str
    user_agent: str
    id: str = ""  # one inquiry's view: a write of it sent twice (a lost answer, re-sent) counts it once


@dataclass
class Permit:
    """A permit as the person sees it in the inbox. Small on purpose: a view changes only this."""

    national_code: str
    tracking_no: str
    permit_id: str
    validity: str  # day, week, month, year
    issued_at: str
    expires_at: int
    grant_key: str
    mobile: str = ""
    label: str = ""  # the person's own words for whom it is ("Bank Melli, loan"), shown wherever the permit is
    views: int = 0
    first_viewed_at: str | None = None
    last_viewed_at: str | None = None
    last_view: View | None = None
    revoked_at: str | None = None
    expired_at: str | None = None

    def status(self, now: int) -> PermitStatus:
        if self.revoked_at:
            return PermitStatus.REVOKED
        if self.expired_at or self.expires_at <= now:
            return PermitStatus.EXPIRED
        return PermitStatus.ACTIVE

    def is_live(self, now: int) -> bool:
        return self.status(now) is PermitStatus.ACTIVE


@dataclass(frozen=True)
class Grant:
    """What answers an inquiry: everything the institution is shown, copied when the permit was issued, so an
    inquiry reads one item. Never changed; deleted when the permit is revoked, expires or its request goes."""

    key: str  # keyed hash of identifier and passcode
    permit_id: str
    national_code: str
    tracking_no: str
    kind: str
    document_id: str
    s3_key: str
    sha256: str
    issued_at: str
    expires_at: int
    statement_z: bytes
    holder: dict
    mobile: str = ""
    outdated_since: str | None = None  # the records it shows changed after it was issued (the institution is told)
    language: str = "fa"  # the document's

    def answers(self, identifier: str, now: int) -> bool:
        # The expiry is checked here: DynamoDB's TTL may keep an expired grant for two more days.
        return self.national_code == identifier and self.expires_at > now
