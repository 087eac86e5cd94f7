from __future__ import annotations

from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.model.employer_lists import RegistryBatch, WorkshopMonth
from chalicelib.domain.model.objections import RecordChange
from chalicelib.domain.ports import Registry
from chalicelib.domain.service_days import Contribution
from chalicelib.storage.memory.state import MemoryState


class MemoryRegistry(Registry):
    def __init__(self, state: MemoryState):
        self.state = state

    def profile(self, national_code: str) -> InsuredProfile | None:
        with self.state.lock:
            return self.state.profiles.get(national_code)

    def career(self, national_code: str) -> tuple[InsuredProfile | None, list[Contribution]]:
        with self.state.lock:
            rows = self.state.contributions.get(national_code, {})
            return self.state.profiles.get(national_code), [rows[k] for k in sorted(rows)]

    def add_profile(self, profile: InsuredProfile) -> None:
        with self.state.lock:
            self.state.profiles[profile.national_code] = profile

    def add_contributions(self, national_code: str, contributions: list[Contribution]) -> None:
        with self.state.lock:
            rows = self.state.contributions.setdefault(national_code, {})
            for c in contributions:
                rows[(c.year, c.month, c.workshop_code)] = c

    def changes(self, national_code: str) -> list[RecordChange]:
        with self.state.lock:
            return sorted((c for c in self.state.record_changes if c.national_code == national_code),
                          key=lambda c: (c.at, c.year, c.month, c.workshop_code))

    def month_of(self, people: list[str], month: WorkshopMonth, profiles_of: list[str] | None = None
                 ) -> dict[str, tuple[InsuredProfile | None, Contribution | None]]:
        key = (month.year, month.month, month.workshop_code)
        wanted = set(people if profiles_of is None else profiles_of)
        with self.state.lock:
            return {code: (self.state.profiles.get(code) if code in wanted else None,
                           self.state.contributions.get(code, {}).get(key)) for code in people}

    def write_batch(self, batch: RegistryBatch) -> None:
        with self.state.lock:
            for change in batch.changes:
                if change not in self.state.record_changes:
                    self.state.record_changes.append(change)
            written = set()
            for code, c in batch.contributions:
                self.state.contributions.setdefault(code, {})[(c.year, c.month, c.workshop_code)] = c
                written.add((code, c.year, c.month, c.workshop_code))
            for code, m in batch.removals:
                if (code, m.year, m.month, m.workshop_code) not in written:
                    self.state.contributions.get(code, {}).pop((m.year, m.month, m.workshop_code), None)
            for profile in batch.profiles:
                self.state.profiles[profile.national_code] = profile
