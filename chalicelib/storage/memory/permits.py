from __future__ import annotations

import dataclasses

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.permits import Grant, Permit, View
from chalicelib.domain.model.requests import RequestStatus, StatementRequest
from chalicelib.domain.ports import Permits, StaleRequest
from chalicelib.storage.memory.requests import append, revoke_permit
from chalicelib.storage.memory.state import MemoryState, copied


class MemoryPermits(Permits):
    def __init__(self, state: MemoryState):
        self.state = state

    def issue(self, request: StatementRequest, permit: Permit, grant: Grant, keep_request_until: int,
              entry: ActivityEntry) -> None:
        with self.state.lock:
            key = (request.national_code, request.tracking_no)
            stored = self.state.requests.get(key)
            if stored is None or stored.status is not RequestStatus.READY or stored.version != request.version \
                    or grant.key in self.state.grants or (*key, permit.permit_id) in self.state.permits:
                raise StaleRequest()
            self.state.requests[key] = dataclasses.replace(stored, version=stored.version + 1,
                                                           expires_at=keep_request_until)
            self.state.grants[grant.key] = grant
            self.state.permits[(*key, permit.permit_id)] = copied(permit)
            self.state.changes.append((None, copied(permit)))
            append(self.state, entry)

    def revoke(self, permit: Permit, at: str, entry: ActivityEntry) -> bool:
        with self.state.lock:
            stored = self.state.permits.get((permit.national_code, permit.tracking_no, permit.permit_id))
            if stored is None or stored.revoked_at:
                return False
            revoke_permit(self.state, stored, at)
            append(self.state, entry)
            return True

    def record_view(self, grant: Grant, view: View, now: int) -> bool:
        with self.state.lock:
            key = (grant.national_code, grant.tracking_no, grant.permit_id)
            before = self.state.permits.get(key)
            if before is None or before.revoked_at or before.expired_at or before.expires_at <= now:
                return False
            if view.id and before.last_view is not None and before.last_view.id == view.id:
                return True  # this very view, recorded again
            at = view.at[:19] + "Z"
            after = dataclasses.replace(before, views=before.views + 1, first_viewed_at=before.first_viewed_at or at,
                                        last_viewed_at=at, last_view=view)
            self.state.permits[key] = after
            self.state.changes.append((copied(before), copied(after)))
            return True

    def expire(self, grant: Grant, now: int, entry: ActivityEntry) -> bool:
        with self.state.lock:
            if grant.expires_at > now:
                return False
            key = (grant.national_code, grant.tracking_no, grant.permit_id)
            before = self.state.permits.get(key)
            if before is not None and not before.expired_at and not before.revoked_at:
                after = dataclasses.replace(before, expired_at=entry.at[:19] + "Z")
                self.state.permits[key] = after
                self.state.changes.append((copied(before), copied(after)))
                append(self.state, entry)
            stored = self.state.grants.get(grant.key)
            if stored is None or stored.expires_at > now:
                return False
            del self.state.grants[grant.key]
            return True
