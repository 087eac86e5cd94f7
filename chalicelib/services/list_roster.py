"""What each workshop's lists last said of each of its workers, as a fingerprint per national code: a cache that
lets a month's list skip reading and writing the profiles of people whose employer says the same as before (every
month after the first, nearly everyone). It is never the truth: a person it does not know, or knows differently,
has their profile read and merged as usual, so a lost or stale roster costs reads, never a wrong profile.

An SQLite file in the ingestion's private folder (stdlib, on disk: its memory is SQLite's bounded page cache, not a
Python structure that grows with the list), fetched from and stored to the lists bucket (`rosters/<workshop>.db`)."""
from __future__ import annotations

import hashlib
import os
import sqlite3


def fingerprint(said: dict) -> int:
    """A signed 64-bit digest of what a list says of a person (the profile's fields, in a fixed order)."""
    text = "\x1f".join(said.get(k, "") for k in ("first_name", "last_name", "father_name", "birth_date",
                                                  "insurance_no", "gender"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


class Roster:
    def __init__(self, path: str):
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        # A cache in a private folder, uploaded whole at the end: no journal, no fsync.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE IF NOT EXISTS said (national_code INTEGER PRIMARY KEY, fingerprint INTEGER)")

    @classmethod
    def opened(cls, path: str) -> "Roster":
        """The roster at `path`; an unreadable file (a torn upload, another format) starts an empty one."""
        try:
            roster = cls(path)
            roster.db.execute("SELECT count(*) FROM said").fetchone()
            return roster
        except sqlite3.DatabaseError:
            if os.path.exists(path):
                os.remove(path)
            return cls(path)

    def said(self, codes: list[str]) -> dict[str, int]:
        """The fingerprints it holds of these people."""
        if not codes:
            return {}
        found = self.db.execute(f"SELECT national_code, fingerprint FROM said WHERE national_code IN "
                                f"({','.join('?' * len(codes))})", [int(c) for c in codes]).fetchall()
        return {f"{code:010d}": fp for code, fp in found}

    def remember(self, entries: list[tuple[str, int]]) -> None:
        """Only once what they describe is written to the registry."""
        with self.db:  # one transaction a batch
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO said VALUES (?, ?)", [(int(c), fp) for c, fp in entries])

    def close(self) -> None:
        self.db.close()
