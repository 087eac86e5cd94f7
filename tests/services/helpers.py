"""Small steps the service tests share: asking for a statement, playing the queues and the change stream."""
from __future__ import annotations

import datetime as dt
import json

from chalicelib.domain.clock import Clock
from devstack.seed import DEMO_MOBILE, DEMO_NATIONAL_CODE

# 1404/03/25, mid-morning UTC: far from a UTC midnight, so "a day later" is always the next UTC day.
START = dt.datetime(2025, 6, 15, 8, 30, tzinfo=dt.timezone.utc).timestamp()
DAY = 86_400
VERIFY_BASE = "https://inquiry.sabeghe.test"


class ControlledClock(Clock):
    """A Clock that stands still at START + offset_seconds: only the test moves time (by offset_seconds or
    advance()), so "now" is the same in the test and in the service it calls."""

    def __init__(self, start: float = START, offset_seconds: float = 0.0):
        super().__init__(offset_seconds)
        self.start = start

    def now(self) -> float:
        return self.start + self.offset_seconds

    def advance(self, seconds: float) -> None:
        self.offset_seconds += seconds


def fake_pdf(statement: dict, verify_url: str, language: str = "fa") -> bytes:
    """A stand-in for the fpdf2 renderer: a real one-page PDF (the worker signs it), small, and different for every
    statement."""
    return minimal_pdf(f"statement {statement['tracking_no']}")


def minimal_pdf(text: str) -> bytes:
    """The smallest PDF a reader (and pyHanko) accepts: one empty page, `text` in a comment of its content."""
    import hashlib

    content = f"% {text}\n".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream"]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    file_id = hashlib.md5(text.encode()).hexdigest().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id, file_id, xref)
    return out


NC = DEMO_NATIONAL_CODE
MOBILE = DEMO_MOBILE


def follow_tasks(services) -> list[str]:
    """Do the follow-up tasks changes have left (the table's stream hands each new task to the follow-up)."""
    return [services.tasks.perform(task) for task in list(services.memory_state.tasks.values())]


def render_all(services) -> list[str]:
    """Deliver every message waiting on the render queue to the PDF worker, as the SQS event source would."""
    follow_tasks(services)
    return [services.rendering.render(m["national_code"], m["tracking_no"])
            for m in services.adapters.render_queue.take_all()]


def ask(services, kind: str = "combined", national_code: str = NC) -> str:
    """A pending statement request; returns its tracking number."""
    return services.statements.request(national_code, kind, True)["tracking_no"]


def ready(services, kind: str = "combined", national_code: str = NC) -> str:
    """A statement request rendered to a ready PDF; returns its tracking number."""
    tracking_no = ask(services, kind, national_code)
    assert render_all(services) == ["ready"]
    return tracking_no


def inquire(services, passcode: str, identifier: str = NC, ip: str = "198.51.100.7",
            user_agent: str = "BankBot/1.0", desk_token: str | None = None) -> dict:
    answer = services.inquiry.inquire(identifier, passcode, ip, user_agent, VERIFY_BASE, desk_token)
    return {**answer, "statement": json.loads(answer["statement"])}


def stored(services, tracking_no: str, national_code: str = NC):
    """The request as stored (any status), with its permits."""
    return services.adapters.requests.get(national_code, tracking_no)


def timeline(services, national_code: str = NC, limit: int = 200) -> list:
    """The person's timeline entries, newest first."""
    return services.adapters.timeline.page(national_code, None, limit)[0]


def kinds(services, national_code: str = NC) -> list[str]:
    return [e.kind for e in timeline(services, national_code)]


class Stream:
    """The requests table's stream, played by hand: `play()` hands every change not handed yet to the follow_up
    service, in order, as the event source mapping would."""

    def __init__(self, services):
        self.services = services
        self.position = 0

    def play(self) -> list[str]:
        changes = self.services.memory_state.changes
        new, self.position = changes[self.position:], len(changes)
        return [self.services.follow_up.changed(before, after) for before, after in new]

    def replay_all(self) -> list[str]:
        """Hand every change again from the start (a retried batch, an at-least-once redelivery)."""
        return [self.services.follow_up.changed(before, after)
                for before, after in self.services.memory_state.changes]
