"""The stack's storage as seen from another process: this process's chalicelib services pointed at the stack's
moto, and a whole table read with boto3 (the service itself never scans; the load's checks and the fault suite,
tests/faults/test_faults.py, do)."""
from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devstack.load.stack import LoadStack


@contextlib.contextmanager
def storage(stack: LoadStack, clock=None):
    """This process's chalicelib services pointed at the stack's moto (as the tests' fixtures point them at theirs);
    the environment is given back as it was."""
    from chalicelib import bootstrap

    saved = dict(os.environ)
    os.environ.update(stack.aws_environment())
    try:
        yield bootstrap.reset(clock=clock) if clock else (bootstrap.reset() or bootstrap.services())
    finally:
        os.environ.clear()
        os.environ.update(saved)
        bootstrap.reset()


def scan(dynamodb, table: str) -> list[dict]:
    """Every item of the table, decoded, page after page."""
    from chalicelib.storage.dynamodb.codec import from_item

    items, kwargs = [], {"TableName": table}
    while True:
        page = dynamodb.scan(**kwargs)
        items += [from_item(i) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
