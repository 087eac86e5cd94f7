"""SMS: through SNS on AWS; into the outbox file on the local stack."""
from __future__ import annotations

from chalicelib.domain.ports import Sms
from chalicelib.storage.outbox import OutboxFile


class OutboxSms(Sms):
    def __init__(self, outbox: OutboxFile):
        self.outbox = outbox

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append("sms", mobile, text)


class SnsSms(Sms):
    def send(self, mobile: str, text: str) -> None:
        from chalicelib.storage.aws import client

        client("sns").publish(
            PhoneNumber="+98" + mobile[1:], Message=text,
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}})
