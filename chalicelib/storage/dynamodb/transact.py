"""TransactWriteItems with what every caller needs: a retry when another transaction touched the same item, and
the cancellation turned into the caller's own failure when one of its conditions did not hold."""
from __future__ import annotations

import random
import time

from chalicelib.storage.aws import client

ATTEMPTS = 5


class ConditionFailed(Exception):
    """One of the transaction's conditions did not hold; nothing was written."""


def transact(items: list[dict]) -> None:
    dynamodb = client("dynamodb")
    for attempt in range(ATTEMPTS):
        try:
            dynamodb.transact_write_items(TransactItems=items)
            return
        except dynamodb.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in reasons:
                raise ConditionFailed(reasons) from None
            if "TransactionConflict" not in reasons or attempt == ATTEMPTS - 1:
                raise
            # Another transaction was changing one of these items at that moment: try again shortly.
            time.sleep(0.02 * 2 ** attempt * random.random())


def conditional_update(**kwargs) -> dict | None:
    """One UpdateItem; its new attributes, or None when the condition did not hold."""
    dynamodb = client("dynamodb")
    try:
        return dynamodb.update_item(**kwargs).get("Attributes", {})
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return None
