"""Doing the follow-up tasks that changes leave (chalicelib/domain/model/tasks.py): queue a PDF's drawing or an
e-mailbox delivery, remove a deleted or expired request's PDF. Each one may be done twice (the stream and the
cleanup can both reach it, a batch can be retried): queueing twice is harmless because the workers skip what is
done already, and removing a removed object changes nothing. A task is deleted only once it is done."""
from __future__ import annotations

from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import DocumentFiles, Requests, Tasks, WorkQueue


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
        self.tasks.done(task)
        return task.kind.value

    def _remove_pdf(self, task: FollowUpTask) -> None:
        request = self.requests.get(task.national_code, task.tracking_no)
        if request is None or request.is_live or not request.may_hold_a_pdf:
            return
        self.files.delete(self.files.key_for(request.national_code, request.tracking_no, request.document_id))
        self.requests.mark_pdf_removed(request, iso(self.clock.epoch()))

    def sweep(self, since: int, until: int) -> int:
        """What the follow-up could not do (its retries ran out, or it was down): done now."""
        left = self.tasks.due(since, until)
        for task in left:
            self.perform(task)
        return len(left)
