"""Sample statements for the PDF tests and bench, built by the service's own snapshot code so the renderer is
always exercised with the exact shape the service issues."""
from __future__ import annotations

from chalicelib.domain import snapshot
from chalicelib.domain.jalali import month_length
from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.service_days import Contribution

HOLDER = InsuredProfile("0499370899", first_name="مریم", last_name="رضایی", father_name="علی",
                        birth_date="1362/04/12", insurance_no="1234567890")
WORKSHOP_NAMES = ("شرکت نمونه", "کارخانه صنایع غذایی البرز", "فروشگاه زنجیره‌ای آفتاب", "شرکت ساختمانی پارس")


def uniform_career(years: int, workshops: int = 1, last_year: int = 1404) -> list[Contribution]:
    """Every month of `years` years; with workshops > 1, extra part-time workshops (10 days) every month."""
    out = []
    for year in range(last_year - years + 1, last_year + 1):
        daily = 4_000_000 + 350_000 * (year - 1380)
        for k in range(workshops):
            code = f"{1000000000 + 37 * (year // 5) + k:010d}"
            name = WORKSHOP_NAMES[(year // 5 + k) % len(WORKSHOP_NAMES)]
            for month in range(1, 13):
                days = month_length(year, month) if k == 0 else 10
                wage = daily * days
                out.append(Contribution(year, month, code, name, days, wage, min(wage, 450_000_000), "کارشناس"))
    return out


def sample_statement(kind: str, contributions: list[Contribution]) -> dict:
    return {**snapshot.build(kind, HOLDER, HOLDER.national_code, contributions), "tracking_no": "1000000042",
            "document_id": "Q7K2M9XD4PRT", "issued_at": "2026-11-25T08:30:00Z", "issued_at_jalali": "1405/09/04"}
