"""Checkpoints: what a scheduled job wrote is what it reads back next time."""
from __future__ import annotations

from .builders import NOW, TODAY


def test_unknown_checkpoint(store):
    assert store.checkpoints.get("cleanup") is None


def test_round_trip(store):
    data = {"day": TODAY, "ran_at": "2025-06-15T08:30:00Z", "permits_expired": 3, "complete": True,
            "days": ["2025-06-14", "2025-06-15"], "counts": {"pdfs_removed": 2, "requests_expired": 0}}
    store.checkpoints.put("cleanup", data)
    assert store.checkpoints.get("cleanup") == data


def test_put_replaces_the_whole_checkpoint(store):
    store.checkpoints.put("cleanup", {"day": "2025-06-14", "ran_at": "2025-06-14T23:00:00Z", "partial": True})
    store.checkpoints.put("cleanup", {"day": TODAY, "ran_at": "2025-06-15T08:30:00Z"})
    assert store.checkpoints.get("cleanup") == {"day": TODAY, "ran_at": "2025-06-15T08:30:00Z"}


def test_checkpoints_are_kept_apart_by_name(store):
    store.checkpoints.put("cleanup", {"day": TODAY})
    store.checkpoints.put("lists-export", {"last_epoch": NOW})
    assert store.checkpoints.get("cleanup") == {"day": TODAY}
    assert store.checkpoints.get("lists-export") == {"last_epoch": NOW}


def test_what_is_stored_is_not_the_callers_dict(store):
    data = {"day": TODAY, "counts": {"permits_expired": 1}}
    store.checkpoints.put("cleanup", data)
    data["day"] = "1999-01-01"
    data["counts"]["permits_expired"] = 99
    read = store.checkpoints.get("cleanup")
    read["counts"]["permits_expired"] = 50
    assert store.checkpoints.get("cleanup") == {"day": TODAY, "counts": {"permits_expired": 1}}
