from __future__ import annotations


from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.objections import Objection, ObjectionStatus, RecordChange
from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import Objections
from chalicelib.domain.service_days import Contribution
from chalicelib.storage.memory.requests import add_task, append
from chalicelib.storage.memory.state import MemoryState, copied


class MemoryObjections(Objections):
    def __init__(self, state: MemoryState):
        self.state = state

    def add(self, objection: Objection, entry: ActivityEntry) -> None:
        with self.state.lock:
            if objection.tracking_no in self.state.objections:
                raise ValueError("tracking number taken")
            self.state.objections[objection.tracking_no] = copied(objection)
            append(self.state, entry)

    def get(self, tracking_no: str) -> Objection | None:
        with self.state.lock:
            return copied(self.state.objections.get(tracking_no))

    def of_person(self, national_code: str) -> list[Objection]:
        with self.state.lock:
            return [copied(o) for o in sorted(self.state.objections.values(), key=lambda o: o.tracking_no, reverse=True)
                    if o.national_code == national_code]

    def waiting(self, limit: int) -> list[Objection]:
        with self.state.lock:
            queued = sorted((o for o in self.state.objections.values() if o.status is ObjectionStatus.SUBMITTED),
                            key=lambda o: (o.submitted_at, o.tracking_no))
            return [copied(o) for o in queued[:limit]]

    def _decide(self, objection: Objection) -> bool:
        stored = self.state.objections.get(objection.tracking_no)
        if stored is None or stored.status is not ObjectionStatus.SUBMITTED:
            return False
        self.state.objections[objection.tracking_no] = copied(objection)
        return True

    def accept(self, objection: Objection, contributions: list[Contribution], changes: list[RecordChange],
               entry: ActivityEntry, outdates: FollowUpTask) -> bool:
        with self.state.lock:
            if not self._decide(objection):
                return False
            rows = self.state.contributions.setdefault(objection.national_code, {})
            for c in contributions:
                rows[(c.year, c.month, c.workshop_code)] = c
            self.state.record_changes.extend(changes)
            append(self.state, entry)
            add_task(self.state, outdates)
            return True

    def reject(self, objection: Objection, entry: ActivityEntry) -> bool:
        with self.state.lock:
            if not self._decide(objection):
                return False
            append(self.state, entry)
            return True



