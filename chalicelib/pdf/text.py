"""Persian text helpers for the statement PDF (no fpdf2 imports here).

Statement data carries ASCII digits; everything a person reads on the PDF is shown with Persian digits.
"""

from __future__ import annotations

import re

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Arabic thousands separator (U+066C); Vazirmatn draws it like a small comma.
THOUSANDS_SEPARATOR = "\u066c"

ORGANISATION = "سازمان تأمین اجتماعی"

NO_STAMP_SENTENCE = (
    "این گواهی به صورت الکترونیکی صادر شده و نیاز به مهر و امضا ندارد؛ "
    "اصالت آن را با اسکن کد QR یا مراجعه به نشانی زیر بررسی کنید."
)

DEFAULT_DAYS_PER_YEAR = 365
DEFAULT_DAYS_PER_MONTH = 30

_RULE_RE = re.compile(r"year\s*=\s*(\d+)\s*days?.*?month\s*=\s*(\d+)\s*days?", re.IGNORECASE | re.DOTALL)


def fa_digits(value: object) -> str:
    """Return str(value) with ASCII digits replaced by Persian digits (None gives "")."""
    if value is None:
        return ""
    return str(value).translate(_FA_DIGITS)


def fa_number(value: object, group: bool = True) -> str:
    """Integer in Persian digits, grouped by thousands with "٬" when group is true."""
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return fa_digits(value)
    text = f"{number:,}" if group else str(number)
    return fa_digits(text.replace(",", THOUSANDS_SEPARATOR))


def counting_rule(rule: object) -> tuple[int, int]:
    """Days per year and per month from the statement's rule text ("1 year = 365 days, 1 month = 30 days")."""
    if isinstance(rule, str):
        match = _RULE_RE.search(rule)
        if match:
            return int(match.group(1)), int(match.group(2))
    return DEFAULT_DAYS_PER_YEAR, DEFAULT_DAYS_PER_MONTH


def counting_rule_sentence(days_per_year: int, days_per_month: int) -> str:
    return (
        f"مبنای محاسبه: هر سال {fa_number(days_per_year, group=False)} روز "
        f"و هر ماه {fa_number(days_per_month, group=False)} روز در نظر گرفته شده است."
    )


def full_name(holder: dict) -> str:
    return " ".join(part for part in (holder.get("first_name"), holder.get("last_name")) if part)
