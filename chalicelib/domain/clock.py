"""Time, in one place, so tests can move it forward (an expired permit that TTL has not removed yet)."""
from __future__ import annotations

import datetime as dt
import time


class Clock:
    def __init__(self, offset_seconds: float = 0.0):
        self.offset_seconds = offset_seconds

    def now(self) -> float:
        return time.time() + self.offset_seconds

    def epoch(self) -> int:
        return int(self.now())

    def datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.now(), dt.timezone.utc)


def utc_day(epoch: float) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date()


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_precise(epoch: float) -> str:
    """Millisecond ISO time: sorts correctly as text, used in sort keys."""
    moment = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def epoch_of(iso_text: str) -> int:
    """The epoch second of an ISO time written by iso() or iso_precise()."""
    return int(dt.datetime.strptime(iso_text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp())
