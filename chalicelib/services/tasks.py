"""Doing the follow-up tasks that changes leave (chalicelib/domain/model/tasks.py): queue a PDF's drawing or an
e-mailbox delivery, remove a deleted or expired request's PDF, mark the statements a correction made outdated. Each
one may be done twice (the stream and the cleanup can both reach it, a batch can be retried): queueing twice is
harmless because the workers skip what is done already, removing a removed object changes nothing and a statement
is marked outdated once. A task is deleted only once it is done."""
from __future__ import annotations

import datetime

from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.jalali import jalali_of
from chalicelib.domain.ports import DocumentFiles, Requests, Tasks, WorkQueue
from chalicelib.services.timeline import entry


class TaskService:
    def __init__(self, *, tasks: Tasks, requests: Requests, files: DocumentFiles, render_queue: WorkQueue,
                 mailbox_queue: WorkQueue, clock: Clock):
        self.tasks = tasks
        self.requests = requests
        self.files = files
        self.render_queue = render_queue
        self.mailbox_queue = mailbox_queue
        self.clock = clock

    def perform(self, task: FollowUpTask) -> str:
        job = {"national_code": task.national_code, "tracking_no": task.tracking_no}
        if task.kind is TaskKind.RENDER:
            self.render_queue.send(job)
        elif task.kind is TaskKind.MAILBOX:
            self.mailbox_queue.send(job)
        elif task.kind is TaskKind.REMOVE_PDF:
            self._remove_pdf(task)
        elif task.kind is TaskKind.OUTDATE:
            self._outdate(task)
        self.tasks.done(task)
        return task.kind.value

    def _remove_pdf(self, task: FollowUpTask) -> None:
        request = self.requests.get(task.national_code, task.tracking_no)
        if request is None or request.is_live or not request.may_hold_a_pdf:
            return
        self.files.delete(self.files.key_for(request.national_code, request.tracking_no, request.document_id))
        self.requests.mark_pdf_removed(request, iso(self.clock.epoch()))

    def _outdate(self, task: FollowUpTask) -> None:
        """Every live statement issued in or after the earliest month that changed is outdated now."""
        after = None
        while True:
            requests, after = self.requests.inbox(task.national_code, after, 100)
            for request in requests:
                self._outdate_one(request, task)
            if after is None:
                return

    def _outdate_one(self, request, task: FollowUpTask) -> None:
        for _ in range(5):  # a permit issued meanwhile moved the version on: read again and mark what is there now
            if request is None or not request.is_live or request.outdated_since:
                return  # gone, or marked already
            issued_month = jalali_of(datetime.datetime.fromisoformat(request.sent_at.replace("Z", "+00:00")))[:7]
            if issued_month < task.since_month:
                return  # issued before the months that changed: it is still true
            if self.requests.mark_outdated(request, iso(self.clock.epoch()), entry(
                    self.clock, task.national_code, "statement_outdated", tracking_no=request.tracking_no,
                    because=task.tracking_no, since_month=task.since_month)):
                return
            request = self.requests.get(request.national_code, request.tracking_no)
        raise RuntimeError(f"request {request.tracking_no} kept changing; the task is left for the next sweep")

    def sweep(self, since: int, until: int) -> int:
        """What the follow-up could not do (its retries ran out, or it was down): done now."""
        left = self.tasks.due(since, until)
        for task in left:
            self.perform(task)
        return len(left)
