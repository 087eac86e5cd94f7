"""Synthetic employers' monthly lists (the ListDisk format) for tests, demos and benches. No real data: every
person is invented (valid national codes, Persian names) from a seed.

    people = invented_people(50, seed=7)
    data = write_list(people, "1234567890", 1403, 5)                      # a zip of DSKKAR00.DBF + DSKWOR00.DBF
    files = write_list(people, "1234567890", 1403, 5, form="dbf")         # {"DSKKAR00.DBF": ..., "DSKWOR00.DBF": ...}
    text = write_list(people, "1234567890", 1403, 5, form="csv")          # the text form (reader.py's docstring)

The DBF files are dBase III written byte by byte (32-byte header, 32-byte field descriptors, 0x0D, records each
led by a space, 0x1A), with the field table of /work/shared/domain-notes.md: N fields right-aligned, C fields
left-aligned, Persian text in Iran System (visual order, via the iransystem codec), the code-page bytes of the real
files (0x7E in DSKKAR00, 0x00 in DSKWOR00). The header's sums are computed from the rows as written.

To break rules on purpose: ``breaks={row_index: "rule"}`` (0-based rows; the rules of
chalicelib/domain/lists/validation.py: invalid_national_code, days_out_of_range, period_mismatch,
share_not_7_percent, duplicate_worker, wage_arithmetic, missing_name, negative_amount), ``row_overrides=
{row_index: {"DSW_DD": 40, "DSW_BDATE": "65/03/12"}}`` (any field, raw strings allowed, e.g. a date form or a
non-number), ``header_overrides={"DSK_TDD": 1}`` (applied after the sums). ``corrupt=`` one of CORRUPTIONS.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import random
import struct
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache

import iransystem  # noqa: F401  (registers the "iransystem" codec)

from chalicelib.domain.identifiers import national_code_check_digit
from chalicelib.domain.jalali import month_length

KAR_FIELDS = (("DSK_ID", "C", 10), ("DSK_NAME", "C", 30), ("DSK_FARM", "C", 30), ("DSK_ADRS", "C", 40),
              ("DSK_KIND", "N", 1), ("DSK_YY", "N", 2), ("DSK_MM", "N", 2), ("DSK_LISTNO", "C", 12),
              ("DSK_DISC", "C", 30), ("DSK_NUM", "N", 5), ("DSK_TDD", "N", 6), ("DSK_TROOZ", "N", 12),
              ("DSK_TMAH", "N", 12), ("DSK_TMAZ", "N", 12), ("DSK_TMASH", "N", 12), ("DSK_TTOTL", "N", 12),
              ("DSK_TBIME", "N", 12), ("DSK_TKOSO", "N", 12), ("DSK_BIC", "N", 12), ("DSK_RATE", "N", 5),
              ("DSK_PRATE", "N", 2), ("DSK_BIMH", "N", 12), ("MON_PYM", "C", 3))
KAR_NEWER = (("DSK_INC", "N", 12), ("DSK_SPOUSE", "N", 12))
WOR_FIELDS = (("DSW_ID", "C", 10), ("DSW_YY", "N", 2), ("DSW_MM", "N", 2), ("DSW_LISTNO", "C", 12),
              ("DSW_ID1", "C", 8), ("DSW_FNAME", "C", 60), ("DSW_LNAME", "C", 60), ("DSW_DNAME", "C", 60),
              ("DSW_IDNO", "C", 15), ("DSW_IDPLC", "C", 30), ("DSW_IDATE", "C", 8), ("DSW_BDATE", "C", 8),
              ("DSW_SEX", "C", 3), ("DSW_NAT", "C", 10), ("DSW_OCP", "C", 50), ("DSW_SDATE", "C", 8),
              ("DSW_EDATE", "C", 8), ("DSW_DD", "N", 2), ("DSW_ROOZ", "N", 12), ("DSW_MAH", "N", 12),
              ("DSW_MAZ", "N", 12), ("DSW_MASH", "N", 12), ("DSW_TOTL", "N", 12), ("DSW_BIME", "N", 12),
              ("DSW_PRATE", "N", 2), ("DSW_JOB", "C", 6), ("PER_NATCOD", "C", 10))
WOR_NEWER = (("DSW_INC", "N", 12), ("DSW_SPOUSE", "C", 10))

CORRUPTIONS = (
    "truncated",       # DSKWOR00 cut inside a record (zip: inside a sound zip; csv: the last line cut)
    "truncated_zip",   # the zip itself cut in half
    "wrong_encoding",  # Persian text in Windows-1256 instead of Iran System
    "utf8_text",       # Persian text in UTF-8 inside the DBF
    "missing_wor",     # no DSKWOR00 (csv: no worker section)
    "missing_kar",     # no DSKKAR00
    "not_a_zip",       # a PDF's first bytes under the list's name
    "huge",            # DSKWOR00 unpacks to more than 50 MiB (zip: a few hundred KB packed)
    "no_eof",          # the DBFs lack the final 0x1A (legal: the reader must take it)
)
RULES = ("invalid_national_code", "days_out_of_range", "period_mismatch", "share_not_7_percent", "duplicate_worker",
         "wage_arithmetic", "missing_name", "negative_amount")

MALE = ("محمد", "علی", "حسین", "رضا", "مهدی", "امیر", "حسن", "مرتضی", "سعید", "جواد", "محمدرضا", "ابوالفضل",
        "مصطفی", "یوسف", "کاظم", "بهزاد", "آرش", "پژمان", "کیوان", "غلامرضا")
FEMALE = ("فاطمه", "زهرا", "مریم", "سارا", "نرگس", "الهام", "آزاده", "مهسا", "لیلا", "شیوا", "ژیلا", "پریسا",
          "سمیه", "معصومه", "گلناز", "فرشته")
LAST = ("احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "قاسمی", "کاظمی", "مولایی",
        "جلالی", "طاهری", "نوروزی", "عباسی", "یزدانی", "شریفی", "ظهیری", "چگینی", "خسروی", "بهرامی", "زارع",
        "محمدی‌نیا", "امیری‌فر", "حق‌شناس", "گلپایگانی", "فتحی", "ذوالفقاری", "ثابتی", "غفاری")
PLACES = ("تهران", "اصفهان", "مشهد", "تبریز", "شیراز", "کرج", "قم", "اهواز", "رشت", "کرمان")
JOBS = (("کارگر ساده", "931301"), ("راننده", "832201"), ("حسابدار", "331301"), ("نگهبان", "541401"),
        ("کارشناس فنی", "311901"), ("منشی", "412001"), ("تکنسین برق", "741101"), ("آشپز", "512001"),
        ("انباردار", "432101"), ("جوشکار", "721201"))


@dataclass(frozen=True)
class SamplePerson:
    national_code: str
    insurance_no: str
    first_name: str
    last_name: str
    father_name: str
    birth_date: str  # "YYYY/MM/DD"
    id_no: str
    id_place: str
    sex: str
    nationality: str
    job_title: str
    job_code: str
    days: int
    daily_wage: int
    benefits: int
    other_pay: int = 0  # not insurable: grand total = insurable total + other pay
    start_date: str = ""
    end_date: str = ""

    @property
    def monthly_wage(self) -> int:
        return self.daily_wage * self.days

    @property
    def insurable_total(self) -> int:
        return self.monthly_wage + self.benefits

    @property
    def grand_total(self) -> int:
        return self.insurable_total + self.other_pay

    @property
    def employee_share(self) -> int:
        return (self.insurable_total * 7 + 50) // 100


def valid_national_code(rng: random.Random) -> str:
    while True:
        first = f"{rng.randrange(10**9):09d}"
        if len(set(first)) > 1:
            return first + str(national_code_check_digit(first))


def invented_people(n: int, seed: int = 0, *, year: int = 1403, month: int = 1, max_days: int | None = None,
                    start_share: float = 0.1) -> list[SamplePerson]:
    """`n` invented people with distinct valid national codes, whose rows pass every check for `year`/`month`.

    Most work the whole month (up to `max_days`, by default the month's length); about `start_share` of them
    start inside the month (a start date in the month, the days after it). Wages keep 10,000 rows within the
    header's N12 sums (daily 1.5-3 million rials)."""
    rng = random.Random(seed)
    full = max_days or month_length(year, month)
    codes: set[str] = set()
    people = []
    for _ in range(n):
        code = valid_national_code(rng)
        while code in codes:
            code = valid_national_code(rng)
        codes.add(code)
        female = rng.random() < 0.35
        days, start = full, ""
        if rng.random() < start_share and full > 2:
            first_day = rng.randint(2, full)
            days, start = full - first_day + 1, f"{year:04d}/{month:02d}/{first_day:02d}"
        elif rng.random() < 0.1:
            days = rng.randint(1, full)
        job, job_code = rng.choice(JOBS)
        born = f"{rng.randint(1340, 1385):04d}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}"
        people.append(SamplePerson(
            national_code=code, insurance_no=f"{rng.randrange(10**7, 10**8)}",
            first_name=rng.choice(FEMALE if female else MALE), last_name=rng.choice(LAST),
            father_name=rng.choice(MALE), birth_date=born,
            id_no=str(rng.randint(1, 999999)) if rng.random() < 0.5 else code, id_place=rng.choice(PLACES),
            sex="زن" if female else "مرد", nationality="ایرانی", job_title=job, job_code=job_code, days=days,
            daily_wage=rng.randrange(1_500_000, 3_000_001, 1000), benefits=rng.choice((0, 1_100_000, 2_500_000,
                                                                                      4_000_000)),
            other_pay=rng.choice((0, 0, 500_000, 900_000)), start_date=start))
    return people


# -- rows and header ---------------------------------------------------------------------------------------------

def stored_year(year: int) -> int:
    """DSK_YY/DSW_YY: the year minus 1400, or minus 1300 for the 1300s."""
    return year - 1400 if year >= 1400 else year - 1300


def format_date(date: str, form: str = "compact") -> str:
    """A "YYYY/MM/DD" date as stored: compact "YYYYMMDD", short "YY/MM/DD" (the 13YY form), "zero" ("0") when
    empty, or "" (spaces) when empty."""
    if not date:
        return "0" if form == "zero" else ""
    y, m, d = date.split("/")
    if form == "short":
        return f"{y[2:]}/{m}/{d}"
    return f"{y}{m}{d}"


def person_row(p: SamplePerson, workshop_code: str, year: int, month: int, list_no: str = "1",
               layout: str = "older", date_form: str = "compact") -> dict:
    row = {"DSW_ID": workshop_code, "DSW_YY": stored_year(year), "DSW_MM": month, "DSW_LISTNO": list_no,
           "DSW_ID1": p.insurance_no, "DSW_FNAME": p.first_name, "DSW_LNAME": p.last_name,
           "DSW_DNAME": p.father_name, "DSW_IDNO": p.id_no, "DSW_IDPLC": p.id_place, "DSW_IDATE": "",
           "DSW_BDATE": format_date(p.birth_date, date_form), "DSW_SEX": p.sex, "DSW_NAT": p.nationality,
           "DSW_OCP": p.job_title, "DSW_SDATE": format_date(p.start_date, date_form),
           "DSW_EDATE": format_date(p.end_date, date_form), "DSW_DD": p.days, "DSW_ROOZ": p.daily_wage,
           "DSW_MAH": p.monthly_wage, "DSW_MAZ": p.benefits, "DSW_MASH": p.insurable_total,
           "DSW_TOTL": p.grand_total, "DSW_BIME": p.employee_share, "DSW_PRATE": 0, "DSW_JOB": p.job_code,
           "PER_NATCOD": p.national_code}
    if layout == "newer":
        row.update({"DSW_INC": 0, "DSW_SPOUSE": ""})
    return row


def _break(rows: list[dict], i: int, rule: str, year: int, month: int) -> None:
    row = rows[i]
    if rule == "invalid_national_code":
        c = row["PER_NATCOD"]
        row["PER_NATCOD"] = c[:9] + str((int(c[9]) + 1) % 10)
    elif rule == "days_out_of_range":
        days = month_length(year, month) + 1
        row.update(_amounts(row["DSW_ROOZ"], days, row["DSW_MAZ"], row["DSW_TOTL"] - row["DSW_MASH"]))
    elif rule == "period_mismatch":
        row["DSW_MM"] = month % 12 + 1
    elif rule == "share_not_7_percent":
        row["DSW_BIME"] += 1000
    elif rule == "duplicate_worker":
        if i == 0:
            raise ValueError("duplicate_worker copies an earlier row's national code: not on row 0")
        row["PER_NATCOD"] = rows[0]["PER_NATCOD"] if i > 1 else rows[i - 1]["PER_NATCOD"]
    elif rule == "wage_arithmetic":
        row["DSW_MAH"] += 10_000
        row["DSW_MASH"] += 0  # the insurable total (and the share) stay those of the true wage
    elif rule == "missing_name":
        row["DSW_FNAME"] = ""
    elif rule == "negative_amount":
        row["DSW_TOTL"] = -row["DSW_TOTL"]
    else:
        raise ValueError(f"unknown rule {rule!r}; one of {RULES}")


def _amounts(daily: int, days: int, benefits: int, other: int) -> dict:
    monthly = daily * days
    insurable = monthly + benefits
    return {"DSW_DD": days, "DSW_MAH": monthly, "DSW_MASH": insurable, "DSW_TOTL": insurable + other,
            "DSW_BIME": (insurable * 7 + 50) // 100}


def header_record(rows: list[dict], workshop_code: str, year: int, month: int, list_no: str, layout: str,
                  workshop_name: str, employer_name: str, address: str) -> dict:
    def total(name):
        return sum(r[name] for r in rows if isinstance(r.get(name), int))

    insurable = total("DSW_MASH")
    header = {"DSK_ID": workshop_code, "DSK_NAME": workshop_name, "DSK_FARM": employer_name, "DSK_ADRS": address,
              "DSK_KIND": 0, "DSK_YY": stored_year(year), "DSK_MM": month, "DSK_LISTNO": list_no, "DSK_DISC": "",
              "DSK_NUM": len(rows), "DSK_TDD": total("DSW_DD"), "DSK_TROOZ": total("DSW_ROOZ"),
              "DSK_TMAH": total("DSW_MAH"), "DSK_TMAZ": total("DSW_MAZ"), "DSK_TMASH": insurable,
              "DSK_TTOTL": total("DSW_TOTL"), "DSK_TBIME": total("DSW_BIME"),
              "DSK_TKOSO": (insurable * 20 + 50) // 100, "DSK_BIC": (insurable * 3 + 50) // 100, "DSK_RATE": 23,
              "DSK_PRATE": 0, "DSK_BIMH": 0, "MON_PYM": ""}
    if layout == "newer":
        header.update({"DSK_INC": 0, "DSK_SPOUSE": 0})
    return header


# -- encoding --------------------------------------------------------------------------------------------------------

# Python's cp1256 has Arabic YEH at 0xED, where Persian files put ی, and no Persian digits.
_TO_CP1256 = str.maketrans("ی۰۱۲۳۴۵۶۷۸۹", "ي0123456789")


@lru_cache(maxsize=4096)
def encode_text(value: str, codec: str = "iransystem") -> bytes:
    if value.isascii():
        return value.encode("ascii")
    if codec == "cp1256":
        return value.translate(_TO_CP1256).encode("cp1256")
    return value.encode(codec)


def _cell(value, ftype: str, width: int, codec: str) -> bytes:
    if ftype == "N":
        raw = str(value).encode("ascii") if not isinstance(value, bytes) else value
        if len(raw) > width:
            raise ValueError(f"{value!r} does not fit an N{width} field")
        return raw.rjust(width, b" ")
    raw = value if isinstance(value, bytes) else encode_text(str(value), codec)
    if codec != "iransystem":
        raw = raw[:width]  # another code page (a corruption on purpose) may take more bytes: cut, as dBase does
    if len(raw) > width:
        raise ValueError(f"{value!r} does not fit a C{width} field")
    return raw.ljust(width, b" ")


def dbf_bytes(fields, records, codepage: int = 0x00, eof: bool = True, updated=_dt.date(2024, 8, 1),
              codec: str = "iransystem") -> bytes:
    """A dBase III file: header, field descriptors, 0x0D, records (a space, then the fields), 0x1A."""
    body = [b" " + b"".join(_cell(rec.get(name, "" if t == "C" else 0), t, w, codec) for name, t, w in fields)
            for rec in records]
    headerlen = 32 + 32 * len(fields) + 1
    recordlen = 1 + sum(w for _, _, w in fields)
    head = bytearray(struct.pack("<BBBBLHH", 0x03, updated.year - 1900, updated.month, updated.day, len(body),
                                 headerlen, recordlen))
    head += bytes(32 - len(head))
    head[29] = codepage
    for name, ftype, width in fields:
        head += struct.pack("<11scLBB14x", name.encode("ascii"), ftype.encode("ascii"), 0, width & 0xFF,
                            (width >> 8) if ftype == "C" else 0)
    head += b"\x0d"
    return bytes(head) + b"".join(body) + (b"\x1a" if eof else b"")


def csv_bytes(kar_fields, header: dict, wor_fields, rows: list[dict], encoding: str = "utf-8",
              bom: bool = False) -> bytes:
    """The text form: DSK_ names, the workshop's values, a blank line, DSW_ names, one line per worker.

    encoding "utf-8" (logical order) or "iransystem" / "cp1256" (each value stored on its own, visual order)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")

    def value(v, ftype):
        if ftype == "N" or isinstance(v, int):
            return str(v)
        if isinstance(v, bytes):  # raw bytes, stored as they are (not in the UTF-8 form)
            return v.decode("latin-1")
        s = str(v)
        if encoding == "utf-8":
            return s
        return encode_text(s, encoding).decode("latin-1")

    w.writerow([n for n, _, _ in kar_fields])
    w.writerow([value(header.get(n, ""), t) for n, t, _ in kar_fields])
    out.write("\r\n")
    w.writerow([n for n, _, _ in wor_fields])
    for r in rows:
        w.writerow([value(r.get(n, ""), t) for n, t, _ in wor_fields])
    text = out.getvalue()
    if encoding == "utf-8":
        return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    return text.encode("latin-1")


def zip_bytes(files: dict, folder: str = "", compresslevel: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for name, data in files.items():
            zf.writestr(folder + name, data)
    return buf.getvalue()


# -- the list --------------------------------------------------------------------------------------------------------

def write_list(people, workshop_code: str, year: int, month: int, layout: str = "older", form: str = "zip",
               corrupt: str | None = None, *, list_no: str = "1", workshop_name: str = "شرکت نمونه البرز",
               employer_name: str = "مریم رضایی", address: str = "تهران خیابان آزادی پلاک ۱۲",
               breaks: dict | None = None, row_overrides: dict | None = None, header_overrides: dict | None = None,
               date_form: str = "compact", csv_encoding: str = "utf-8", bom: bool = False, zip_folder: str = "",
               lower_names: bool = False):
    """A list for `people` (SamplePerson) at `workshop_code` for `year`/`month`: bytes (zip, csv) or
    {"DSKKAR00.DBF": bytes, "DSKWOR00.DBF": bytes} (dbf)."""
    if layout not in ("older", "newer") or form not in ("zip", "dbf", "csv"):
        raise ValueError("layout is older|newer, form zip|dbf|csv")
    if corrupt is not None and corrupt not in CORRUPTIONS:
        raise ValueError(f"corrupt is one of {CORRUPTIONS}")
    rows = [person_row(p, workshop_code, year, month, list_no, layout, date_form) for p in people]
    for i, rule in (breaks or {}).items():
        _break(rows, i, rule, year, month)
    for i, fields in (row_overrides or {}).items():
        rows[i].update(fields)
    header = header_record(rows, workshop_code, year, month, list_no, layout, workshop_name, employer_name, address)
    header.update(header_overrides or {})
    kar_fields = KAR_FIELDS + (KAR_NEWER if layout == "newer" else ())
    wor_fields = WOR_FIELDS + (WOR_NEWER if layout == "newer" else ())
    codec = {"wrong_encoding": "cp1256", "utf8_text": "utf-8"}.get(corrupt, "iransystem")

    if form == "csv":
        if corrupt == "huge":
            return b"DSK_ID" + b" " * (51 * 2**20)
        if corrupt == "not_a_zip":
            return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        if corrupt == "utf8_text":
            raise ValueError("utf8_text is a DBF corruption: UTF-8 is a proper encoding of the text form")
        enc = "cp1256" if corrupt == "wrong_encoding" else csv_encoding
        data = csv_bytes(kar_fields, header, wor_fields, rows, enc, bom)
        if corrupt == "missing_wor":
            data = data.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        elif corrupt == "missing_kar":
            data = data.split(b"\r\n\r\n", 1)[1]
        elif corrupt == "truncated":
            cut = data.rstrip(b"\r\n").rfind(b",") - 3
            data = data[:cut]
        elif corrupt == "truncated_zip":
            data = data[: len(data) // 2]
        return data

    kar = dbf_bytes(kar_fields, [header], codepage=0x7E, eof=corrupt != "no_eof", codec=codec)
    wor = dbf_bytes(wor_fields, rows, codepage=0x00, eof=corrupt != "no_eof", codec=codec)
    if corrupt == "truncated":
        headerlen = 32 + 32 * len(wor_fields) + 1
        wor = wor[: headerlen + (len(wor) - headerlen) * 3 // 5 + 7]
    if corrupt == "huge":
        wor = wor[:-1] + b" " * (51 * 2**20)
    names = ("dskkar00.dbf", "dskwor00.dbf") if lower_names else ("DSKKAR00.DBF", "DSKWOR00.DBF")
    files = {names[0]: kar, names[1]: wor}
    if corrupt == "missing_wor":
        del files[names[1]]
    elif corrupt == "missing_kar":
        del files[names[0]]
    if form == "dbf":
        return files
    if corrupt == "not_a_zip":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    data = zip_bytes(files, zip_folder, compresslevel=1 if corrupt == "huge" else 6)
    if corrupt == "truncated_zip":
        data = data[: len(data) // 2]
    return data


def with_days(p: SamplePerson, days: int) -> SamplePerson:
    """The same person with other days (amounts follow)."""
    return replace(p, days=days)
