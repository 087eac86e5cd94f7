"""The national e-mailbox (Iran Pooshe) behind one small interface: `deliver(delivery) -> reference`.

Production posts to the gateway's HTTP API (URL and credentials from configuration); the local stack writes
the PDF under `.local/mailbox/` and a line in the contract's outbox."""
from __future__ import annotations

import base64
import json
import os
import urllib.request

from chalicelib.domain.ports import MailboxGateway


class MailboxError(Exception):
    """The gateway did not take the delivery; it will be retried."""


class OutboxMailbox(MailboxGateway):
    def __init__(self, outbox):
        self.outbox = outbox

    def deliver(self, delivery: dict, pdf: bytes) -> str:
        folder = os.path.join(os.path.dirname(os.path.abspath(self.outbox.path)), "mailbox")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{delivery['document_id']}.pdf")
        with open(path, "wb") as out:
            out.write(pdf)
        # The document id is the delivery's idempotency key: delivered twice, it is in the mailbox once.
        self.outbox.append("mailbox", delivery["mobile"], delivery["subject"], message_id=f"mailbox-{delivery['document_id']}",
                           national_code=delivery["national_code"], tracking_no=delivery["tracking_no"],
                           document_id=delivery["document_id"], sha256=delivery["sha256"], file=path)
        return f"IP-{delivery['document_id']}"  # shaped like the gateway's own references (devstack/fake_providers.py)


class HttpMailbox(MailboxGateway):
    def __init__(self, url: str, credentials: str, timeout: float = 10.0):
        self.url = url
        self.credentials = credentials
        self.timeout = timeout

    def deliver(self, delivery: dict, pdf: bytes) -> str:
        body = json.dumps({**delivery, "pdf_base64": base64.b64encode(pdf).decode()}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.credentials}",
            "Idempotency-Key": delivery["document_id"],
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                reply = json.loads(answer.read() or b"{}")
                return str(reply.get("reference", delivery["document_id"]))
        except (OSError, ValueError) as exc:
            raise MailboxError(f"gateway refused or unreachable: {exc.__class__.__name__}") from exc
