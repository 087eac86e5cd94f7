"""A person's request for a statement (an inbox item), the statement frozen when it was asked for, and the
public record of an issued document that /verify shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from chalicelib.domain.model.permits import Permit
from chalicelib.domain.model.signatures import DocumentSignature


class RequestStatus(str, Enum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    DELETED = "deleted"
    EXPIRED = "expired"


LIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.READY, RequestStatus.FAILED)


class MailboxStatus(str, Enum):
    NONE = "none"
    QUEUED = "queued"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    FAILED = "failed"


class DocumentStatus(str, Enum):
    VALID = "valid"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass
class MailboxState:
    status: MailboxStatus = MailboxStatus.NONE
    requested_at: str | None = None
    attempts: int = 0
    delivered_at: str | None = None
    last_error: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class IssuedDocument:
    """The PDF drawn for a request."""

    document_id: str
    s3_key: str
    sha256: str
    size: int
    ready_at: str
    verify_url: str


@dataclass
class StatementRequest:
    national_code: str
    tracking_no: str
    kind: str
    status: RequestStatus
    sent_at: str
    created_at: int
    expires_at: int  # the inbox keeps it until then (longer while a permit outlives it)
    language: str = "fa"  # the document's: "fa" or "en" (for embassies)
    mobile: str = ""
    email: str | None = None
    agreement_version: str = ""
    agreement_sha256: str = ""
    document: IssuedDocument | None = None
    failure: str | None = None
    mailbox: MailboxState = field(default_factory=MailboxState)
    deleted_at: str | None = None
    expired_at: str | None = None
    pdf_removed_at: str | None = None  # a deleted or expired request's PDF is removed right after, or by the cleanup
    document_id: str = ""  # chosen when asked for, so every attempt to draw the PDF writes the same object
    idempotency_key: str | None = None  # the key the person's request came with: a retry recognises its own write
    outdated_since: str | None = None  # the records it covers changed after it was issued
    version: int = 0  # grows with every change of status or permits: writes check it was not changed meanwhile
    permits: list[Permit] = field(default_factory=list)  # read with the request

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def permit(self, permit_id: str) -> Permit | None:
        return next((p for p in self.permits if p.permit_id == permit_id), None)

    def live_permits(self, now: int) -> list[Permit]:
        return [p for p in self.permits if p.is_live(now)]

    @property
    def may_hold_a_pdf(self) -> bool:
        """A PDF may exist for it (drawn, perhaps never published) that nobody has removed yet."""
        return bool(self.document_id) and self.pdf_removed_at is None

    def first_viewed_at(self) -> str | None:
        seen = [p.first_viewed_at for p in self.permits if p.first_viewed_at]
        return min(seen) if seen else None


@dataclass(frozen=True)
class Statement:
    """The statement as asked for: the records of the chosen kind, frozen and compressed, and the agreement text
    the person accepted. Stored apart from the request, so reading the inbox never reads statements."""

    national_code: str
    tracking_no: str
    statement_z: bytes
    agreement_text: str


@dataclass
class PublishedDocument:
    """What /verify tells anyone holding a document id: what was issued, to whom (masked), and whether it still
    stands."""

    document_id: str
    tracking_no: str
    national_code: str
    kind: str
    issued_at: str
    sha256: str
    size: int
    status: DocumentStatus = DocumentStatus.VALID
    first_name: str = ""
    last_name: str = ""
    status_changed_at: str | None = None
    signature: DocumentSignature | None = None  # None: published before statements were signed
    language: str = "fa"
