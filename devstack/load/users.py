"""The virtual users: threads that each own a few people and, until the run's time is up, go through the journeys
of the mix (full, share again, institution), checking every answer on the spot; and what they all share (Run)."""
from __future__ import annotations

import random
import threading
import time
from typing import TYPE_CHECKING

from devstack.load.client import Client
from devstack.load.ledger import PermitIssued, StatementAsked
from devstack.load.people import Person
from devstack.load.stats import Stats

if TYPE_CHECKING:
    from devstack.load.stack import LoadStack

KINDS = ("summary", "wages", "combined")
VALIDITIES = ("day", "week", "month", "year")
POLL_SECONDS = 0.5
WRONG_PER_PERSON = 2  # failed inquiries for one identifier: at 5 (6 h window) the service locks or warns the person
WRONG_PER_PERSON_UNDER_FAULTS = 1  # a retried or re-sent failure may be counted twice
WRONG_PER_ADDRESS = 10  # failed inquiries from one client address: locked at 20
# Logins again (besides each person's first): `chalice local` shows the API every caller as 127.0.0.1, so all the
# users share one client's quota of password hashes (chalicelib/domain/throttling.py: 300 per 10 minutes).
LOGINS_PER_RUN = 150


class Run:
    """What all users share: the addresses, the clock of the run, whether faults are armed, the logins left."""

    def __init__(self, stack: LoadStack, seconds: float, drain: float, faults_armed: bool, seed: int, run_no: int,
                 logins: int = LOGINS_PER_RUN, finish_iterations: bool = False):
        self.stack = stack
        self.finish_iterations = finish_iterations
        self.seconds = seconds
        self.faults_armed = faults_armed
        self.seed = seed
        self.run_no = run_no
        self.started = time.monotonic()
        self.ends = self.started + seconds
        self.hard_end = self.ends + drain  # retries in flight may go on this long after the end
        self.stopping = threading.Event()
        self.logins_left = logins
        self._lock = threading.Lock()

    def over(self) -> bool:
        """Past the end: no new iteration starts; and, unless iterations are to be finished, no next step either."""
        return self.stopping.is_set() or time.monotonic() >= self.ends

    def cut(self) -> bool:
        """No next step of the iteration under way."""
        return self.stopping.is_set() or time.monotonic() >= (self.hard_end if self.finish_iterations else self.ends)

    def may_log_in(self, first: bool) -> bool:
        """A first login always; logging in again only while the run's budget lasts."""
        with self._lock:
            if first or self.logins_left > 0:
                self.logins_left -= 1
                return True
            return False


class User(threading.Thread):
    """One virtual user: its people, its own client (client.py), and what it was answered (ledger.py)."""

    def __init__(self, run: Run, index: int, people: list[Person], timeout: float = 60):
        super().__init__(daemon=True, name=f"user-{index}")
        self.run_ = run
        self.index = index
        self.people = people
        self.rng = random.Random(f"user/{run.seed}/{run.run_no}/{index}")
        self.stats = Stats()
        self.client = Client(run, index, self.stats, timeout)
        self.statements: list[StatementAsked] = []
        self.permits: list[PermitIssued] = []
        self.wrong_from_address = 0
        self.turn = 0
        self.keys = 0

    # -- the loop --
    def run(self):
        try:
            while not self.run_.over():
                roll = self.rng.random()
                live = [p for p in self.permits if p.passcode]
                ready = [s for s in self.statements if s.ready and s.permits < 8]
                if roll < 0.15 and live:
                    self.institution(self.rng.choice(live))
                elif roll < 0.40 and ready:
                    self.share_again(self.rng.choice(ready))
                else:
                    self.full()
        except Exception as exc:  # noqa: BLE001 - a bug of the load client itself: reported, never hidden
            import traceback

            self.stats.unexpected.append({"op": "client", "status": "exception", "detail": repr(exc),
                                          "traceback": traceback.format_exc(limit=8)})
        finally:
            self.client.close()

    def full(self):
        person = self.people[self.turn % len(self.people)]
        self.turn += 1
        if not self.signed_in(person) or self.run_.cut():
            return
        statement = self.ask(person)
        if not statement or not statement.tracking_no or self.run_.cut():
            return
        if not self.wait_ready(statement) or self.run_.cut():
            return
        self.share(statement)
        if not self.run_.cut():
            self.open_inbox(statement)

    def share_again(self, statement: StatementAsked):
        if self.signed_in(statement.person) and not self.run_.cut():
            self.share(statement)
            if not self.run_.cut():
                self.open_inbox(statement)

    def institution(self, permit: PermitIssued):
        self.inquire(permit, correct=True)

    def share(self, statement: StatementAsked):
        permit = self.issue(statement)
        if not permit or not permit.passcode:
            return
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            if self.run_.cut():
                return
            self.inquire(permit, correct=True)
        limit = WRONG_PER_PERSON_UNDER_FAULTS if self.run_.faults_armed else WRONG_PER_PERSON
        if self.rng.random() < 0.2 and statement.person.wrong_inquiries < limit \
                and self.wrong_from_address < WRONG_PER_ADDRESS and not self.run_.cut():
            self.inquire(permit, correct=False)

    # -- the steps --
    def signed_in(self, person: Person) -> bool:
        """The person's session: logged in at first use, and now and then again (someone coming back later)."""
        if person.token and (self.rng.random() >= 0.3 or not self.run_.may_log_in(first=False)):
            return True
        if not person.token:
            self.run_.may_log_in(first=True)
        return self.client.login(person)

    def new_key(self, prefix: str) -> str:
        self.keys += 1
        return f"{prefix}-{self.run_.run_no}-{self.index}-{self.keys}-{self.rng.getrandbits(32):08x}"

    def ask(self, person: Person) -> StatementAsked | None:
        statement = StatementAsked(person, self.new_key("st"), self.rng.choice(KINDS))
        self.statements.append(statement)
        body = {"kind": statement.kind, "agree": True}
        twin = None
        if self.rng.random() < 0.05:  # a double click: the same request twice at once, on two connections
            twin = threading.Thread(target=self._twin, args=(statement, body), daemon=True)
            twin.start()
        # Of a double click, the one that comes second gets 409 request_in_progress: the other one's answer counts.
        answer = self.client.call("statement", "POST", "/v1/me/statements", body, person=person, key=statement.key,
                                  expect=(201,), tolerate=(409,) if twin else ())
        if twin:
            twin.join()
        if answer.ok:
            self._answered(statement, answer.data)
        if twin and not statement.tracking_no and not self.run_.cut():
            # Neither of the two got the answer (the first failed under faults): asked again with the same key.
            answer = self.client.call("statement_again", "POST", "/v1/me/statements", body, person=person,
                                      key=statement.key, expect=(201,))
            if answer.ok:
                self._answered(statement, answer.data)
        if statement.tracking_no:
            if self.rng.random() < 0.10:  # sent again after its answer (a reload): the first answer again
                again = self.client.call("statement_again", "POST", "/v1/me/statements", body, person=person,
                                         key=statement.key, expect=(201,))
                if again.ok:
                    self._answered(statement, again.data)
        return statement

    def _twin(self, statement: StatementAsked, body: dict):
        connection = self.client.another_api_connection()
        try:
            # Either answer is right: the first answer (201) or "still in progress" (409 with Retry-After).
            answer = self.client.call("statement_twice", "POST", "/v1/me/statements", body,
                                      person=statement.person, key=statement.key, expect=(201,), tolerate=(409,),
                                      connection=connection, relogin=False)
            if answer.ok:
                self._answered(statement, answer.data)
        finally:
            connection.close()

    def _answered(self, statement: StatementAsked, data: dict):
        statement.answers.append(data["tracking_no"])
        if statement.tracking_no is None:
            statement.tracking_no = data["tracking_no"]

    def wait_ready(self, statement: StatementAsked) -> bool:
        asked = time.monotonic()
        while not self.run_.cut():
            answer = self.client.call("poll", "GET", f"/v1/me/inbox/{statement.tracking_no}",
                                      person=statement.person)
            if answer.ok:
                status = answer.data.get("status")
                if status == "ready":
                    statement.ready, statement.document_id = True, answer.data.get("document_id")
                    self.stats.ready_wait.append(time.monotonic() - asked)
                    return True
                if status != "pending":
                    self.client.unexpected("poll", answer.status, f"the statement is {status}: {answer.data}")
                    return False
            elif answer.status and answer.status < 500:
                return False
            time.sleep(POLL_SECONDS)
        return False

    def issue(self, statement: StatementAsked) -> PermitIssued | None:
        permit = PermitIssued(statement, self.new_key("pm"), self.rng.choice(VALIDITIES))
        path = f"/v1/me/inbox/{statement.tracking_no}/permits"
        answer = self.client.call("permit", "POST", path, {"validity": permit.validity}, person=statement.person,
                                  key=permit.key, expect=(201,))
        if not answer.ok:
            return None
        self.permits.append(permit)
        statement.permits += 1
        permit.answers.append((answer.data["permit_id"], answer.data["passcode"]))
        permit.permit_id, permit.passcode = permit.answers[0]
        if self.rng.random() < 0.10:  # the answer shown again after a retry: the same permit and passcode
            again = self.client.call("permit_again", "POST", path, {"validity": permit.validity},
                                     person=statement.person, key=permit.key, expect=(201,))
            if again.ok:
                permit.answers.append((again.data["permit_id"], again.data["passcode"]))
        return permit

    def inquire(self, permit: PermitIssued, correct: bool):
        person = permit.statement.person
        if correct:
            passcode = permit.passcode
        else:
            person.wrong_inquiries += 1
            self.wrong_from_address += 1
            digits = f"{self.rng.randrange(10 ** 15):015d}"
            passcode = "-".join(digits[i:i + 5] for i in range(0, 15, 5))
        answer = self.client.call("inquire" if correct else "inquire_wrong", "POST", "/",
                                  {"identifier": person.national_code, "passcode": passcode},
                                  expect=(200,) if correct else (404,), target="inquiry")
        if not correct:
            if answer.ok and (answer.data.get("error") or {}).get("code") != "not_found":
                self.client.unexpected("inquire_wrong", answer.status, f"a wrong passcode got {answer.data}")
            return
        permit.unanswered += answer.failed_attempts
        if answer.ok:
            permit.views += 1
            statement = permit.statement
            got = (answer.data.get("tracking_no"), answer.data.get("kind"), answer.data.get("document_id"))
            if got != (statement.tracking_no, statement.kind, statement.document_id):
                self.client.unexpected("inquire", answer.status,
                                       f"the passcode of {statement.tracking_no} answered with another statement: "
                                       f"{got}")

    def open_inbox(self, statement: StatementAsked):
        answer = self.client.call("inbox", "GET", "/v1/me/inbox?limit=20", person=statement.person)
        if answer.ok and statement.tracking_no not in {i.get("tracking_no") for i in answer.data.get("items", [])}:
            self.client.unexpected("inbox", answer.status,
                                   f"{statement.tracking_no} (answered 201) is not in the inbox")

