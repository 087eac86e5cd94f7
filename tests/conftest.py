"""Shared fixtures: every test gets its own moto (mock_aws), the real tables, bucket, queues and secret
created by the same code the local stack uses, and a fresh composition root (chalicelib/bootstrap.py)."""
from __future__ import annotations

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


@pytest.fixture(scope="session", autouse=True)
def signing_ca(tmp_path_factory):
    """One development CA per test session (per xdist worker): every statement a test draws is signed with its key,
    as the local stack's are (chalicelib/signing/local_signer.py), and no test pays for making RSA keys."""
    from devstack.dev_ca import ensure

    ca = ensure(str(tmp_path_factory.mktemp("signing") / "ca"))
    saved = os.environ.get("SIGNING_DIR")
    os.environ["SIGNING_DIR"] = ca.folder
    yield ca
    if saved is None:
        os.environ.pop("SIGNING_DIR", None)
    else:
        os.environ["SIGNING_DIR"] = saved


@pytest.fixture
def aws(monkeypatch, tmp_path):
    from moto import mock_aws

    from chalicelib import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from chalicelib.storage.schema import create_all

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("APP_ENV", "local")
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.jsonl"))
    from devstack.moto_atomic import atomic_dynamodb_calls

    atomic_dynamodb_calls(monkeypatch.setattr)
    with mock_aws():
        bootstrap.reset()
        discovered = create_all(load_settings(), client)
        for name, value in discovered.items():
            monkeypatch.setenv(name, value)
        bootstrap.reset()
        _streams.clear()
        yield bootstrap
        _streams.clear()
        bootstrap.reset()


@pytest.fixture
def services(aws):
    return aws.services()


@pytest.fixture
def demo(services):
    from devstack.seed import seed_demo

    seed_demo(services)
    return services


@pytest.fixture
def api(aws):
    from chalice.test import Client

    from app import app
    from devstack.local_gateway import install

    install()  # unknown addresses answer as the stack's gateway responses do on AWS

    with Client(app) as client:
        yield Api(client)


class Api:
    """A thin JSON wrapper over chalice's test client."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def call(self, method, path, body=None, token=None, headers=None, raw=None):
        sent = {"Content-Type": "application/json", **(headers or {})}
        bearer = token or self.token
        if bearer:
            sent["Authorization"] = f"Bearer {bearer}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = getattr(self.client.http, method)(path, body=payload, headers=sent)
        response.data = json.loads(response.body) if response.body and response.headers.get(
            "Content-Type", "").startswith("application/json") else None
        return response

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)

    def login_demo(self):
        from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD

        answer = self.post("/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD})
        assert answer.status_code == 200, answer.body
        self.token = answer.data["token"]
        return self.token


def read_outbox(path=None) -> list[dict]:
    path = path or os.environ["OUTBOX_PATH"]
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def drain(queue_env: str, handler_name: str) -> list:
    """Deliver every message waiting on a queue to its worker Lambda, as the SQS event source would (after the
    follow-up has queued what the changes so far asked for)."""
    import app
    from chalicelib.storage.aws import client

    follow_up()
    sqs = client("sqs")
    outcomes = []
    while True:
        answer = sqs.receive_message(QueueUrl=os.environ[queue_env], MaxNumberOfMessages=10,
                                     AttributeNames=["ApproximateReceiveCount"], WaitTimeSeconds=0)
        messages = answer.get("Messages", [])
        if not messages:
            return outcomes
        event = {"Records": [{"messageId": m["MessageId"], "body": m["Body"], "attributes": m["Attributes"]}
                             for m in messages]}
        result = getattr(app, handler_name)(event, None)
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        outcomes.append(result)
        for m in messages:
            if m["MessageId"] in failed:
                sqs.change_message_visibility(QueueUrl=os.environ[queue_env], ReceiptHandle=m["ReceiptHandle"],
                                              VisibilityTimeout=0)
                if int(m["Attributes"]["ApproximateReceiveCount"]) >= 3:
                    sqs.delete_message(QueueUrl=os.environ[queue_env], ReceiptHandle=m["ReceiptHandle"])
            else:
                sqs.delete_message(QueueUrl=os.environ[queue_env], ReceiptHandle=m["ReceiptHandle"])


def render_pending() -> None:
    drain("RENDER_QUEUE_URL", "render_statement")


_streams: dict = {}


def follow_up() -> int:
    """Hand every change written so far to the follow_up Lambda, as the stream's event source mapping would."""
    import app
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from devstack.workers import StreamReader

    # Keyed by the stream itself: each test's moto makes a new one (and test modules may import this module twice).
    table = load_settings().requests_table
    arn = client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    if arn not in _streams:
        _streams[arn] = StreamReader(table, app.follow_up)
    return _streams[arn].drain()


def inquire(identifier, passcode, source_ip="198.51.100.7", user_agent="BankBot/1.0", method="POST",
            path="/", body=None):
    """Call the inquiry Lambda with a real function-URL event (payload 2.0)."""
    import app
    from devstack.workers import function_url_event

    payload = json.dumps(body if body is not None else {"identifier": identifier, "passcode": passcode}).encode()
    event = function_url_event(method, path, "", {"Host": "abc.lambda-url.us-east-1.on.aws",
                                                  "User-Agent": user_agent,
                                                  "Content-Type": "application/json"},
                               payload if method == "POST" else b"", source_ip)
    answer = app.inquiry(event, None)
    answer["json"] = json.loads(answer["body"]) if answer["headers"]["Content-Type"].startswith(
        "application/json") else None
    return answer


@pytest.fixture
def ready_statement(api, demo):
    """The demo person logged in with one ready 'combined' statement; returns its tracking number."""
    api.login_demo()
    created = api.post("/v1/me/statements", {"kind": "combined", "agree": True})
    assert created.status_code == 201, created.body
    render_pending()
    return created.data["tracking_no"]


# --- the fault-injection suite's count (tests/faults/): its workers write it, the session prints it ---------------
FAULT_REPORT = os.path.join(ROOT, ".local", "fault-cases")


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput") and os.path.isdir(FAULT_REPORT):
        for name in os.listdir(FAULT_REPORT):
            os.remove(os.path.join(FAULT_REPORT, name))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput") or not os.path.isdir(FAULT_REPORT):
        return
    flows = []
    for name in sorted(os.listdir(FAULT_REPORT)):
        with open(os.path.join(FAULT_REPORT, name), encoding="utf-8") as report:
            flows.append(json.load(report))
    if flows:
        each = ", ".join(f"{f['flow']} {f['cases']}" for f in flows)
        terminalreporter.write_line(f"fault injection: {sum(f['cases'] for f in flows)} cases over {len(flows)} "
                                    f"flows ({each})")
