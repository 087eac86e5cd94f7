"""A world for one fault: a fresh moto with the real tables, the demo person, and hands that play what AWS and people
do (the person's client retrying a request, SQS redelivering, the stream trigger retrying, the hourly cleanup).

One AWS call of the code under test fails, found by its place in the flow's own sequence of calls:
- "error": it fails before reaching AWS (a throttle, a timeout that botocore gave up on);
- "lost": it reaches AWS and takes effect, the answer is lost, botocore sends it again and the code gets whatever
  the second attempt answers (for a conditional write: "the condition failed");
- "killed": it takes effect, then the process dies there (nothing after it runs, no `except` catches it).
The harness's own calls (reading queues, checking invariants) are never counted or failed."""
from __future__ import annotations

import contextlib
import json
import os
import threading

MODES = ("error", "lost", "killed")
RETRIES = 3


class Killed(BaseException):
    """The Lambda's process died at this point: only the platform sees it, no handler does."""


class Faults:
    """Counts the AWS calls of the code under test and fails the one planned."""

    def __init__(self):
        self.calls: list[str] = []
        self.plan: tuple[int, str] | None = None
        self.fired: str | None = None
        self._quiet = threading.local()

    @contextlib.contextmanager
    def harness(self):
        """The harness's own calls: not counted, never failed."""
        before = getattr(self._quiet, "on", False)
        self._quiet.on = True
        try:
            yield
        finally:
            self._quiet.on = before

    def install(self, monkeypatch) -> None:
        import botocore.client
        from botocore.exceptions import ClientError

        original = botocore.client.BaseClient._make_api_call
        faults = self

        def call(client, operation, params):
            if getattr(faults._quiet, "on", False):
                return original(client, operation, params)
            index = len(faults.calls)
            faults.calls.append(f"{client.meta.service_model.service_name}.{operation}")
            if faults.plan is None or faults.plan[0] != index:
                return original(client, operation, params)
            mode = faults.plan[1]
            faults.fired = f"{faults.calls[-1]}#{index}:{mode}"
            if mode == "error":
                raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"}}, operation)
            if mode == "lost":
                try:
                    original(client, operation, params)
                except ClientError:
                    pass  # whatever the first attempt did, its answer never arrived
                return original(client, operation, params)
            original(client, operation, params)
            raise Killed(faults.fired)

        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", call)


class World:
    """The service on moto, with a person who retries and platforms that redeliver."""

    def __init__(self, faults: Faults, tmp: str):
        self.faults = faults
        self.tmp = tmp
        self.token = None
        self.readers = {}

    # --- the person's client --------------------------------------------------------------------------------------
    def api(self, method: str, path: str, body=None, key: str | None = None, token: str | None = None):
        """One request as the person's client sends it: retried (with the same Idempotency-Key) while it gets no
        answer or a 5xx, after waiting as long as a Retry-After asks; logged in again when the session has ended
        (the clock moves in these tests); returns the last (status, JSON)."""
        from chalice.test import Client

        import app

        answer = (0, None)
        for _ in range(RETRIES + 1):
            headers = {"Content-Type": "application/json"}
            if token or self.token:
                headers["Authorization"] = f"Bearer {token or self.token}"
            if key:
                headers["Idempotency-Key"] = key
            try:
                with Client(app.app) as client:
                    response = getattr(client.http, method)(path, headers=headers,
                                                            body=json.dumps(body) if body is not None else None)
            except Killed:
                answer = (0, None)  # no answer: the client tries again
                continue
            data = json.loads(response.body) if response.body else None
            answer = (response.status_code, data)
            code = ((data or {}).get("error") or {}).get("code")
            if response.status_code == 401 and code in ("session_ended", "token_expired") and not token:
                with self.faults.harness():
                    self.log_in()
                continue
            if response.status_code in (409, 429) and response.headers.get("Retry-After"):
                self.clock().offset_seconds += int(response.headers["Retry-After"])  # the person waits, then again
                continue
            if response.status_code < 500:
                return answer
        return answer

    def log_in(self) -> None:
        from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD

        self.token = None
        status, login = self.api("post", "/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE,
                                                             "password": DEMO_PASSWORD}, token="-")
        assert status == 200, login
        self.token = login["token"]

    def inquire(self, identifier: str, passcode: str):
        """An institution's inquiry, retried while it gets no answer or a 5xx."""
        import app
        from devstack.workers import function_url_event

        body = json.dumps({"identifier": identifier, "passcode": passcode}).encode()
        event = function_url_event("POST", "/", "", {"Host": "abc.lambda-url.us-east-1.on.aws",
                                                     "Content-Type": "application/json"}, body, "198.51.100.7")
        answer = (0, None)
        for _ in range(RETRIES):
            try:
                response = app.inquiry(event, None)
            except Killed:
                continue
            answer = (response["statusCode"], json.loads(response["body"]))
            if response["statusCode"] < 500:
                return answer
        return answer

    # --- the platforms --------------------------------------------------------------------------------------------
    def settle(self, hours: float = 0) -> None:
        """Everything AWS would do next: the stream trigger, the queues' consumers (with redelivery and a dead-letter
        hand-off after three receives), until nothing moves; then, `hours` later, the hourly cleanup."""
        for _ in range(8):
            moved = self.follow_up()
            for queue, function in (("RENDER_QUEUE_URL", "render_statement"), ("MAILBOX_QUEUE_URL", "deliver_mailbox")):
                moved += self.consume(queue, function)
            if not moved:
                break
        if hours:
            self.clock().offset_seconds += hours * 3600
            with self.faults.harness():  # the cleanup's own faults are its own flows'
                self.cleanup()
            self.follow_up()

    def follow_up(self) -> int:
        import app
        from chalicelib.config import load_settings
        from devstack.workers import StreamReader

        with self.faults.harness():
            table = load_settings().requests_table
            if table not in self.readers:
                self.readers[table] = StreamReader(table, self._counted(app.follow_up))
        handled = 0
        for _ in range(RETRIES + 1):
            try:
                handled += self._drain(self.readers[table])
                return handled
            except Killed:
                continue  # the trigger invokes the function again with the same batch
        return handled

    def _drain(self, reader) -> int:
        # The reader's own calls (describe, iterators, records) are the platform's; the handler's are the code's.
        with self.faults.harness():
            return reader.drain()

    def _counted(self, handler):
        faults = self.faults

        def run(event, context):
            before = getattr(faults._quiet, "on", False)
            faults._quiet.on = False
            try:
                return handler(event, context)
            finally:
                faults._quiet.on = before

        return run

    def consume(self, queue_env: str, function: str) -> int:
        import app
        from chalicelib.storage.aws import client

        handled = 0
        for _ in range(2 * RETRIES):
            with self.faults.harness():
                sqs = client("sqs")
                answer = sqs.receive_message(QueueUrl=os.environ[queue_env], MaxNumberOfMessages=10,
                                             AttributeNames=["ApproximateReceiveCount"], WaitTimeSeconds=0)
            messages = answer.get("Messages", [])
            if not messages:
                return handled
            handled += len(messages)
            event = {"Records": [{"messageId": m["MessageId"], "body": m["Body"], "attributes": m["Attributes"]}
                                 for m in messages]}
            try:
                failed = {f["itemIdentifier"] for f in getattr(app, function)(event, None)["batchItemFailures"]}
            except Killed:
                failed = {m["MessageId"] for m in messages}  # the invocation died: the whole batch comes back
            with self.faults.harness():
                for m in messages:
                    if m["MessageId"] in failed and int(m["Attributes"]["ApproximateReceiveCount"]) < RETRIES:
                        sqs.change_message_visibility(QueueUrl=os.environ[queue_env],
                                                      ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
                    else:  # done, or (after the third receive) to the dead-letter queue
                        sqs.delete_message(QueueUrl=os.environ[queue_env], ReceiptHandle=m["ReceiptHandle"])
        return handled

    def cleanup(self) -> None:
        import app

        event = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": "2026-11-25T09:00:00Z", "region": "us-east-1",
                 "resources": ["arn:aws:events:us-east-1:123456789012:rule/cleanup"], "detail": {}}
        for _ in range(RETRIES):
            try:
                app.cleanup(event, None)
                return
            except Killed:
                continue
            except Exception:  # noqa: BLE001 - a failed run: the schedule runs it again
                continue

    def clock(self):
        from chalicelib import bootstrap

        return bootstrap.services().clock

    def outbox(self) -> list[dict]:
        path = os.environ["OUTBOX_PATH"]
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]


@contextlib.contextmanager
def world(monkeypatch, tmp_path, faults: Faults):
    """A fresh moto with the real tables, the demo data, and the demo person logged in (all before any fault)."""
    from moto import mock_aws

    from chalicelib import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from chalicelib.storage.schema import create_all

    os.environ["OUTBOX_PATH"] = str(tmp_path / "outbox.jsonl")
    if os.path.exists(os.environ["OUTBOX_PATH"]):
        os.remove(os.environ["OUTBOX_PATH"])
    with mock_aws(), faults.harness():
        bootstrap.reset()
        os.environ.update(create_all(load_settings(), client))
        bootstrap.reset()
        seed_small(bootstrap.services())
        here = World(faults, str(tmp_path))
        here.log_in()
        try:
            faults._quiet.on = False
            yield here
        finally:
            faults._quiet.on = True
            bootstrap.reset()


_cheap_hash = None


def seed_small(services) -> None:
    """The demo person with two years of records (enough for every flow, quick to write) and a password hash of
    light argon2 parameters (argon2 reads them from the hash: logging in stays real, and takes milliseconds); the
    newcomer the registration flow registers."""
    global _cheap_hash
    from argon2 import PasswordHasher

    from chalicelib.domain.jalali import month_length
    from chalicelib.domain.model.accounts import AccountStatus, InsuredProfile, Person
    from chalicelib.domain.service_days import Contribution
    from devstack.seed import DEMO_BIRTH_DATE, DEMO_MOBILE, DEMO_NATIONAL_CODE, DEMO_PASSWORD, DEMO_PROFILE, NEWCOMER

    if _cheap_hash is None:
        _cheap_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEMO_PASSWORD)
    registry, accounts = services.adapters.registry, services.adapters.accounts
    registry.add_profile(DEMO_PROFILE)
    registry.add_contributions(DEMO_NATIONAL_CODE, [
        Contribution(year, month, "1000200030", "شرکت صنایع غذایی البرز", month_length(year, month), 90_000_000,
                     90_000_000, "کارشناس") for year in (1402, 1403) for month in range(1, 13)])
    accounts.add_active(Person(national_code=DEMO_NATIONAL_CODE, mobile=DEMO_MOBILE, birth_date=DEMO_BIRTH_DATE,
                               password_hash=_cheap_hash, status=AccountStatus.ACTIVE))
    registry.add_profile(InsuredProfile(NEWCOMER["national_code"], first_name=NEWCOMER["first_name"],
                                        last_name=NEWCOMER["last_name"], birth_date=NEWCOMER["birth_date"]))
    services.adapters.ownership.add_line(NEWCOMER["national_code"], NEWCOMER["mobile"])
