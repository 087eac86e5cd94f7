import dataclasses

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.jalali import month_length
from chalicelib.domain.service_days import (
    TOTALS_RULE_EN,
    TOTALS_RULE_FA,
    Contribution,
    contribution_shares,
    credited_days,
    history_view,
    split_days,
    total_days,
    wages_view,
)


def C(year, month, code, days, wage=0, insurable=None, name=None, job=""):
    return Contribution(year, month, code, name or f"W{code}", days, wage,
                        wage if insurable is None else insurable, job)


contributions = st.builds(
    Contribution,
    year=st.integers(1399, 1404),
    month=st.integers(1, 12),
    workshop_code=st.sampled_from(["1000000001", "1000000002", "2000000003"]),
    workshop_name=st.sampled_from(["A", "B", ""]),
    days=st.integers(0, 31),
    wage=st.integers(0, 10**9),
    insurable_wage=st.integers(0, 10**9),
)
contribution_lists = st.lists(contributions, max_size=40)


def test_overlap_in_farvardin_is_credited_once():
    items = [C(1402, 1, "1000000001", 31), C(1402, 1, "1000000002", 20)]
    assert credited_days(items) == {(1402, 1): 31}
    assert total_days(items) == 31


def test_esfand_caps_follow_leap_years():
    assert credited_days([C(1403, 12, "1", 30), C(1403, 12, "2", 30)]) == {(1403, 12): 30}
    assert credited_days([C(1402, 12, "1", 30)]) == {(1402, 12): 29}


def test_non_overlapping_months_add_up():
    items = [C(1402, 1, "1", 31), C(1402, 7, "1", 15), C(1402, 7, "2", 10)]
    assert credited_days(items) == {(1402, 1): 31, (1402, 7): 25}
    assert total_days(items) == 56


def test_empty():
    assert credited_days([]) == {} and total_days([]) == 0


@given(contribution_lists)
def test_month_cap_properties(items):
    credited = credited_days(items)
    for (year, month), days in credited.items():
        reported = sum(c.days for c in items if (c.year, c.month) == (year, month))
        assert 0 <= days <= month_length(year, month)
        assert days <= reported
        assert days == reported or days == month_length(year, month)
    assert set(credited) == {(c.year, c.month) for c in items}


@given(contribution_lists, st.randoms())
def test_total_is_order_independent(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert total_days(shuffled) == total_days(items)
    assert credited_days(shuffled) == credited_days(items)
    assert history_view(shuffled) == history_view(items)
    assert wages_view(shuffled) == wages_view(items)


@pytest.mark.parametrize("days,expected", [
    (0, (0, 0, 0)), (29, (0, 0, 29)), (30, (0, 1, 0)), (364, (0, 12, 4)), (365, (1, 0, 0)),
    (366, (1, 0, 1)), (1000, (2, 9, 0)), (10957, (30, 0, 7)),
])
def test_split_days(days, expected):
    out = split_days(days)
    assert (out["years"], out["months"], out["days_remainder"]) == expected
    assert out["days"] == days


@given(st.integers(0, 10**6))
def test_split_days_recombines(days):
    s = split_days(days)
    assert s["years"] * 365 + s["months"] * 30 + s["days_remainder"] == days
    assert 0 <= s["months"] <= 12 and 0 <= s["days_remainder"] < 30


def test_rules_are_stated():
    assert TOTALS_RULE_EN == "1 year = 365 days, 1 month = 30 days"
    assert "۳۶۵" in TOTALS_RULE_FA and "۳۰" in TOTALS_RULE_FA


def test_history_view():
    items = [
        C(1403, 1, "2000000003", 10, name="Beta"),
        C(1402, 1, "1000000001", 31, name="Alpha"),
        C(1402, 1, "2000000003", 20, name="Beta"),
        C(1402, 12, "1000000001", 29, name="Alpha Co"),
    ]
    view = history_view(items)
    assert [(r["year"], r["workshop_code"]) for r in view["rows"]] == [
        (1402, "1000000001"), (1402, "2000000003"), (1403, "2000000003")]
    alpha = view["rows"][0]
    assert alpha["months"] == [31] + [0] * 10 + [29]
    assert alpha["days"] == 60
    assert alpha["workshop_name"] == "Alpha Co"
    assert view["rows"][1]["months"][0] == 20
    assert view["years"] == [{"year": 1402, "credited_days": 60}, {"year": 1403, "credited_days": 10}]
    assert view["totals"] == {"days": 70, "years": 0, "months": 2, "days_remainder": 10,
                              "reported_days": 90, "overlap_days": 20}
    assert view["rule"] == TOTALS_RULE_EN


@given(contribution_lists)
def test_history_view_consistency(items):
    view = history_view(items)
    assert all(len(r["months"]) == 12 and r["days"] == sum(r["months"]) for r in view["rows"])
    assert sum(r["days"] for r in view["rows"]) == view["totals"]["reported_days"]
    assert sum(y["credited_days"] for y in view["years"]) == view["totals"]["days"] == total_days(items)
    assert view["totals"]["overlap_days"] >= 0


def test_wages_view():
    items = [
        C(1402, 2, "2000000003", 31, wage=500, insurable=400, job="welder"),
        C(1402, 2, "1000000001", 10, wage=100, insurable=100),
        C(1402, 1, "1000000001", 31, wage=300, insurable=250),
        C(1403, 1, "1000000001", 31, wage=999, insurable=999),
    ]
    view = wages_view(items, year=1402)
    assert view["year"] == 1402
    assert [m["month_jalali"] for m in view["months"]] == ["1402/01", "1402/02"]
    feb = view["months"][1]
    assert feb["credited_days"] == 31
    assert [w["workshop_code"] for w in feb["workshops"]] == ["1000000001", "2000000003"]
    assert feb["workshops"][1] == {"workshop_code": "2000000003", "workshop_name": "W2000000003", "days": 31,
                                   "wage": 500, "insurable_wage": 400, "job": "welder"}
    assert (feb["wage"], feb["insurable_wage"]) == (600, 500)
    assert view["totals"] == {"wage": 900, "insurable_wage": 750, "credited_days": 62}

    everything = wages_view(items)
    assert everything["year"] is None
    assert len(everything["months"]) == 3
    assert everything["totals"]["wage"] == 1899


def test_wages_view_only_months_with_contributions():
    assert wages_view([], 1402) == {"year": 1402, "months": [],
                                     "totals": {"wage": 0, "insurable_wage": 0, "credited_days": 0}}


def test_contribution_shares():
    assert contribution_shares(1_000_000) == {"insurable_wage": 1_000_000, "employee": 70_000,
                                              "employer": 200_000, "unemployment": 30_000, "total": 300_000}
    # 7% of 50 = 3.5 -> 4 (half up); 20% of 50 = 10; 3% of 50 = 1.5 -> 2
    assert contribution_shares(50) == {"insurable_wage": 50, "employee": 4, "employer": 10,
                                       "unemployment": 2, "total": 16}
    assert contribution_shares(0)["total"] == 0


@given(st.integers(0, 10**13))
def test_contribution_shares_properties(w):
    s = contribution_shares(w)
    for key, pct in (("employee", 7), ("employer", 20), ("unemployment", 3)):
        # within half a Rial of the exact share, rounding ties upward
        assert 2 * abs(s[key] * 100 - w * pct) <= 100
        assert not (2 * (w * pct - s[key] * 100) == 100)  # a tie never rounds down
    assert s["total"] == s["employee"] + s["employer"] + s["unemployment"]
    assert abs(s["total"] * 100 - w * 30) <= 150


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True, None])
def test_contribution_shares_rejects(bad):
    with pytest.raises(InvalidValue):
        contribution_shares(bad)


def test_contribution_is_frozen_and_validated():
    c = C(1402, 1, "1", 31)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.days = 5
    with pytest.raises(InvalidValue):
        C(1402, 13, "1", 1)
    with pytest.raises(InvalidValue):
        C(1402, 1, "1", -1)
