"""What the services need from the outside world, in the business's words.

Each port has a DynamoDB (or S3, SQS, Secrets Manager, SNS, HTTP) implementation in chalicelib/storage/ and an
in-memory one in chalicelib/storage/memory/; tests/contracts/ runs one suite per port against both. A method
that must hold under concurrent requests says which condition it enforces atomically; the rules themselves (how
many permits, when something expires) stay in the services."""
from __future__ import annotations

from abc import ABC, abstractmethod

from chalicelib.domain.model.accounts import InsuredProfile, Person, Session, StaffMember
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.counters import FailureCount, IdempotencyRecord, IdempotentAnswer
from chalicelib.domain.model.employer_lists import MonthClaim, RegistryBatch, WorkshopMonth
from chalicelib.domain.model.messages import SmsDelivery
from chalicelib.domain.model.objections import Objection, RecordChange
from chalicelib.domain.model.permits import Grant, Permit, View
from chalicelib.domain.model.requests import (DocumentStatus, IssuedDocument, MailboxState, PublishedDocument,
                                              Statement, StatementRequest)
from chalicelib.domain.model.signatures import SignatureReport, SignedDocument
from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.service_days import Contribution
from chalicelib.domain.throttling import Inner, Policy


class StaleRequest(Exception):
    """The request changed (or went) since it was read; read it again and decide again."""


# --- people ----------------------------------------------------------------------------------------------------
class Accounts(ABC):
    @abstractmethod
    def person(self, national_code: str) -> Person | None: ...

    @abstractmethod
    def register_pending(self, person: Person, now: int, replacing: str | None = None) -> bool:
        """Store an account waiting for activation; False (nothing written) when an active account exists, or a
        pending one whose code still works at `now` (unless its code's hash is `replacing`: its registrant asking
        for a new code)."""

    @abstractmethod
    def add_active(self, person: Person) -> None:
        """Operations' path (migration, demo data): an account active from the start."""

    @abstractmethod
    def activate(self, national_code: str, otp_hash: str, at: int, entry: ActivityEntry | None = None) -> bool:
        """Pending → active (with its timeline entry, in the same step), only if the code's hash matches and it has
        not expired at `at`: a code works once."""

    @abstractmethod
    def count_otp_failure(self, national_code: str) -> int: ...

    @abstractmethod
    def start_reset(self, national_code: str, otp_hash: str, expires_at: int) -> bool:
        """An active account gets a password-reset code (replacing an earlier one); False when there is none."""

    @abstractmethod
    def count_reset_failure(self, national_code: str) -> int: ...

    @abstractmethod
    def reset_password(self, national_code: str, otp_hash: str, password_hash: str, at: float,
                       entry: ActivityEntry) -> bool:
        """One step, only while the reset code's hash matches and has not expired at `at` (epoch seconds, to the
        millisecond): the new password (set at int(at)), every session opened before `at` ends, the code is spent, and the timeline entry. False when the code does not
        work."""

    @abstractmethod
    def change_password(self, national_code: str, old_hash: str, new_hash: str, at: float,
                        entry: ActivityEntry) -> bool:
        """One step, only while the stored hash is still `old_hash`: the new password (set at int(at)), every session
        opened before `at` ends, and the timeline entry. False when the password changed meanwhile."""

    @abstractmethod
    def staff_member(self, username: str) -> StaffMember | None: ...

    @abstractmethod
    def add_staff(self, staff: StaffMember) -> None: ...


class Sessions(ABC):
    @abstractmethod
    def open(self, session: Session, entry: ActivityEntry | None = None) -> None:
        """A new session, with its timeline entry in the same step."""

    @abstractmethod
    def get(self, session_id: str, subject: str) -> Session | None:
        """The session, unless it ended: logged out, or opened before the subject's password was reset (one read)."""

    @abstractmethod
    def end(self, session_id: str, entry: ActivityEntry | None = None) -> None:
        """The session ends, with its timeline entry in the same step (once: ending an ended one writes nothing)."""


class Registry(ABC):
    """The fund's insured registry and contribution records."""

    @abstractmethod
    def profile(self, national_code: str) -> InsuredProfile | None: ...

    @abstractmethod
    def career(self, national_code: str) -> tuple[InsuredProfile | None, list[Contribution]]:
        """The profile and every contribution, in one read."""

    @abstractmethod
    def add_profile(self, profile: InsuredProfile) -> None: ...

    @abstractmethod
    def add_contributions(self, national_code: str, contributions: list[Contribution]) -> None:
        """A month reported again by the same workshop replaces the earlier row."""

    @abstractmethod
    def changes(self, national_code: str) -> list[RecordChange]:
        """Every correction of the person's months (who changed what, when and why), oldest first."""

    @abstractmethod
    def month_of(self, people: list[str], month: WorkshopMonth, profiles_of: list[str] | None = None
                 ) -> dict[str, tuple[InsuredProfile | None, Contribution | None]]:
        """For each person: their profile and their row of that workshop's month (None where there is none), in as
        few reads as the store allows. Profiles only of `profiles_of` (None: of everyone); the others' come back
        as None, unread."""

    @abstractmethod
    def write_batch(self, batch: RegistryBatch) -> None:
        """The records of change and the tasks first, then the rows (put or removed) and the profiles. Not
        conditional: the ledger (ListLedger) makes one list the only writer of its month."""


class MobileOwnership(ABC):
    """Whose name a mobile line is in, as the operators' national-code/mobile match service answers: codes that
    open or recover an account go only to a line the person holds."""

    @abstractmethod
    def owns(self, national_code: str, mobile: str) -> bool: ...


class ListLedger(ABC):
    """Which list each workshop's month stands on, so that one list at a time writes a month, a list given twice
    is recognised, and a list that stopped half-way is finished by its retry."""

    @abstractmethod
    def claim(self, month: WorkshopMonth, list_id: str, sha256: str, now: int, stale_after: int) -> MonthClaim:
        """Atomically: DONE if the month already stands on this list; DUPLICATE if it stands on another list of the
        same bytes; BUSY if another list claimed it less than `stale_after` seconds ago; else the month is claimed
        for this list (again, for a retry) and GO names the list it stood on before."""

    @abstractmethod
    def commit(self, month: WorkshopMonth, list_id: str, sha256: str, now: int) -> None:
        """The month stands on this list now (only if this list holds the claim, or already stands)."""

    @abstractmethod
    def standing(self, month: WorkshopMonth) -> str | None:
        """The list the month stands on."""


class ListFiles(ABC):
    """Employers' lists in the lists bucket (`uploads/<list id>/<file>`) and their reports
    (`reports/<list id>.json`): private, encrypted, uploaded only through short-lived presigned PUTs."""

    @abstractmethod
    def upload_link(self, key: str, content_type: str, size: int | None) -> str:
        """A presigned PUT of this type (and this length, when given)."""

    @abstractmethod
    def present(self, keys: list[str]) -> list[tuple[str, int, int]]:
        """(key, size, last-modified epoch) of those of the keys that are there."""

    @abstractmethod
    def fetch(self, key: str, path: str) -> None:
        """The object, streamed to a local file."""

    @abstractmethod
    def put_report(self, list_id: str, body: bytes | str) -> None:
        """The report as JSON bytes, or the path of a local file holding them (a big list's report)."""

    @abstractmethod
    def report(self, list_id: str) -> dict | None: ...

    @abstractmethod
    def fetch_roster(self, workshop_code: str, path: str) -> bool:
        """The workshop's roster (services/list_roster.py) to a local file; False when it has none yet."""

    @abstractmethod
    def put_roster(self, workshop_code: str, path: str) -> None: ...


class Objections(ABC):
    """People's objections to their records, and the staff's queue of those waiting for a decision."""

    @abstractmethod
    def add(self, objection: Objection, entry: ActivityEntry) -> None:
        """The objection, its place in the staff's queue and its timeline entry, in one step."""

    @abstractmethod
    def get(self, tracking_no: str) -> Objection | None: ...

    @abstractmethod
    def of_person(self, national_code: str) -> list[Objection]:
        """Newest first."""

    @abstractmethod
    def waiting(self, limit: int) -> list[Objection]:
        """Oldest first: the staff's queue."""

    @abstractmethod
    def accept(self, objection: Objection, contributions: list[Contribution], changes: list[RecordChange],
               entry: ActivityEntry, outdates: FollowUpTask) -> bool:
        """Submitted → accepted, the corrected months written with who changed what, when and why, the timeline
        entry and the task that marks the statements it makes outdated: one step; False when decided already."""

    @abstractmethod
    def reject(self, objection: Objection, entry: ActivityEntry) -> bool:
        """Submitted → rejected (with its reason), out of the queue, with its timeline entry; False when decided."""


# --- statements and permits ------------------------------------------------------------------------------------
class Requests(ABC):
    """Statement requests with their permits, the frozen statements and the published documents.

    Every change of a request's status is conditional on its `version` being the one read, and bumps it."""

    @abstractmethod
    def next_tracking_no(self) -> str:
        """Unique and increasing with time."""

    @abstractmethod
    def add(self, request: StatementRequest, statement: Statement, entry: ActivityEntry,
            answer: IdempotentAnswer | None = None) -> None:
        """The request, its statement, its timeline entry, the task that has its PDF drawn and (with an idempotency
        key) the answer a retry replays: all in one step, or nothing (StaleRequest if the request exists)."""

    @abstractmethod
    def get(self, national_code: str, tracking_no: str) -> StatementRequest | None:
        """The request with its permits (any status), or None."""

    @abstractmethod
    def inbox(self, national_code: str, after: str | None, limit: int) -> tuple[list[StatementRequest], str | None]:
        """Live requests with their permits, newest first; `after` and the returned value are tracking numbers."""

    @abstractmethod
    def statement(self, national_code: str, tracking_no: str) -> Statement | None: ...

    @abstractmethod
    def publish(self, request: StatementRequest, document: IssuedDocument, published: PublishedDocument,
                entry: ActivityEntry) -> None:
        """Pending → ready with its document, and the public verification record, together (StaleRequest)."""

    @abstractmethod
    def mark_failed(self, request: StatementRequest, why: str, entry: ActivityEntry) -> None:
        """Pending → failed (StaleRequest)."""

    @abstractmethod
    def delete(self, request: StatementRequest, at: str, keep_until: int, entry: ActivityEntry) -> None:
        """Live → deleted (kept as an audit entry until `keep_until`, without its statement); in the same step every
        grant still answering removed and its permit revoked, the published document withdrawn and a task left to
        remove the PDF (StaleRequest)."""

    @abstractmethod
    def expire(self, request: StatementRequest, at: str, keep_until: int) -> None:
        """Live → expired, without its statement; the published document marked expired and a task left to remove
        the PDF, in the same step (StaleRequest)."""

    @abstractmethod
    def mark_pdf_removed(self, request: StatementRequest, at: str) -> None: ...

    @abstractmethod
    def queue_mailbox(self, request: StatementRequest, at: str) -> bool:
        """Ask for delivery to the e-mailbox, with the task that queues it; False when the request is no longer
        ready or its delivery is already asked for or done."""

    @abstractmethod
    def record_mailbox(self, request: StatementRequest, state: MailboxState,
                       entry: ActivityEntry | None = None) -> None:
        """A delivery attempt's outcome (while the request is ready), with its timeline entry if it has one."""

    @abstractmethod
    def published(self, document_id: str) -> PublishedDocument | None: ...

    @abstractmethod
    def set_document_status(self, document_id: str, status: DocumentStatus, at: str) -> None: ...

    @abstractmethod
    def mark_outdated(self, request: StatementRequest, at: str, entry: ActivityEntry) -> bool:
        """The records a live statement covers changed after it was issued: the request and the grants still answering
        say so from now on, with the timeline entry; False when it is marked already (or gone)."""


class Permits(ABC):
    @abstractmethod
    def issue(self, request: StatementRequest, permit: Permit, grant: Grant, keep_request_until: int,
              entry: ActivityEntry) -> None:
        """Store the permit and its grant; the request must be ready and unchanged since read (StaleRequest)."""

    @abstractmethod
    def revoke(self, permit: Permit, at: str, entry: ActivityEntry) -> bool:
        """Remove the grant and mark the permit revoked; False when it was revoked already."""

    @abstractmethod
    def record_view(self, grant: Grant, view: View, now: int) -> bool:
        """Count a view, only while the permit is live (not revoked, not expired at `now`), and once per view id: the
        same view recorded again (a write re-sent after a lost answer) is True and counts nothing. One small write:
        what follows a view (the timeline entry, the first-view SMS) is driven by the change it makes."""

    @abstractmethod
    def expire(self, grant: Grant, now: int, entry: ActivityEntry) -> bool:
        """Remove an expired grant and mark its permit expired; False when the grant is not (or no longer) due."""


class Tasks(ABC):
    """Follow-up work left by a change (chalicelib/domain/model/tasks.py)."""

    @abstractmethod
    def due(self, since: int, until: int) -> list[FollowUpTask]:
        """Tasks created from `since` to `until` and not yet done."""

    @abstractmethod
    def done(self, task: FollowUpTask) -> None: ...

    @abstractmethod
    def add_all(self, tasks: list[FollowUpTask]) -> None:
        """Tasks keyed by what they are about: adding one twice leaves one."""


class InquiryLookup(ABC):
    @abstractmethod
    def find(self, grant_key: str, counters: list[tuple[Policy, str]]) -> tuple[Grant | None, list[FailureCount | None]]:
        """The grant and the failure counters an inquiry checks, in one read."""


class ExpiryIndex(ABC):
    """What falls due on a given UTC day, found without scanning."""

    @abstractmethod
    def grants_due(self, day: str, now: int) -> list[Grant]: ...

    @abstractmethod
    def requests_due(self, day: str, now: int) -> list[tuple[str, str]]:
        """(national code, tracking number) of requests whose retention ends on `day`, before `now`."""


class Checkpoints(ABC):
    @abstractmethod
    def get(self, name: str) -> dict | None: ...

    @abstractmethod
    def put(self, name: str, data: dict) -> None: ...


# --- the timeline and the guards ---------------------------------------------------------------------------------
class Timeline(ABC):
    @abstractmethod
    def append(self, entry: ActivityEntry) -> None:
        """Writing the same entry (same id) twice keeps one."""

    @abstractmethod
    def page(self, national_code: str, after: str | None, limit: int) -> tuple[list[ActivityEntry], str | None]:
        """Newest first; `after` and the returned value are entry ids."""


class Throttles(ABC):
    @abstractmethod
    def count(self, policy: Policy, key: str) -> FailureCount | None: ...

    @abstractmethod
    def record_failure(self, policy: Policy, key: str, now: int) -> int:
        """Count one failure atomically; a window that has passed starts over. Returns the count in the window."""

    @abstractmethod
    def take_within(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> tuple[bool, int]:
        """One attempt counted against the key (`policy`) and against each sub-key inside it (`inners`: its policy
        and name, kept in the same record), unless any is locked at `now`: (True, 0), else (False, seconds to
        wait). Atomic, like `take`."""

    @abstractmethod
    def pass_guard(self, policy: Policy, key: str, inners: tuple[Inner, ...], now: int) -> int:
        """0 when neither the key nor any of `inners` inside it is locked at `now`, else seconds to wait. A
        conditional write, so it is ordered after every attempt taken before it: a client locked by its
        simultaneous guesses is refused here too, and learns nothing from a right passcode."""

    @abstractmethod
    def take(self, policy: Policy, key: str, now: int) -> tuple[bool, FailureCount | None]:
        """Unless the key is locked at `now`, count one attempt (throttling.after_attempt) and give (True, the new
        count); else (False, the count that locks it). Atomic: concurrent attempts never get more through than the
        policy allows."""

    @abstractmethod
    def clear(self, policy: Policy, key: str) -> None: ...

    @abstractmethod
    def claim_alert(self, policy: Policy, key: str, now: int) -> bool:
        """Whoever makes this true first tells the person, once per window: the key's count has reached the policy's
        threshold and nobody has claimed its alert in this window yet."""

    @abstractmethod
    def release_alert(self, policy: Policy, key: str) -> None:
        """The alert could not be sent: let the next failure try again."""


class IdempotencyKeys(ABC):
    @abstractmethod
    def claim(self, owner: str, key: str, fingerprint: str, now: int, ttl: int, lease: int) -> IdempotencyRecord:
        """Claim the key for `lease` seconds. The record says whether this call holds it (`mine`): a new key, or one
        whose holder's lease ran out (a process that died); else it is the earlier record, with its answer once
        there is one. A takeover keeps what the earlier holder reserved."""

    @abstractmethod
    def reserve(self, owner: str, key: str, reference: str, lease_until: int) -> bool:
        """Note what this claim is about to create; False when the claim (that lease) is no longer this call's."""

    @abstractmethod
    def complete(self, owner: str, key: str, response: dict) -> None: ...

    @abstractmethod
    def release(self, owner: str, key: str) -> None:
        """Give the key back: only when the request it carried was refused and wrote nothing."""


# --- files, queues and messages ----------------------------------------------------------------------------------
class DocumentFiles(ABC):
    """Statement PDFs: private, encrypted, handed out only as short-lived links."""

    presign_seconds: int

    @abstractmethod
    def key_for(self, national_code: str, tracking_no: str, document_id: str) -> str: ...

    @abstractmethod
    def put(self, key: str, pdf: bytes, sha256: str) -> None: ...

    @abstractmethod
    def get(self, key: str) -> bytes: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def link(self, key: str, filename: str) -> str: ...

    @abstractmethod
    def upload_link(self, key: str, content_type: str, size: int) -> str:
        """A short-lived presigned PUT for exactly this size and type (S3 refuses anything else)."""

    @abstractmethod
    def download_link(self, key: str, filename: str, content_type: str) -> str: ...


class DocumentSigner(ABC):
    """Signs a statement's PDF as the Organization (a PAdES signature: on AWS with a key that never leaves KMS)."""

    @abstractmethod
    def sign(self, pdf: bytes, signed_at: str) -> SignedDocument:
        """The PDF signed as of `signed_at` (ISO UTC), with what the signature says, checked right after signing.
        The same PDF and time always give the same bytes (a redelivered render overwrites with what was published).
        Raises when the signature cannot be made or does not validate: nothing unsigned or badly signed is issued."""


class SignatureChecker(ABC):
    @abstractmethod
    def check(self, pdf: bytes) -> SignatureReport:
        """What the PDF's signature says and whether it holds against the service's own trust root(s). Raises
        InvalidValue for bytes that are not a PDF."""


class WorkQueue(ABC):
    @abstractmethod
    def send(self, message: dict) -> None: ...


class Sms(ABC):
    """Text a person. On AWS this only queues the message (SmsService sends it, with retries); locally it writes
    the outbox. A message id makes a message sent twice (a retried step) reach the person once."""

    @abstractmethod
    def send(self, mobile: str, text: str, message_id: str | None = None) -> None: ...


class SmsGateway(ABC):
    """An SMS provider that reaches Iranian operators: takes one message (its id doubles as the idempotency key)
    and answers with the provider's reference."""

    @abstractmethod
    def send(self, message_id: str, mobile: str, text: str) -> str: ...


class SmsDeliveries(ABC):
    """The delivery status of each message, and the day's count of messages sent (the spending cap)."""

    @abstractmethod
    def get(self, message_id: str) -> SmsDelivery | None: ...

    @abstractmethod
    def save(self, delivery: SmsDelivery) -> None: ...

    @abstractmethod
    def count_send(self, day: str, now: int) -> int:
        """Count one send on `day` (UTC) atomically; returns the day's count including it."""


class MailboxGateway(ABC):
    """The national e-mailbox: takes a delivery (with an idempotency key) and answers with its reference."""

    @abstractmethod
    def deliver(self, delivery: dict, pdf: bytes) -> str: ...


class Keys(ABC):
    @abstractmethod
    def key(self, name: str) -> bytes: ...

    @abstractmethod
    def text(self, name: str) -> str: ...
