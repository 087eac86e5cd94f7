"""How a request reads in the inbox: every column of the guide's table, with Jalali dates."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.clock import iso
from chalicelib.domain.model.permits import Permit
from chalicelib.domain.model.requests import StatementRequest
from chalicelib.domain.statement_kinds import KINDS, SUBJECT, SYSTEM


def jalali_or_none(iso_text: str | None) -> str | None:
    from chalicelib.domain.jalali import jalali_of

    if not iso_text:
        return None
    moment = dt.datetime.strptime(iso_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return jalali_of(moment)


def present_permit(permit: Permit, now: int) -> dict:
    expires = iso(permit.expires_at)
    return {
        "permit_id": permit.permit_id,
        "validity": permit.validity,
        "issued_at": permit.issued_at,
        "issued_at_jalali": jalali_or_none(permit.issued_at),
        "expires_at": expires,
        "expires_at_jalali": jalali_or_none(expires),
        "status": permit.status(now).value,
        "revoked_at": permit.revoked_at,
        "revoked_at_jalali": jalali_or_none(permit.revoked_at),
        "first_viewed_at": permit.first_viewed_at,
        "first_viewed_at_jalali": jalali_or_none(permit.first_viewed_at),
        "views": permit.views,
        "label": permit.label,
        "last_view": {"at": permit.last_view.at, "at_jalali": jalali_or_none(permit.last_view.at),
                      "browser": browser_name(permit.last_view.user_agent)} if permit.last_view else None,
    }


_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))


def browser_name(user_agent: str) -> str:
    """"Chrome on Windows" from a raw user-agent string; programs (a bank's software) keep their own first word."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), None)
    system = next((name for mark, name in _SYSTEMS if mark in ua), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    return ua.split(" ")[0][:40] or "unknown"  # a program's own name and version: "BankMelli-Inquiry/2.1"


def inbox_item(request: StatementRequest, now: int) -> dict:
    permits = sorted(request.permits, key=lambda p: p.issued_at, reverse=True)
    live = [p.expires_at for p in request.live_permits(now)]
    inquirable_until = iso(max(live)) if live else None
    viewed_at = request.first_viewed_at()
    mailbox = request.mailbox
    return {
        "tracking_no": request.tracking_no,
        "sent_at": request.sent_at,
        "sent_at_jalali": jalali_or_none(request.sent_at),
        "system": SYSTEM,
        "subject": SUBJECT,
        "kind": request.kind,
        "kind_title": KINDS[request.kind][0],
        "language": request.language,
        "national_code": request.national_code,
        "mobile": request.mobile,
        "email": request.email,
        "viewed_at": viewed_at,
        "viewed_at_jalali": jalali_or_none(viewed_at),
        "inquirable_until": inquirable_until,
        "inquirable_until_jalali": jalali_or_none(inquirable_until),
        "permits": [present_permit(p, now) for p in permits],
        "status": request.status.value,
        "failure": request.failure,
        "mailbox": {"status": mailbox.status.value, "delivered_at": mailbox.delivered_at,
                    "delivered_at_jalali": jalali_or_none(mailbox.delivered_at), "attempts": mailbox.attempts},
        "document_id": request.document.document_id if request.document else None,
        "outdated": request.outdated_since is not None,
        "outdated_since": request.outdated_since,
        "outdated_since_jalali": jalali_or_none(request.outdated_since),
    }
