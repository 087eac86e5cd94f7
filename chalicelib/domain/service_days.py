"""Counting insured service from monthly contributions.

A person can be reported by several workshops in the same month; the days
credited for a month are capped at the month's length so overlapping days are
never counted twice. Statements show both what was reported and what was
credited, and state the days → years/months rule they use, because the
conversion is a convention (365/30), not a calendar fact.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .errors import InvalidValue
from .jalali import format_month, month_length

TOTALS_RULE_EN = "1 year = 365 days, 1 month = 30 days"
TOTALS_RULE_FA = "هر سال ۳۶۵ روز و هر ماه ۳۰ روز محاسبه شده است."

EMPLOYEE_RATE_PCT = 7
EMPLOYER_RATE_PCT = 20
UNEMPLOYMENT_RATE_PCT = 3


@dataclass(frozen=True)
class Contribution:
    """One workshop's report for one person in one Jalali month (wages in Rials)."""

    year: int
    month: int
    workshop_code: str
    workshop_name: str
    days: int
    wage: int
    insurable_wage: int
    job: str = ""
    # Where the row came from ("list <list id>", "objection <tracking no>"): a corrected list removes only the rows
    # its predecessor wrote. Provenance, not content: two rows that say the same are equal.
    source: str = field(default="", compare=False)

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise InvalidValue(f"Contribution month must be 1..12, got {self.month}.", code="invalid_month")
        if self.year < 1:
            raise InvalidValue(f"Contribution year must be positive, got {self.year}.", code="invalid_year")
        if self.days < 0:
            raise InvalidValue("Contribution days cannot be negative.", code="invalid_days")


def _order(c: Contribution) -> tuple:
    # A total order, so views do not depend on the order storage returned the items in.
    return (c.year, c.month, c.workshop_code, c.workshop_name, c.job, c.days, c.wage, c.insurable_wage)


def _reported_by_month(contributions: Iterable[Contribution]) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = defaultdict(int)
    for c in contributions:
        out[(c.year, c.month)] += c.days
    return out


def credited_days(contributions: Iterable[Contribution]) -> dict[tuple[int, int], int]:
    """Days credited per (year, month): the reported sum capped at the month's length."""
    return {ym: min(days, month_length(*ym)) for ym, days in sorted(_reported_by_month(contributions).items())}


def total_days(contributions: Iterable[Contribution]) -> int:
    """Total credited days over all months."""
    return sum(credited_days(contributions).values())


def split_days(days: int) -> dict:
    """Days as years / months / days using TOTALS_RULE_EN (365-day years, 30-day months)."""
    days = int(days)
    rest = days % 365
    return {"days": days, "years": days // 365, "months": rest // 30, "days_remainder": rest % 30}


def history_view(contributions: Iterable[Contribution]) -> dict:
    """History per year and workshop (days in each month), per-year credited days and totals."""
    items = sorted(contributions, key=_order)
    rows: dict[tuple[int, str], dict] = {}
    for c in items:
        row = rows.get((c.year, c.workshop_code))
        if row is None:
            row = rows[(c.year, c.workshop_code)] = {
                "year": c.year, "workshop_code": c.workshop_code, "workshop_name": c.workshop_name,
                "months": [0] * 12, "days": 0,
            }
        if c.workshop_name:  # the latest non-empty name wins (names get corrected over time)
            row["workshop_name"] = c.workshop_name
        row["months"][c.month - 1] += c.days
        row["days"] += c.days

    credited = credited_days(items)
    per_year: dict[int, int] = defaultdict(int)
    for (year, _), days in credited.items():
        per_year[year] += days
    total = sum(credited.values())
    reported = sum(c.days for c in items)
    totals = split_days(total)
    totals.update(reported_days=reported, overlap_days=reported - total)
    return {
        "rows": [rows[k] for k in sorted(rows)],
        "years": [{"year": y, "credited_days": d} for y, d in sorted(per_year.items())],
        "totals": totals,
        "rule": TOTALS_RULE_EN,
    }


def wages_view(contributions: Iterable[Contribution], year: int | None = None) -> dict:
    """Wages per month (optionally one year): each workshop's report plus monthly sums."""
    items = [c for c in contributions if year is None or c.year == year]
    by_month: dict[tuple[int, int], list[Contribution]] = defaultdict(list)
    for c in items:
        by_month[(c.year, c.month)].append(c)
    credited = credited_days(items)
    months = []
    for (y, m) in sorted(by_month):
        group = sorted(by_month[(y, m)], key=_order)
        months.append({
            "year": y, "month": m, "month_jalali": format_month(y, m),
            "credited_days": credited[(y, m)],
            "workshops": [{"workshop_code": c.workshop_code, "workshop_name": c.workshop_name, "days": c.days,
                           "wage": c.wage, "insurable_wage": c.insurable_wage, "job": c.job} for c in group],
            "wage": sum(c.wage for c in group),
            "insurable_wage": sum(c.insurable_wage for c in group),
        })
    return {
        "year": year,
        "months": months,
        "totals": {
            "wage": sum(x["wage"] for x in months),
            "insurable_wage": sum(x["insurable_wage"] for x in months),
            "credited_days": sum(x["credited_days"] for x in months),
        },
    }


def _pct_half_up(amount: int, pct: int) -> int:
    # Integer arithmetic: floats would misround values like 7% of 50 Rials.
    return (amount * pct * 2 + 100) // 200


def contribution_shares(insurable_wage: int) -> dict:
    """Employee 7%, employer 20%, unemployment 3% of the insurable wage, each rounded half up.

    The total is the sum of the rounded shares (so the parts always add up to
    it, as in the employer's list header) and equals 30% within 1 Rial.
    """
    if isinstance(insurable_wage, bool) or not isinstance(insurable_wage, int) or insurable_wage < 0:
        raise InvalidValue("Insurable wage must be a non-negative integer number of Rials.",
                           code="invalid_wage")
    employee = _pct_half_up(insurable_wage, EMPLOYEE_RATE_PCT)
    employer = _pct_half_up(insurable_wage, EMPLOYER_RATE_PCT)
    unemployment = _pct_half_up(insurable_wage, UNEMPLOYMENT_RATE_PCT)
    return {
        "insurable_wage": insurable_wage,
        "employee": employee,
        "employer": employer,
        "unemployment": unemployment,
        "total": employee + employer + unemployment,
    }
