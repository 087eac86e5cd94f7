from __future__ import annotations

import dataclasses

from chalicelib.domain.clock import epoch_of
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.counters import IdempotentAnswer
from chalicelib.domain.model.requests import (DocumentStatus, IssuedDocument, MailboxState, MailboxStatus,
                                              PublishedDocument, RequestStatus, Statement, StatementRequest)
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import Requests, StaleRequest
from chalicelib.storage.memory.state import MemoryState, copied

FIRST_TRACKING_NO = 1_000_000_000


class MemoryRequests(Requests):
    def __init__(self, state: MemoryState):
        self.state = state

    def next_tracking_no(self) -> str:
        with self.state.lock:
            self.state.tracking_counter += 1
            return str(FIRST_TRACKING_NO + self.state.tracking_counter)

    def add(self, request: StatementRequest, statement: Statement, entry: ActivityEntry,
            answer: IdempotentAnswer | None = None) -> None:
        with self.state.lock:
            key = (request.national_code, request.tracking_no)
            if key in self.state.requests:
                raise StaleRequest()
            if answer is not None:
                claim = self.state.idempotency.get((answer.owner, answer.key))
                if claim is None or claim.fingerprint != answer.fingerprint or claim.response is not None:
                    raise StaleRequest()
                self.state.idempotency[(answer.owner, answer.key)] = dataclasses.replace(
                    claim, response=copied(answer.response), mine=False)
            self.state.requests[key] = copied(dataclasses.replace(request, permits=[]))
            self.state.statements[key] = statement
            add_task(self.state, FollowUpTask(TaskKind.RENDER, *key, request.created_at))
            append(self.state, entry)

    def get(self, national_code: str, tracking_no: str) -> StatementRequest | None:
        with self.state.lock:
            return self._with_permits(self.state.requests.get((national_code, tracking_no)))

    def _with_permits(self, stored: StatementRequest | None) -> StatementRequest | None:
        if stored is None:
            return None
        permits = [copied(p) for (nc, no, _), p in sorted(self.state.permits.items())
                   if (nc, no) == (stored.national_code, stored.tracking_no)]
        return dataclasses.replace(copied(stored), permits=permits)

    def inbox(self, national_code: str, after: str | None, limit: int) -> tuple[list[StatementRequest], str | None]:
        with self.state.lock:
            mine = sorted((r for (nc, _), r in self.state.requests.items() if nc == national_code and r.is_live),
                          key=lambda r: r.tracking_no, reverse=True)
            if after:
                mine = [r for r in mine if r.tracking_no < after]
            page = [self._with_permits(r) for r in mine[:limit]]
            return page, (page[-1].tracking_no if len(mine) > limit else None)

    def statement(self, national_code: str, tracking_no: str) -> Statement | None:
        with self.state.lock:
            return self.state.statements.get((national_code, tracking_no))

    def _change(self, request: StatementRequest, allowed: tuple, **changes) -> StatementRequest:
        """The request as stored, changed, if it is still the version read and in an allowed status."""
        key = (request.national_code, request.tracking_no)
        stored = self.state.requests.get(key)
        if stored is None or stored.version != request.version or stored.status not in allowed:
            raise StaleRequest()
        changed = dataclasses.replace(stored, version=stored.version + 1, **changes)
        self.state.requests[key] = changed
        return changed

    def publish(self, request: StatementRequest, document: IssuedDocument, published: PublishedDocument,
                entry: ActivityEntry) -> None:
        with self.state.lock:
            if published.document_id in self.state.documents:
                raise StaleRequest()
            self._change(request, (RequestStatus.PENDING,), status=RequestStatus.READY, document=document)
            self.state.documents[published.document_id] = copied(published)
            append(self.state, entry)

    def mark_failed(self, request: StatementRequest, why: str, entry: ActivityEntry) -> None:
        with self.state.lock:
            self._change(request, (RequestStatus.PENDING,), status=RequestStatus.FAILED, failure=why)
            append(self.state, entry)

    def delete(self, request: StatementRequest, at: str, keep_until: int, entry: ActivityEntry) -> None:
        from chalicelib.domain.model.requests import LIVE_STATUSES

        with self.state.lock:
            key = (request.national_code, request.tracking_no)
            opened = [p for p in request.permits if p.is_live(epoch_of(at))]
            for p in opened:
                stored = self.state.permits.get((*key, p.permit_id))
                if stored is None or stored.revoked_at:
                    raise StaleRequest()
            self._change(request, LIVE_STATUSES, status=RequestStatus.DELETED, deleted_at=at, expires_at=keep_until)
            self.state.statements.pop(key, None)
            for p in opened:
                revoke_permit(self.state, p, at)
            self._retire_document(request, DocumentStatus.WITHDRAWN, at)
            append(self.state, entry)

    def expire(self, request: StatementRequest, at: str, keep_until: int) -> None:
        from chalicelib.domain.model.requests import LIVE_STATUSES

        with self.state.lock:
            self._change(request, LIVE_STATUSES, status=RequestStatus.EXPIRED, expired_at=at, expires_at=keep_until)
            self.state.statements.pop((request.national_code, request.tracking_no), None)
            self._retire_document(request, DocumentStatus.EXPIRED, at)

    def _retire_document(self, request: StatementRequest, status: DocumentStatus, at: str) -> None:
        if request.document is not None and request.document.document_id in self.state.documents:
            document = self.state.documents[request.document.document_id]
            document.status, document.status_changed_at = status, at
        if request.may_hold_a_pdf:
            add_task(self.state, FollowUpTask(TaskKind.REMOVE_PDF, request.national_code, request.tracking_no,
                                              epoch_of(at)))

    def mark_pdf_removed(self, request: StatementRequest, at: str) -> None:
        with self.state.lock:
            stored = self.state.requests.get((request.national_code, request.tracking_no))
            if stored:
                stored.pdf_removed_at = at

    def queue_mailbox(self, request: StatementRequest, at: str) -> bool:
        with self.state.lock:
            stored = self.state.requests.get((request.national_code, request.tracking_no))
            if stored is None or stored.mailbox.status in (MailboxStatus.QUEUED, MailboxStatus.RETRYING,
                                                           MailboxStatus.DELIVERED):
                return False
            if not self._set_mailbox(request, MailboxState(MailboxStatus.QUEUED, requested_at=at), None):
                return False
            add_task(self.state, FollowUpTask(TaskKind.MAILBOX, request.national_code, request.tracking_no,
                                              epoch_of(at)))
            return True

    def record_mailbox(self, request: StatementRequest, state: MailboxState,
                       entry: ActivityEntry | None = None) -> None:
        self._set_mailbox(request, state, entry)

    def _set_mailbox(self, request: StatementRequest, mailbox: MailboxState, entry: ActivityEntry | None) -> bool:
        with self.state.lock:
            stored = self.state.requests.get((request.national_code, request.tracking_no))
            if stored is None or stored.status is not RequestStatus.READY:
                return False
            stored.mailbox = copied(mailbox)
            if entry:
                append(self.state, entry)
            return True

    def mark_outdated(self, request: StatementRequest, at: str, entry: ActivityEntry) -> bool:
        with self.state.lock:
            stored = self.state.requests.get((request.national_code, request.tracking_no))
            if stored is None or not stored.is_live or stored.outdated_since or stored.version != request.version:
                return False
            self.state.requests[(request.national_code, request.tracking_no)] = dataclasses.replace(
                stored, outdated_since=at, version=stored.version + 1)
            for permit in request.permits:
                grant = self.state.grants.get(permit.grant_key)
                if grant is not None and permit.is_live(epoch_of(at)):
                    self.state.grants[permit.grant_key] = dataclasses.replace(grant, outdated_since=at)
            append(self.state, entry)
            return True

    def published(self, document_id: str) -> PublishedDocument | None:
        with self.state.lock:
            return copied(self.state.documents.get(document_id))

    def set_document_status(self, document_id: str, status: DocumentStatus, at: str) -> None:
        with self.state.lock:
            document = self.state.documents.get(document_id)
            if document:
                document.status, document.status_changed_at = status, at


def add_task(state: MemoryState, task: FollowUpTask) -> None:
    state.tasks[(task.kind, task.national_code, task.tracking_no)] = task


def append(state: MemoryState, entry: ActivityEntry) -> None:
    state.timeline.setdefault(entry.national_code, {})[entry.entry_id] = entry


def revoke_permit(state: MemoryState, permit, at: str) -> None:
    key = (permit.national_code, permit.tracking_no, permit.permit_id)
    state.grants.pop(permit.grant_key, None)
    before = state.permits[key]
    after = dataclasses.replace(before, revoked_at=at)
    state.permits[key] = after
    state.changes.append((copied(before), copied(after)))
