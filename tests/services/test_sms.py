"""Sending a queued text message: once, retried through SQS, within the day's spending cap."""
from __future__ import annotations

import pytest

from chalicelib.domain.model.messages import SmsStatus
from chalicelib.services.sms import SendFailed


def message(n: int = 1) -> dict:
    return {"message_id": f"m-{n}", "mobile": "09121234567", "text": "سابقه: کد فعال‌سازی شما ۱۲۳۴۵۶ است.",
            "queued_at": "2025-06-15T08:30:00Z"}


def test_a_message_is_sent_once_and_its_delivery_recorded_without_its_text(services):
    gateway = services.adapters.sms_gateway
    assert services.sms.deliver(message(), 1) == "sent"
    assert services.sms.deliver(message(), 2) == "skipped"  # SQS delivered it again
    assert gateway.sent == [("m-1", "09121234567", message()["text"])]
    record = services.adapters.sms_deliveries.get("m-1")
    assert record.status is SmsStatus.SENT and record.provider_ref == "memory:m-1" and record.sent_at
    assert record.mobile_masked == "0912***4567" and "۱۲۳۴۵۶" not in str(record)


def test_a_provider_failure_is_retried_and_after_the_third_attempt_marked_failed(build):
    class Down:
        def send(self, message_id, mobile, text):
            raise ConnectionError("provider down")

    services = build(sms_gateway=Down())
    for attempt in (1, 2):
        with pytest.raises(SendFailed):
            services.sms.deliver(message(), attempt)
        assert services.adapters.sms_deliveries.get("m-1").status is SmsStatus.RETRYING
    with pytest.raises(SendFailed):
        services.sms.deliver(message(), 3)
    record = services.adapters.sms_deliveries.get("m-1")
    assert record.status is SmsStatus.FAILED and record.attempts == 3 and record.last_error == "ConnectionError"


def test_past_the_days_cap_messages_are_held_not_sent(build, settings):
    import dataclasses

    from chalicelib.bootstrap import in_memory

    capped = in_memory(dataclasses.replace(settings, sms_daily_cap=2))
    assert [capped.sms.deliver(message(n), 1) for n in (1, 2)] == ["sent", "sent"]
    with pytest.raises(SendFailed):
        capped.sms.deliver(message(3), 1)
    assert capped.adapters.sms_deliveries.get("m-3").status is SmsStatus.HELD
    assert len(capped.adapters.sms_gateway.sent) == 2
