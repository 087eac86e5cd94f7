"""Files, queues, SMS, the e-mailbox and keys, in memory: each remembers what it was given, for tests to read."""
from __future__ import annotations

import hashlib

from chalicelib.domain.ports import DocumentFiles, Keys, MailboxGateway, MobileOwnership, Sms, SmsGateway, WorkQueue


class MemoryFiles(DocumentFiles):
    def __init__(self, presign_seconds: int = 300):
        self.presign_seconds = presign_seconds
        self.objects: dict[str, bytes] = {}
        self.upload_links: list[dict] = []

    def key_for(self, national_code: str, tracking_no: str, document_id: str) -> str:
        return f"statements/{national_code}/{tracking_no}/{document_id}.pdf"

    def put(self, key: str, pdf: bytes, sha256: str) -> None:
        self.objects[key] = pdf

    def get(self, key: str) -> bytes:
        return self.objects[key]

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def link(self, key: str, filename: str) -> str:
        return f"memory://{key}?filename={filename}&expires={self.presign_seconds}"

    def upload_link(self, key: str, content_type: str, size: int) -> str:
        url = f"memory-put://{key}?type={content_type}&size={size}&expires={self.presign_seconds}"
        self.upload_links.append({"url": url, "key": key, "content_type": content_type, "size": size})
        return url

    def download_link(self, key: str, filename: str, content_type: str) -> str:
        return f"memory://{key}?filename={filename}&type={content_type}&expires={self.presign_seconds}"


class MemoryQueue(WorkQueue):
    def __init__(self):
        self.messages: list[dict] = []

    def send(self, message: dict) -> None:
        self.messages.append(dict(message))

    def take_all(self) -> list[dict]:
        taken, self.messages = self.messages, []
        return taken


class RecordingSms(Sms):
    """Keeps each message once per message id, as the SMS worker delivers it."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self._ids: set[str] = set()

    def send(self, mobile: str, text: str, message_id: str | None = None) -> None:
        if message_id is not None and message_id in self._ids:
            return
        if message_id is not None:
            self._ids.add(message_id)
        self.sent.append((mobile, text))


class RecordingSmsGateway(SmsGateway):
    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def send(self, message_id: str, mobile: str, text: str) -> str:
        self.sent.append((message_id, mobile, text))
        return f"memory:{message_id}"


class RecordingMailbox(MailboxGateway):
    def __init__(self):
        self.delivered: list[dict] = []

    def deliver(self, delivery: dict, pdf: bytes) -> str:
        self.delivered.append({**delivery, "pdf_sha256": hashlib.sha256(pdf).hexdigest()})
        return f"memory:{delivery['document_id']}"


class StaticKeys(Keys):
    def __init__(self, secret: dict[str, str] | None = None):
        from chalicelib.domain.keys import KEY_NAMES, generate_key

        self.secret = secret or {name: generate_key() for name in KEY_NAMES}

    def key(self, name: str) -> bytes:
        from chalicelib.domain.keys import key_bytes

        return key_bytes(name, self.secret[name])

    def text(self, name: str) -> str:
        return str(self.secret.get(name, ""))


class MemoryMobileOwnership(MobileOwnership):
    """The operators' directory in memory: `add_line` declares who holds a line."""

    def __init__(self):
        self.lines: dict[str, set[str]] = {}

    def owns(self, national_code: str, mobile: str) -> bool:
        return mobile in self.lines.get(national_code, set())

    def add_line(self, national_code: str, mobile: str) -> None:
        self.lines.setdefault(national_code, set()).add(mobile)
