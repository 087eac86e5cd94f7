"""PermitService: a passcode with a chosen validity, shown once, at most ten live at a time, revocable."""
from __future__ import annotations

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.statement_kinds import RETENTION_SECONDS, VALIDITY_SECONDS
from devstack.seed import NEWCOMER

from .helpers import DAY, NC, ask, inquire, kinds, ready, render_all, stored


def test_a_permit_without_a_chosen_validity_lasts_a_month(demo, clock):
    from chalicelib.http.schemas import PermitRequest

    tracking_no = ready(demo)
    default = PermitRequest.model_validate({}).validity  # what the route hands the service when none is chosen
    permit = demo.permits.issue(NC, tracking_no, default)
    assert permit["validity"] == "month"
    assert permit["expires_at"] == iso(clock.epoch() + 30 * DAY)


@pytest.mark.parametrize("validity,days", [("day", 1), ("week", 7), ("month", 30), ("year", 365)])
def test_each_validity_sets_when_the_passcode_stops_working(demo, clock, validity, days):
    tracking_no = ready(demo)
    issued_at = clock.epoch()
    permit = demo.permits.issue(NC, tracking_no, validity)
    assert permit["expires_at"] == iso(issued_at + days * DAY)
    assert demo.statements.item(NC, tracking_no)["inquirable_until"] == permit["expires_at"]
    clock.advance(days * DAY - 1)
    assert inquire(demo, permit["passcode"])["tracking_no"] == tracking_no
    clock.advance(1)
    with pytest.raises(NotFound):
        inquire(demo, permit["passcode"], ip="198.51.100.8")


def test_the_passcode_is_shown_once_and_never_stored(demo):
    tracking_no = ready(demo)
    permit = demo.permits.issue(NC, tracking_no, "week")
    groups = permit["passcode"].split("-")
    assert [len(g) for g in groups] == [5, 5, 5] and "".join(groups).isdigit()
    digits = "".join(groups)
    state = demo.memory_state
    everything = repr((state.requests, state.permits, state.grants, state.timeline))
    assert digits not in everything and permit["passcode"] not in everything
    assert digits not in repr(demo.statements.item(NC, tracking_no))
    assert kinds(demo).count("permit_issued") == 1


def test_a_statement_has_at_most_ten_live_permits(demo, clock):
    tracking_no = ready(demo)
    issued = [demo.permits.issue(NC, tracking_no, "day" if i == 0 else "year") for i in range(10)]
    with pytest.raises(Conflict) as capped:
        demo.permits.issue(NC, tracking_no, "year")
    assert capped.value.code == "too_many_permits"
    assert len(stored(demo, tracking_no).permits) == 10

    demo.permits.revoke(NC, tracking_no, issued[1]["permit_id"])  # a revoked permit frees a place
    demo.permits.issue(NC, tracking_no, "year")
    with pytest.raises(Conflict):
        demo.permits.issue(NC, tracking_no, "year")
    clock.advance(DAY)  # so does one that has expired, even before the cleanup has run
    demo.permits.issue(NC, tracking_no, "year")
    assert len(stored(demo, tracking_no).live_permits(clock.epoch())) == 10


def test_no_permit_for_a_pending_failed_deleted_or_someone_elses_statement(demo, build, seeded):
    pending = ask(demo)
    with pytest.raises(Conflict) as not_ready:
        demo.permits.issue(NC, pending, "month")
    assert not_ready.value.code == "statement_not_ready"

    render_all(demo)
    with pytest.raises(NotFound):
        demo.permits.issue(NEWCOMER["national_code"], pending, "month")
    demo.statements.delete(NC, pending)
    with pytest.raises(NotFound):
        demo.permits.issue(NC, pending, "month")
    with pytest.raises(NotFound):
        demo.permits.issue(NC, "9999999999", "month")
    assert demo.memory_state.grants == {} and demo.memory_state.permits == {}

    def broken(statement, verify_url, language="fa"):
        raise ValueError("font missing")

    failing = seeded(build(renderer=broken))
    failed = ask(failing)
    assert render_all(failing) == ["failed"]
    with pytest.raises(Conflict):
        failing.permits.issue(NC, failed, "month")


def test_revoking_stops_the_passcode_at_once_and_twice_is_the_same_as_once(demo, clock):
    tracking_no = ready(demo)
    keep = demo.permits.issue(NC, tracking_no, "year")
    drop = demo.permits.issue(NC, tracking_no, "year")
    clock.advance(1)
    demo.permits.revoke(NC, tracking_no, drop["permit_id"])
    clock.advance(1)
    demo.permits.revoke(NC, tracking_no, drop["permit_id"])  # no error, no second entry

    with pytest.raises(NotFound):
        inquire(demo, drop["passcode"])
    assert inquire(demo, keep["passcode"])["tracking_no"] == tracking_no
    statuses = {p["permit_id"]: p["status"] for p in demo.statements.item(NC, tracking_no)["permits"]}
    assert statuses == {keep["permit_id"]: "active", drop["permit_id"]: "revoked"}
    assert kinds(demo).count("permit_revoked") == 1
    with pytest.raises(NotFound):
        demo.permits.revoke(NC, tracking_no, "nosuch")
    with pytest.raises(NotFound):
        demo.permits.revoke(NEWCOMER["national_code"], tracking_no, keep["permit_id"])  # not theirs to revoke
    assert inquire(demo, keep["passcode"], ip="198.51.100.8")["tracking_no"] == tracking_no


def test_a_permit_that_outlives_the_request_extends_its_retention(demo, clock):
    tracking_no = ready(demo)
    created = stored(demo, tracking_no).created_at
    assert stored(demo, tracking_no).expires_at == created + RETENTION_SECONDS
    demo.permits.issue(NC, tracking_no, "month")  # ends well inside the year: retention unchanged
    assert stored(demo, tracking_no).expires_at == created + RETENTION_SECONDS

    clock.advance(300 * DAY)
    permit = demo.permits.issue(NC, tracking_no, "year")
    ends = clock.epoch() + VALIDITY_SECONDS["year"]
    assert stored(demo, tracking_no).expires_at == ends
    clock.advance(100 * DAY)  # past the year of retention, inside the permit
    assert demo.cleanup.run()["requests_expired"] == 0
    assert inquire(demo, permit["passcode"])["tracking_no"] == tracking_no
    assert demo.statements.item(NC, tracking_no)["status"] == "ready"
