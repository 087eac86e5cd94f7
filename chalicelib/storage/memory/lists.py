"""In-memory twins of the list ledger and the lists bucket."""
from __future__ import annotations

import json
import threading

from chalicelib.domain.model.employer_lists import Claim, MonthClaim, WorkshopMonth
from chalicelib.domain.ports import ListFiles, ListLedger


class MemoryListLedger(ListLedger):
    def __init__(self):
        self.lock = threading.RLock()
        self.months: dict[WorkshopMonth, dict] = {}

    def standing(self, month: WorkshopMonth) -> str | None:
        with self.lock:
            return self.months.get(month, {}).get("list_id")

    def claim(self, month: WorkshopMonth, list_id: str, sha256: str, now: int, stale_after: int) -> MonthClaim:
        with self.lock:
            state = self.months.setdefault(month, {})
            standing, claimant = state.get("list_id"), state.get("claimed_by")
            if standing == list_id:
                return MonthClaim(Claim.DONE, standing)
            if state.get("sha256") == sha256 and claimant in (None, list_id):
                return MonthClaim(Claim.DUPLICATE, standing)
            if claimant not in (None, list_id) and state.get("claimed_at", 0) > now - stale_after:
                return MonthClaim(Claim.BUSY, claimant)
            state.update(claimed_by=list_id, claimed_sha256=sha256, claimed_at=now)
            return MonthClaim(Claim.GO, standing)

    def commit(self, month: WorkshopMonth, list_id: str, sha256: str, now: int) -> None:
        with self.lock:
            state = self.months.setdefault(month, {})
            if list_id not in (state.get("claimed_by"), state.get("list_id")):
                raise RuntimeError(f"list {list_id} no longer holds the claim of {month.label}")
            for name in ("claimed_by", "claimed_sha256", "claimed_at"):
                state.pop(name, None)
            state.update(list_id=list_id, sha256=sha256, committed_at=now)


class MemoryListFiles(ListFiles):
    def __init__(self):
        self.objects: dict[str, tuple[bytes, int]] = {}  # key -> (bytes, last modified)
        self.upload_links: list[dict] = []

    def add(self, key: str, data: bytes, at: int = 0) -> None:
        """What a person's PUT to an upload link does."""
        self.objects[key] = (data, at)

    def upload_link(self, key: str, content_type: str, size: int | None) -> str:
        self.upload_links.append({"key": key, "content_type": content_type, "size": size})
        return f"https://lists.example/{key}?put"

    def present(self, keys: list[str]) -> list[tuple[str, int, int]]:
        return [(k, len(self.objects[k][0]), self.objects[k][1]) for k in keys if k in self.objects]

    def fetch(self, key: str, path: str) -> None:
        with open(path, "wb") as out:
            out.write(self.objects[key][0])

    def put_report(self, list_id: str, body: bytes | str) -> None:
        if isinstance(body, str):
            with open(body, "rb") as source:
                body = source.read()
        json.loads(body)  # a report is JSON, whatever wrote it
        self.objects[f"reports/{list_id}.json"] = (bytes(body), 0)

    def report(self, list_id: str) -> dict | None:
        found = self.objects.get(f"reports/{list_id}.json")
        return json.loads(found[0]) if found else None

    def fetch_roster(self, workshop_code: str, path: str) -> bool:
        found = self.objects.get(f"rosters/{workshop_code}.db")
        if found:
            with open(path, "wb") as out:
                out.write(found[0])
        return bool(found)

    def put_roster(self, workshop_code: str, path: str) -> None:
        with open(path, "rb") as source:
            self.objects[f"rosters/{workshop_code}.db"] = (source.read(), 0)


