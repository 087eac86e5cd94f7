"""Reading the requests table's stream: which records are permit changes, as the permits before and after."""
from __future__ import annotations

from chalicelib.domain.model.permits import Permit
from chalicelib.storage.dynamodb.codec import from_item
from chalicelib.storage.dynamodb.statement_items import PermitItem


def change_of(record: dict) -> tuple | None:
    """(before, after) of a change the follow-up acts on: a permit's change, or a new task (before None)."""
    task = new_task(record)
    return (None, task) if task else permit_change(record)


def permit_change(record: dict) -> tuple[Permit | None, Permit | None] | None:
    """(before, after) when the stream record is a permit's change, else None."""
    change = record.get("dynamodb") or {}
    sort_key = (change.get("Keys") or {}).get("sk", {}).get("S", "")
    if not PermitItem.is_permit({"sk": sort_key}):
        return None
    old, new = from_item(change.get("OldImage")), from_item(change.get("NewImage"))
    return (PermitItem.from_item(old) if old else None), (PermitItem.from_item(new) if new else None)


def new_task(record: dict):
    """The follow-up task a stream record inserted, or None."""
    from chalicelib.storage.dynamodb.statement_items import TaskItem

    change = record.get("dynamodb") or {}
    if record.get("eventName") != "INSERT":
        return None
    item = from_item(change.get("NewImage"))
    return TaskItem.from_item(item) if item and TaskItem.is_task(item) else None
