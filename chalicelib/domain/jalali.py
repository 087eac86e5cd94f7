"""Jalali (Solar Hijri) calendar helpers.

Records, statements and permits are all dated in the Jalali calendar in Tehran
time. jdatetime matches the official leap-year table (Esfand 1403 has 30 days);
khayyam does not, so it is not used. Iran abolished daylight saving in 2022, so
Tehran is a fixed UTC+03:30 — a fixed offset avoids depending on the host's
tz database (Lambda images may ship an old one). Timestamps before 2022 that
fell in the old DST season will therefore be shown one hour early; the service
only converts current timestamps.
"""
from __future__ import annotations

import datetime as _dt
import re

import jdatetime

from .digits import to_ascii_digits
from .errors import InvalidValue

TEHRAN = _dt.timezone(_dt.timedelta(hours=3, minutes=30), "IRST")

MONTH_NAMES_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]

# Separators people type between date parts: slash, hyphen-likes, dot, Arabic date separator.
_SEP = r"[/\-\u2010-\u2015\u2212.\u060d\u066b]"
_DATE_SEP_RE = re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})")
_DATE_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_MONTH_SEP_RE = re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}})")
_MONTH_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})")
_DBF_SHORT_SEP_RE = re.compile(rf"([0-9]{{2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})")
_IGNORABLE = re.compile("[\\s\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]")


def _clean(raw) -> str:
    if raw is None:
        return ""
    return _IGNORABLE.sub("", to_ascii_digits(str(raw)))


def is_leap(year: int) -> bool:
    """Leap year per the official table (via jdatetime)."""
    try:
        return jdatetime.date(int(year), 1, 1).isleap()
    except (ValueError, OverflowError):
        raise InvalidValue(f"Year {year} is outside the supported Jalali range.",
                           code="invalid_jalali_date") from None


def month_length(year: int, month: int) -> int:
    """31 days in months 1-6, 30 in 7-11, Esfand 29 or 30 in leap years."""
    if not 1 <= int(month) <= 12:
        raise InvalidValue(f"Month must be 1..12, got {month}.", code="invalid_jalali_month")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def _make_date(y: int, m: int, d: int) -> jdatetime.date:
    try:
        return jdatetime.date(y, m, d)
    except (ValueError, TypeError, OverflowError):
        raise InvalidValue(f"{y:04d}/{m:02d}/{d:02d} is not a Jalali calendar date.",
                           code="invalid_jalali_date") from None


def parse_jalali_date(raw: str) -> jdatetime.date:
    """Parse "1403/05/30", "1403-05-30" or "14030530" (Persian digits allowed)."""
    s = _clean(raw)
    m = _DATE_SEP_RE.fullmatch(s) or _DATE_COMPACT_RE.fullmatch(s)
    if not m:
        raise InvalidValue("Date must be a Jalali date like 1403/05/30.", code="invalid_jalali_date")
    return _make_date(*(int(g) for g in m.groups()))


def parse_jalali_month(raw: str) -> tuple[int, int]:
    """Parse "1403/05", "1403-5" or "140305" into (year, month)."""
    s = _clean(raw)
    m = _MONTH_SEP_RE.fullmatch(s) or _MONTH_COMPACT_RE.fullmatch(s)
    if not m:
        raise InvalidValue("Month must be a Jalali month like 1403/05.", code="invalid_jalali_month")
    year, month = int(m.group(1)), int(m.group(2))
    if year < 1 or not 1 <= month <= 12:
        raise InvalidValue(f"{raw!s} is not a Jalali month.", code="invalid_jalali_month")
    return year, month


def format_date(d: jdatetime.date) -> str:
    """"YYYY/MM/DD" — the form printed on statements and accepted back by parse_jalali_date."""
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"


def format_month(year: int, month: int) -> str:
    """"YYYY/MM"."""
    return f"{int(year):04d}/{int(month):02d}"


def _tehran(dt: _dt.datetime) -> _dt.datetime:
    # Naive datetimes are taken as UTC: the service stores UTC and Lambda runs in UTC,
    # whereas datetime.astimezone() would silently assume the host's local zone.
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_dt.timezone.utc)
    return dt.astimezone(TEHRAN)


def today_jalali(now: _dt.datetime) -> jdatetime.date:
    """The Jalali date in Tehran at instant `now` (passed in so callers and tests control the clock)."""
    return jdatetime.date.fromgregorian(date=_tehran(now).date())


def jalali_of(dt: _dt.datetime) -> str:
    """Jalali "YYYY/MM/DD" of an instant, in Tehran time."""
    return format_date(today_jalali(dt))


def jalali_datetime_of(dt: _dt.datetime) -> str:
    """Jalali "YYYY/MM/DD HH:MM" of an instant, in Tehran time."""
    local = _tehran(dt)
    return f"{format_date(jdatetime.date.fromgregorian(date=local.date()))} {local:%H:%M}"


def parse_dbf_date(raw) -> jdatetime.date | None:
    """Dates from employers' ListDisk files: "14030530", "030530", "03/05/30", "1403/05/30".

    Two-digit years are 13yy when >= 50, else 14yy. "0", "" and all-zero
    values mean "no date" (e.g. no leaving date) and give None.
    """
    s = _clean(raw)
    if s == "" or set(s) == {"0"}:
        return None
    m = _DATE_SEP_RE.fullmatch(s) or _DATE_COMPACT_RE.fullmatch(s)
    if m:
        return _make_date(*(int(g) for g in m.groups()))
    m = _DBF_SHORT_SEP_RE.fullmatch(s) or re.fullmatch(r"([0-9]{2})([0-9]{2})([0-9]{2})", s)
    if m:
        yy, mm, dd = (int(g) for g in m.groups())
        return _make_date(yy + (1300 if yy >= 50 else 1400), mm, dd)
    raise InvalidValue(f"Unrecognised date {raw!s} in employer list.", code="invalid_jalali_date")
