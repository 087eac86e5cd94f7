"""Shared fixtures: every test gets its own moto (mock_aws), the real tables, bucket, queues and secret
created by the same code the local stack uses, and fresh wiring."""
from __future__ import annotations

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


@pytest.fixture
def aws(monkeypatch, tmp_path):
    from moto import mock_aws

    from chalicelib import wiring
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
    with mock_aws():
        wiring.reset()
        discovered = create_all(load_settings(), client)
        for name, value in discovered.items():
            monkeypatch.setenv(name, value)
        wiring.reset()
        yield wiring
        wiring.reset()


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
