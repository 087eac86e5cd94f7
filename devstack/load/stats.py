"""One virtual user's samples (latencies, answers, waits), merged into the run's at the end."""
from __future__ import annotations

import collections


class Stats:
    """One user's samples; merged at the end."""

    def __init__(self):
        self.latency = collections.defaultdict(list)  # operation -> seconds
        self.statuses = collections.Counter()  # (operation, status) -> answers
        self.unexpected: list[dict] = []
        self.fault_answers = collections.Counter()  # (operation, status, code): shaped 5xx under faults
        self.waits = collections.Counter()  # (operation, code): 409 with Retry-After that the client waited out
        self.waited: list[float] = []  # the Retry-After of each
        self.ready_wait: list[float] = []  # seconds from the 201 to seeing `ready`
        self.findings: list[str] = []

    def merge(self, other: "Stats") -> None:
        for op, values in other.latency.items():
            self.latency[op] += values
        self.statuses.update(other.statuses)
        self.unexpected += other.unexpected
        self.fault_answers.update(other.fault_answers)
        self.waits.update(other.waits)
        self.waited += other.waited
        self.ready_wait += other.ready_wait
        self.findings += other.findings
