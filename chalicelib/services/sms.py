"""Sending a queued text message through the provider, once, within the day's spending cap.

SQS drives the retries: a failed attempt is recorded and re-raised so the message comes back; after the last
attempt it rests in the dead-letter queue. A message already sent (a redelivered SQS message) is not sent again.
Each send is counted against the day's cap before it goes out; past the cap, messages are held (recorded, logged
for the alarm, left to the dead-letter queue) instead of running up the bill."""
from __future__ import annotations

from chalicelib.domain.clock import Clock, iso, utc_day
from chalicelib.domain.identifiers import mask_mobile
from chalicelib.domain.model.messages import SmsDelivery, SmsStatus
from chalicelib.domain.ports import SmsDeliveries, SmsGateway
from chalicelib.logs import log

MAX_ATTEMPTS = 3
KEEP_RECORD_SECONDS = 30 * 86_400


class SendFailed(Exception):
    pass


class SmsService:
    def __init__(self, *, deliveries: SmsDeliveries, gateway: SmsGateway, daily_cap: int, clock: Clock):
        self.deliveries = deliveries
        self.gateway = gateway
        self.daily_cap = daily_cap
        self.clock = clock

    def deliver(self, message: dict, attempt: int) -> str:
        message_id, mobile, text = message["message_id"], message["mobile"], message["text"]
        earlier = self.deliveries.get(message_id)
        if earlier and earlier.status is SmsStatus.SENT:
            return "skipped"
        now = self.clock.epoch()
        delivery = earlier or SmsDelivery(message_id, mask_mobile(mobile), SmsStatus.RETRYING, 0,
                                          message.get("queued_at") or iso(now), now + KEEP_RECORD_SECONDS)
        delivery.attempts = attempt
        sent_today = self.deliveries.count_send(utc_day(now).isoformat(), now)
        if sent_today > self.daily_cap:
            delivery.status, delivery.last_error = SmsStatus.HELD, "daily cap"
            self.deliveries.save(delivery)
            log("sms_cap_reached", "WARNING", message_id=message_id, sent_today=sent_today, cap=self.daily_cap)
            raise SendFailed("the day's SMS cap is reached")
        try:
            delivery.provider_ref = self.gateway.send(message_id, mobile, text)
        except Exception as exc:  # noqa: BLE001 - every provider failure is retried the same way
            delivery.status = SmsStatus.FAILED if attempt >= MAX_ATTEMPTS else SmsStatus.RETRYING
            delivery.last_error = type(exc).__name__
            self.deliveries.save(delivery)
            log("sms_failed", "WARNING", message_id=message_id, attempt=attempt, error=str(exc)[:200])
            raise SendFailed(str(exc)) from exc
        delivery.status, delivery.sent_at, delivery.last_error = SmsStatus.SENT, iso(self.clock.epoch()), None
        self.deliveries.save(delivery)
        log("sms_sent", message_id=message_id, attempt=attempt, provider_ref=delivery.provider_ref)
        return "sent"
