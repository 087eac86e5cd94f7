"""Objections: a person says a month is missing from their records or short of days or wages, for one workshop and
a range of months, optionally with a document; staff accept (writing the corrected months, with who changed what,
when and why) or reject (with a reason). The person follows it in the portal, the timeline and by SMS, and every
statement the correction makes outdated says so (services/tasks.py)."""
from __future__ import annotations

from chalicelib.domain import identifiers, jalali
from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.domain.model.objections import (Attachment, Correction, Objection, ObjectionKind, ObjectionStatus,
                                                RecordChange)
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import Accounts, DocumentFiles, Objections, Registry, Requests, Sms
from chalicelib.domain.presenting import jalali_or_none
from chalicelib.domain.service_days import Contribution
from chalicelib.services.timeline import entry

MAX_MONTHS = 24  # one objection, at most two years of one workshop: what one decision can correct in one step
MAX_DESCRIPTION = 1000
ATTACHMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_ATTACHMENT_BYTES = 5 * 2**20


def decision_sms(objection: Objection) -> str:
    outcome = "پذیرفته شد و سوابق شما اصلاح شد" if objection.status is ObjectionStatus.ACCEPTED else "پذیرفته نشد"
    return f"سابقه: اعتراض {objection.tracking_no} شما به سوابق {outcome}. جزئیات در «تامین اجتماعی من»."


class ObjectionService:
    def __init__(self, *, objections: Objections, requests: Requests, registry: Registry, accounts: Accounts,
                 sms: Sms, files: DocumentFiles, clock: Clock):
        self.objections = objections
        self.requests = requests  # the tracking-number sequence the person's requests share
        self.registry = registry
        self.accounts = accounts
        self.sms = sms
        self.files = files
        self.clock = clock

    # --- the person ---------------------------------------------------------------------------------------------
    def file(self, national_code: str, kind: str, workshop_code: str, from_month: str, to_month: str,
             description: str, attachment: dict | None = None) -> dict:
        try:
            kind = ObjectionKind(kind)
        except ValueError:
            raise InvalidValue("kind must be missing or deficient.", code="invalid_objection_kind") from None
        workshop = identifiers.normalize_workshop_code(workshop_code)
        first, last = jalali.parse_jalali_month(from_month), jalali.parse_jalali_month(to_month)
        this_month = tuple(int(p) for p in jalali.jalali_of(self.clock.datetime()).split("/")[:2])
        if first > last or last > this_month:
            raise InvalidValue("The months must run forwards and not past this month.", code="invalid_month_range")
        if (last[0] - first[0]) * 12 + last[1] - first[1] + 1 > MAX_MONTHS:
            raise InvalidValue(f"One objection covers at most {MAX_MONTHS} months; file another for the rest.",
                               code="invalid_month_range")
        description = (description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise InvalidValue(f"The description has at most {MAX_DESCRIPTION} characters.", code="invalid_value")
        tracking_no = self.requests.next_tracking_no()
        attached = self._attachment(national_code, tracking_no, attachment) if attachment else None
        now = self.clock.epoch()
        objection = Objection(tracking_no=tracking_no, national_code=national_code, kind=kind, workshop_code=workshop,
                              from_month=jalali.format_month(*first), to_month=jalali.format_month(*last),
                              description=description, submitted_at=iso(now), attachment=attached)
        self.objections.add(objection, entry(self.clock, national_code, "objection_filed", tracking_no=tracking_no,
                                             kind=kind.value, workshop_code=workshop,
                                             months=f"{objection.from_month}–{objection.to_month}"))
        answer = {"tracking_no": tracking_no, "status": objection.status.value}
        if attached:
            answer["upload_url"] = self.files.upload_link(attached.key, attached.content_type, attached.size)
            answer["upload_expires_in"] = self.files.presign_seconds
        return answer

    def _attachment(self, national_code: str, tracking_no: str, attachment: dict) -> Attachment:
        content_type, size = attachment.get("content_type"), attachment.get("size")
        if content_type not in ATTACHMENT_TYPES:
            raise InvalidValue("The attachment must be a PDF, JPEG or PNG file.", code="invalid_attachment")
        if not isinstance(size, int) or not 0 < size <= MAX_ATTACHMENT_BYTES:
            raise InvalidValue(f"The attachment must be at most {MAX_ATTACHMENT_BYTES // 2**20} MB.",
                               code="invalid_attachment")
        filename = f"attachment.{ATTACHMENT_TYPES[content_type]}"
        return Attachment(f"objections/{national_code}/{tracking_no}/{filename}", filename, content_type, size)

    def mine(self, national_code: str) -> dict:
        return {"items": [present(o) for o in self.objections.of_person(national_code)]}

    # --- the staff ----------------------------------------------------------------------------------------------
    def waiting(self, limit: int = 50) -> dict:
        items = []
        for objection in self.objections.waiting(limit):
            profile, contributions = self.registry.career(objection.national_code)
            months = set(objection.months())
            records = [{"year": c.year, "month": c.month, "workshop_code": c.workshop_code,
                        "workshop_name": c.workshop_name, "days": c.days, "wage": c.wage}
                       for c in contributions if (c.year, c.month) in months]
            shown = present(objection)
            if objection.attachment:
                shown["attachment"]["url"] = self.files.download_link(
                    objection.attachment.key, objection.attachment.filename, objection.attachment.content_type)
            items.append({**shown, "national_code": objection.national_code,
                          "name": profile.name if profile else "", "records": records})
        return {"items": items}

    def decide(self, staff: str, tracking_no: str, decision: str, reason: str, corrections: list[dict]) -> dict:
        objection = self.objections.get(tracking_no) if tracking_no.isdigit() else None
        if objection is None:
            raise NotFound("No objection has this tracking number.", code="not_found")
        if objection.status is not ObjectionStatus.SUBMITTED:
            raise Conflict("This objection was decided already.", code="already_decided")
        reason = (reason or "").strip()
        if not reason:
            raise InvalidValue("Give the reason for the decision: the person reads it.", code="reason_required")
        now = iso(self.clock.epoch())
        objection.decided_at, objection.decided_by, objection.decision_reason = now, staff, reason
        if decision == "reject":
            objection.status = ObjectionStatus.REJECTED
            done = self.objections.reject(objection, self._decided_entry(objection))
        elif decision == "accept":
            objection.status = ObjectionStatus.ACCEPTED
            objection.corrections = self._corrections(objection, corrections)
            contributions, changes = self._changes(objection, staff, now, reason)
            since = min(f"{c.year:04d}/{c.month:02d}" for c in objection.corrections)
            done = self.objections.accept(objection, contributions, changes, self._decided_entry(objection),
                                          FollowUpTask(TaskKind.OUTDATE, objection.national_code, tracking_no,
                                                       self.clock.epoch(), since))
        else:
            raise InvalidValue("decision must be accept or reject.", code="invalid_decision")
        if not done:
            raise Conflict("This objection was decided already.", code="already_decided")
        person = self.accounts.person(objection.national_code)
        if person and person.mobile:
            self.sms.send(person.mobile, decision_sms(objection), message_id=f"objection-{tracking_no}-decided")
        return {"tracking_no": tracking_no, "status": objection.status.value}

    def _decided_entry(self, objection: Objection):
        return entry(self.clock, objection.national_code, "objection_decided", tracking_no=objection.tracking_no,
                     decision=objection.status.value, reason=objection.decision_reason)

    def _corrections(self, objection: Objection, corrections: list[dict]) -> list[Correction]:
        if not corrections:
            raise InvalidValue("An accepted objection says what the months are: give the corrections.",
                               code="corrections_required")
        months, out = set(objection.months()), []
        for given in corrections:
            correction = Correction(int(given["year"]), int(given["month"]),
                                    identifiers.normalize_workshop_code(str(given.get("workshop_code")
                                                                            or objection.workshop_code)),
                                    int(given["days"]), int(given["wage"]))
            if (correction.year, correction.month) not in months or correction.workshop_code != objection.workshop_code:
                raise InvalidValue("A correction is for a month and workshop the objection names.",
                                   code="invalid_correction")
            if not 0 < correction.days <= jalali.month_length(correction.year, correction.month) or correction.wage < 0:
                raise InvalidValue("Days must be within the month, wages not negative.", code="invalid_correction")
            out.append(correction)
        if len({(c.year, c.month) for c in out}) != len(out):
            raise InvalidValue("Each month is corrected once.", code="invalid_correction")
        return out

    def _changes(self, objection: Objection, staff: str, at: str, why: str):
        _, contributions = self.registry.career(objection.national_code)
        existing = {(c.year, c.month, c.workshop_code): c for c in contributions}
        named = next((c for c in contributions if c.workshop_code == objection.workshop_code), None)
        rows, changes = [], []
        for c in objection.corrections:
            before = existing.get((c.year, c.month, c.workshop_code))
            rows.append(Contribution(c.year, c.month, c.workshop_code, named.workshop_name if named else "", c.days,
                                     c.wage, c.wage, (before or named).job if (before or named) else ""))
            changes.append(RecordChange(objection.national_code, c.year, c.month, c.workshop_code,
                                        {"days": before.days, "wage": before.wage} if before else None,
                                        {"days": c.days, "wage": c.wage}, staff, at, why,
                                        f"objection {objection.tracking_no}"))
        return rows, changes


def present(objection: Objection) -> dict:
    return {
        "tracking_no": objection.tracking_no,
        "kind": objection.kind.value,
        "workshop_code": objection.workshop_code,
        "from": objection.from_month,
        "to": objection.to_month,
        "description": objection.description,
        "status": objection.status.value,
        "submitted_at": objection.submitted_at,
        "submitted_at_jalali": jalali_or_none(objection.submitted_at),
        "decided_at": objection.decided_at,
        "decided_at_jalali": jalali_or_none(objection.decided_at),
        "decision_reason": objection.decision_reason,
        "corrections": [{"year": c.year, "month": c.month, "workshop_code": c.workshop_code, "days": c.days,
                         "wage": c.wage} for c in objection.corrections],
        "attachment": ({"filename": objection.attachment.filename, "size": objection.attachment.size}
                       if objection.attachment else None),
    }
