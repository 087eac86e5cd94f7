"""The providers' HTTP gateways (IPPanel SMS, the national e-mailbox) against stand-ins that check credentials and
answer in the providers' shapes (devstack/fake_providers.py)."""
from __future__ import annotations

import pytest

from chalicelib.storage.mailbox_gateway import HttpMailbox, MailboxError
from chalicelib.storage.sms import IppanelSms, SmsGatewayError


@pytest.fixture
def providers():
    from devstack.fake_providers import FakeProviders

    running = FakeProviders().start()
    yield running
    running.stop()


def test_sms_goes_to_the_provider_in_e164_from_the_sender_line(providers):
    gateway = IppanelSms(providers.sms_url, providers.sms_api_key, "+983000505")
    reference = gateway.send("m-1", "09121234567", "سابقه: کد فعال‌سازی شما ۱۲۳۴۵۶ است.")
    assert reference == "1000001"
    assert providers.sms == [{"to": "+989121234567", "from": "+983000505",
                              "text": "سابقه: کد فعال‌سازی شما ۱۲۳۴۵۶ است."}]


def test_a_refused_or_failing_provider_raises_so_the_message_is_retried(providers):
    with pytest.raises(SmsGatewayError):
        IppanelSms(providers.sms_url, "wrong-key", "+983000505").send("m-1", "09121234567", "x")
    providers.fail_next = 1
    with pytest.raises(SmsGatewayError):
        IppanelSms(providers.sms_url, providers.sms_api_key, "+983000505").send("m-2", "09121234567", "x")
    with pytest.raises(SmsGatewayError):
        IppanelSms("http://127.0.0.1:9", providers.sms_api_key, "+983000505", timeout=1).send("m-3", "09121234567", "x")
    assert providers.sms == []


def test_the_mailbox_delivery_carries_its_idempotency_key_so_a_retry_delivers_once(providers):
    gateway = HttpMailbox(providers.mailbox_url, providers.mailbox_credentials)
    delivery = {"national_code": "0499370899", "mobile": "09120000000", "tracking_no": "1000000001",
                "document_id": "Q7K2M9XD4PRT", "sha256": "ab" * 32, "subject": "اعلام سابقه به موسسات — 1000000001"}
    first = gateway.deliver(delivery, b"%PDF-1.7 statement")
    again = gateway.deliver(delivery, b"%PDF-1.7 statement")
    assert first == again == "IP-000001" and len(providers.mailbox) == 1
    with pytest.raises(MailboxError):
        HttpMailbox(providers.mailbox_url, "wrong").deliver({**delivery, "document_id": "OTHER0000001"}, b"%PDF")


def test_the_mobile_ownership_check_never_guesses_yes():
    from chalicelib.domain.errors import Unavailable
    from chalicelib.storage.mobile_ownership import HttpMobileOwnership

    with pytest.raises(ValueError):
        HttpMobileOwnership("http://shahkar.example/match", "k")  # the national codes travel: https only
    with pytest.raises(Unavailable) as unconfigured:
        HttpMobileOwnership("https://127.0.0.1:9/match", lambda: "").owns("0499370899", "09120000000")
    assert unconfigured.value.status == 503 and unconfigured.value.code == "ownership_unavailable"
    with pytest.raises(Unavailable):  # nobody answers: no code is sent anywhere
        HttpMobileOwnership("https://127.0.0.1:9/match", "k", timeout=1).owns("0499370899", "09120000000")
