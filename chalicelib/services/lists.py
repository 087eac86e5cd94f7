"""Employers' monthly lists: staff ask for an upload link, the list lands in the lists bucket, and its arrival
(an S3 event, or the operators' command line) ingests it into the registry with a report a payroll clerk trusts.

Ingestion, in the order that keeps it whole whatever stops it:

1. The files of the list are streamed from the bucket to a private folder (Lambda's /tmp), never held in memory.
2. First pass: every row is read and judged (domain/lists/validation.py); the report's rows are written to disk as
   they come. A list the checks refuse as a whole, or that cannot be read, is reported `rejected`: nothing taken.
3. The ledger claims the workshop's month for this list (ListLedger.claim): the same bytes again are `duplicate`,
   a list already standing is a replayed event (nothing to do), another list writing the month now means later.
4. Second pass: rows in batches of 50 against what the registry holds: unchanged rows are not written again, a
   changed row leaves its record of change (written before the row), people first seen become known to the fund,
   and for a corrected list the rows of its predecessor's people who are no longer in it are removed.
5. The ledger commits: the month stands on this list. Then the report is `processed`.

A crash anywhere before 5 leaves the month claimed by this list, and any retry (Lambda's, a replayed S3 event, the
command line) runs it again to the end: every write is keyed by the list, so writing twice is writing once.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import replace

from chalicelib.domain.clock import Clock, iso
from chalicelib.domain.errors import InvalidValue, NotFound, TooLarge
from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.model.employer_lists import Claim, ListStatus, RegistryBatch, WorkshopMonth
from chalicelib.domain.model.objections import RecordChange
from chalicelib.domain.model.tasks import FollowUpTask, TaskKind
from chalicelib.domain.ports import ListFiles, ListLedger, Registry, Tasks
from chalicelib.domain.service_days import Contribution

MAX_LIST_BYTES = 50 * 2**20
BATCH_PEOPLE = 100  # one BatchGetItem of their rows (and of the profiles the roster cannot vouch for)
PROGRESS_ROWS = 1000
CLAIM_STALE_SECONDS = 20 * 60  # well past the ingestion's 5-minute timeout: a claim this old was abandoned
UPLOAD_PREFIX = "uploads/"
CONTENT_TYPES = {".zip": "application/zip", ".dbf": "application/octet-stream", ".csv": "text/csv",
                 ".txt": "text/csv"}
LIST_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # ours are L<UTC time><8 hex>; a direct upload names its own folder
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
KAR, WOR = "DSKKAR00.DBF", "DSKWOR00.DBF"

# The rows' reasons and the list's findings in words (the staff page has them in Persian too).
REASONS = {
    "invalid_national_code": "The national code fails its check digit.",
    "days_out_of_range": "Days worked are not within the month's length.",
    "period_mismatch": "The row's year, month or workshop differs from the header's.",
    "share_not_7_percent": "The employee's share is not 7% of the insurable total.",
    "duplicate_worker": "The worker appears twice in the list; the first row was taken.",
    "wage_arithmetic": "Monthly wage is not daily wage x days, or the insurable total is not wage + benefits.",
    "missing_name": "First or last name is missing.",
    "negative_amount": "An amount is negative.",
    "unreadable_value": "A number field holds no number.",
    "invalid_date": "A date is not a Jalali calendar date.",
    "garbled_text": "The names are not readable Persian (another code page).",
}


class ListBusy(RuntimeError):
    """Another list is writing this workshop's month right now: the event is retried later."""


def new_list_id(epoch: int) -> str:
    import datetime as dt

    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"L{stamp}{secrets.token_hex(4)}"


def _content_type(filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()
    if ext not in CONTENT_TYPES:
        raise InvalidValue("A list is a .zip (DSKKAR00.DBF and DSKWOR00.DBF), the two .DBF files, or a .csv/.txt "
                           "text list.", code="invalid_list")
    return CONTENT_TYPES[ext]


def _safe_name(filename: str) -> str:
    base = os.path.basename(filename.replace("\\", "/")).strip()
    stem, ext = os.path.splitext(base)
    stem = _SAFE_NAME.sub("-", stem).strip("-.")[:80] or "list"
    return stem + ext.lower()[:5]


def _gender(sex: str) -> str:
    sex = sex.strip()
    return "female" if sex.startswith("زن") else "male" if sex.startswith("مرد") else ""


class _ReportRows:
    """The report's accepted and rejected rows, written to disk as they are judged (a list may hold thousands)."""

    def __init__(self, folder: str):
        self.paths = {"accepted": os.path.join(folder, "accepted.part"),
                      "rejected": os.path.join(folder, "rejected.part")}
        self.files = {k: open(p, "w", encoding="utf-8") for k, p in self.paths.items()}
        self.counts = {"accepted": 0, "rejected": 0}

    def add(self, section: str, row: dict) -> None:
        out = self.files[section]
        if self.counts[section]:
            out.write(",\n")
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        self.counts[section] += 1

    def write_report(self, path: str, fields: dict) -> None:
        for f in self.files.values():
            f.close()
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(fields, ensure_ascii=False)[:-1])
            for section, part in self.paths.items():
                out.write(f', "{section}": [')
                with open(part, encoding="utf-8") as source:
                    shutil.copyfileobj(source, out)
                out.write("]")
            out.write("}")


class ListIngestion:
    def __init__(self, *, files: ListFiles, ledger: ListLedger, registry: Registry, tasks: Tasks, clock: Clock,
                 workdir: str | None = None):
        self.files = files
        self.ledger = ledger
        self.registry = registry
        self.tasks = tasks
        self.clock = clock
        self.workdir = workdir or tempfile.gettempdir()

    # --- staff ----------------------------------------------------------------------------------------------------
    def start(self, staff: str, files: list[dict] | None) -> dict:
        """Upload links for one list: one file (a zip or a text list; no size: any up to the limit, refused at
        ingestion beyond it) or the two dBase files. The report exists from here on, `received`."""
        files = files or [{"filename": "list.zip", "size": None}]
        names = [_safe_name(f["filename"]) for f in files]
        names = [n.upper() if n.upper() in (KAR, WOR) else n for n in names]
        if len(files) == 2 and sorted(n.upper() for n in names) != [KAR, WOR]:
            raise InvalidValue("Two files are DSKKAR00.DBF and DSKWOR00.DBF.", code="invalid_list")
        if len(files) == 1 and names[0].upper().endswith(".DBF"):
            raise InvalidValue("A dBase list is two files, DSKKAR00.DBF and DSKWOR00.DBF: send both, or zip them.",
                               code="invalid_list")
        if len(files) > 2:
            raise InvalidValue("One list is one file, or the two dBase files.", code="invalid_list")
        total = sum(f.get("size") or 0 for f in files)
        if total > MAX_LIST_BYTES:
            raise TooLarge(f"A list may be at most {MAX_LIST_BYTES // 2**20} MiB.", code="list_too_large")
        now = self.clock.epoch()
        list_id = new_list_id(now)
        uploads = []
        for f, name in zip(files, names):
            content_type = _content_type(name)
            url = self.files.upload_link(f"{UPLOAD_PREFIX}{list_id}/{name}", content_type, f.get("size"))
            uploads.append({"filename": name, "upload_url": url, "content_type": content_type})
        self._report(list_id, {"status": ListStatus.RECEIVED.value, "filename": " + ".join(names), "files": names,
                               "uploaded_by": staff, "received_at": iso(now)})
        return {"list_id": list_id, "upload_url": uploads[0]["upload_url"],
                "content_type": uploads[0]["content_type"], "uploads": uploads, "expires_in": 900,
                "max_bytes": MAX_LIST_BYTES, "status": ListStatus.RECEIVED.value}

    def report(self, list_id: str) -> dict:
        found = self.files.report(list_id) if LIST_ID.match(list_id or "") else None
        if found is None:
            raise NotFound("No list has this id.", code="list_not_found")
        return found

    def _report(self, list_id: str, fields: dict, rows: _ReportRows | None = None, folder: str | None = None):
        body = {"list_id": list_id, **fields}
        if rows is None:
            body.setdefault("accepted", [])
            body.setdefault("rejected", [])
            self.files.put_report(list_id, json.dumps(body, ensure_ascii=False).encode())
            return
        path = os.path.join(folder, "report.json")
        rows.write_report(path, body)
        self.files.put_report(list_id, path)

    # --- ingestion ------------------------------------------------------------------------------------------------
    def ingest(self, key: str) -> str:
        """An object arrived at `key`: ingest its list once all its files are there. Returns the list's status.
        Raises ListBusy when another list is writing the same month (retry later)."""
        parts = key.split("/")
        if len(parts) != 3 or parts[0] + "/" != UPLOAD_PREFIX or not parts[1] or not parts[2]:
            return "ignored"
        list_id = parts[1]
        if not LIST_ID.match(list_id):
            return "ignored"
        known = self.files.report(list_id) or {}
        if known.get("status") in (ListStatus.PROCESSED.value, ListStatus.REJECTED.value,
                                   ListStatus.DUPLICATE.value):
            return known["status"]  # a replayed event
        name = parts[2]
        # The files the upload link was asked for; a direct upload (no link) is its own file, or the dBase pair.
        expected = known.get("files") or ([KAR, WOR] if name.upper() in (KAR, WOR) else [name])
        objects = self.files.present([f"{UPLOAD_PREFIX}{list_id}/{n}" for n in expected])
        names = [k.rsplit("/", 1)[1] for k, _, _ in objects]
        if len(objects) < len(expected):
            return ListStatus.RECEIVED.value  # the other file is still on its way; its event comes
        base = {k: v for k, v in known.items() if k in ("filename", "files", "uploaded_by", "received_at")}
        at = min(at for _, _, at in objects)  # fixed by the upload: every retry writes the same keys
        base.setdefault("filename", " + ".join(names))
        base.setdefault("received_at", iso(at))
        folder = tempfile.mkdtemp(prefix="ingest-", dir=self.workdir)
        try:
            return self._ingest(list_id, objects, base, at, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _ingest(self, list_id: str, objects, base: dict, at: int, folder: str) -> str:
        from chalicelib.domain.lists import ListFormatError, open_list_pair, open_list_path

        too_big = sum(size for _, size, _ in objects)
        if too_big > MAX_LIST_BYTES:
            return self._rejected(list_id, base, [{"code": "too_large", "message":
                                  f"The list is {too_big} bytes; a list may be at most {MAX_LIST_BYTES}."}])
        digest = hashlib.sha256()
        paths = {}
        for key, _, _ in objects:
            name = key.rsplit("/", 1)[1]
            path = paths[name.upper()] = os.path.join(folder, name.upper())
            self.files.fetch(key, path)
            digest.update(name.upper().encode() + b"\0")
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 16), b""):
                    digest.update(chunk)
        sha256 = digest.hexdigest()
        self._report(list_id, {**base, "status": ListStatus.PROCESSING.value})
        try:
            if KAR in paths and WOR in paths:
                lst = open_list_pair(paths[KAR], paths[WOR], MAX_LIST_BYTES, base["filename"])
            else:  # one file: a zip, a text list, or a dBase file alone (refused as such, with its reason)
                lst = open_list_path(base["filename"], next(iter(paths.values())), folder, MAX_LIST_BYTES)
        except ListFormatError as exc:
            return self._rejected(list_id, base, [{"code": exc.code, "message": exc.message}])
        with lst:
            try:
                return self._judge_and_write(list_id, lst, base, at, sha256, folder)
            except ListFormatError as exc:  # a row the first pass could not read (a file cut short)
                return self._rejected(list_id, base, [{"code": exc.code, "message": exc.message}])

    def _judge_and_write(self, list_id, lst, base, at, sha256, folder) -> str:
        from chalicelib.domain.lists import CodeSet, RowChecker

        header = lst.header
        month = WorkshopMonth(header.workshop_code, header.year, header.month)
        rows = _ReportRows(folder)
        checker = RowChecker(header)
        refused = CodeSet()  # the row numbers the second pass leaves out
        for row in lst.rows():
            verdict = checker.check(row)
            if not verdict.accepted:
                refused.add(row.row)
            name = f"{row.first_name} {row.last_name}".strip()
            if verdict.accepted:
                rows.add("accepted", {"row": row.row, "national_code": verdict.national_code,
                                      "insurance_no": row.insurance_no, "name": name, "days": row.days,
                                      "wage": row.monthly_wage, "insurable_wage": row.insurable_total})
            else:
                rows.add("rejected", {"row": row.row, "national_code": row.national_code, "name": name,
                                      "reasons": list(verdict.reasons),
                                      "messages": [REASONS.get(r, r) for r in verdict.reasons]})
        outcome = checker.finish()
        del checker  # its codes seen: the second pass goes by the row numbers refused
        fields = {**base, "workshop": {"code": header.workshop_code, "name": header.workshop_name},
                  "employer": header.employer_name, "year": header.year, "month": header.month,
                  "period": month.label, "list_no": header.list_no, "layout": header.layout, "form": header.form,
                  "sha256": sha256, "totals": outcome.totals,
                  "warnings": [{"code": i.code, "message": i.message} for i in outcome.issues if i.level == "warning"],
                  "errors": [{"code": i.code, "message": i.message} for i in outcome.issues if i.level == "error"]}
        if outcome.refused:
            return self._finish(list_id, ListStatus.REJECTED, fields, rows, folder)
        claim = self.ledger.claim(month, list_id, sha256, self.clock.epoch(), CLAIM_STALE_SECONDS)
        if claim.outcome is Claim.BUSY:
            raise ListBusy(f"list {claim.previous_list} is writing {month.label} of {month.workshop_code}")
        if claim.outcome is Claim.DUPLICATE:
            return self._finish(list_id, ListStatus.DUPLICATE, {**fields, "duplicate_of": claim.previous_list},
                                rows, folder)
        summary = {"people_new": 0, "rows_written": 0, "rows_unchanged": 0, "rows_corrected": 0,
                   "rows_removed": 0, "people_told": 0}
        if claim.outcome is Claim.GO:
            def progress(done: int) -> None:  # what the staff page and the command line show while it runs
                self._report(list_id, {**base, "status": ListStatus.PROCESSING.value,
                                       "progress": {"rows": done, "of": outcome.rows}})

            self._write(lst, refused, header, month, at, list_id, claim.previous_list, summary, progress, folder)
            self.ledger.commit(month, list_id, sha256, self.clock.epoch())
        fields.update(changes=summary, replaces=claim.previous_list if claim.outcome is Claim.GO else None)
        return self._finish(list_id, ListStatus.PROCESSED, fields, rows, folder)

    def _finish(self, list_id, status: ListStatus, fields, rows, folder) -> str:
        self._report(list_id, {**fields, "status": status.value, "processed_at": iso(self.clock.epoch())},
                     rows, folder)
        return status.value

    def _rejected(self, list_id: str, base: dict, errors: list[dict]) -> str:
        self._report(list_id, {**base, "status": ListStatus.REJECTED.value, "errors": errors, "warnings": [],
                               "processed_at": iso(self.clock.epoch())})
        return ListStatus.REJECTED.value

    # --- the second pass: the registry ------------------------------------------------------------------------------
    def _write(self, lst, refused, header, month: WorkshopMonth, at: int, list_id: str, previous: str | None,
               summary, progress, folder: str) -> None:
        from chalicelib.services.list_roster import Roster

        path = os.path.join(folder, "roster.db")
        self.files.fetch_roster(month.workshop_code, path)
        roster = Roster.opened(path)
        try:
            self._write_rows_of(lst, refused, header, month, at, list_id, previous, summary, progress, roster)
        finally:
            roster.close()
        self.files.put_roster(month.workshop_code, path)

    def _write_rows_of(self, lst, refused, header, month, at, list_id, previous, summary, progress, roster) -> None:
        from chalicelib.domain.lists import CodeSet, canonical_national_code

        source = f"list {list_id}"
        in_list = CodeSet() if previous else None  # every valid code of the list, when it replaces another
        batch: list = []
        for row in lst.rows():
            if row.row % PROGRESS_ROWS == 0:
                progress(row.row)
            code = canonical_national_code(row.national_code)
            if in_list is not None and code:
                in_list.add(int(code))
            if row.row in refused:
                continue
            batch.append((code, row))
            if len(batch) == BATCH_PEOPLE:
                self._write_rows(batch, header, month, at, source, summary, roster)
                batch = []
        if batch:
            self._write_rows(batch, header, month, at, source, summary, roster)
        if previous:
            self._remove_absent(previous, in_list, month, at, source, summary)

    def _write_rows(self, batch, header, month: WorkshopMonth, at: int, source: str, summary, roster) -> None:
        from chalicelib.services.list_roster import fingerprint

        codes = [code for code, _ in batch]
        said = {code: _said(row) for code, row in batch}
        stated = {code: fingerprint(said[code]) for code in codes}
        remembered = roster.said(codes)
        # A profile is read (and perhaps written) only where this workshop's lists said something else before.
        check = [code for code in codes if remembered.get(code) != stated[code]]
        held = self.registry.month_of(codes, month, profiles_of=check)
        out, told = RegistryBatch(), []
        for code, row in batch:
            profile, before = held[code]
            after = Contribution(month.year, month.month, month.workshop_code, header.workshop_name, row.days,
                                 row.monthly_wage, row.insurable_total, row.job_title, source=source)
            if before is not None and _same(before, after):
                summary["rows_unchanged"] += 1
            else:
                out.contributions.append((code, after))
                summary["rows_written"] += 1
                if before is not None:
                    summary["rows_corrected"] += 1
                    out.changes.append(self._change(code, month, before, after, at, source))
                    told.append(code)
            if code in check:
                known = _profile_from(code, said[code], profile)
                if known is not None:
                    out.profiles.append(known)
                    summary["people_new"] += profile is None
        self._apply(out, told, month, at, source, summary)
        roster.remember([(code, stated[code]) for code in check])

    def _remove_absent(self, previous: str, in_list, month: WorkshopMonth, at: int, source: str,
                       summary) -> None:
        """The people of the list this one replaces who are not in it: their rows of the month go (with history)."""
        earlier = self.files.report(previous) or {}
        gone = [r["national_code"] for r in earlier.get("accepted", []) if int(r["national_code"]) not in in_list]
        for start in range(0, len(gone), BATCH_PEOPLE):
            people = gone[start:start + BATCH_PEOPLE]
            held = self.registry.month_of(people, month)
            out, told = RegistryBatch(), []
            for code in people:
                before = held[code][1]
                if before is None or before.source != f"list {previous}":
                    continue  # not the earlier list's row (an accepted objection wrote it since): it stays
                out.removals.append((code, month))
                out.changes.append(self._change(code, month, before, None, at, source))
                told.append(code)
                summary["rows_removed"] += 1
            self._apply(out, told, month, at, source, summary)

    def _apply(self, out: RegistryBatch, told: list[str], month: WorkshopMonth, at: int, source: str,
               summary) -> None:
        if told:  # before the rows: a retry that finds them written would not know to tell anyone
            self.tasks.add_all([FollowUpTask(TaskKind.OUTDATE, code, source.split(" ", 1)[1], at,
                                             since_month=month.label) for code in told])
            summary["people_told"] += len(told)
        if out:
            self.registry.write_batch(out)

    @staticmethod
    def _change(code: str, month: WorkshopMonth, before: Contribution, after: Contribution | None, at: int,
                source: str) -> RecordChange:
        def shown(c):
            return {"days": c.days, "wage": c.wage, "insurable_wage": c.insurable_wage}

        why = "corrected list" if after is not None else "not in the corrected list"
        return RecordChange(code, month.year, month.month, month.workshop_code, shown(before),
                            shown(after) if after else None, "employer", iso(at), why, source)


def _same(before: Contribution, after: Contribution) -> bool:
    return (before.days, before.wage, before.insurable_wage, before.workshop_name, before.job) == (
        after.days, after.wage, after.insurable_wage, after.workshop_name, after.job)


def _said(row) -> dict:
    """What a list's row says of the person (blank fields left out: a blank never blanks the registry)."""
    said = {"first_name": row.first_name, "last_name": row.last_name, "father_name": row.father_name,
            "birth_date": row.birth_date, "insurance_no": row.insurance_no, "gender": _gender(row.sex)}
    return {k: v.strip() for k, v in said.items() if v and v.strip()}


def _profile_from(code: str, said: dict, held: InsuredProfile | None) -> InsuredProfile | None:
    """The person as the list describes them, where it says more than the registry holds or something else;
    None when nothing would change."""
    if held is None:
        return InsuredProfile(national_code=code, **said)
    changed = {k: v for k, v in said.items() if getattr(held, k) != v}
    return replace(held, **changed) if changed else None
