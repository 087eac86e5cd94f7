"""The success bodies of the HTTP contract, as pydantic models: the response schemas of the OpenAPI documents.

Only chalicelib/http/openapi.py imports this module (no route does: answers are plain dicts built by the services,
and request handling never pays for these classes). Each model states what the service always returns: the fields
it always writes are required, a value that may be missing is nullable. Models allow more fields than they name,
as the contract grows by adding fields (`docs/api-extensions.md`); a field a model names must keep its type.

Where the shapes come from: services/accounts.py (sessions, profile), domain/service_days.py (records), services/
timeline.py (activity), domain/presenting.py (inbox items and permits), services/statements.py, services/
permits.py, services/objections.py, services/lists.py, services/inquiry.py and domain/snapshot.py."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ISO_UTC = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
JALALI_DATE = r"^[0-9]{4}/[0-9]{2}/[0-9]{2}$"
JALALI_DATETIME = r"^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}$"
JALALI_MONTH = r"^[0-9]{4}/[0-9]{2}$"
TRACKING_NO = r"^[0-9]{1,20}$"
SHA256 = r"^[0-9a-f]{64}$"

StatementKind = Literal["summary", "wages", "combined"]
Language = Literal["fa", "en"]


def _iso(description: str = "ISO 8601 time, UTC") -> Any:
    return Field(pattern=ISO_UTC, description=description)


def _jalali(description: str = "Jalali date (Tehran)") -> Any:
    return Field(pattern=JALALI_DATE, description=description)


class Answer(BaseModel):
    """The fields an answer always carries; later versions may add more."""

    model_config = ConfigDict(extra="allow")


# --- accounts -----------------------------------------------------------------------------------------------------
class Registered(Answer):
    status: Literal["pending_activation"]
    otp_expires_in: int = Field(description="seconds the one-time code sent by SMS stays valid")


class Activated(Answer):
    status: Literal["active"]


class Session(Answer):
    token: str = Field(min_length=1, description="send as 'Authorization: Bearer <token>'")
    expires_at: str = _iso("when the token stops working")
    expires_in: int = Field(ge=1, description="seconds")
    device_token: str | None = Field(default=None, description="insured logins: send it with the next login from "
                                     "this browser, to be known as a device that logged in before")


class PasswordResetStarted(Answer):
    """The same answer whether or not the national code and mobile matched."""

    status: Literal["code_sent_if_matched"]
    otp_expires_in: int = Field(description="seconds a code sent by SMS stays valid")


class PasswordResetDone(Answer):
    status: Literal["reset"]


class PasswordChanged(Session):
    """Every other session ended; this one goes on with the new token."""

    status: Literal["changed"]


class Profile(Answer):
    national_code: str = Field(pattern=r"^[0-9]{10}$")
    first_name: str
    last_name: str
    name: str
    father_name: str
    birth_date: str | None = _jalali("Jalali birth date")
    insurance_no: str
    mobile: str
    mobile_masked: str = Field(description="the mobile on file as pages show it: 0912***4567")
    email: str | None


# --- records ------------------------------------------------------------------------------------------------------
class HistoryRow(Answer):
    year: int
    workshop_code: str
    workshop_name: str
    months: list[int] = Field(min_length=12, max_length=12, description="days reported in each month, Farvardin first")
    days: int


class YearDays(Answer):
    year: int
    credited_days: int


class Totals(Answer):
    days: int
    years: int
    months: int
    days_remainder: int


class HistoryTotals(Totals):
    reported_days: int
    overlap_days: int


class History(Answer):
    rows: list[HistoryRow]
    years: list[YearDays]
    totals: HistoryTotals
    rule: str = Field(description="how days are counted as years and months")


class Records(History):
    national_code: str


class WorkshopWage(Answer):
    workshop_code: str
    workshop_name: str
    days: int
    wage: int = Field(description="Rials")
    insurable_wage: int = Field(description="Rials")
    job: str


class MonthWages(Answer):
    year: int
    month: int = Field(ge=1, le=12)
    month_jalali: str = Field(pattern=JALALI_MONTH)
    credited_days: int
    workshops: list[WorkshopWage]
    wage: int
    insurable_wage: int


class WageTotals(Answer):
    wage: int
    insurable_wage: int
    credited_days: int


class WagesView(Answer):
    year: int | None = Field(description="the year asked for, or null for every year")
    months: list[MonthWages]
    totals: WageTotals


class Wages(WagesView):
    national_code: str


# --- activity -----------------------------------------------------------------------------------------------------
class ActivityItem(Answer):
    id: str
    kind: str
    at: str = _iso()
    at_jalali: str = Field(pattern=JALALI_DATETIME)
    title_fa: str
    title_en: str
    details: dict[str, Any]


class ActivityPage(Answer):
    items: list[ActivityItem]
    next: str | None = Field(description="the cursor of the next page; null on the last")


# --- statements ---------------------------------------------------------------------------------------------------
class AgreementText(Answer):
    title: str
    items: list[str]


class Agreement(Answer):
    version: str
    fa: AgreementText
    en: AgreementText


class StatementRequested(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    status: Literal["pending", "ready", "failed"]
    kind: StatementKind
    language: Language = Field(description="the document's language: fa (Persian) or en (English)")
    subject: str
    system: str
    sent_at: str = _iso()
    sent_at_jalali: str | None = _jalali()


class LastView(Answer):
    at: str = Field(description="ISO time with milliseconds")
    at_jalali: str | None = _jalali()
    browser: str = Field(description='"Chrome on Windows", or a program\'s own name')


class PermitView(Answer):
    permit_id: str
    validity: Literal["day", "week", "month", "year"]
    issued_at: str = _iso()
    issued_at_jalali: str | None = _jalali()
    expires_at: str = _iso()
    expires_at_jalali: str | None = _jalali()
    status: Literal["active", "revoked", "expired"]
    revoked_at: str | None = _iso()
    revoked_at_jalali: str | None = _jalali()
    first_viewed_at: str | None = _iso()
    first_viewed_at_jalali: str | None = _jalali()
    views: int = Field(ge=0)
    label: str = Field(max_length=60, description="whom it is for, in the person's words (may be empty)")
    last_view: LastView | None = Field(description="the latest institution view: when, and the browser in words")


class Mailbox(Answer):
    status: Literal["none", "queued", "retrying", "delivered", "failed"]
    delivered_at: str | None = _iso()
    delivered_at_jalali: str | None = _jalali()
    attempts: int = Field(ge=0)


class InboxItem(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    sent_at: str = _iso()
    sent_at_jalali: str | None = _jalali()
    system: str
    subject: str
    kind: StatementKind
    language: Language = Field(description="the document's language: fa (Persian) or en (English)")
    kind_title: str
    national_code: str
    mobile: str
    email: str | None
    viewed_at: str | None = _iso("the first view by an institution")
    viewed_at_jalali: str | None = _jalali()
    inquirable_until: str | None = _iso("when the last live permit ends; null without one")
    inquirable_until_jalali: str | None = _jalali()
    permits: list[PermitView]
    status: Literal["pending", "ready", "failed"]
    failure: str | None
    mailbox: Mailbox
    document_id: str | None
    outdated: bool = Field(description="the records it covers changed after it was issued")
    outdated_since: str | None
    outdated_since_jalali: str | None = _jalali()


class Inbox(Answer):
    items: list[InboxItem]
    next: str | None = Field(description="the cursor of the next page; null on the last")


class DocumentLink(Answer):
    url: str = Field(description="a presigned GET of the PDF")
    expires_in: int = Field(ge=1, description="seconds")
    sha256: str = Field(pattern=SHA256)
    document_id: str


class PermitIssued(Answer):
    permit_id: str
    passcode: str = Field(description="shown only in this answer: three groups of five digits")
    validity: Literal["day", "week", "month", "year"]
    expires_at: str = _iso()
    expires_at_jalali: str | None = _jalali()
    tracking_no: str = Field(pattern=TRACKING_NO)
    label: str = Field(max_length=60, description="whom it is for, in the person's words (may be empty)")


class MailboxRequested(Answer):
    status: Literal["queued", "retrying", "delivered", "failed", "none"]
    tracking_no: str = Field(pattern=TRACKING_NO)


class MaskedHolder(Answer):
    national_code_masked: str
    name_masked: str


class RecordedSignature(Answer):
    """The PAdES signature the issued PDF carries, as recorded when it was signed."""

    format: Literal["PAdES-B-B"]
    signer: str = Field(description="the signing certificate's common name")
    organisation: str = Field(description="the signing certificate's organisation")
    signed_at: str = _iso("the time the signature states: the statement's issue time")
    signed_at_jalali: str | None = _jalali()
    certificate_sha256: str = Field(pattern=SHA256, description="SHA-256 fingerprint of the signing certificate")
    valid: bool = Field(description="validated right after signing against the Organization's trust root")


class Verification(Answer):
    document_id: str
    status: Literal["valid", "withdrawn", "expired"]
    valid: bool
    tracking_no: str
    kind: StatementKind
    language: Language = Field(description="the document's language: fa (Persian) or en (English)")
    issued_at: str = _iso()
    issued_at_jalali: str | None = _jalali()
    holder: MaskedHolder
    sha256: str = Field(pattern=SHA256)
    size: int = Field(ge=0, description="bytes of the PDF")
    signature: RecordedSignature | None = Field(description="null for a document issued before statements were "
                                                "signed (it still verifies by its SHA-256)")


class FileSignature(Answer):
    """A file's own signature, checked when it was sent."""

    signed: bool = Field(description="the file carries a signature at all")
    valid: bool = Field(description="all of intact, cryptographically valid, trusted and covering the whole file")
    intact: bool = Field(description="the signed bytes are unchanged")
    cryptographically_valid: bool
    trusted: bool = Field(description="the certificate chains to the Organization's trust root")
    whole_file: bool = Field(description="nothing was added to the file after it was signed")
    signer: str | None
    organisation: str | None
    signed_at: str | None = _iso("the time the signature states")
    signed_at_jalali: str | None = _jalali()
    certificate_sha256: str | None = Field(pattern=SHA256)
    same_certificate: bool | None = Field(description="signed with the certificate the issued document was; null "
                                          "when that document was issued unsigned")


class FileCheck(Answer):
    document_id: str
    status: Literal["valid", "withdrawn", "expired"]
    valid: bool = Field(description="the document issued under this id still stands")
    sha256: str = Field(pattern=SHA256, description="the file's SHA-256")
    size: int = Field(ge=0, description="bytes of the file")
    same_file: bool = Field(description="the file is, byte for byte, the document issued under this id")
    signature: FileSignature


# --- objections ---------------------------------------------------------------------------------------------------
class ObjectionFiled(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    status: Literal["submitted"]
    upload_url: str | None = Field(default=None, description="with an attachment: a presigned PUT for it")
    upload_expires_in: int | None = Field(default=None, description="seconds")


class Correction(Answer):
    year: int
    month: int = Field(ge=1, le=12)
    workshop_code: str
    days: int
    wage: int


class AttachmentShown(Answer):
    filename: str
    size: int
    url: str | None = Field(default=None, description="staff only: a presigned GET")


class Objection(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    kind: Literal["missing", "deficient"]
    workshop_code: str
    from_: str = Field(alias="from", pattern=JALALI_MONTH)
    to: str = Field(pattern=JALALI_MONTH)
    description: str
    status: Literal["submitted", "accepted", "rejected"]
    submitted_at: str = _iso()
    submitted_at_jalali: str | None = _jalali()
    decided_at: str | None = _iso()
    decided_at_jalali: str | None = _jalali()
    decision_reason: str | None
    corrections: list[Correction]
    attachment: AttachmentShown | None


class Objections(Answer):
    items: list[Objection]


class MonthRecord(Answer):
    year: int
    month: int
    workshop_code: str
    workshop_name: str
    days: int
    wage: int


class WaitingObjection(Objection):
    national_code: str
    name: str
    records: list[MonthRecord] = Field(description="what the registry holds for the objection's months")


class WaitingObjections(Answer):
    items: list[WaitingObjection]


class ObjectionDecided(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    status: Literal["accepted", "rejected"]


# --- employers' lists ---------------------------------------------------------------------------------------------
class ListUploadLink(Answer):
    filename: str
    upload_url: str
    content_type: str


class ListUploadStarted(Answer):
    list_id: str
    upload_url: str = Field(description="a presigned PUT for the (first) file")
    content_type: str = Field(description="send it with the PUT: it is signed")
    uploads: list[ListUploadLink]
    expires_in: int
    max_bytes: int
    status: Literal["received"]


class Finding(Answer):
    code: str
    message: str


class AcceptedRow(Answer):
    row: int
    national_code: str


class RejectedRow(Answer):
    row: int
    national_code: str | None
    reasons: list[str]


class ListReport(Answer):
    list_id: str
    status: Literal["received", "processing", "processed", "rejected", "duplicate"]
    accepted: list[AcceptedRow]
    rejected: list[RejectedRow]
    filename: str | None = None
    files: list[str] | None = None
    uploaded_by: str | None = None
    received_at: str | None = Field(default=None, pattern=ISO_UTC)
    processed_at: str | None = Field(default=None, pattern=ISO_UTC)
    totals: dict[str, Any] | None = None
    warnings: list[Finding] | None = None
    errors: list[Finding] | None = None


# --- the inquiry function -----------------------------------------------------------------------------------------
class Holder(Answer):
    national_code: str
    first_name: str
    last_name: str
    father_name: str
    birth_date_jalali: str | None
    insurance_no: str


class StatementContent(Answer):
    """The statement as issued, frozen when the person asked for it."""

    kind: StatementKind
    totals: Totals
    history: History | None = Field(default=None, description="summary and combined statements")
    wages: WagesView | None = Field(default=None, description="wages and combined statements")
    holder: Holder


class InquiryAnswer(Answer):
    tracking_no: str = Field(pattern=TRACKING_NO)
    kind: StatementKind
    language: Language = Field(description="the document's language: fa (Persian) or en (English)")
    holder: Holder
    statement: StatementContent
    document_id: str
    document_url: str = Field(description="a presigned GET of the PDF, short-lived")
    document_url_expires_in: int
    sha256: str = Field(pattern=SHA256)
    verify_url: str
    issued_at: str = _iso()
    issued_at_jalali: str | None = _jalali()
    inquirable_until: str = _iso("when the permit ends")
    inquirable_until_jalali: str | None = _jalali()
    outdated: bool
    outdated_since: str | None
    desk_token: str = Field(pattern=r"^d1\.[A-Za-z0-9_-]{16}\.[0-9]+\.[A-Za-z0-9_=-]+$", description=(
        "send it with this desk's next inquiries (field desk_token): its wrong passcodes then count for this desk "
        "alone; renewed by every answer, good for 90 days"))


# --- the documents themselves -------------------------------------------------------------------------------------
class OpenApiDocument(Answer):
    openapi: str = Field(pattern=r"^3\.1\.[0-9]+$")
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]
