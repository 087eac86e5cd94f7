"""DynamoDB applies each call (a conditional write, a transaction, a read) atomically; moto's in-memory tables
have no lock at all (a transaction deep-copies whole tables to roll back, and a read can see a dict change under
it). Serialising moto's DynamoDB calls gives the fake the real service's per-call atomicity, for the local stack
(whose moto server answers several threads at once) and for tests that race requests on purpose."""
from __future__ import annotations

import functools
import threading

_lock = threading.RLock()


def atomic_dynamodb_calls(setattr_=setattr):
    """Patch moto's DynamoDB handler; pass pytest's monkeypatch.setattr to have the patch undone after a test."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    if getattr(original, "_sabeghe_atomic", False):
        return

    @functools.wraps(original)
    def locked(self, *args, **kwargs):
        with _lock:
            return original(self, *args, **kwargs)

    locked._sabeghe_atomic = True
    setattr_(DynamoHandler, "call_action", locked)
