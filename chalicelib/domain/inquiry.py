"""An institution reads a statement with the holder's identifier and a passcode.

Success costs two DynamoDB round trips: one BatchGetItem (the grant, found by the keyed hash, and both
throttle counters) and one transaction that records the view. Every kind of failure (wrong, expired, revoked,
deleted) takes the same path and gets the same 404."""
from __future__ import annotations

from chalicelib.domain import identifiers, passcodes, snapshot, throttling
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import NotFound, Throttled
from chalicelib.domain.presenting import jalali_or_none

NOT_FOUND = "No statement matches this identifier and passcode, or its permit has expired or was revoked."


class InquiryService:
    def __init__(self, lookups, throttles, tx, documents, activity, users, sms, keys, clock: Clock):
        self.lookups = lookups
        self.throttles = throttles
        self.tx = tx
        self.documents = documents
        self.activity = activity
        self.users = users
        self.sms = sms
        self.keys = keys
        self.clock = clock

    def inquire(self, raw_identifier: str, raw_passcode: str, client_ip: str, user_agent: str,
                verify_base_url: str) -> dict:
        _kind, identifier = identifiers.classify_identifier(raw_identifier)
        passcode = passcodes.normalize_passcode(raw_passcode)
        grant_pk = "GRANT#" + passcodes.grant_hash(self.keys.key("passcode_key"), identifier, passcode or "-")
        now = self.clock.epoch()
        grant, by_identifier, by_client = self.lookups.grant_and_throttles(
            grant_pk, (throttling.INQUIRY_PER_IDENTIFIER, identifier), (throttling.INQUIRY_PER_CLIENT, client_ip))
        wait = max(self.throttles.retry_after_from_item(throttling.INQUIRY_PER_IDENTIFIER, by_identifier, now),
                   self.throttles.retry_after_from_item(throttling.INQUIRY_PER_CLIENT, by_client, now))
        if wait:
            raise Throttled("Too many failed inquiries; try again later.", retry_after=wait, code="too_many_attempts")
        # The grant's own expiry is checked here: DynamoDB's TTL may leave an expired grant for two more days.
        if not grant or passcode is None or grant.get("national_code") != identifier or grant["expires_at_epoch"] <= now:
            self._failed(identifier, client_ip, now)
            raise NotFound(NOT_FOUND, code="not_found")
        at = iso(now)
        details = {"tracking_no": grant["tracking_no"], "permit_id": grant["permit_id"], "client_ip": client_ip,
                   "user_agent": user_agent}
        try:
            self.tx.record_view(grant, at, now,
                                self.activity.new_item(identifier, "institution_view", iso_precise(self.clock.now()),
                                                       details))
        except NotFound:
            self._failed(identifier, client_ip, now)
            raise NotFound(NOT_FOUND, code="not_found") from None
        if not grant.get("first_viewed_at") and grant.get("mobile"):
            self.sms.send(grant["mobile"], f"سابقه: گواهی {grant['tracking_no']} شما برای نخستین بار با مجوز "
                                           f"{grant['permit_id']} توسط یک موسسه مشاهده شد.")
        expires = iso(grant["expires_at_epoch"])
        return {
            "tracking_no": grant["tracking_no"],
            "kind": grant["kind"],
            "holder": grant.get("holder") or snapshot.unpack(grant["statement_z"]).get("holder", {}),
            "statement": snapshot.unpack_raw(grant["statement_z"]),
            "document_id": grant["document_id"],
            "document_url": self.documents.presigned_url(grant["s3_key"], f"sabeghe-{grant['tracking_no']}.pdf"),
            "document_url_expires_in": self.documents.presign_seconds,
            "sha256": grant.get("sha256"),
            "verify_url": f"{verify_base_url.rstrip('/')}/verify/{grant['document_id']}",
            "issued_at": grant["issued_at"],
            "issued_at_jalali": jalali_or_none(grant["issued_at"]),
            "inquirable_until": expires,
            "inquirable_until_jalali": jalali_or_none(expires),
        }

    def _failed(self, identifier: str, client_ip: str, now: int) -> None:
        failures = self.throttles.record_failure(throttling.INQUIRY_PER_IDENTIFIER, identifier, now)
        self.throttles.record_failure(throttling.INQUIRY_PER_CLIENT, client_ip, now)
        if failures == throttling.INQUIRY_PER_IDENTIFIER.threshold and identifiers.national_code_is_valid(identifier):
            # Tell the person once per window that someone keeps guessing their passcodes.
            person = self.users.get_person(identifier)
            if person and person.get("mobile"):
                self.sms.send(person["mobile"], "سابقه: چند تلاش ناموفق برای استعلام سوابق شما با کد رمز نادرست "
                                                "ثبت شد. اگر کد رمزی به کسی نداده‌اید، مجوزهای خود را بررسی کنید.")
                self.activity.append(identifier, "inquiry_failures", iso_precise(self.clock.now()),
                                     {"failures": failures, "client_ip": client_ip})
