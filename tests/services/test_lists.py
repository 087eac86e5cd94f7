"""Employers' lists into the registry, on the in-memory adapters: round trips from invented people, each refusal,
duplicates, corrections with history, the outdated statements they tell, replays and a crash half-way."""
from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidValue, NotFound, TooLarge
from chalicelib.domain.model.employer_lists import WorkshopMonth
from devstack.list_samples import invented_people, with_days, write_list

from .helpers import ready

WORKSHOP = "1234567890"


@pytest.fixture
def lists(services):
    return services.lists


def upload(services, data, name="list.zip", staff="clerk"):
    """What the staff page does: ask for a link, PUT the file; then the bucket's event."""
    started = services.lists.start(staff, [{"filename": name, "size": len(data)}])
    key = f"uploads/{started['list_id']}/{started['uploads'][0]['filename']}"
    services.adapters.list_files.add(key, data, at=services.clock.epoch())
    return started["list_id"], key


def ingest(services, data, name="list.zip"):
    list_id, key = upload(services, data, name)
    status = services.lists.ingest(key)
    return status, services.lists.report(list_id)


def test_a_list_becomes_records_and_people_the_fund_knows(services):
    people = invented_people(120, seed=1, year=1403, month=5)
    status, report = ingest(services, write_list(people, WORKSHOP, 1403, 5))

    assert status == report["status"] == "processed"
    assert (report["workshop"]["code"], report["period"]) == (WORKSHOP, "1403/05")
    assert len(report["accepted"]) == 120 and report["rejected"] == []
    assert report["totals"]["accepted"]["days"] == sum(p.days for p in people)
    assert report["changes"]["people_new"] == 120
    for p in people[:10]:
        profile, rows = services.adapters.registry.career(p.national_code)
        assert (profile.first_name, profile.last_name, profile.father_name) == (p.first_name, p.last_name,
                                                                                p.father_name)
        assert (profile.birth_date, profile.insurance_no) == (p.birth_date, p.insurance_no)
        assert [(r.year, r.month, r.workshop_code, r.days, r.wage, r.insurable_wage) for r in rows] == [
            (1403, 5, WORKSHOP, p.days, p.monthly_wage, p.insurable_total)]


@pytest.mark.parametrize("form,name", [("csv", "list.csv"), ("zip", "list.zip")])
@pytest.mark.parametrize("layout", ["older", "newer"])
def test_every_form_and_layout_reads_the_same(services, form, name, layout):
    people = invented_people(8, seed=2, year=1402, month=12)
    status, report = ingest(services, write_list(people, WORKSHOP, 1402, 12, layout=layout, form=form), name)
    assert status == "processed" and len(report["accepted"]) == 8
    assert report["layout"] == layout


def test_the_two_dbase_files_uploaded_apart_ingest_when_both_are_in(services):
    people = invented_people(5, seed=3, year=1403, month=2)
    files = write_list(people, WORKSHOP, 1403, 2, form="dbf")
    started = services.lists.start("clerk", [{"filename": n, "size": len(b)} for n, b in files.items()])
    store = services.adapters.list_files
    first = f"uploads/{started['list_id']}/DSKKAR00.DBF"
    store.add(first, files["DSKKAR00.DBF"])
    assert services.lists.ingest(first) == "received"  # DSKWOR00 is still on its way
    second = f"uploads/{started['list_id']}/DSKWOR00.DBF"
    store.add(second, files["DSKWOR00.DBF"])
    assert services.lists.ingest(second) == "processed"
    assert services.lists.ingest(first) == "processed"  # the first file's event again: nothing more
    assert len(services.lists.report(started["list_id"])["accepted"]) == 5


def test_rejected_rows_are_reported_with_reasons_and_the_rest_is_taken(services):
    people = invented_people(10, seed=4, year=1403, month=7)
    data = write_list(people, WORKSHOP, 1403, 7, breaks={2: "invalid_national_code", 5: "share_not_7_percent"})
    status, report = ingest(services, data)
    assert status == "processed"
    assert [(r["row"], r["reasons"]) for r in report["rejected"]] == [(3, ["invalid_national_code"]),
                                                                       (6, ["share_not_7_percent"])]
    assert "check digit" in report["rejected"][0]["messages"][0]
    assert services.adapters.registry.career(people[5].national_code) == (None, [])
    assert services.adapters.registry.career(people[0].national_code)[1]


@pytest.mark.parametrize("corrupt,code", [("truncated", "truncated"), ("truncated_zip", "truncated"),
                                          ("wrong_encoding", "wrong_encoding"), ("missing_wor", "missing_file"),
                                          ("not_a_zip", "not_a_list"), ("huge", "too_large")])
def test_a_broken_file_is_rejected_with_a_clear_report_and_nothing_taken(services, corrupt, code):
    people = invented_people(30, seed=5, year=1403, month=3)
    status, report = ingest(services, write_list(people, WORKSHOP, 1403, 3, corrupt=corrupt))
    assert status == report["status"] == "rejected"
    assert report["errors"][0]["code"] == code and report["errors"][0]["message"]
    assert all(services.adapters.registry.career(p.national_code) == (None, []) for p in people)


def test_header_sums_that_differ_from_the_rows_refuse_the_whole_list(services):
    people = invented_people(6, seed=6, year=1403, month=3)
    status, report = ingest(services, write_list(people, WORKSHOP, 1403, 3, header_overrides={"DSK_TDD": 1}))
    assert status == "rejected" and [e["code"] for e in report["errors"]] == ["header_sums_mismatch"]
    assert "DSK_TDD" in report["errors"][0]["message"]
    assert all(services.adapters.registry.career(p.national_code)[1] == [] for p in people)


def test_the_same_list_twice_is_a_duplicate_and_changes_nothing(services):
    data = write_list(invented_people(4, seed=7, year=1403, month=4), WORKSHOP, 1403, 4)
    assert ingest(services, data)[0] == "processed"
    before = dict(services.memory_state.contributions)
    status, report = ingest(services, data)
    assert status == "duplicate" and report["duplicate_of"]
    assert services.memory_state.contributions == before


def test_a_replayed_event_does_nothing_more(services):
    list_id, key = upload(services, write_list(invented_people(4, seed=8), WORKSHOP, 1403, 1))
    assert services.lists.ingest(key) == "processed"
    assert services.lists.ingest(key) == "processed"
    assert services.lists.report(list_id)["changes"]["rows_written"] == 4


def test_a_corrected_list_replaces_the_month_and_keeps_history(services, clock):
    people = invented_people(5, seed=9, year=1403, month=6)
    first_id = ingest(services, write_list(people, WORKSHOP, 1403, 6))[1]["list_id"]
    corrected = [with_days(people[0], 10)] + people[1:4]  # one short month, one person dropped
    clock.advance(3600)
    status, report = ingest(services, write_list(corrected, WORKSHOP, 1403, 6, list_no="2"))

    assert status == "processed" and report["replaces"] == first_id
    changes = report["changes"]
    assert (changes["rows_corrected"], changes["rows_removed"], changes["rows_unchanged"]) == (1, 1, 3)
    registry = services.adapters.registry
    assert [r.days for r in registry.career(people[0].national_code)[1]] == [10]
    assert registry.career(people[4].national_code)[1] == []  # not in the corrected list
    assert registry.career(people[4].national_code)[0] is not None  # still a person the fund knows
    change = registry.changes(people[0].national_code)[0]
    assert (change.before["days"], change.after["days"], change.source) == (people[0].days, 10,
                                                                            f"list {report['list_id']}")
    gone = registry.changes(people[4].national_code)[0]
    assert gone.after is None and gone.before["days"] == people[4].days


def test_a_correction_under_a_live_statement_marks_it_outdated(services, clock):
    person = invented_people(1, seed=10, year=1403, month=2)[0]
    ingest(services, write_list([person], WORKSHOP, 1403, 2))
    from chalicelib.domain.model.accounts import AccountStatus, Person

    # The person the list made known has an account and a statement covering that month.
    services.adapters.accounts.add_active(Person(person.national_code, "09121234567", person.birth_date, "x",
                                                 AccountStatus.ACTIVE))
    tracking_no = ready(services, national_code=person.national_code)
    clock.advance(3600)
    ingest(services, write_list([with_days(person, 3)], WORKSHOP, 1403, 2, list_no="2"))
    services.tasks.sweep(0, clock.epoch() + 1)

    request = services.adapters.requests.get(person.national_code, tracking_no)
    assert request.outdated_since


def test_a_list_that_stopped_half_way_is_finished_by_its_retry(services):
    people = invented_people(120, seed=11, year=1403, month=8)
    list_id, key = upload(services, write_list(people, WORKSHOP, 1403, 8))
    registry = services.adapters.registry
    real = registry.write_batch
    calls = []

    def dies_on_the_second_batch(batch):
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("the function was stopped")
        real(batch)

    registry.write_batch = dies_on_the_second_batch
    with pytest.raises(ConnectionError):
        services.lists.ingest(key)
    assert services.lists.report(list_id)["status"] == "processing"
    registry.write_batch = real

    assert services.lists.ingest(key) == "processed"  # Lambda's retry
    assert all(len(registry.career(p.national_code)[1]) == 1 for p in people)
    assert services.adapters.list_ledger.standing(WorkshopMonth(WORKSHOP, 1403, 8)) == list_id


def test_another_list_of_the_same_month_waits_while_one_is_written(services):
    from chalicelib.services.lists import ListBusy

    people = invented_people(3, seed=12, year=1403, month=9)
    ledger = services.adapters.list_ledger
    ledger.claim(WorkshopMonth(WORKSHOP, 1403, 9), "Lother", "sha", services.clock.epoch(), 1200)
    list_id, key = upload(services, write_list(people, WORKSHOP, 1403, 9))
    with pytest.raises(ListBusy):
        services.lists.ingest(key)
    assert services.lists.report(list_id)["status"] == "processing"


def test_upload_links_are_signed_for_the_type_and_size(services):
    started = services.lists.start("clerk", [{"filename": "Aban list.ZIP", "size": 1234}])
    assert started["content_type"] == "application/zip"
    assert services.adapters.list_files.upload_links[-1]["size"] == 1234
    assert services.lists.report(started["list_id"])["status"] == "received"
    with pytest.raises(InvalidValue):
        services.lists.start("clerk", [{"filename": "list.exe", "size": 10}])
    with pytest.raises(InvalidValue):
        services.lists.start("clerk", [{"filename": "DSKWOR00.DBF", "size": 10}])
    with pytest.raises(TooLarge):
        services.lists.start("clerk", [{"filename": "list.zip", "size": 51 * 2**20}])
    with pytest.raises(NotFound):
        services.lists.report("L20261126000000deadbeef")
    with pytest.raises(NotFound):
        services.lists.report("../../etc")


def counting_profile_reads(services) -> list:
    """The profiles each of the registry's month reads asked for."""
    registry, asked = services.adapters.registry, []
    real = registry.month_of

    def month_of(people, month, profiles_of=None):
        asked.append(list(people if profiles_of is None else profiles_of))
        return real(people, month, profiles_of)

    registry.month_of = month_of
    return asked


def test_a_later_month_reads_only_the_profiles_its_employer_now_says_differently(services):
    from dataclasses import replace

    people = invented_people(150, seed=13, year=1403, month=2, max_days=29)
    ingest(services, write_list(people, WORKSHOP, 1403, 1))
    asked = counting_profile_reads(services)
    renamed = replace(people[7], last_name="کاظمی")
    status, report = ingest(services, write_list(people[:7] + [renamed] + people[8:], WORKSHOP, 1403, 2))

    assert status == "processed" and report["changes"]["rows_written"] == 150
    assert [code for batch in asked for code in batch] == [people[7].national_code]
    assert services.adapters.registry.profile(people[7].national_code).last_name == "کاظمی"
    assert services.adapters.registry.profile(people[8].national_code).last_name == people[8].last_name


def test_without_its_roster_a_workshop_reads_every_profile_again_and_stays_right(services):
    people = invented_people(20, seed=14, year=1403, month=2, max_days=29)
    ingest(services, write_list(people, WORKSHOP, 1403, 1))
    files = services.adapters.list_files
    files.objects[f"rosters/{WORKSHOP}.db"] = (b"not a database", 0)  # a torn upload
    asked = counting_profile_reads(services)
    status, report = ingest(services, write_list(people, WORKSHOP, 1403, 2))
    assert status == "processed" and report["changes"]["people_new"] == 0
    assert sorted(code for batch in asked for code in batch) == sorted(p.national_code for p in people)
    del files.objects[f"rosters/{WORKSHOP}.db"]  # none at all
    asked.clear()
    assert ingest(services, write_list(people, WORKSHOP, 1403, 3))[0] == "processed"
    assert len([code for batch in asked for code in batch]) == 20


def test_a_single_dbase_file_copied_in_alone_is_rejected_with_its_reason(services):
    files = write_list(invented_people(3, seed=15, year=1403, month=4), WORKSHOP, 1403, 4, form="dbf")
    services.adapters.list_files.add("uploads/only-one/workers.dbf", files["DSKWOR00.DBF"])
    assert services.lists.ingest("uploads/only-one/workers.dbf") == "rejected"
    assert services.lists.report("only-one")["errors"][0]["code"] == "missing_file"
