"""SmsDeliveries: each message's delivery status, and the day's count of sends behind the spending cap."""
from __future__ import annotations

import threading

from chalicelib.domain.model.messages import SmsDelivery, SmsStatus

NOW = 1_795_600_000


def test_a_delivery_record_round_trips_and_is_replaced_as_it_moves_on(store):
    assert store.sms_deliveries.get("m-1") is None
    record = SmsDelivery("m-1", "0912***4567", SmsStatus.RETRYING, 1, "2026-11-25T08:00:00Z", NOW + 86_400,
                         last_error="SmsGatewayError")
    store.sms_deliveries.save(record)
    assert store.sms_deliveries.get("m-1") == record
    sent = SmsDelivery("m-1", "0912***4567", SmsStatus.SENT, 2, "2026-11-25T08:00:00Z", NOW + 86_400,
                       provider_ref="1123594208", sent_at="2026-11-25T08:00:09Z")
    store.sms_deliveries.save(sent)
    assert store.sms_deliveries.get("m-1") == sent
    assert store.sms_deliveries.get("m-2") is None


def test_each_day_counts_its_own_sends(store):
    assert [store.sms_deliveries.count_send("2026-11-25", NOW) for _ in range(3)] == [1, 2, 3]
    assert store.sms_deliveries.count_send("2026-11-26", NOW + 86_400) == 1


def test_sends_counted_at_once_are_all_counted(store):
    counts = []

    def count():
        counts.append(store.sms_deliveries.count_send("2026-11-25", NOW))

    threads = [threading.Thread(target=count) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == list(range(1, 9))
