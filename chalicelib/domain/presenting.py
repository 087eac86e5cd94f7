"""How a stored request reads in the inbox: every column of the guide's table, with Jalali dates."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.statement_kinds import KINDS, SUBJECT, SYSTEM


def jalali_or_none(iso_text: str | None) -> str | None:
    from chalicelib.domain.jalali import jalali_of

    if not iso_text:
        return None
    moment = dt.datetime.strptime(iso_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return jalali_of(moment)


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def permit_status(permit: dict, now: int) -> str:
    if permit.get("revoked_at"):
        return "revoked"
    if permit.get("expires_at_epoch", 0) <= now or permit.get("expired_at"):
        return "expired"
    return "active"


def present_permit(permit: dict, now: int) -> dict:
    expires = _iso(permit["expires_at_epoch"])
    return {
        "permit_id": permit["permit_id"],
        "validity": permit["validity"],
        "issued_at": permit["issued_at"],
        "issued_at_jalali": jalali_or_none(permit["issued_at"]),
        "expires_at": expires,
        "expires_at_jalali": jalali_or_none(expires),
        "status": permit_status(permit, now),
        "revoked_at": permit.get("revoked_at"),
        "revoked_at_jalali": jalali_or_none(permit.get("revoked_at")),
        "first_viewed_at": permit.get("first_viewed_at"),
        "first_viewed_at_jalali": jalali_or_none(permit.get("first_viewed_at")),
        "views": permit.get("views", 0),
    }


def live_permits(request: dict, now: int) -> list[dict]:
    return [p for p in (request.get("permits") or {}).values() if permit_status(p, now) == "active"]


def inbox_item(request: dict, now: int) -> dict:
    permits = sorted((request.get("permits") or {}).values(), key=lambda p: p["issued_at"], reverse=True)
    live = [p["expires_at_epoch"] for p in permits if permit_status(p, now) == "active"]
    inquirable_until = _iso(max(live)) if live else None
    mailbox = request.get("mailbox") or {"status": "none"}
    return {
        "tracking_no": request["tracking_no"],
        "sent_at": request["sent_at"],
        "sent_at_jalali": jalali_or_none(request["sent_at"]),
        "system": SYSTEM,
        "subject": SUBJECT,
        "kind": request["kind"],
        "kind_title": KINDS[request["kind"]][0],
        "national_code": request["national_code"],
        "mobile": request.get("mobile", ""),
        "email": request.get("email"),
        "viewed_at": request.get("viewed_at"),
        "viewed_at_jalali": jalali_or_none(request.get("viewed_at")),
        "inquirable_until": inquirable_until,
        "inquirable_until_jalali": jalali_or_none(inquirable_until),
        "permits": [present_permit(p, now) for p in permits],
        "status": request["status"],
        "failure": request.get("failure"),
        "mailbox": {"status": mailbox.get("status", "none"), "delivered_at": mailbox.get("delivered_at"),
                    "delivered_at_jalali": jalali_or_none(mailbox.get("delivered_at")),
                    "attempts": mailbox.get("attempts", 0)},
        "document_id": request.get("document_id"),
    }
