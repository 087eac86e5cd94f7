"""Inquiry permits: a passcode with a chosen validity, shown once, revocable at any moment."""
from __future__ import annotations

import secrets

from chalicelib.domain import passcodes, snapshot
from chalicelib.domain.clock import Clock, epoch_of, iso
from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.domain.model.permits import Grant, Permit
from chalicelib.domain.model.requests import RequestStatus, StatementRequest
from chalicelib.domain.ports import Keys, Permits, Requests, StaleRequest
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.domain.statement_kinds import MAX_LIVE_PERMITS, VALIDITY_SECONDS
from chalicelib.services.statements import MAX_ATTEMPTS_ON_RACE
from chalicelib.services.timeline import entry

REPLAY_SECONDS = 86_400  # a retried issuing shows its passcode again for a day, as other idempotent answers last


class PermitService:
    def __init__(self, *, requests: Requests, permits: Permits, keys: Keys, clock: Clock):
        self.requests = requests
        self.permits = permits
        self.keys = keys
        self.clock = clock

    def issue(self, national_code: str, tracking_no: str, validity: str, idempotency_key: str | None = None,
              label: str = "") -> dict:
        """A permit and its passcode, shown once. With an idempotency key the passcode and permit id are derived
        from it (never stored), so a retry after a lost answer finds the permit it made and shows the same passcode
        again, instead of leaving a live permit nobody saw and making a second one."""
        secret = self.keys.key("passcode_key")
        if idempotency_key:
            material = f"{national_code}|{tracking_no}|{idempotency_key}"
            passcode = passcodes.derived_passcode(secret, material)
            permit_id = passcodes.derived_permit_id(secret, material)
        else:
            passcode, permit_id = passcodes.new_passcode(), secrets.token_hex(6)
        grant_key = passcodes.grant_hash(secret, national_code, passcodes.normalize_passcode(passcode))
        for attempt in range(MAX_ATTEMPTS_ON_RACE):
            # The cap and the request's retention are decided on what was read; the write then checks that the
            # request has not changed since, so two permits issued at once cannot both pass on the same count.
            request = self._ready(national_code, tracking_no)
            now = self.clock.epoch()
            earlier = request.permit(permit_id)
            if earlier is not None:
                return self._replay(earlier, validity, label, passcode, now)
            if len(request.live_permits(now)) >= MAX_LIVE_PERMITS:
                raise Conflict(f"A statement can have at most {MAX_LIVE_PERMITS} live permits; revoke one first.",
                               code="too_many_permits")
            expires = now + VALIDITY_SECONDS[validity]
            permit = Permit(national_code=national_code, tracking_no=tracking_no, permit_id=permit_id,
                            validity=validity, issued_at=iso(now), expires_at=expires, grant_key=grant_key,
                            mobile=request.mobile, label=label)
            try:
                self.permits.issue(request, permit, self._grant(request, permit), max(request.expires_at, expires),
                                   entry(self.clock, national_code, "permit_issued", tracking_no=tracking_no,
                                         permit_id=permit_id, validity=validity, expires_at=iso(expires),
                                         **({"label": label} if label else {})))
                return _answer(permit, passcode)
            except StaleRequest:
                continue  # changed meanwhile, or made by our own earlier attempt: read again and see
        earlier = self._ready(national_code, tracking_no).permit(permit_id)
        if earlier is not None:
            return self._replay(earlier, validity, label, passcode, self.clock.epoch())
        raise Conflict("The statement changed meanwhile — no permit was issued; try again.", code="request_changed")

    @staticmethod
    def _replay(permit: Permit, validity: str, label: str, passcode: str, now: int) -> dict:
        if permit.validity != validity or permit.label != label or now - epoch_of(permit.issued_at) > REPLAY_SECONDS:
            raise InvalidValue("This Idempotency-Key was used for a different request.", code="idempotency_key_reused")
        return _answer(permit, passcode)

    def _ready(self, national_code: str, tracking_no: str) -> StatementRequest:
        request = self.requests.get(national_code, tracking_no) if tracking_no.isdigit() else None
        if not request or not request.is_live:
            raise NotFound("No such request in your inbox.", code="not_found")
        if request.status is not RequestStatus.READY:
            raise Conflict("The statement is not ready yet; permits can be issued once it is.",
                           code="statement_not_ready")
        return request

    def _grant(self, request: StatementRequest, permit: Permit) -> Grant:
        statement = self.requests.statement(request.national_code, request.tracking_no)
        if statement is None:
            raise StaleRequest()
        return Grant(key=permit.grant_key, permit_id=permit.permit_id, national_code=request.national_code,
                     tracking_no=request.tracking_no, kind=request.kind, document_id=request.document.document_id,
                     s3_key=request.document.s3_key, sha256=request.document.sha256,
                     issued_at=request.document.ready_at, expires_at=permit.expires_at,
                     statement_z=statement.statement_z,
                     holder=snapshot.unpack(statement.statement_z).get("holder", {}), mobile=request.mobile,
                     outdated_since=request.outdated_since, language=request.language)

    def revoke(self, national_code: str, tracking_no: str, permit_id: str) -> None:
        request = self.requests.get(national_code, tracking_no) if tracking_no.isdigit() else None
        permit = request.permit(permit_id) if request and request.is_live else None
        if not permit:
            raise NotFound("No such permit on this request.", code="not_found")
        if permit.revoked_at:
            return  # revoking twice is the same as once
        self.permits.revoke(permit, iso(self.clock.epoch()),
                            entry(self.clock, national_code, "permit_revoked", tracking_no=tracking_no,
                                  permit_id=permit_id, **({"label": permit.label} if permit.label else {})))


def _answer(permit: Permit, passcode: str) -> dict:
    expires = iso(permit.expires_at)
    return {"permit_id": permit.permit_id, "passcode": passcode, "validity": permit.validity, "expires_at": expires,
            "expires_at_jalali": jalali_or_none(expires), "tracking_no": permit.tracking_no, "label": permit.label}
