"""The scheduled cleanup: expired permits and requests are marked and their PDFs removed; live ones are
never touched. It walks what falls due day by day from its last checkpoint, so it reads only what is due,
and every write is conditional, so running it twice (or twice at once) changes nothing more."""
from __future__ import annotations

import datetime as dt
import time

from chalicelib.domain.clock import Clock, iso, utc_day
from chalicelib.domain.model.requests import RequestStatus
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import Checkpoints, ExpiryIndex, Permits, Requests, StaleRequest
from chalicelib.domain.statement_kinds import TOMBSTONE_SECONDS
from chalicelib.logs import log
from chalicelib.services.timeline import entry

CHECKPOINT = "cleanup"
FIRST_LOOKBACK_DAYS = 3
OVERLAP_DAYS = 1  # re-read the day before the checkpoint: items can expire late in a day already visited
TASKS_CHECKPOINT = "cleanup-tasks"
TASKS_LOOKBACK = 2 * 86_400  # at most: follow-up tasks older than that are the alarms' (DLQ), and TTL's
TASKS_OVERLAP = 3600  # re-read the last hour already swept: a task is written with its change's time
TASKS_GRACE = 600  # younger tasks are the stream's: it does them within seconds


class CleanupService:
    def __init__(self, *, requests: Requests, permits: Permits, expiry: ExpiryIndex, checkpoints: Checkpoints,
                 tasks, clock: Clock):
        self.requests = requests
        self.permits = permits
        self.expiry = expiry
        self.checkpoints = checkpoints
        self.tasks = tasks  # services/tasks.py: the same hands as the follow-up's
        self.clock = clock

    def run(self, budget_seconds: float = float("inf")) -> dict:
        """Work through the days due; stop early when the time budget (below the Lambda's timeout) runs out,
        keeping the checkpoint at the last day finished so the next run carries on from there."""
        started = time.monotonic()
        now = self.clock.epoch()
        today = utc_day(now)
        checkpoint = self.checkpoints.get(CHECKPOINT)
        start = (dt.date.fromisoformat(checkpoint["day"]) - dt.timedelta(days=OVERLAP_DAYS) if checkpoint
                 else today - dt.timedelta(days=FIRST_LOOKBACK_DAYS))
        counts = {"permits_expired": 0, "requests_expired": 0, "pdfs_removed": 0, "days": 0, "complete": True,
                  "tasks_left_over": self._sweep_tasks(now)}
        day, finished = start, None
        while day <= today:
            if time.monotonic() - started > budget_seconds:
                counts["complete"] = False
                break
            for grant in self.expiry.grants_due(day.isoformat(), now):
                counts["permits_expired"] += self.permits.expire(grant, now, entry(
                    self.clock, grant.national_code, "permit_expired", tracking_no=grant.tracking_no,
                    permit_id=grant.permit_id))
            for national_code, tracking_no in self.expiry.requests_due(day.isoformat(), now):
                expired, removed = self._expire_request(national_code, tracking_no, now)
                counts["requests_expired"] += expired
                counts["pdfs_removed"] += removed
            counts["days"] += 1
            finished = day
            day += dt.timedelta(days=1)
        if finished is not None:
            self.checkpoints.put(CHECKPOINT, {"day": finished.isoformat(), "ran_at": iso(now)})
        log("cleanup", **counts)
        return counts

    def _sweep_tasks(self, now: int) -> int:
        """Follow-up tasks the stream did not finish, from just before the last sweep on."""
        swept = self.checkpoints.get(TASKS_CHECKPOINT)
        since = max(now - TASKS_LOOKBACK, swept["until"] - TASKS_OVERLAP) if swept else now - TASKS_LOOKBACK
        until = now - TASKS_GRACE
        done = self.tasks.sweep(since, until)
        self.checkpoints.put(TASKS_CHECKPOINT, {"until": until, "ran_at": iso(now)})
        return done

    def _expire_request(self, national_code: str, tracking_no: str, now: int) -> tuple[int, int]:
        request = self.requests.get(national_code, tracking_no)
        if not request or request.expires_at > now:
            return 0, 0
        expired = 0
        if request.is_live:
            try:
                self.requests.expire(request, iso(now), now + TOMBSTONE_SECONDS)
            except StaleRequest:
                return 0, 0  # a permit issued meanwhile extended it, or it was deleted: the next run decides
            expired = 1
        elif request.status not in (RequestStatus.DELETED, RequestStatus.EXPIRED):
            return 0, 0
        if not request.may_hold_a_pdf:
            return expired, 0
        # Nobody can reach the PDF any more: remove it now rather than wait for the stream.
        self.tasks.perform(FollowUpTask(TaskKind.REMOVE_PDF, national_code, tracking_no, now))
        return expired, 1
