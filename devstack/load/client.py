"""The HTTP client of one virtual user: keep-alive connections that leave from the user's own loopback address, and
every request sent as a careful client sends it (retried with the same Idempotency-Key while it gets no answer or
a 5xx, and after a 409's Retry-After), each attempt a sample and each answer checked against the contract."""
from __future__ import annotations

import dataclasses
import gzip
import http.client
import json
import time
from typing import TYPE_CHECKING

from devstack.load.people import PASSWORD, Person
from devstack.load.stats import Stats

if TYPE_CHECKING:
    from devstack.load.users import Run

MAX_ATTEMPTS = 8  # per request, while it gets no answer, a 5xx or a 409 with Retry-After


@dataclasses.dataclass
class Answer:
    status: int  # 0: no answer (connection error or timeout)
    data: object = None
    headers: dict = dataclasses.field(default_factory=dict)
    ok: bool = False
    attempts: int = 0
    failed_attempts: int = 0  # 5xx or no answer


def shaped(data) -> bool:
    error = data.get("error") if isinstance(data, dict) else None
    return isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


class Connection:
    """A keep-alive HTTP connection that leaves from the user's own loopback address."""

    def __init__(self, port: int, address: str, timeout: float):
        self.port, self.address, self.timeout = port, address, timeout
        self.conn = None

    def request(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, dict, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                                   source_address=(self.address, 0))
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, raw
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Client:
    """User `index`'s side of the wire: its client address (127.77.x.y; X-Forwarded-For 10.77.x.y on the API), a
    connection to the API and one to the inquiry function, and its samples in `stats`."""

    def __init__(self, run: Run, index: int, stats: Stats, timeout: float = 60):
        self.run = run
        self.index = index
        self.stats = stats
        self.timeout = timeout
        self.address = f"127.77.{index // 250}.{index % 250 + 2}"
        self.forwarded = f"10.77.{index // 250}.{index % 250 + 2}"
        self.api = Connection(run.stack.api_port, self.address, timeout)
        self.inquiry = Connection(run.stack.inquiry_port, self.address, timeout)

    def another_api_connection(self) -> Connection:
        """A second connection to the API from the same address (a double click's other request)."""
        return Connection(self.run.stack.api_port, self.address, self.timeout)

    def close(self):
        self.api.close()
        self.inquiry.close()

    def login(self, person: Person) -> bool:
        answer = self.call("login", "POST", "/v1/auth/login",
                           {"national_code": person.national_code, "password": PASSWORD})
        person.token = answer.data["token"] if answer.ok else None
        person.logins += answer.ok
        return answer.ok

    def call(self, op: str, method: str, path: str, body=None, person: Person | None = None, key: str | None = None,
             expect=(200,), tolerate=(), target: str = "api", connection: Connection | None = None,
             relogin: bool = True) -> Answer:
        """Retried, with the same Idempotency-Key, while it gets no answer or a 5xx, and after a 409 with Retry-After
        once that time has passed; every attempt is a sample. As the person's session: logged in again once if the
        session has ended."""
        answer = self._call(op, method, path, body, person.token if person else None, key, expect, tolerate, target,
                            connection)
        code = (answer.data.get("error") or {}).get("code") if isinstance(answer.data, dict) else None
        if person and relogin and answer.status == 401 and code in ("session_ended", "token_expired") \
                and self.run.may_log_in(first=False) and self.login(person):
            answer = self._call(op, method, path, body, person.token, key, expect, tolerate, target, connection)
        return answer

    def _call(self, op: str, method: str, path: str, body, token: str | None, key: str | None, expect, tolerate,
              target: str, connection: Connection | None) -> Answer:
        connection = connection or (self.inquiry if target == "inquiry" else self.api)
        headers = {"Content-Type": "application/json", "Accept": "application/json", "Accept-Encoding": "gzip",
                   "User-Agent": f"sabeghe-load/{self.index}"}
        if target == "api":
            headers["X-Forwarded-For"] = self.forwarded
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        payload = json.dumps(body).encode() if body is not None else None
        answer = Answer(0)
        while True:
            answer.attempts += 1
            started = time.monotonic()
            try:
                status, got_headers, raw = connection.request(method, path, payload, headers)
            except (OSError, http.client.HTTPException) as exc:
                self.stats.latency[op].append(time.monotonic() - started)
                self.stats.statuses[(op, "no answer")] += 1
                answer.status, answer.data, answer.failed_attempts = 0, None, answer.failed_attempts + 1
                self.unexpected(op, "no answer", f"{method} {path}: {exc!r}")
                if self._may_retry(answer, 0.5):
                    continue
                return answer
            self.stats.latency[op].append(time.monotonic() - started)
            self.stats.statuses[(op, status)] += 1
            if got_headers.get("content-encoding") == "gzip":
                raw = gzip.decompress(raw)
            try:
                data = json.loads(raw) if raw and "json" in got_headers.get("content-type", "") else None
            except ValueError:
                data = None
            answer.status, answer.data, answer.headers = status, data, got_headers
            code = (data.get("error") or {}).get("code") if isinstance(data, dict) else None
            if status in expect:
                if status >= 400 and not shaped(data):
                    self.unexpected(op, status, f"an error without the contract's shape: {raw[:300]!r}")
                answer.ok = True
                return answer
            if status >= 400 and not shaped(data):
                self.unexpected(op, status, f"{method} {path}: an error without the contract's shape: {raw[:300]!r}")
            if status >= 500:
                answer.failed_attempts += 1
                if self.run.faults_armed and shaped(data):
                    self.stats.fault_answers[(op, status, code)] += 1
                elif shaped(data):
                    self.unexpected(op, status, f"{method} {path}: {data}")
                if self._may_retry(answer, 0.2 * answer.attempts):
                    continue
                return answer
            if status in tolerate:
                return answer
            if status == 409 and code == "request_in_progress" and self.run.faults_armed:
                self.stats.waits[(op, code)] += 1
                wait = float(got_headers.get("retry-after", "1"))
                self.stats.waited.append(wait)
                if self._may_retry(answer, wait):
                    continue
                return answer
            if shaped(data):
                self.unexpected(op, status, f"{method} {path}: {data}")
            return answer

    def _may_retry(self, answer: Answer, wait: float) -> bool:
        if answer.attempts >= MAX_ATTEMPTS or time.monotonic() + wait > self.run.hard_end:
            return False
        time.sleep(wait)
        return True

    def unexpected(self, op: str, status, detail: str):
        self.stats.unexpected.append({"op": op, "status": status, "detail": detail[:400], "user": self.index})
