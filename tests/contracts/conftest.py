"""The `store` fixture: every port, either in memory (one shared MemoryState) or on DynamoDB (moto, the real
tables from chalicelib.storage.schema, each call atomic as on AWS). Each contract test runs once with each."""
from __future__ import annotations

from types import SimpleNamespace

import pytest


def memory_store() -> SimpleNamespace:
    from chalicelib.storage.memory.accounts import MemoryAccounts, MemorySessions
    from chalicelib.storage.memory.guards import (MemoryCheckpoints, MemoryIdempotencyKeys, MemorySmsDeliveries,
                                                  MemoryThrottles)
    from chalicelib.storage.memory.lists import MemoryListLedger
    from chalicelib.storage.memory.lookups import MemoryExpiryIndex, MemoryInquiryLookup, MemoryTasks
    from chalicelib.storage.memory.objections import MemoryObjections
    from chalicelib.storage.memory.permits import MemoryPermits
    from chalicelib.storage.memory.registry import MemoryRegistry
    from chalicelib.storage.memory.requests import MemoryRequests
    from chalicelib.storage.memory.state import MemoryState
    from chalicelib.storage.memory.timeline import MemoryTimeline

    state = MemoryState()
    return SimpleNamespace(
        kind="memory", accounts=MemoryAccounts(state), sessions=MemorySessions(state), registry=MemoryRegistry(state),
        requests=MemoryRequests(state), permits=MemoryPermits(state), inquiry_lookup=MemoryInquiryLookup(state),
        expiry=MemoryExpiryIndex(state), checkpoints=MemoryCheckpoints(state), timeline=MemoryTimeline(state),
        throttles=MemoryThrottles(state), idempotency=MemoryIdempotencyKeys(state),
        sms_deliveries=MemorySmsDeliveries(state), tasks=MemoryTasks(state), objections=MemoryObjections(state),
        list_ledger=MemoryListLedger(), state=state)


_client = None


def _dynamodb_client():
    """One boto3 client per test process: building one loads the service model (~0.1 s). It talks to whichever
    moto is active, and each test starts its own (mock_aws resets every backend)."""
    global _client
    if _client is None:
        from chalicelib.storage.aws import client

        _client = client("dynamodb")
    return _client


@pytest.fixture
def dynamodb_store(monkeypatch):
    """The DynamoDB adapters exactly as chalicelib/bootstrap.py builds them, on a fresh moto with only the tables."""
    from moto import mock_aws

    from chalicelib.bootstrap import Adapters
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import _clients, client, reset_clients
    from chalicelib.storage.schema import create_tables
    from devstack.moto_atomic import atomic_dynamodb_calls

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    atomic_dynamodb_calls(monkeypatch.setattr)
    with mock_aws():
        reset_clients()
        _clients["dynamodb"] = _dynamodb_client()
        settings = load_settings()
        create_tables(settings, client("dynamodb"))
        a = Adapters(settings)
        yield SimpleNamespace(
            kind="dynamodb", accounts=a.accounts, sessions=a.sessions, registry=a.registry, requests=a.requests,
            permits=a.permits, inquiry_lookup=a.inquiry_lookup, expiry=a.expiry, checkpoints=a.checkpoints,
            timeline=a.timeline, throttles=a.throttles, idempotency=a.idempotency, sms_deliveries=a.sms_deliveries,
            tasks=a.tasks, objections=a.objections, list_ledger=a.list_ledger)
        reset_clients()


@pytest.fixture(params=["memory", "dynamodb"])
def store(request):
    """Every port of one implementation; the same test body runs against both."""
    if request.param == "memory":
        return memory_store()
    return request.getfixturevalue("dynamodb_store")
