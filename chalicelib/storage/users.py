"""Accounts in the users table.

Keys: `PERSON#<national code>` (an insured person's account), `STAFF#<username>`, `SESSION#<id>` (one login,
removed by TTL when the token has expired and deleted at logout)."""
from __future__ import annotations

from chalicelib.domain.errors import Conflict, InvalidValue
from chalicelib.storage.aws import client
from chalicelib.storage.dynamo import from_item, is_conditional_failure, to_item, values


def person_key(national_code: str) -> dict:
    return {"pk": {"S": f"PERSON#{national_code}"}}


def staff_key(username: str) -> dict:
    return {"pk": {"S": f"STAFF#{username}"}}


def session_key(session_id: str) -> dict:
    return {"pk": {"S": f"SESSION#{session_id}"}}


class UserStore:
    def __init__(self, table: str):
        self.table = table

    def get_person(self, national_code: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=person_key(national_code), ConsistentRead=True)
        return from_item(got.get("Item"))

    def put_pending_person(self, person: dict) -> None:
        """Create an account waiting for its one-time code. An active account is never overwritten; a pending
        one may be, so a person who lost the code can register again."""
        item = {"pk": f"PERSON#{person['national_code']}", **person}
        try:
            client("dynamodb").put_item(
                TableName=self.table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk) OR #s = :pending",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=values(pending="pending_activation"),
            )
        except client("dynamodb").exceptions.ConditionalCheckFailedException:
            raise Conflict("An account with this national code already exists; log in instead.",
                           code="already_registered") from None

    def put_active_person(self, person: dict) -> None:
        """Operations' path (migration, demo data): an account that is active from the start."""
        client("dynamodb").put_item(
            TableName=self.table, Item=to_item({"pk": f"PERSON#{person['national_code']}", **person})
        )

    def activate(self, national_code: str, otp_hash: str, now: int) -> None:
        """Flip pending to active only if the code matches and is still fresh: two racing activations cannot
        both succeed, and a stale code never does."""
        try:
            client("dynamodb").update_item(
                TableName=self.table,
                Key=person_key(national_code),
                UpdateExpression="SET #s = :active, activated_at = :now REMOVE otp_hash, otp_expires_at, otp_failures",
                ConditionExpression="#s = :pending AND otp_hash = :otp AND otp_expires_at > :now",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=values(active="active", pending="pending_activation", otp=otp_hash, now=now),
            )
        except client("dynamodb").exceptions.ConditionalCheckFailedException:
            raise InvalidValue("The code is wrong or has expired.", code="invalid_otp") from None

    def count_otp_failure(self, national_code: str) -> int:
        try:
            got = client("dynamodb").update_item(
                TableName=self.table,
                Key=person_key(national_code),
                UpdateExpression="ADD otp_failures :one",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=values(one=1),
                ReturnValues="UPDATED_NEW",
            )
        except client("dynamodb").exceptions.ConditionalCheckFailedException:
            return 0
        return from_item(got["Attributes"])["otp_failures"]

    def update_profile(self, national_code: str, **fields) -> None:
        names = {f"#f{i}": k for i, k in enumerate(fields)}
        sets = ", ".join(f"#f{i} = :f{i}" for i in range(len(fields)))
        client("dynamodb").update_item(
            TableName=self.table,
            Key=person_key(national_code),
            UpdateExpression=f"SET {sets}",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values(**{f"f{i}": v for i, v in enumerate(fields.values())}),
        )

    def get_staff(self, username: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=staff_key(username), ConsistentRead=True)
        return from_item(got.get("Item"))

    def put_staff(self, username: str, password_hash: str, display_name: str) -> None:
        client("dynamodb").put_item(
            TableName=self.table,
            Item=to_item({"pk": f"STAFF#{username}", "username": username, "password_hash": password_hash,
                          "display_name": display_name, "role": "staff"}),
        )

    def put_session(self, session_id: str, subject: str, role: str, expires_at: int, created_at: int) -> None:
        client("dynamodb").put_item(
            TableName=self.table,
            Item=to_item({"pk": f"SESSION#{session_id}", "subject": subject, "role": role,
                          "created_at": created_at, "expires_at_epoch": expires_at}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_session(self, session_id: str) -> dict | None:
        got = client("dynamodb").get_item(TableName=self.table, Key=session_key(session_id))
        return from_item(got.get("Item"))

    def delete_session(self, session_id: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=session_key(session_id))


__all__ = ["UserStore", "is_conditional_failure"]
