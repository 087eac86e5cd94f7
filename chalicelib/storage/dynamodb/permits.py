"""The writes that issue, revoke, view and expire a permit: its own item beside its request and its grant (keys:
statement_items.py)."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.permits import Grant, Permit, View
from chalicelib.domain.model.requests import RequestStatus, StatementRequest
from chalicelib.domain.ports import Permits, StaleRequest
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.activity import ActivityItem
from chalicelib.storage.dynamodb.codec import expiry_bucket, from_item, to_item, values
from chalicelib.storage.dynamodb.statement_items import (GrantItem, PermitItem, StatementItem, ViewFields,
                                                         request_change, revoke_permit_writes)
from chalicelib.storage.dynamodb.tables import Tables
from chalicelib.storage.dynamodb.transact import ConditionFailed, conditional_update, transact


class DynamoPermits(Permits):
    def __init__(self, tables: Tables):
        self.tables = tables

    def issue(self, request: StatementRequest, permit: Permit, grant: Grant, keep_request_until: int,
              entry: ActivityEntry) -> None:
        writes = [
            {"Put": {"TableName": self.tables.grants, "Item": to_item(GrantItem.to_item(grant)),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self.tables.requests, "Item": to_item(PermitItem.to_item(permit)),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            request_change(self.tables, request,
                           "SET expires_at_epoch = :keep, expiry_bucket = :bucket", "#st = :ready",
                           keep=keep_request_until, bucket=expiry_bucket(keep_request_until),
                           ready=RequestStatus.READY.value),
            ActivityItem.put(self.tables.activity, entry),
        ]
        if keep_request_until > request.expires_at:
            # The statement is kept as long as its request (a permit that outlives the request's year extends both).
            writes.append({"Update": {
                "TableName": self.tables.requests, "Key": StatementItem.key(request.national_code, request.tracking_no),
                "UpdateExpression": "SET expires_at_epoch = :keep", "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": values(keep=keep_request_until)}})
        try:
            transact(writes)
        except ConditionFailed:
            raise StaleRequest() from None

    def revoke(self, permit: Permit, at: str, entry: ActivityEntry) -> bool:
        try:
            transact([*revoke_permit_writes(self.tables, permit, at), ActivityItem.put(self.tables.activity, entry)])
            return True
        except ConditionFailed:
            return False

    def record_view(self, grant: Grant, view: View, now: int) -> bool:
        key = PermitItem.key(grant.national_code, grant.tracking_no, grant.permit_id)
        counted = conditional_update(
            TableName=self.tables.requests, Key=key,
            UpdateExpression=("SET #views = #views + :one, first_viewed_at = if_not_exists(first_viewed_at, :at), "
                              "last_viewed_at = :at, last_view = :view"),
            ConditionExpression=("attribute_exists(pk) AND attribute_not_exists(revoked_at) "
                                 "AND attribute_not_exists(expired_at) AND valid_until > :now "
                                 "AND (attribute_not_exists(last_view.id) OR last_view.id <> :id)"),
            ExpressionAttributeNames={"#views": "views"},
            ExpressionAttributeValues=values(one=1, at=view.at[:19] + "Z", view=ViewFields.to_map(view), now=now,
                                             id=view.id or "-"),
        )
        if counted is not None:
            return True
        # Refused: the permit went, or this very write was already applied (botocore re-sent it after a lost
        # answer). Only the second is a view.
        got = client("dynamodb").get_item(TableName=self.tables.requests, Key=key, ConsistentRead=True,
                                          ProjectionExpression="last_view")
        return bool(view.id) and (from_item(got.get("Item")) or {}).get("last_view", {}).get("id") == view.id

    def expire(self, grant: Grant, now: int, entry: ActivityEntry) -> bool:
        # The permit is marked (with its timeline entry) before its grant goes: if anything fails in between, the
        # grant is still due and the next run finishes; once marked, marking again changes nothing.
        if grant.expires_at > now:
            return False
        try:
            transact([
                {"Update": {"TableName": self.tables.requests,
                            "Key": PermitItem.key(grant.national_code, grant.tracking_no, grant.permit_id),
                            "UpdateExpression": "SET expired_at = :at",
                            "ConditionExpression": ("attribute_exists(pk) AND attribute_not_exists(expired_at) "
                                                    "AND attribute_not_exists(revoked_at)"),
                            "ExpressionAttributeValues": values(at=entry.at[:19] + "Z")}},
                ActivityItem.put(self.tables.activity, entry),
            ])
        except ConditionFailed:
            pass  # marked already, or revoked, or gone with its request: the grant is all that is left
        dynamodb = client("dynamodb")
        try:
            dynamodb.delete_item(TableName=self.tables.grants, Key=GrantItem.key(grant.key),
                                 ConditionExpression="expires_at_epoch <= :now", ExpressionAttributeValues=values(now=now))
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
