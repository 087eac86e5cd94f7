from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.ports import Timeline
from chalicelib.storage.memory.requests import append
from chalicelib.storage.memory.state import MemoryState


class MemoryTimeline(Timeline):
    def __init__(self, state: MemoryState):
        self.state = state

    def append(self, entry: ActivityEntry) -> None:
        with self.state.lock:
            append(self.state, entry)

    def page(self, national_code: str, after: str | None, limit: int) -> tuple[list[ActivityEntry], str | None]:
        with self.state.lock:
            entries = self.state.timeline.get(national_code, {})
            ids = sorted((i for i in entries if after is None or i < after), reverse=True)
            page = ids[:limit]
            return [entries[i] for i in page], (page[-1] if len(ids) > limit else None)
