"""RecordsService: the person's contribution records, as history rows with totals and as monthly wages."""
from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.jalali import month_length
from chalicelib.domain.service_days import Contribution
from devstack.seed import NEWCOMER, demo_contributions

from .helpers import NC


def test_history_has_a_row_per_year_and_workshop_and_credits_each_month_at_most_once(demo):
    history = demo.records.history(NC)
    assert history["national_code"] == NC
    assert {row["workshop_code"] for row in history["rows"]} == {"1000200030", "2000300040", "3000400050"}
    esfand_1403 = next(r for r in history["rows"] if r["year"] == 1403 and r["workshop_code"] == "2000300040")
    assert esfand_1403["months"][11] == 30  # the 30-day Esfand of leap year 1403

    # Expected totals worked out from the seed itself: overlapping months capped, the gap month 1395/07 empty.
    reported: dict = {}
    for c in demo_contributions():
        reported[(c.year, c.month)] = reported.get((c.year, c.month), 0) + c.days
    expected = sum(min(days, month_length(y, m)) for (y, m), days in reported.items())
    totals = history["totals"]
    assert totals["days"] == expected and totals["overlap_days"] == 36
    assert (totals["years"], totals["months"], totals["days_remainder"]) == (
        expected // 365, expected % 365 // 30, expected % 365 % 30)


def test_wages_of_one_year_month_by_month(demo):
    wages = demo.records.wages(NC, 1399)
    assert [m["month"] for m in wages["months"]] == list(range(1, 13))
    mordad = wages["months"][4]
    assert mordad["month_jalali"] == "1399/05" and mordad["credited_days"] == 31
    assert {w["workshop_code"] for w in mordad["workshops"]} == {"2000300040", "3000400050"}
    assert mordad["wage"] == sum(w["wage"] for w in mordad["workshops"])
    assert wages["totals"]["wage"] == sum(m["wage"] for m in wages["months"])
    every_year = demo.records.wages(NC, None)
    assert {m["year"] for m in every_year["months"]} == set(range(1388, 1406))


@pytest.mark.parametrize("year", [1299, 1501, 2024])
def test_a_year_that_is_not_a_jalali_year_is_refused(demo, year):
    with pytest.raises(InvalidValue) as refused:
        demo.records.wages(NC, year)
    assert refused.value.code == "invalid_year"


def test_a_person_sees_only_their_own_records(demo):
    demo.adapters.registry.add_contributions(NEWCOMER["national_code"],
                                             [Contribution(1400, 1, "9999999999", "Other", 31, 1, 1)])
    assert "9999999999" not in {r["workshop_code"] for r in demo.records.history(NC)["rows"]}
    assert "9999999999" in {r["workshop_code"] for r in demo.records.history(NEWCOMER["national_code"])["rows"]}
    empty = demo.records.history("0067749828")
    assert empty["rows"] == [] and empty["totals"]["days"] == 0
