"""CleanupService: due permits and requests expire and their PDFs go; live ones stay; a second run changes
nothing; it keeps its place in a checkpoint and within its time budget."""
from __future__ import annotations

import copy
import datetime as dt
import types

import pytest

from chalicelib.domain.clock import utc_day
from chalicelib.domain.errors import NotFound
from chalicelib.domain.model.requests import DocumentStatus, RequestStatus
from chalicelib.domain.ports import ExpiryIndex
from chalicelib.services import cleanup as cleanup_module
from chalicelib.services.cleanup import CleanupService
from chalicelib.storage.memory.outside import MemoryFiles

from .helpers import DAY, NC, follow_tasks, inquire, kinds, ready, stored


@pytest.fixture
def two_permits(demo):
    """A ready statement with a day permit and a year permit."""
    tracking_no = ready(demo)
    return tracking_no, demo.permits.issue(NC, tracking_no, "day"), demo.permits.issue(NC, tracking_no, "year")


def everything(services):
    state = services.memory_state
    return copy.deepcopy((state.requests, state.permits, state.grants, state.statements, state.documents,
                          state.timeline, dict(services.adapters.files.objects)))


def test_due_permits_expire_and_live_ones_stay(demo, two_permits, clock):
    tracking_no, day, year = two_permits
    clock.advance(2 * DAY)
    counts = demo.cleanup.run()
    assert (counts["permits_expired"], counts["requests_expired"], counts["pdfs_removed"]) == (1, 0, 0)
    assert counts["complete"] is True

    statuses = {p["permit_id"]: p["status"] for p in demo.statements.item(NC, tracking_no)["permits"]}
    assert statuses == {day["permit_id"]: "expired", year["permit_id"]: "active"}
    request = stored(demo, tracking_no)
    assert request.permit(day["permit_id"]).grant_key not in demo.memory_state.grants
    assert request.permit(year["permit_id"]).grant_key in demo.memory_state.grants
    assert inquire(demo, year["passcode"])["tracking_no"] == tracking_no
    with pytest.raises(NotFound):
        inquire(demo, day["passcode"])
    assert request.document.s3_key in demo.adapters.files.objects
    assert demo.statements.document_url(NC, tracking_no)["sha256"] == request.document.sha256
    assert kinds(demo).count("permit_expired") == 1


def test_a_second_run_changes_nothing(demo, two_permits, clock):
    clock.advance(2 * DAY)
    demo.cleanup.run()
    before = everything(demo)
    counts = demo.cleanup.run()
    assert (counts["permits_expired"], counts["requests_expired"], counts["pdfs_removed"]) == (0, 0, 0)
    assert everything(demo) == before


def test_a_request_past_its_retention_expires_and_its_pdf_is_removed(demo, two_permits, clock):
    tracking_no, _day, _year = two_permits
    document = stored(demo, tracking_no).document
    clock.advance(2 * DAY)
    demo.cleanup.run()
    clock.advance(364 * DAY)  # past the year permit and the year of retention
    counts = demo.cleanup.run()
    assert (counts["permits_expired"], counts["requests_expired"], counts["pdfs_removed"]) == (1, 1, 1)

    request = stored(demo, tracking_no)
    assert request.status is RequestStatus.EXPIRED and request.pdf_removed_at
    assert document.s3_key not in demo.adapters.files.objects
    assert demo.adapters.requests.statement(NC, tracking_no) is None
    assert demo.statements.verify(document.document_id)["status"] == DocumentStatus.EXPIRED.value
    assert demo.statements.inbox(NC, None)["items"] == []
    with pytest.raises(NotFound):
        demo.statements.item(NC, tracking_no)

    before = everything(demo)
    again = demo.cleanup.run()
    assert (again["permits_expired"], again["requests_expired"], again["pdfs_removed"]) == (0, 0, 0)
    assert everything(demo) == before


def test_requests_inside_their_retention_are_not_touched(demo, clock):
    ready_one = ready(demo)
    pending = demo.statements.request(NC, "summary", True)["tracking_no"]  # never rendered
    clock.advance(364 * DAY)
    before = everything(demo)
    counts = demo.cleanup.run()
    assert (counts["permits_expired"], counts["requests_expired"], counts["pdfs_removed"]) == (0, 0, 0)
    assert everything(demo) == before
    assert {i["tracking_no"] for i in demo.statements.inbox(NC, None)["items"]} == {pending, ready_one}
    clock.advance(2 * DAY)
    assert demo.cleanup.run()["requests_expired"] == 2


def test_the_checkpoint_keeps_each_run_to_the_days_since_the_last(demo, clock):
    today = utc_day(clock.epoch())
    first = demo.cleanup.run()
    assert first["days"] == 4  # no checkpoint yet: three days back and today
    assert demo.adapters.checkpoints.get("cleanup")["day"] == today.isoformat()
    clock.advance(DAY)
    second = demo.cleanup.run()
    assert second["days"] == 3  # the day before the checkpoint, the checkpoint's day, and the new today
    assert demo.adapters.checkpoints.get("cleanup")["day"] == (today + dt.timedelta(days=1)).isoformat()


def test_a_run_without_time_left_does_nothing_and_keeps_no_checkpoint(demo, two_permits, clock):
    clock.advance(2 * DAY)
    stopped = demo.cleanup.run(budget_seconds=0)
    assert stopped["complete"] is False and stopped["days"] == 0 and stopped["permits_expired"] == 0
    assert demo.adapters.checkpoints.get("cleanup") is None  # nothing finished, nothing skipped
    finished = demo.cleanup.run()
    assert finished["complete"] is True and finished["permits_expired"] == 1


class SlowIndex(ExpiryIndex):
    """The expiry index, where reading one day's due permits takes a (simulated) second."""

    def __init__(self, inner: ExpiryIndex):
        self.inner = inner
        self.seconds = 0.0

    def grants_due(self, day, now):
        self.seconds += 1
        return self.inner.grants_due(day, now)

    def requests_due(self, day, now):
        return self.inner.requests_due(day, now)


def test_a_run_out_of_time_keeps_its_place_and_the_next_run_carries_on(demo, two_permits, clock, monkeypatch):
    tracking_no, day, _year = two_permits
    slow = SlowIndex(demo.adapters.expiry)
    monkeypatch.setattr(cleanup_module, "time", types.SimpleNamespace(monotonic=lambda: slow.seconds))
    a = demo.adapters
    cleanup = CleanupService(requests=a.requests, permits=a.permits, expiry=slow, checkpoints=a.checkpoints,
                             tasks=demo.tasks, clock=clock)
    clock.advance(2 * DAY)  # the day permit fell due yesterday
    today = utc_day(clock.epoch())

    stopped = cleanup.run(budget_seconds=1.5)
    assert stopped["complete"] is False and stopped["days"] == 2 and stopped["permits_expired"] == 0
    assert a.checkpoints.get("cleanup")["day"] == (today - dt.timedelta(days=2)).isoformat()  # the last day done

    finished = cleanup.run()
    assert finished["complete"] is True and finished["permits_expired"] == 1
    assert a.checkpoints.get("cleanup")["day"] == today.isoformat()
    assert stored(demo, tracking_no).permit(day["permit_id"]).expired_at


class S3Hiccup(MemoryFiles):
    """Private storage whose first delete fails (S3 answering 500 once)."""

    def __init__(self):
        super().__init__()
        self.failed = False

    def delete(self, key):
        if not self.failed:
            self.failed = True
            raise ConnectionError("S3 is briefly unavailable")
        super().delete(key)


@pytest.fixture
def deleted_while_s3_failed(build, seeded):
    services = seeded(build(files=S3Hiccup()))
    tracking_no = ready(services)
    document = stored(services, tracking_no).document
    services.statements.delete(NC, tracking_no)  # one step: the request, its grants, its document's status
    with pytest.raises(ConnectionError):
        follow_tasks(services)  # the follow-up's removal of the PDF meets S3 failing once
    assert stored(services, tracking_no).status is RequestStatus.DELETED  # the deletion itself stands
    assert document.s3_key in services.adapters.files.objects
    return services, tracking_no, document


def test_a_deleted_statement_never_verifies_as_valid_even_if_removing_its_pdf_failed(deleted_while_s3_failed,
                                                                                      clock):
    services, tracking_no, document = deleted_while_s3_failed
    assert services.statements.verify(document.document_id)["valid"] is False  # from the moment of the deletion
    clock.advance(3600)
    services.cleanup.run()
    assert document.s3_key not in services.adapters.files.objects
    assert services.statements.verify(document.document_id)["status"] == "withdrawn"


def test_the_next_cleanup_removes_the_pdf_a_failed_delete_left_behind(deleted_while_s3_failed, clock):
    services, tracking_no, document = deleted_while_s3_failed
    clock.advance(3600)
    counts = services.cleanup.run()
    assert counts["tasks_left_over"] == 1
    assert document.s3_key not in services.adapters.files.objects
    assert stored(services, tracking_no).pdf_removed_at
    assert services.cleanup.run()["tasks_left_over"] == 0  # done means done
