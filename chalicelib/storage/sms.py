"""Texting people. On AWS a message is only queued (`QueuedSms`); the send_sms worker hands it to the provider's
HTTP API (`IppanelSms`: SNS cannot deliver to Iranian operators). The local stack writes the outbox instead."""
from __future__ import annotations

import json
import urllib.request
import uuid

from chalicelib.domain.ports import Sms, SmsGateway, WorkQueue
from chalicelib.storage.outbox import OutboxFile


class OutboxSms(Sms):
    def __init__(self, outbox: OutboxFile):
        self.outbox = outbox

    def send(self, mobile: str, text: str, message_id: str | None = None) -> None:
        self.outbox.append("sms", mobile, text, message_id=message_id or uuid.uuid4().hex)


class QueuedSms(Sms):
    """The request that texts someone never waits for (or fails with) the provider: the message joins the SMS queue,
    whose worker retries it and finally parks it in the dead-letter queue."""

    def __init__(self, queue: WorkQueue):
        self.queue = queue

    def send(self, mobile: str, text: str, message_id: str | None = None) -> None:
        from chalicelib.domain.clock import Clock, iso

        self.queue.send({"message_id": message_id or uuid.uuid4().hex, "mobile": mobile, "text": text,
                         "queued_at": iso(Clock().epoch())})


class SmsGatewayError(Exception):
    """The provider did not take the message; it will be retried."""


class IppanelSms(SmsGateway):
    """IPPanel Edge's send API (https://edge.ippanel.com/v1): `POST /api/send` with the API key in `Authorization`,
    a "webservice" send of one text to one recipient in E.164 form."""

    def __init__(self, base_url: str, api_key: str, sender: str, timeout: float = 8.0):
        self.url = base_url.rstrip("/") + "/api/send"
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout

    def send(self, message_id: str, mobile: str, text: str) -> str:
        body = json.dumps({"sending_type": "webservice", "from_number": self.sender, "message": text,
                           "params": {"recipients": [e164(mobile)]}}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": self.api_key, "Idempotency-Key": message_id})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                reply = json.loads(answer.read() or b"{}")
        except (OSError, ValueError) as exc:
            raise SmsGatewayError(f"provider refused or unreachable: {exc.__class__.__name__}") from exc
        meta, data = reply.get("meta") or {}, reply.get("data") or {}
        if meta.get("status") is not True:
            raise SmsGatewayError(f"provider answered {meta.get('message_code', 'without a status')}")
        return ",".join(str(i) for i in data.get("message_outbox_ids") or []) or message_id


def e164(mobile: str) -> str:
    """09121234567 -> +989121234567 (the service keeps mobiles in the national form)."""
    return "+98" + mobile[1:] if mobile.startswith("0") else mobile
