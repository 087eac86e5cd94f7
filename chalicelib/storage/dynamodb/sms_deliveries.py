"""Each text message's delivery status (`SMS#<message id>` in the users table, kept 30 days) and the day's count of
messages sent (`sms-day#<YYYY-MM-DD>` in the throttles table, one atomic ADD per send)."""
from __future__ import annotations

from chalicelib.domain.model.messages import SmsDelivery, SmsStatus
from chalicelib.domain.ports import SmsDeliveries
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import from_item, key_of, to_item, values

COUNTER_DAYS = 3  # the day's counter outlives its day a little: a late retry still counts against it


class SmsDeliveryItem:
    @staticmethod
    def key(message_id: str) -> dict:
        return key_of(pk=f"SMS#{message_id}")

    @staticmethod
    def to_item(d: SmsDelivery) -> dict:
        return {"pk": f"SMS#{d.message_id}", "mobile_masked": d.mobile_masked, "status": d.status.value,
                "attempts": d.attempts, "queued_at": d.queued_at, "expires_at_epoch": d.expires_at,
                "provider_ref": d.provider_ref, "last_error": d.last_error, "sent_at": d.sent_at}

    @staticmethod
    def from_item(item: dict) -> SmsDelivery:
        return SmsDelivery(message_id=item["pk"].split("#", 1)[1], mobile_masked=item.get("mobile_masked", ""),
                           status=SmsStatus(item["status"]), attempts=item.get("attempts", 0),
                           queued_at=item.get("queued_at", ""), expires_at=item.get("expires_at_epoch", 0),
                           provider_ref=item.get("provider_ref"), last_error=item.get("last_error"),
                           sent_at=item.get("sent_at"))


class DynamoSmsDeliveries(SmsDeliveries):
    def __init__(self, users_table: str, throttles_table: str):
        self.users_table = users_table
        self.throttles_table = throttles_table

    def get(self, message_id: str) -> SmsDelivery | None:
        got = client("dynamodb").get_item(TableName=self.users_table, Key=SmsDeliveryItem.key(message_id),
                                          ConsistentRead=True)
        item = from_item(got.get("Item"))
        return SmsDeliveryItem.from_item(item) if item else None

    def save(self, delivery: SmsDelivery) -> None:
        client("dynamodb").put_item(TableName=self.users_table, Item=to_item(SmsDeliveryItem.to_item(delivery)))

    def count_send(self, day: str, now: int) -> int:
        answer = client("dynamodb").update_item(
            TableName=self.throttles_table, Key=key_of(pk=f"sms-day#{day}"),
            UpdateExpression="ADD sent :one SET expires_at_epoch = if_not_exists(expires_at_epoch, :exp)",
            ExpressionAttributeValues=values(one=1, exp=now + COUNTER_DAYS * 86_400), ReturnValues="UPDATED_NEW")
        return from_item(answer["Attributes"])["sent"]
