"""Writes that must change several items at once, as DynamoDB transactions.

Each one states what must still be true (a permit not yet revoked, a request still ready), so concurrent
calls can never leave a grant answering for a deleted or revoked permit."""
from __future__ import annotations

import random
import time

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import to_item, values
from chalicelib.storage.requests import request_key


def _write(items: list[dict], on_condition_failure) -> None:
    dynamodb = client("dynamodb")
    for attempt in range(5):
        try:
            dynamodb.transact_write_items(TransactItems=items)
            return
        except dynamodb.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in reasons:
                raise on_condition_failure from None
            if "TransactionConflict" not in reasons or attempt == 4:
                raise
            # Another transaction touched the same request (two permits revoked at once): try again shortly.
            time.sleep(0.02 * 2 ** attempt * random.random())


class Transactions:
    def __init__(self, requests_table: str, grants_table: str, activity_table: str):
        self.requests_table = requests_table
        self.grants_table = grants_table
        self.activity_table = activity_table

    def _activity(self, activity_item: dict) -> dict:
        return {"Put": {"TableName": self.activity_table, "Item": to_item(activity_item)}}

    def publish(self, request: dict, fields: dict, document: dict, activity_item: dict) -> None:
        """A rendered statement becomes ready, and its public verification record appears, together."""
        names = {f"#f{i}": k for i, k in enumerate(fields)}
        sets = ", ".join(f"#f{i} = :f{i}" for i in range(len(fields)))
        _write([
            {"Update": {
                "TableName": self.requests_table, "Key": request_key(request["national_code"], request["tracking_no"]),
                "UpdateExpression": f"SET {sets}",
                "ConditionExpression": "#st = :pending",
                "ExpressionAttributeNames": {**names, "#st": "status"},
                "ExpressionAttributeValues": values(pending="pending",
                                                    **{f"f{i}": v for i, v in enumerate(fields.values())}),
            }},
            {"Put": {"TableName": self.requests_table,
                     "Item": to_item({"pk": f"DOC#{document['document_id']}", "sk": "DOC", **document}),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            self._activity(activity_item),
        ], NotFound("The request is no longer waiting for its statement.", code="not_pending"))

    def issue_permit(self, request: dict, permit: dict, grant_put: dict, retain_until: int, activity_item: dict,
                     max_live: int, live_count: int) -> None:
        if live_count >= max_live:
            raise Conflict(f"A statement can have at most {max_live} live permits; revoke one first.",
                           code="too_many_permits")
        _write([
            grant_put,
            {"Update": {
                "TableName": self.requests_table, "Key": request_key(request["national_code"], request["tracking_no"]),
                "UpdateExpression": "SET permits.#pid = :permit, expires_at_epoch = :retain, expiry_bucket = :bucket",
                "ConditionExpression": "#st = :ready",
                "ExpressionAttributeNames": {"#pid": permit["permit_id"], "#st": "status"},
                "ExpressionAttributeValues": values(permit=permit, ready="ready", retain=retain_until,
                                                    bucket=_bucket(retain_until)),
            }},
            self._activity(activity_item),
        ], Conflict("The statement is not ready (or was deleted) — no permit was issued.", code="statement_not_ready"))

    def revoke_permit(self, request: dict, permit_id: str, grant_pk: str, now_iso: str, activity_item: dict) -> None:
        _write([
            {"Delete": {"TableName": self.grants_table, "Key": {"pk": {"S": grant_pk}}}},
            {"Update": {
                "TableName": self.requests_table, "Key": request_key(request["national_code"], request["tracking_no"]),
                "UpdateExpression": "SET permits.#pid.revoked_at = :now",
                "ConditionExpression": "attribute_exists(permits.#pid) AND attribute_not_exists(permits.#pid.revoked_at)",
                "ExpressionAttributeNames": {"#pid": permit_id},
                "ExpressionAttributeValues": values(now=now_iso),
            }},
            self._activity(activity_item),
        ], NotFound("No such live permit.", code="not_found"))

    def record_view(self, grant: dict, now_iso: str, now: int, activity_item: dict) -> None:
        """An institution's successful inquiry: the request's view columns, the permit's counters and the
        person's timeline change in one round trip, and only if the permit is still live."""
        gone = NotFound("No statement matches this identifier and passcode.", code="not_found")
        _write([
            {"Update": {
                "TableName": self.requests_table, "Key": request_key(grant["national_code"], grant["tracking_no"]),
                "UpdateExpression": ("SET viewed_at = if_not_exists(viewed_at, :at), last_viewed_at = :at, "
                                     "permits.#pid.first_viewed_at = if_not_exists(permits.#pid.first_viewed_at, :at), "
                                     "permits.#pid.#views = permits.#pid.#views + :one"),
                "ConditionExpression": ("#st = :ready AND attribute_exists(permits.#pid) "
                                        "AND attribute_not_exists(permits.#pid.revoked_at)"),
                "ExpressionAttributeNames": {"#pid": grant["permit_id"], "#st": "status", "#views": "views"},
                "ExpressionAttributeValues": values(at=now_iso, one=1, ready="ready"),
            }},
            {"Update": {
                "TableName": self.grants_table, "Key": {"pk": {"S": grant["pk"]}},
                "UpdateExpression": "SET #views = #views + :one, first_viewed_at = if_not_exists(first_viewed_at, :at)",
                "ConditionExpression": "attribute_exists(pk) AND expires_at_epoch > :now",
                "ExpressionAttributeNames": {"#views": "views"},
                "ExpressionAttributeValues": values(at=now_iso, one=1, now=now),
            }},
            self._activity(activity_item),
        ], gone)

    def delete_request(self, request: dict, grant_pks: list[str], now_iso: str, tombstone_until: int,
                       activity_item: dict) -> None:
        """Mark the request deleted (kept as an audit entry without its statement) and remove every grant."""
        items = [{"Delete": {"TableName": self.grants_table, "Key": {"pk": {"S": pk}}}} for pk in grant_pks]
        items.append({"Update": {
            "TableName": self.requests_table, "Key": request_key(request["national_code"], request["tracking_no"]),
            "UpdateExpression": ("SET #st = :deleted, deleted_at = :now, expires_at_epoch = :until, "
                                 "expiry_bucket = :bucket REMOVE statement_z"),
            "ConditionExpression": "#st IN (:pending, :ready, :failed)",
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": values(deleted="deleted", now=now_iso, until=tombstone_until,
                                                bucket=_bucket(tombstone_until), pending="pending", ready="ready",
                                                failed="failed"),
        }})
        items.append(self._activity(activity_item))
        _write(items, NotFound("No such request in your inbox.", code="not_found"))


def _bucket(epoch: int) -> str:
    from chalicelib.storage.requests import expiry_bucket

    return expiry_bucket(epoch)
