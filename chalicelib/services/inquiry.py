"""An institution reads a statement with the holder's identifier and a passcode.

Success costs three small DynamoDB round trips: one read (the grant, found by the keyed hash, and the client's
throttle record), a conditional mark on that record that the client is not locked (ordering this answer after
every guess counted before it), and the small conditional write that counts the view on the permit. What follows
a view (the person's timeline entry and the first-view SMS) is driven by that write's change
(services/follow_up.py), so it never slows or fails the institution's answer. Every kind of failure (wrong,
expired, revoked, deleted) takes the same path and gets the same 404.

Guessing is bounded per client: a client's wrong passcodes lock that client only (taken as conditional attempts,
so simultaneous guesses get no more through than the policy allows), and a locked client gets 429 for a right
passcode too, so it learns nothing. A client is a desk when it holds a desk token (earned by a right answer and
renewed by every one: domain/desks.py), else everyone behind its address; an address's desks share one bound. Wrong passcodes for an identifier are counted only to warn its holder: junk
from strangers never refuses the institution that holds the passcode (docs/guessing.md has the odds)."""
from __future__ import annotations

import secrets

from chalicelib.domain import desks, identifiers, passcodes, snapshot, throttling
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import InvalidValue, NotFound, Throttled
from chalicelib.domain.model.permits import Grant, View
from chalicelib.domain.ports import Accounts, DocumentFiles, InquiryLookup, Keys, Permits, Sms, Throttles, Timeline
from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.logs import log_exception

NOT_FOUND = "No statement matches this identifier and passcode, or its permit has expired or was revoked."
GUESSING_SMS = ("سابقه: چند تلاش ناموفق برای استعلام سوابق شما با کد رمز نادرست ثبت شد. اگر کد رمزی به کسی "
                "نداده‌اید، مجوزهای خود را بررسی کنید.")


class InquiryService:
    def __init__(self, *, lookup: InquiryLookup, permits: Permits, throttles: Throttles, files: DocumentFiles,
                 timeline: Timeline, accounts: Accounts, sms: Sms, keys: Keys, clock: Clock):
        self.lookup = lookup
        self.permits = permits
        self.throttles = throttles
        self.files = files
        self.timeline = timeline
        self.accounts = accounts
        self.sms = sms
        self.keys = keys
        self.clock = clock

    def inquire(self, raw_identifier: str, raw_passcode: str, client_ip: str, user_agent: str,
                verify_base_url: str, desk_token: str | None = None) -> dict:
        _kind, identifier = identifiers.classify_identifier(raw_identifier)
        passcode = passcodes.normalize_passcode(raw_passcode)
        if passcode is None:
            # A typo in the form's shape is not a guess: it is refused before anything is looked up or counted.
            raise InvalidValue("A passcode is 15 digits, in three groups of five.", code="invalid_passcode")
        secret = self.keys.key("passcode_key")
        grant_key = passcodes.grant_hash(secret, identifier, passcode)
        now = self.clock.epoch()
        desk = desks.read(desks.signing_key(secret), desk_token, now)
        inners = ((throttling.INQUIRY_PER_CLIENT, desks.count_key(desk)),
                  (throttling.INQUIRY_PER_IDENTIFIER_AND_CLIENT, identifier))
        limits = (throttling.INQUIRY_PER_ADDRESS, client_ip, inners)
        grant, (by_address,) = self.lookup.find(grant_key, [(throttling.INQUIRY_PER_ADDRESS, client_ip)])
        wait = throttling.wait_within(throttling.INQUIRY_PER_ADDRESS, inners, by_address, now)
        if wait:
            raise _throttled(wait)
        if grant is not None and grant.answers(identifier, now):
            # Right passcode: answered only if no simultaneous guesses have locked this client meanwhile.
            wait = self.throttles.pass_guard(*limits, now)
            if wait:
                raise _throttled(wait)
            view = View(iso_precise(self.clock.now()), client_ip, user_agent, secrets.token_hex(8))
            if self.permits.record_view(grant, view, now):
                answer = self._answer(grant, verify_base_url)
                answer["desk_token"] = desks.issue(desks.signing_key(secret), desk, now)
                return answer
        self._failed(identifier, limits, client_ip, now)
        raise NotFound(NOT_FOUND, code="not_found")

    def _answer(self, grant: Grant, verify_base_url: str) -> dict:
        expires = iso(grant.expires_at)
        return {
            "tracking_no": grant.tracking_no,
            "kind": grant.kind,
            "language": grant.language,
            "holder": grant.holder,
            "statement": snapshot.unpack_raw(grant.statement_z),
            "document_id": grant.document_id,
            "document_url": self.files.link(grant.s3_key, f"sabeghe-{grant.tracking_no}.pdf"),
            "document_url_expires_in": self.files.presign_seconds,
            "sha256": grant.sha256,
            "verify_url": f"{verify_base_url.rstrip('/')}/verify/{grant.document_id}",
            "issued_at": grant.issued_at,
            "issued_at_jalali": jalali_or_none(grant.issued_at),
            "inquirable_until": expires,
            "inquirable_until_jalali": jalali_or_none(expires),
            # The records it shows changed after it was issued (an accepted objection, a corrected list).
            "outdated": grant.outdated_since is not None,
            "outdated_since": grant.outdated_since,
        }

    def _failed(self, identifier: str, limits: tuple, client_ip: str, now: int) -> None:
        taken, wait = self.throttles.take_within(*limits, now)
        if not taken:
            # Locked by simultaneous guesses while this one was looked up: it learns nothing either.
            raise _throttled(wait)
        failures = self.throttles.record_failure(throttling.INQUIRY_PER_IDENTIFIER, identifier, now)
        if failures < throttling.INQUIRY_PER_IDENTIFIER.threshold or \
                not identifiers.national_code_is_valid(identifier):
            return
        # Tell the person once per window that someone keeps guessing their passcodes: whoever claims the window's
        # alert sends it; if sending fails, the claim goes back and the next failure tries again. Never does the
        # alert fail the institution's answer.
        if not self.throttles.claim_alert(throttling.INQUIRY_PER_IDENTIFIER, identifier, now):
            return
        try:
            person = self.accounts.person(identifier)
            if person and person.mobile:
                count = self.throttles.count(throttling.INQUIRY_PER_IDENTIFIER, identifier)
                window = str(count.alerted_at if count and count.alerted_at else now)
                self.sms.send(person.mobile, GUESSING_SMS, message_id=f"guessing-{identifier}-{window}")
                self.timeline.append(ActivityEntry.new(identifier, "inquiry_failures", iso_precise(self.clock.now()),
                                                       {"failures": failures, "client_ip": client_ip},
                                                       nonce=f"guessing-{window}"))
        except Exception:  # noqa: BLE001 - the alert is retried by the next failure, the answer stays a 404
            log_exception("guessing_alert_failed", identifier_masked=identifiers.mask_national_code(identifier))
            self.throttles.release_alert(throttling.INQUIRY_PER_IDENTIFIER, identifier)


def _throttled(wait: int) -> Throttled:
    return Throttled("Too many failed inquiries from this address; try again later.", retry_after=wait or 1,
                     code="too_many_attempts")
