"""Inquiry permits: a passcode with a chosen validity, shown once, revocable at any moment."""
from __future__ import annotations

import secrets

from chalicelib.domain import passcodes, snapshot
from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.presenting import jalali_or_none, live_permits
from chalicelib.domain.statement_kinds import MAX_LIVE_PERMITS, VALIDITY_SECONDS


class PermitService:
    def __init__(self, requests, grants, activity, keys, tx, clock: Clock):
        self.requests = requests
        self.grants = grants
        self.activity = activity
        self.keys = keys
        self.tx = tx
        self.clock = clock

    def issue(self, national_code: str, tracking_no: str, validity: str) -> dict:
        request = self.requests.get_live(national_code, tracking_no)
        if request.get("status") != "ready":
            raise Conflict("The statement is not ready yet; permits can be issued once it is.",
                           code="statement_not_ready")
        now = self.clock.epoch()
        expires = now + VALIDITY_SECONDS[validity]
        passcode = passcodes.new_passcode()
        grant_hash = passcodes.grant_hash(self.keys.key("passcode_key"), national_code,
                                          passcodes.normalize_passcode(passcode))
        permit_id = secrets.token_hex(6)
        grant_pk = f"GRANT#{grant_hash}"
        permit = {"permit_id": permit_id, "validity": validity, "issued_at": iso(now), "expires_at_epoch": expires,
                  "grant_pk": grant_pk, "views": 0}
        grant = {
            "pk": grant_pk, "permit_id": permit_id, "national_code": national_code, "tracking_no": tracking_no,
            "kind": request["kind"], "document_id": request["document_id"], "s3_key": request["s3_key"],
            "sha256": request.get("sha256"), "issued_at": request.get("ready_at") or request["sent_at"],
            "statement_z": request["statement_z"], "expires_at_epoch": expires, "views": 0,
            "holder": snapshot.unpack(request["statement_z"]).get("holder", {}),
            "mobile": request.get("mobile", ""),
        }
        retain_until = max(request.get("expires_at_epoch", 0), expires)
        self.tx.issue_permit(request, permit, self.grants.put_item_request(grant), retain_until,
                             self.activity.new_item(national_code, "permit_issued", iso_precise(self.clock.now()),
                                                    {"tracking_no": tracking_no, "permit_id": permit_id,
                                                     "validity": validity, "expires_at": iso(expires)}),
                             MAX_LIVE_PERMITS, len(live_permits(request, now)))
        return {"permit_id": permit_id, "passcode": passcode, "validity": validity, "expires_at": iso(expires),
                "expires_at_jalali": jalali_or_none(iso(expires)), "tracking_no": tracking_no}

    def revoke(self, national_code: str, tracking_no: str, permit_id: str) -> None:
        request = self.requests.get_live(national_code, tracking_no)
        permit = (request.get("permits") or {}).get(permit_id)
        if not permit:
            raise NotFound("No such permit on this request.", code="not_found")
        if permit.get("revoked_at"):
            return  # revoking twice is the same as once
        try:
            self.tx.revoke_permit(request, permit_id, permit["grant_pk"], iso(self.clock.epoch()),
                                  self.activity.new_item(national_code, "permit_revoked", iso_precise(self.clock.now()),
                                                         {"tracking_no": tracking_no, "permit_id": permit_id}))
        except NotFound:
            fresh = self.requests.get_live(national_code, tracking_no)
            if not ((fresh.get("permits") or {}).get(permit_id) or {}).get("revoked_at"):
                raise
