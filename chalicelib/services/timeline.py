"""'My Social Security': every interaction of a person with the service, newest first."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.clock import Clock, iso_precise
from chalicelib.domain.cursors import decode_cursor, encode_cursor
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.ports import Timeline

# What each kind of entry says to the person, in Persian first.
TITLES = {
    "registered": ("ثبت‌نام و فعال‌سازی حساب", "Account registered and activated"),
    "login": ("ورود به سامانه", "Logged in"),
    "login_failed": ("تلاش ناموفق برای ورود", "Failed login attempt"),
    "logout": ("خروج از سامانه", "Logged out"),
    "password_changed": ("تغییر گذرواژه؛ نشست‌های دیگر پایان یافت", "Password changed; other sessions ended"),
    "password_reset": ("بازیابی گذرواژه با پیامک؛ همه نشست‌ها پایان یافت", "Password reset by SMS; every session ended"),
    "statement_requested": ("درخواست اعلام سابقه به موسسات", "Statement requested"),
    "statement_ready": ("آماده شدن گواهی سابقه", "Statement ready"),
    "statement_failed": ("خطا در تهیه گواهی سابقه", "Statement could not be produced"),
    "document_opened": ("رویت مکاتبه", "Statement opened"),
    "permit_issued": ("صدور مجوز استعلام", "Inquiry permit issued"),
    "permit_revoked": ("لغو مجوز استعلام", "Inquiry permit revoked"),
    "institution_view": ("مشاهده سابقه توسط موسسه", "Viewed by an institution"),
    "inquiry_failures": ("تلاش‌های ناموفق استعلام", "Repeated failed inquiries"),
    "mailbox_delivery": ("ارسال به صندوق الکترونیکی ملی", "Delivered to the national e-mailbox"),
    "mailbox_failed": ("خطا در ارسال به صندوق الکترونیکی ملی", "E-mailbox delivery failed"),
    "statement_deleted": ("حذف درخواست", "Statement deleted"),
    "permit_expired": ("پایان اعتبار مجوز استعلام", "Inquiry permit expired"),
    "objection_filed": ("ثبت اعتراض به سوابق", "Objection filed"),
    "objection_decided": ("رسیدگی به اعتراض", "Objection decided"),
    "statement_outdated": ("تغییر سوابق پس از صدور گواهی", "Records changed after the statement was issued"),
}
_ENTRY_ID_LENGTH = 64


def entry(clock: Clock, national_code: str, kind: str, /, **details) -> ActivityEntry:
    """A new timeline entry stamped with the clock's time."""
    return ActivityEntry.new(national_code, kind, iso_precise(clock.now()), details)


class TimelineService:
    def __init__(self, *, timeline: Timeline):
        self.timeline = timeline

    def page(self, national_code: str, cursor: str | None, limit: int) -> dict:
        after = decode_cursor(cursor, max_length=_ENTRY_ID_LENGTH) if cursor else None
        entries, last = self.timeline.page(national_code, after, limit)
        return {"items": [present(e) for e in entries], "next": encode_cursor(last) if last else None}


def present(item: ActivityEntry) -> dict:
    from chalicelib.domain.jalali import jalali_datetime_of

    title_fa, title_en = TITLES.get(item.kind, (item.kind, item.kind))
    moment = dt.datetime.strptime(item.at[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return {
        "id": item.entry_id,
        "kind": item.kind,
        "at": item.at[:19] + "Z",
        "at_jalali": jalali_datetime_of(moment),
        "title_fa": title_fa,
        "title_en": title_en,
        "details": item.details,
    }
