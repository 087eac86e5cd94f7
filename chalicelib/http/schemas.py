"""Request bodies of the HTTP contract. Unknown fields are refused and values are normalised by the domain
rules (Persian digits, spaces and hyphens inside codes), so handlers receive clean values.

Imported only inside the handlers that take a body: pydantic costs ~100 ms of cold start."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.domain import identifiers, jalali
from chalicelib.domain.digits import to_ascii_digits


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def _national_code(value: str) -> str:
    return identifiers.normalize_national_code(value)


def _ascii_digits(value: str) -> str:
    return "".join(ch for ch in to_ascii_digits(value) if "0" <= ch <= "9")


class Register(Body):
    national_code: str = Field(max_length=32)
    mobile: str = Field(max_length=32)
    birth_date: str = Field(max_length=32, description="Jalali date, e.g. 1362/04/12")
    password: str = Field(max_length=256)

    _nc = field_validator("national_code")(_national_code)

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str) -> str:
        return identifiers.normalize_mobile(value)

    @field_validator("birth_date")
    @classmethod
    def _birth(cls, value: str) -> str:
        return jalali.format_date(jalali.parse_jalali_date(value))


class Activate(Body):
    national_code: str = Field(max_length=32)
    otp: str = Field(max_length=32)

    _nc = field_validator("national_code")(_national_code)

    _code = field_validator("otp")(_ascii_digits)


class Login(Body):
    national_code: str = Field(max_length=32)
    password: str = Field(max_length=256)
    device_token: str | None = Field(default=None, max_length=512,
                                     description="What the last login from this browser returned: a known device")

    _nc = field_validator("national_code")(_national_code)


class PasswordReset(Body):
    national_code: str = Field(max_length=32)
    mobile: str = Field(max_length=32)

    _nc = field_validator("national_code")(_national_code)

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str) -> str:
        return identifiers.normalize_mobile(value)


class PasswordResetConfirm(Body):
    national_code: str = Field(max_length=32)
    otp: str = Field(max_length=32)
    new_password: str = Field(max_length=256)

    _nc = field_validator("national_code")(_national_code)
    _code = field_validator("otp")(_ascii_digits)


class PasswordChange(Body):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class StaffLogin(Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(max_length=256)


class StatementRequest(Body):
    kind: Literal["summary", "wages", "combined"]
    agree: bool
    language: Literal["fa", "en"] = Field(default="fa", description=(
        "the document's language: Persian (right to left, Persian digits, Jalali dates) or English for embassies "
        "(Latin digits, Gregorian dates beside the Jalali ones, names in Latin letters)"))


class PermitRequest(Body):
    validity: Literal["day", "week", "month", "year"] = "month"
    label: str = Field(default="", max_length=60, description="Whom it is for, in the person's words")

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        # Shown in an SMS and on pages: one line of printable text.
        return " ".join("".join(ch for ch in value if ch.isprintable()).split())


class Inquiry(Body):
    identifier: str = Field(max_length=64)
    passcode: str = Field(max_length=64)
    desk_token: str | None = Field(default=None, max_length=80, description=(
        "the desk_token of this desk's last answer, if any: a clerk's wrong passcodes then lock that desk only, "
        "not everyone behind the same address; an expired or unknown token is simply ignored"))


class AttachmentInfo(Body):
    filename: str = Field(min_length=1, max_length=200)
    size: int = Field(gt=0, description="bytes; the upload link is signed for exactly this size")
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]


class ObjectionRequest(Body):
    kind: Literal["missing", "deficient"]
    workshop_code: str = Field(max_length=32)
    from_: str = Field(alias="from", max_length=16, description="Jalali month, e.g. 1402/01")
    to: str = Field(max_length=16, description="Jalali month, e.g. 1402/06")
    description: str = Field(default="", max_length=1000)
    attachment: AttachmentInfo | None = None


class CorrectionInfo(Body):
    year: int = Field(ge=1300, le=1500)
    month: int = Field(ge=1, le=12)
    workshop_code: str | None = Field(default=None, max_length=32)
    days: int = Field(ge=1, le=31)
    wage: int = Field(ge=0, le=10**13)


class ObjectionDecision(Body):
    decision: Literal["accept", "reject"]
    reason: str = Field(max_length=1000)
    corrections: list[CorrectionInfo] = Field(default_factory=list, max_length=24)


class ListFile(Body):
    filename: str = Field(min_length=1, max_length=200)
    size: int = Field(gt=0, le=50 * 2**20, description="bytes; the upload link is signed for exactly this size")


class ListUpload(Body):
    """One file (a zip of DSKKAR00.DBF and DSKWOR00.DBF, or a .csv/.txt text list), or the two dBase files."""

    filename: str | None = Field(default=None, min_length=1, max_length=200)
    size: int | None = Field(default=None, gt=0, le=50 * 2**20)
    files: list[ListFile] | None = Field(default=None, min_length=1, max_length=2)

    def wanted(self) -> list[dict] | None:
        if self.files:
            return [f.model_dump() for f in self.files]
        if self.filename:
            return [{"filename": self.filename, "size": self.size}]
        return None


ALL = [Register, Activate, Login, StaffLogin, StatementRequest, PermitRequest, Inquiry, ObjectionRequest,
       ObjectionDecision, ListUpload]
