"""The person's contribution records, as the contract shows them."""
from __future__ import annotations


def test_history_rows_and_totals_of_the_demo_person(api, demo):
    from chalicelib.domain.jalali import month_length
    from devstack.seed import demo_contributions

    api.login_demo()
    answer = api.get("/v1/me/records")
    assert answer.status_code == 200
    data = answer.data
    workshops = {row["workshop_code"] for row in data["rows"]}
    assert workshops == {"1000200030", "2000300040", "3000400050"}
    row_1403 = next(r for r in data["rows"] if r["year"] == 1403 and r["workshop_code"] == "2000300040")
    assert row_1403["months"][11] == 30  # Esfand of leap year 1403
    row_1399_c = next(r for r in data["rows"] if r["year"] == 1399 and r["workshop_code"] == "3000400050")
    assert row_1399_c["months"][4] == 12

    # Expected totals computed independently from the seed: capped per month, gap month 1395/07 empty.
    months = {}
    for c in demo_contributions():
        months[(c.year, c.month)] = months.get((c.year, c.month), 0) + c.days
    expected = sum(min(days, month_length(y, m)) for (y, m), days in months.items())
    totals = data["totals"]
    assert totals["days"] == expected
    assert totals["overlap_days"] == 36  # three months of 12 part-time days beside a full month
    assert totals["years"] == expected // 365
    assert totals["months"] == (expected % 365) // 30
    assert totals["days_remainder"] == (expected % 365) % 30
    assert totals["years"] >= 15


def test_wages_per_month_of_a_year(api, demo):
    api.login_demo()
    answer = api.get("/v1/me/records/wages?year=۱۳۹۹")
    assert answer.status_code == 200
    months = answer.data["months"]
    assert [m["month"] for m in months] == list(range(1, 13))
    mordad = months[4]
    assert mordad["month_jalali"] == "1399/05"
    assert {w["workshop_code"] for w in mordad["workshops"]} == {"2000300040", "3000400050"}
    assert mordad["credited_days"] == 31
    assert mordad["wage"] == sum(w["wage"] for w in mordad["workshops"])


def test_a_person_sees_only_their_own_records(api, demo, services):
    from devstack.seed import seed_registry_person
    from chalicelib.domain.service_days import Contribution

    seed_registry_person(services, "0013542419", "1370/01/15", "رضا", "کریمی",
                         [Contribution(1400, 1, "9999999999", "Other", 31, 1, 1)])
    api.login_demo()
    codes = {r["workshop_code"] for r in api.get("/v1/me/records").data["rows"]}
    assert "9999999999" not in codes


def test_whole_history_read_costs_at_most_two_round_trips(api, demo, monkeypatch):
    """Count real DynamoDB calls made by botocore while serving one records read."""
    from chalicelib.storage.aws import client

    api.login_demo()
    calls = []
    dynamodb = client("dynamodb")
    dynamodb.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    assert api.get("/v1/me/records").status_code == 200
    assert len(calls) <= 2, calls
