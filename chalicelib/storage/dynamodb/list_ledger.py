"""Which list each workshop's month stands on, in the records table: one item per month,
`LISTMONTH#<workshop code>#<yyyymm>` / `STATE`, holding the standing list (id and sha-256) and the claim of the
list being written now (id, sha-256 and since when). Two attributes decide everything, and every write is
conditional on what was read, so two lists of one month never write it at once."""
from __future__ import annotations

from botocore.exceptions import ClientError

from chalicelib.domain.model.employer_lists import Claim, MonthClaim, WorkshopMonth
from chalicelib.domain.ports import ListLedger
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, values

ATTEMPTS = 4  # reads and conditional writes, when another list changes the item in between


class ListMonthItem:
    @staticmethod
    def key(month: WorkshopMonth) -> dict:
        return key_of(pk=f"LISTMONTH#{month.workshop_code}#{month.year:04d}{month.month:02d}", sk="STATE")


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoListLedger(ListLedger):
    def __init__(self, table: str):
        self.table = table

    def _state(self, month: WorkshopMonth) -> dict:
        got = client("dynamodb").get_item(TableName=self.table, Key=ListMonthItem.key(month), ConsistentRead=True)
        return from_item(got.get("Item")) or {}

    def standing(self, month: WorkshopMonth) -> str | None:
        return self._state(month).get("list_id")

    def claim(self, month: WorkshopMonth, list_id: str, sha256: str, now: int, stale_after: int) -> MonthClaim:
        for _ in range(ATTEMPTS):
            state = self._state(month)
            standing, claimant = state.get("list_id"), state.get("claimed_by")
            if standing == list_id:
                return MonthClaim(Claim.DONE, standing)
            if state.get("sha256") == sha256 and claimant in (None, list_id):
                return MonthClaim(Claim.DUPLICATE, standing)
            if claimant not in (None, list_id) and state.get("claimed_at", 0) > now - stale_after:
                return MonthClaim(Claim.BUSY, claimant)
            # Claimed only if nobody else claimed or committed since the read.
            condition = ("attribute_not_exists(list_id)" if standing is None else "list_id = :standing")
            condition += (" AND attribute_not_exists(claimed_by)" if claimant is None
                          else " AND claimed_by = :claimant AND claimed_at = :claimed_at")
            named = {"me": list_id, "sha": sha256, "now": now}
            if standing is not None:
                named["standing"] = standing
            if claimant is not None:
                named.update(claimant=claimant, claimed_at=state["claimed_at"])
            try:
                client("dynamodb").update_item(
                    TableName=self.table, Key=ListMonthItem.key(month),
                    UpdateExpression="SET claimed_by = :me, claimed_sha256 = :sha, claimed_at = :now",
                    ConditionExpression=condition, ExpressionAttributeValues=values(**named))
                return MonthClaim(Claim.GO, standing)
            except ClientError as exc:
                if not _conditional_failed(exc):
                    raise
        return MonthClaim(Claim.BUSY, None)

    def commit(self, month: WorkshopMonth, list_id: str, sha256: str, now: int) -> None:
        try:
            client("dynamodb").update_item(
                TableName=self.table, Key=ListMonthItem.key(month),
                UpdateExpression="SET list_id = :me, sha256 = :sha, committed_at = :now "
                                 "REMOVE claimed_by, claimed_sha256, claimed_at",
                ConditionExpression="claimed_by = :me OR list_id = :me",
                ExpressionAttributeValues=values(me=list_id, sha=sha256, now=now))
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            raise RuntimeError(f"list {list_id} no longer holds the claim of {month.label} at "
                               f"{month.workshop_code}") from None
