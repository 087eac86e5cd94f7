"""The scheduled cleanup: expired permits and requests are marked and their PDFs removed; live ones are
never touched. It walks the expiry index day by day from its last checkpoint, so it reads only what is due,
and every write is conditional, so running it twice (or twice at once) changes nothing more."""
from __future__ import annotations

import datetime as dt

from chalicelib.domain.clock import Clock, iso, iso_precise
from chalicelib.domain.statement_kinds import TOMBSTONE_SECONDS
from chalicelib.logs import log

CHECKPOINT = "cleanup"
FIRST_LOOKBACK_DAYS = 3
OVERLAP_DAYS = 1  # re-read the day before the checkpoint: items can expire late in a day already visited


def _day(epoch: int) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date()


class CleanupService:
    def __init__(self, requests, expiry, documents, activity, clock: Clock):
        self.requests = requests
        self.expiry = expiry
        self.documents = documents
        self.activity = activity
        self.clock = clock

    def run(self, budget_seconds: float = float("inf")) -> dict:
        """Work through the days due; stop early when the time budget (below the Lambda's timeout) runs out,
        keeping the checkpoint at the last day finished so the next run carries on from there."""
        import time

        started = time.monotonic()
        now = self.clock.epoch()
        today = _day(now)
        checkpoint = self.requests.get_checkpoint(CHECKPOINT)
        start = (dt.date.fromisoformat(checkpoint["day"]) - dt.timedelta(days=OVERLAP_DAYS) if checkpoint
                 else today - dt.timedelta(days=FIRST_LOOKBACK_DAYS))
        counts = {"permits_expired": 0, "requests_expired": 0, "pdfs_removed": 0, "days": 0, "complete": True}
        day, finished = start, None
        while day <= today:
            if time.monotonic() - started > budget_seconds:
                counts["complete"] = False
                break
            bucket = day.isoformat()
            keys = [key["pk"] for key in self.expiry.expired_grants(bucket, now)]
            for grant in self.expiry.get_grants(keys):
                counts["permits_expired"] += self._expire_grant(grant, now)
            for key in self.expiry.expired_requests(bucket, now):
                expired, removed = self._expire_request(key, now)
                counts["requests_expired"] += expired
                counts["pdfs_removed"] += removed
            counts["days"] += 1
            finished = day
            day += dt.timedelta(days=1)
        if finished is not None:
            self.requests.put_checkpoint(CHECKPOINT, {"day": finished.isoformat(), "ran_at": iso(now)})
        log("cleanup", **counts)
        return counts

    def _expire_grant(self, grant: dict, now: int) -> int:
        if grant["expires_at_epoch"] > now or not self.expiry.delete_grant_if_expired(grant["pk"], now):
            return 0
        marked = self.requests.update(
            grant["national_code"], grant["tracking_no"], "SET permits.#pid.expired_at = :at",
            "attribute_exists(permits.#pid) AND attribute_not_exists(permits.#pid.expired_at)",
            names={"#pid": grant["permit_id"]}, at=iso(now))
        if marked is not None:
            self.activity.append(grant["national_code"], "permit_expired", iso_precise(self.clock.now()),
                                 {"tracking_no": grant["tracking_no"], "permit_id": grant["permit_id"]})
        return 1

    def _expire_request(self, key: dict, now: int) -> tuple[int, int]:
        if not key["pk"].startswith("PERSON#"):
            return 0, 0
        national_code, tracking_no = key["pk"][len("PERSON#"):], key["sk"][len("REQ#"):]
        request = self.requests.get(national_code, tracking_no)
        if not request or request.get("expires_at_epoch", 0) > now:
            return 0, 0
        expired = 0
        if request.get("status") in ("pending", "ready", "failed"):
            until = now + TOMBSTONE_SECONDS
            changed = self.requests.update(
                national_code, tracking_no,
                "SET #st = :expired, expired_at = :at, expires_at_epoch = :until, expiry_bucket = :bucket "
                "REMOVE statement_z", "expires_at_epoch = :old AND #st IN (:pending, :ready, :failed)",
                names={"#st": "status"}, expired="expired", at=iso(now), until=until,
                bucket=_day(until).isoformat(), old=request["expires_at_epoch"], pending="pending", ready="ready",
                failed="failed")
            expired = int(changed is not None)
            if not changed:
                return 0, 0
            if request.get("document_id"):
                self.requests.set_document_status(request["document_id"], "expired", iso(now))
        removed = 0
        if request.get("s3_key"):
            # Expired requests and deleted ones whose PDF removal failed: nobody can reach the PDF any more.
            self.documents.delete(request["s3_key"])
            self.requests.update(national_code, tracking_no, "REMOVE s3_key")
            removed = 1
        return expired, removed
