"""Realistic values for the contract tests, built the way the services build them (chalicelib/services/)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading

from chalicelib.domain import passcodes, snapshot
from chalicelib.domain.clock import iso, iso_precise, utc_day
from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.permits import Grant, Permit, View
from chalicelib.domain.model.requests import (IssuedDocument, PublishedDocument, RequestStatus, Statement,
                                              StatementRequest)
from chalicelib.domain.model.signatures import DocumentSignature
from chalicelib.domain.service_days import Contribution
from chalicelib.domain.statement_kinds import AGREEMENT_TEXT, AGREEMENT_VERSION, RETENTION_SECONDS, VALIDITY_SECONDS

NOW = int(dt.datetime(2025, 6, 15, 8, 30, tzinfo=dt.timezone.utc).timestamp())  # 1404/03/25, mid-morning UTC
TODAY = utc_day(NOW).isoformat()
DAY = 86_400

HOLDER = "0499370899"  # the demo person
OTHER = "1287543911"
THIRD = "3729184652"
MOBILE = "09121234567"
PASSCODE_KEY = hashlib.sha256(b"passcode_key").digest()


def entry(national_code: str, kind: str, epoch: float, /, **details) -> ActivityEntry:
    return ActivityEntry.new(national_code, kind, iso_precise(epoch), details)


def profile(national_code: str = HOLDER) -> InsuredProfile:
    return InsuredProfile(national_code, first_name="علی", last_name="رضایی", father_name="حسین",
                          birth_date="1362/04/12", insurance_no="1234567890", gender="male")


def contributions() -> list[Contribution]:
    return [
        Contribution(1401, 11, "1024367", "شرکت فولاد مبارکه", 30, 98_000_000, 98_000_000, "تکنسین"),
        Contribution(1401, 12, "1024367", "شرکت فولاد مبارکه", 29, 98_000_000, 98_000_000, "تکنسین"),
        Contribution(1402, 1, "2051198", "بانک ملت", 31, 120_000_000, 115_000_000, "کارشناس"),
    ]


def new_request(store, national_code: str = HOLDER, now: int = NOW, kind: str = "combined") -> StatementRequest:
    """A pending request, added as StatementService.request adds it; returned as read back."""
    tracking_no = store.requests.next_tracking_no()
    request = StatementRequest(
        national_code=national_code, tracking_no=tracking_no, kind=kind, status=RequestStatus.PENDING,
        sent_at=iso(now), created_at=now, expires_at=now + RETENTION_SECONDS, mobile=MOBILE,
        email="ali.rezaei@example.ir", agreement_version=AGREEMENT_VERSION,
        agreement_sha256=hashlib.sha256(AGREEMENT_TEXT.encode()).hexdigest(),
        document_id="".join(secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(12)))
    store.requests.add(request, statement_of(request), entry(national_code, "statement_requested", now,
                                                               tracking_no=tracking_no, kind=kind))
    return store.requests.get(national_code, tracking_no)


def statement_of(request: StatementRequest) -> Statement:
    content = snapshot.build(request.kind, profile(request.national_code), request.national_code, contributions())
    return Statement(request.national_code, request.tracking_no, snapshot.pack(content), AGREEMENT_TEXT)


def document_for(request: StatementRequest, now: int = NOW) -> tuple[IssuedDocument, PublishedDocument]:
    document_id = request.document_id  # chosen with the request, as StatementService does
    pdf_sha = hashlib.sha256(document_id.encode()).hexdigest()
    key = f"statements/{request.national_code}/{request.tracking_no}/{document_id}.pdf"
    issued = IssuedDocument(document_id, key, pdf_sha, 48_213, iso(now), f"http://127.0.0.1:8001/verify/{document_id}")
    published = PublishedDocument(document_id=document_id, tracking_no=request.tracking_no,
                                  national_code=request.national_code, kind=request.kind, issued_at=iso(now),
                                  sha256=pdf_sha, size=48_213, first_name="علی", last_name="رضایی",
                                  signature=DocumentSignature(signer="Sabeghe Development Signing",
                                                              organisation="Social Security Organization",
                                                              signed_at=iso(now), certificate_sha256="ab" * 32,
                                                              valid=True))
    return issued, published


def publish(store, request: StatementRequest, now: int = NOW) -> StatementRequest:
    issued, published = document_for(request, now)
    store.requests.publish(request, issued, published, entry(request.national_code, "statement_ready", now + 1,
                                                             tracking_no=request.tracking_no,
                                                             document_id=issued.document_id))
    return store.requests.get(request.national_code, request.tracking_no)


def ready_request(store, national_code: str = HOLDER, now: int = NOW) -> StatementRequest:
    return publish(store, new_request(store, national_code, now), now)


def permit_for(store, request: StatementRequest, now: int = NOW, validity: str = "month",
               expires_at: int | None = None) -> tuple[Permit, Grant, str]:
    """A permit, its grant and the passcode, as PermitService.issue builds them."""
    passcode = passcodes.new_passcode()
    grant_key = passcodes.grant_hash(PASSCODE_KEY, request.national_code, passcodes.normalize_passcode(passcode))
    permit_id = secrets.token_hex(6)
    expires = expires_at if expires_at is not None else now + VALIDITY_SECONDS[validity]
    permit = Permit(national_code=request.national_code, tracking_no=request.tracking_no, permit_id=permit_id,
                    validity=validity, issued_at=iso(now), expires_at=expires, grant_key=grant_key,
                    mobile=request.mobile)
    statement = store.requests.statement(request.national_code, request.tracking_no)
    document = request.document
    grant = Grant(key=grant_key, permit_id=permit_id, national_code=request.national_code,
                  tracking_no=request.tracking_no, kind=request.kind, document_id=document.document_id,
                  s3_key=document.s3_key, sha256=document.sha256, issued_at=document.ready_at, expires_at=expires,
                  statement_z=statement.statement_z,
                  holder=snapshot.unpack(statement.statement_z)["holder"], mobile=request.mobile)
    return permit, grant, passcode


def issue(store, request: StatementRequest, now: int = NOW, validity: str = "month",
          expires_at: int | None = None) -> tuple[Permit, Grant]:
    """Issue a permit on `request` (as read); returns the permit and its grant."""
    permit, grant, _ = permit_for(store, request, now, validity, expires_at)
    store.permits.issue(request, permit, grant, max(request.expires_at, permit.expires_at),
                        entry(request.national_code, "permit_issued", now, tracking_no=request.tracking_no,
                              permit_id=permit.permit_id, validity=validity, expires_at=iso(permit.expires_at)))
    return permit, grant


def view(epoch: float, client_ip: str = "198.51.100.7", user_agent: str = "BankMellat-Inquiry/2.1") -> View:
    return View(iso_precise(epoch), client_ip, user_agent)


def timeline_kinds(store, national_code: str = HOLDER) -> list[str]:
    entries, _ = store.timeline.page(national_code, None, 1000)
    return [e.kind for e in entries]


def all_pages(read, limit: int, max_pages: int = 100) -> list[list]:
    """Follow `next` from the first page until it is None; every page as returned."""
    pages, after = [], None
    for _ in range(max_pages):
        items, after = read(after, limit)
        assert len(items) <= limit
        pages.append(items)
        if after is None:
            return pages
    raise AssertionError("the cursor never ran out")


def at_once(count: int, action) -> list:
    """Run `action(i)` in `count` threads released together; their results, in thread order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(i):
        barrier.wait()
        try:
            results[i] = action(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
