"""An entry of the person's timeline ("My Social Security")."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActivityEntry:
    national_code: str
    kind: str
    at: str  # ISO time with milliseconds
    details: dict = field(default_factory=dict)
    nonce: str = ""  # two entries in the same millisecond stay apart; a replayed event reuses its own

    @classmethod
    def new(cls, national_code: str, kind: str, at: str, details: dict | None = None, nonce: str | None = None):
        return cls(national_code, kind, at, details or {}, nonce or secrets.token_hex(4))

    @property
    def entry_id(self) -> str:
        """Sorts as time: the timeline reads newest first by it, and a page continues after it."""
        return f"{self.at}#{self.nonce}"
