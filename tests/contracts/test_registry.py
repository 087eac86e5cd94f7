"""The registry: profiles and contributions, the whole career in one read, a month reported again by the same
workshop replacing the earlier row."""
from __future__ import annotations

from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.service_days import Contribution

from .builders import HOLDER, OTHER, contributions, profile


def key(c: Contribution) -> tuple:
    return c.year, c.month, c.workshop_code


def test_unknown_person(store):
    assert store.registry.profile(HOLDER) is None
    assert store.registry.career(HOLDER) == (None, [])


def test_profile_round_trip(store):
    store.registry.add_profile(profile())
    assert store.registry.profile(HOLDER) == profile()
    assert store.registry.profile(OTHER) is None


def test_a_sparse_profile_round_trips(store):
    store.registry.add_profile(InsuredProfile(OTHER))
    assert store.registry.profile(OTHER) == InsuredProfile(OTHER)


def test_career_is_the_profile_and_every_contribution_in_month_order(store):
    store.registry.add_profile(profile())
    rows = contributions()
    store.registry.add_contributions(HOLDER, list(reversed(rows)))
    got_profile, got_rows = store.registry.career(HOLDER)
    assert got_profile == profile()
    assert got_rows == sorted(rows, key=key)


def test_career_without_a_profile(store):
    store.registry.add_contributions(OTHER, contributions())
    assert store.registry.career(OTHER) == (None, sorted(contributions(), key=key))
    assert store.registry.profile(OTHER) is None


def test_a_month_reported_again_by_the_same_workshop_replaces_the_row(store):
    store.registry.add_contributions(HOLDER, contributions())
    corrected = Contribution(1401, 12, "1024367", "شرکت فولاد مبارکه", 30, 101_000_000, 101_000_000, "سرپرست")
    other_workshop = Contribution(1401, 12, "3310452", "کارگاه نساجی یزد", 10, 20_000_000, 20_000_000)
    store.registry.add_contributions(HOLDER, [corrected, other_workshop])
    _, rows = store.registry.career(HOLDER)
    assert len(rows) == 4
    assert [r for r in rows if (r.year, r.month) == (1401, 12)] == sorted([corrected, other_workshop], key=key)


def test_careers_are_kept_apart(store):
    store.registry.add_profile(profile(HOLDER))
    store.registry.add_contributions(HOLDER, contributions())
    store.registry.add_contributions(OTHER, contributions()[:1])
    assert store.registry.career(OTHER) == (None, contributions()[:1])
    assert len(store.registry.career(HOLDER)[1]) == 3


def test_a_long_career_is_read_whole(store):
    # More rows than one BatchWriteItem takes (25): three years of two workshops.
    rows = [Contribution(year, month, workshop, name, 15, 40_000_000 + month, 40_000_000, "کارگر")
            for year in (1399, 1400, 1401) for month in range(1, 13)
            for workshop, name in (("1024367", "شرکت فولاد مبارکه"), ("2051198", "بانک ملت"))]
    store.registry.add_contributions(HOLDER, rows)
    assert store.registry.career(HOLDER)[1] == sorted(rows, key=key)


def test_a_correction_in_the_same_report_replaces_the_row(store):
    first = Contribution(1402, 2, "2051198", "بانک ملت", 31, 120_000_000, 115_000_000, "کارشناس")
    corrected = Contribution(1402, 2, "2051198", "بانک ملت", 20, 80_000_000, 80_000_000, "کارشناس")
    store.registry.add_contributions(HOLDER, [first, *contributions()[:2], corrected])
    assert store.registry.career(HOLDER)[1] == sorted([*contributions()[:2], corrected], key=key)


def test_a_row_repeated_in_the_same_report_is_kept_once(store):
    rows = contributions()
    store.registry.add_contributions(HOLDER, [*rows, rows[0]])
    assert store.registry.career(HOLDER)[1] == sorted(rows, key=key)


# --- what an employer's list reads and writes -------------------------------------------------------------------
def _month():
    from chalicelib.domain.model.employer_lists import WorkshopMonth

    return WorkshopMonth("1234567890", 1403, 5)


def _row(days: int, source: str = "list L1") -> Contribution:
    return Contribution(1403, 5, "1234567890", "کارگاه", days, days * 100, days * 120, "کارگر", source=source)


def test_a_month_of_many_people_in_one_read(store):
    from chalicelib.domain.model.employer_lists import RegistryBatch

    store.registry.add_profile(profile())
    store.registry.write_batch(RegistryBatch(contributions=[(HOLDER, _row(31))]))
    found = store.registry.month_of([HOLDER, OTHER], _month())
    assert found[HOLDER] == (profile(), _row(31)) and found[HOLDER][1].source == "list L1"
    assert found[OTHER] == (None, None)


def test_a_batch_writes_rows_profiles_and_history_and_removes_what_it_names(store):
    from chalicelib.domain.model.employer_lists import RegistryBatch
    from chalicelib.domain.model.objections import RecordChange

    store.registry.write_batch(RegistryBatch(contributions=[(HOLDER, _row(31)), (OTHER, _row(20))]))
    change = RecordChange(HOLDER, 1403, 5, "1234567890", {"days": 31}, {"days": 10}, "employer",
                          "2026-11-26T03:00:00Z", "corrected list", "list L2")
    gone = RecordChange(OTHER, 1403, 5, "1234567890", {"days": 20}, None, "employer", "2026-11-26T03:00:00Z",
                        "not in the corrected list", "list L2")
    batch = RegistryBatch(contributions=[(HOLDER, _row(10, "list L2"))], removals=[(OTHER, _month())],
                          profiles=[InsuredProfile(OTHER, first_name="مریم")], changes=[change, gone])
    store.registry.write_batch(batch)
    store.registry.write_batch(batch)  # a retry writes the same items again

    assert [c.days for c in store.registry.career(HOLDER)[1]] == [10]
    assert store.registry.career(OTHER) == (InsuredProfile(OTHER, first_name="مریم"), [])
    assert store.registry.changes(HOLDER) == [change] and store.registry.changes(OTHER) == [gone]


def test_a_row_put_and_removed_in_one_batch_stays(store):
    from chalicelib.domain.model.employer_lists import RegistryBatch

    store.registry.write_batch(RegistryBatch(contributions=[(HOLDER, _row(5))], removals=[(HOLDER, _month())]))
    assert [c.days for c in store.registry.career(HOLDER)[1]] == [5]


def test_a_month_read_leaves_out_the_profiles_not_asked_for(store):
    from chalicelib.domain.model.employer_lists import RegistryBatch

    store.registry.add_profile(profile())
    store.registry.write_batch(RegistryBatch(contributions=[(HOLDER, _row(31))]))
    assert store.registry.month_of([HOLDER], _month(), profiles_of=[]) == {HOLDER: (None, _row(31))}
    assert store.registry.month_of([HOLDER, OTHER], _month(), profiles_of=[HOLDER])[HOLDER] == (profile(), _row(31))
