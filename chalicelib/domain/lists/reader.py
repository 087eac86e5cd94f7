"""Reading employers' monthly insurance lists (the ListDisk format, /work/shared/domain-notes.md).

What open_list accepts (recognised by content; the file name only helps the messages):

* A zip holding ``DSKKAR00.DBF`` (the workshop's one header record) and ``DSKWOR00.DBF`` (one record per worker),
  names in any case, at the top or in one folder (``__MACOSX/`` and other files are ignored). Both are extracted
  into a private folder under ``workdir`` (Lambda's /tmp) and read by dbfread record by record; ``close()``
  removes the folder. A zip with no DBF pair but exactly one ``.csv``/``.txt`` member in the text form below is
  read as that text.
* The comma-separated text form (``.csv`` or ``.txt``), defined here::

      DSK_ID,DSK_NAME,DSK_FARM,DSK_ADRS,DSK_KIND,DSK_YY,DSK_MM,DSK_LISTNO,...     <- the DSKKAR00 field names
      1234567890,<name>,<employer>,<address>,0,3,5,1,...                       <- the workshop's values
                                                                               <- a blank line (optional)
      DSW_ID,DSW_YY,DSW_MM,DSW_LISTNO,DSW_ID1,DSW_FNAME,...,PER_NATCOD          <- the DSKWOR00 field names
      1234567890,3,5,1,12345678,<first name>,...,0499370899                    <- one line per worker

  The field names and meanings are DBF's (any order, any case; the newer layout's DSK_INC/DSK_SPOUSE and
  DSW_INC/DSW_SPOUSE are optional, as are DSW_IDPLC, DSW_IDATE, DSW_NAT, DSW_PRATE and DSK_KIND, DSK_DISC,
  DSK_PRATE, DSK_BIMH, MON_PYM). Values are written as in the DBF but without padding; RFC 4180 quoting (``"``)
  for a value holding a comma, a quote or a line break; lines end in CRLF or LF; blank lines are ignored. The
  worker section starts at the first line after the workshop's values whose first name begins with ``DSW_`` or
  ``PER_``. Text is either UTF-8 in logical order (with or without a BOM; chosen when the file starts with a BOM
  or is valid UTF-8 holding any non-ASCII byte) or Iran System with each value stored on its own in visual order,
  exactly like a DBF field (chosen otherwise). A worker line with more or fewer values than names refuses the
  list (``bad_row``).
* A single DBF (either file alone) is refused with ``missing_file``; so is a zip missing one of the pair, and a
  text file with no worker section.

Numbers. Years: the files store the Jalali year minus 1400 (minus 1300 in older lists) as N2, e.g. 1402 as " 2".
**Century rule** (full_year): 0-49 -> 1400 + YY, 50-99 -> 1300 + YY, and a four-digit value (1300 or more, as a text
list may carry) is taken as it is. No ListDisk list dates from before 1350 (the format is from the DOS era), and the
rule holds until 1449; it is the same pivot as chalicelib.domain.jalali.parse_dbf_date. The layout does not
change it (an employer may send a late list for an old month with a newer program).

Dates (list_date): "" / all spaces / "0" followed by spaces / all zeros -> "" (no date); "YYYYMMDD" and
"YYYY/MM/DD" as they are; "YY/MM/DD" (and "YYMMDD") mean 13YY/MM/DD, as the notes say, except for the start and
leaving dates (DSW_SDATE, DSW_EDATE), which lie inside the list's month: there the century (1300 or 1400) nearest
the list's year is taken, so "03/05/10" in a 1403 list is 1403/05/10. Persian digits are accepted; a value that is
no calendar date leaves "" and names the field in WorkerRow.unreadable (the checks reject the row).

Text. Every text field is decoded as Iran System (``import iransystem`` registers the codec; it yields logical
order), whatever the DBF's code-page byte claims. Fields holding only ASCII bytes (codes, dates, Latin text) are
taken as stored. Codes (workshop code, national code, insurance number, list number, job code) have Persian digits
normalised to ASCII and spaces/dashes removed. Because the codec maps all 256 bytes it never fails, so a file in
another code page is recognised by what it decodes to: a text is garbled when more than a third of its non-space
characters are box-drawing, control, Latin-1, presentation-form or other characters no Persian list holds
(text_oddity); when more than a quarter of the non-empty texts sampled (the header's names and address, and the
names, job, sex, place and nationality of the first 200 rows) are garbled, the list is refused with
``wrong_encoding``. (The notes say single odd bytes such as 0xD7 occur in real names, hence shares, not "any".)

Number fields: blank is 0; a value that is not a whole number leaves 0 and names the field in
WorkerRow.unreadable; in the header it refuses the list (``bad_header``).

Errors: every problem with the input raises ListFormatError with a stable ``code`` and an English ``message``:
not_a_list, missing_file, truncated, wrong_encoding, too_large, bad_header, unreadable_zip, ambiguous_zip,
bad_dbf, bad_columns, bad_row. Errors of the machine (e.g. /tmp full) are left as they are (OSError).

Memory: rows are streamed (one DBF record or text line at a time) and rows() can be called again; only a bounded
cache of decoded texts is kept. Deleted DBF records ('*') are skipped and not counted in WorkerRow.row.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterator

import iransystem  # noqa: F401  (registers the "iransystem" codec)
from dbfread import DBF

from ..digits import normalize_code, to_ascii_digits
from ..jalali import month_length
from .model import LAYOUT_MIXED, NEWER, OLDER, ListHeader, WorkerRow

MAX_BYTES = 50 * 2**20
KAR = "DSKKAR00.DBF"
WOR = "DSKWOR00.DBF"
WRONG_ENCODING_SHARE = 0.25
ENCODING_SAMPLE_ROWS = 200
_COPY_CHUNK = 64 * 1024
_second = itemgetter(1)


class ListFormatError(ValueError):
    """The input is not a readable list. ``code`` is stable, ``message`` is English and says what to do."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details


# -- fields ---------------------------------------------------------------------------------------------------------

HEADER_REQUIRED = ("DSK_ID", "DSK_NAME", "DSK_FARM", "DSK_ADRS", "DSK_YY", "DSK_MM", "DSK_LISTNO", "DSK_NUM",
                   "DSK_TDD", "DSK_TROOZ", "DSK_TMAH", "DSK_TMAZ", "DSK_TMASH", "DSK_TTOTL", "DSK_TBIME",
                   "DSK_TKOSO", "DSK_BIC", "DSK_RATE")
HEADER_OPTIONAL = ("DSK_KIND", "DSK_DISC", "DSK_PRATE", "DSK_BIMH", "MON_PYM", "DSK_INC", "DSK_SPOUSE")
ROW_REQUIRED = ("DSW_ID", "DSW_YY", "DSW_MM", "DSW_LISTNO", "DSW_ID1", "DSW_FNAME", "DSW_LNAME", "DSW_DNAME",
                "DSW_IDNO", "DSW_BDATE", "DSW_SEX", "DSW_OCP", "DSW_SDATE", "DSW_EDATE", "DSW_DD", "DSW_ROOZ",
                "DSW_MAH", "DSW_MAZ", "DSW_MASH", "DSW_TOTL", "DSW_BIME", "DSW_JOB", "PER_NATCOD")
ROW_OPTIONAL = ("DSW_IDPLC", "DSW_IDATE", "DSW_NAT", "DSW_PRATE", "DSW_INC", "DSW_SPOUSE")
_ROW_FIELDS = ROW_REQUIRED + ROW_OPTIONAL

# The texts sampled to recognise a wrong code page.
_HEADER_TEXTS = ("DSK_NAME", "DSK_FARM", "DSK_ADRS", "DSK_DISC")
_ROW_TEXTS = ("DSW_FNAME", "DSW_LNAME", "DSW_DNAME", "DSW_OCP", "DSW_SEX", "DSW_IDPLC", "DSW_NAT")


# -- years, dates, text ---------------------------------------------------------------------------------------------

def full_year(yy: int) -> int:
    """The full Jalali year of a stored DSK_YY/DSW_YY: 0-49 -> 14YY, 50-99 -> 13YY, 1300+ as it is.

    Raises ValueError for anything else (negative, 100-1299)."""
    yy = int(yy)
    if 0 <= yy < 50:
        return 1400 + yy
    if 50 <= yy <= 99:
        return 1300 + yy
    if 1300 <= yy <= 1499:
        return yy
    raise ValueError(f"{yy} is not a two-digit or full Jalali year")


_SEP = r"[/\-.]"
_FULL_SEP = re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})")
_FULL_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_SHORT_SEP = re.compile(rf"([0-9]{{2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})")
_SHORT_COMPACT = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})")
_SPACES = re.compile(r"[\s\x00\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


@lru_cache(maxsize=128)
def list_date(raw: str, list_year: int | None = None) -> str:
    """A date field as Jalali "YYYY/MM/DD", or "" for no date; ValueError when it is neither.

    ``list_year`` is given for dates inside the list's month (start, leaving): a two-digit year then takes the
    century nearest it; without it a two-digit year is 13YY (birth dates and the like)."""
    s = _SPACES.sub("", to_ascii_digits(raw or ""))
    if s == "" or set(s) == {"0"}:
        return ""
    m = _FULL_SEP.fullmatch(s) or _FULL_COMPACT.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _SHORT_SEP.fullmatch(s) or _SHORT_COMPACT.fullmatch(s)
        if not m:
            raise ValueError(f"{raw!r} is not a date")
        yy, mo, d = (int(g) for g in m.groups())
        y = 1300 + yy
        if list_year and abs(1400 + yy - list_year) < abs(y - list_year):
            y = 1400 + yy
    if not (1200 <= y <= 1599 and 1 <= mo <= 12 and 1 <= d <= month_length(y, mo)):
        raise ValueError(f"{raw!r} is not a Jalali calendar date")
    return f"{y:04d}/{mo:02d}/{d:02d}"


_STRIP_BYTES = b" \x00\xff\t"


@lru_cache(maxsize=256)  # names repeat (first names, jobs, places); bounded so memory does not grow with rows
def _decode_iransystem(raw: bytes) -> str:
    return raw.strip(_STRIP_BYTES).decode("iransystem").strip()


def _text_of_bytes(cell) -> str:
    if not cell:
        return ""
    if cell.isascii():  # codes, dates, Latin text: as stored, and not cached (codes are unique per row)
        return cell.strip(_STRIP_BYTES).decode("ascii")
    return _decode_iransystem(cell)


def _text_of_str(cell) -> str:
    return cell.strip() if cell else ""


def text_oddity(text: str) -> tuple[int, int]:
    """(odd, counted) characters of a decoded text: counted are the non-space ones, odd those no Persian list holds
    (box drawing and blocks, control characters, Latin-1 letters, Arabic presentation forms, anything outside
    ASCII, the Arabic block, ZWNJ/ZWJ and NBSP)."""
    odd = counted = 0
    for ch in text:
        if ch == " " or ch == "\u00a0":
            continue
        counted += 1
        o = ord(ch)
        if 0x21 <= o <= 0x7E or 0x0600 <= o <= 0x06FF or o in (0x200C, 0x200D):
            continue
        odd += 1
    return odd, counted


def _number(cell, text: Callable) -> int | None:
    """A whole number from an N field (blank is 0); None when it is not one."""
    if not cell:
        return 0
    try:
        return int(cell)  # int() takes bytes and str, surrounding spaces included
    except ValueError:
        pass
    s = _SPACES.sub("", to_ascii_digits(text(cell)))
    if s == "":
        return 0
    try:
        return int(s)
    except ValueError:
        pass
    try:
        f = float(s)
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


# -- building header and rows from raw cells -------------------------------------------------------------------------

def _header_from(cells: dict, text: Callable, form: str, rows_layout: str) -> ListHeader:
    missing = [n for n in HEADER_REQUIRED if n not in cells]
    if missing:
        raise ListFormatError("bad_header", f"DSKKAR00 lacks the field(s) {', '.join(missing)}.", fields=missing)

    def num(name, required=True):
        value = _number(cells.get(name), text)
        if value is None:
            raise ListFormatError("bad_header", f"DSKKAR00's {name} is not a whole number "
                                                f"({text(cells.get(name))!r}).", fields=[name])
        return value

    yy = num("DSK_YY")
    if _blank(cells["DSK_YY"], text):
        raise ListFormatError("bad_header", "DSKKAR00's DSK_YY (the year) is blank.", fields=["DSK_YY"])
    try:
        year = full_year(yy)
    except ValueError:
        raise ListFormatError("bad_header", f"DSKKAR00's DSK_YY ({yy}) is not a year.", fields=["DSK_YY"]) from None
    month = num("DSK_MM")
    if not 1 <= month <= 12:
        raise ListFormatError("bad_header", f"DSKKAR00's DSK_MM ({month}) is not a month (1-12).", fields=["DSK_MM"])
    layout = NEWER if "DSK_INC" in cells and "DSK_SPOUSE" in cells else OLDER
    notes = (LAYOUT_MIXED,) if rows_layout != layout else ()

    def code(name):
        return normalize_code(text(cells.get(name)))

    return ListHeader(
        workshop_code=code("DSK_ID"), workshop_name=text(cells["DSK_NAME"]), employer_name=text(cells["DSK_FARM"]),
        address=text(cells["DSK_ADRS"]), year=year, month=month, list_no=code("DSK_LISTNO"),
        workers=num("DSK_NUM"), total_days=num("DSK_TDD"), total_daily_wage=num("DSK_TROOZ"),
        total_monthly_wage=num("DSK_TMAH"), total_benefits=num("DSK_TMAZ"), total_insurable=num("DSK_TMASH"),
        total_grand=num("DSK_TTOTL"), total_employee_share=num("DSK_TBIME"), total_employer_share=num("DSK_TKOSO"),
        total_unemployment=num("DSK_BIC"), rate=num("DSK_RATE"), layout=layout,
        kind=num("DSK_KIND"), description=text(cells.get("DSK_DISC")), prate=num("DSK_PRATE"),
        bimh=num("DSK_BIMH"), contract_row=text(cells.get("MON_PYM")), total_inc=num("DSK_INC"),
        total_spouse=num("DSK_SPOUSE"), yy=yy, form=form, format_notes=notes)


def _blank(cell, text) -> bool:
    return not cell or text(cell) == ""


def _rows_layout(names) -> str:
    return NEWER if "DSW_INC" in names and "DSW_SPOUSE" in names else OLDER


class _RowBuilder:
    """Turns one record's cells (a tuple in the source's field order) into a WorkerRow."""

    def __init__(self, names: list[str], text: Callable, list_year: int, what: str):
        missing = [n for n in ROW_REQUIRED if n not in names]
        if missing:
            raise ListFormatError("bad_columns", f"{what} lacks the field(s) {', '.join(missing)}.", fields=missing)
        pos = {n: i for i, n in enumerate(names)}
        # A missing optional field reads the None appended to every record.
        self.ix = {n: pos.get(n, len(names)) for n in _ROW_FIELDS}
        self.order = tuple(self.ix[n] for n in _ROW_FIELDS)
        self.text = text
        self.list_year = list_year

    def build(self, n: int, cells) -> WorkerRow:
        text = self.text
        c = (*cells, None)
        (i_id, i_yy, i_mm, i_listno, i_id1, i_fname, i_lname, i_dname, i_idno, i_bdate, i_sex, i_ocp, i_sdate,
         i_edate, i_dd, i_rooz, i_mah, i_maz, i_mash, i_totl, i_bime, i_job, i_natcod, i_idplc, i_idate, i_nat,
         i_prate, i_inc, i_spouse) = self.order
        bad: list = []
        yy = _number(c[i_yy], text)
        if yy is None or _blank(c[i_yy], text):
            year = 0
            bad.append("DSW_YY")
        else:
            try:
                year = full_year(yy)
            except ValueError:
                year = 0
                bad.append("DSW_YY")
        ly = self.list_year
        row = WorkerRow(
            n, normalize_code(text(c[i_id])), year, _num(c[i_mm], text, bad, "DSW_MM"),
            normalize_code(text(c[i_listno])), normalize_code(text(c[i_id1])), normalize_code(text(c[i_natcod])),
            text(c[i_fname]), text(c[i_lname]), text(c[i_dname]), _date(text(c[i_bdate]), None, bad, "DSW_BDATE"),
            to_ascii_digits(text(c[i_idno])), text(c[i_sex]), text(c[i_ocp]), normalize_code(text(c[i_job])),
            _date(text(c[i_sdate]), ly, bad, "DSW_SDATE"), _date(text(c[i_edate]), ly, bad, "DSW_EDATE"),
            _num(c[i_dd], text, bad, "DSW_DD"), _num(c[i_rooz], text, bad, "DSW_ROOZ"),
            _num(c[i_mah], text, bad, "DSW_MAH"), _num(c[i_maz], text, bad, "DSW_MAZ"),
            _num(c[i_mash], text, bad, "DSW_MASH"), _num(c[i_totl], text, bad, "DSW_TOTL"),
            _num(c[i_bime], text, bad, "DSW_BIME"),
            text(c[i_idplc]), _date(text(c[i_idate]), None, bad, "DSW_IDATE"), text(c[i_nat]),
            _num(c[i_prate], text, bad, "DSW_PRATE"), _num(c[i_inc], text, bad, "DSW_INC"),
            to_ascii_digits(text(c[i_spouse])), tuple(bad))
        return row

    def sample_texts(self, cells) -> Iterator[str]:
        c = (*cells, None)
        for name in _ROW_TEXTS:
            yield self.text(c[self.ix[name]])


def _num(cell, text, bad: list, name: str) -> int:
    if cell is None:
        return 0
    try:
        return int(cell)
    except ValueError:
        value = _number(cell, text)
        if value is None:
            bad.append(name)
            return 0
        return value


def _date(raw: str, list_year, bad: list, name: str) -> str:
    if not raw:
        return ""
    try:
        return list_date(raw, list_year)
    except ValueError:
        bad.append(name)
        return ""


def is_garbled(text: str) -> bool:
    """A text of which more than a third of the non-space characters are odd (text_oddity)."""
    odd, counted = text_oddity(text)
    return counted > 0 and 3 * odd > counted


def _check_encoding(texts, what: str) -> None:
    fields = garbled = 0
    examples = []
    for s in texts:
        if not s:
            continue
        fields += 1
        if is_garbled(s):
            garbled += 1
            if len(examples) < 3:
                examples.append(s[:24])
    if fields >= 2 and garbled > WRONG_ENCODING_SHARE * fields:
        raise ListFormatError(
            "wrong_encoding",
            f"The Persian text of {what} does not read as Iran System: {garbled} of {fields} texts sampled are "
            f"mostly box-drawing, control or other characters no list holds (e.g. {' | '.join(examples)}). The "
            "file was probably saved in Windows-1256 or UTF-8; export it again from the ListDisk program.",
            garbled=garbled, fields=fields)


# -- DBF ------------------------------------------------------------------------------------------------------------

_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB}
_FIELD_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{0,10}")


def _dbf_layout(head: bytes, size: int, what: str, whole: bool = True):
    """Check a dBase header read from the start of a file of `size` bytes: [(name, type, length)], records, offsets.

    Raises bad_dbf for what is no DBF header and truncated for a file shorter than its header says."""
    if len(head) < 32 and size < 32:
        raise ListFormatError("truncated", f"{what} ends inside its 32-byte header ({size} bytes).")
    if head[0] not in _DBF_VERSIONS:
        raise ListFormatError("bad_dbf", f"{what} is not a dBase file (version byte 0x{head[0]:02X}).")
    numrecords, headerlen, recordlen = struct.unpack_from("<LHH", head, 4)
    fields = []
    pos = 32
    while True:
        if pos >= len(head):
            raise ListFormatError("truncated" if pos >= size else "bad_dbf",
                                  f"{what} ends inside its field descriptors." if pos >= size else
                                  f"{what}'s field descriptors do not end where the header says.")
        if head[pos] in (0x0D, 0x0A):
            break
        if pos + 32 > len(head):
            raise ListFormatError("truncated" if pos + 32 > size else "bad_dbf",
                                  f"{what} ends inside its field descriptors." if pos + 32 > size else
                                  f"{what}'s field descriptors do not end where the header says.")
        desc = head[pos:pos + 32]
        name = desc[:11].split(b"\x00")[0]
        ftype = chr(desc[11])
        length = desc[16]
        if ftype == "C":
            length |= desc[17] << 8
        if not _FIELD_NAME.fullmatch(name) or ftype not in "CNFDLM" or length == 0:
            raise ListFormatError("bad_dbf", f"{what} has a broken field descriptor ({name!r}, type {ftype!r}).")
        fields.append((name.decode("ascii").upper(), ftype, length))
        pos += 32
    if not fields:
        raise ListFormatError("bad_dbf", f"{what} declares no fields.")
    if headerlen < pos + 1 or recordlen != 1 + sum(f[2] for f in fields):
        raise ListFormatError("bad_dbf", f"{what}'s header and record lengths do not match its fields.")
    if whole and size < headerlen + numrecords * recordlen:
        have = max(0, (size - headerlen) // recordlen)
        raise ListFormatError("truncated", f"{what} is cut short: its header announces {numrecords} records of "
                                           f"{recordlen} bytes, the file holds {have}.", records=numrecords)
    return fields, numrecords, headerlen, recordlen


def _looks_like_dbf(data: bytes) -> bool:
    if len(data) < 33 or data[0] not in _DBF_VERSIONS:
        return False
    try:
        _dbf_layout(data[:min(len(data), 32 + 32 * 255 + 1)], len(data), "it", whole=False)
    except ListFormatError:
        return False
    return True


class _DbfTable:
    """One DBF in workdir: checked on open, records streamed by dbfread as raw bytes."""

    def __init__(self, path: str, what: str):
        self.path = path
        self.what = what
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(min(size, 32 + 32 * 255 + 1))
        if size == 0:
            raise ListFormatError("truncated", f"{what} is empty.")
        self.fields, self.numrecords, _, self.recordlen = _dbf_layout(head, size, what)
        try:
            self.dbf = DBF(path, encoding="latin-1", raw=True, recfactory=None, ignorecase=False,
                           ignore_missing_memofile=True)
        except (ValueError, struct.error, UnicodeError) as exc:
            raise ListFormatError("bad_dbf", f"{what} cannot be read as dBase: {exc}.") from None
        self.names = [f.name.upper() for f in self.dbf.fields]
        self._last_len = self.dbf.fields[-1].length

    def records(self) -> Iterator[tuple]:
        try:
            for items in self.dbf:
                if len(items[-1][1]) != self._last_len:
                    raise ListFormatError("truncated", f"{self.what} ends inside a record.")
                yield tuple(map(_second, items))
        except (ValueError, struct.error) as exc:
            if isinstance(exc, ListFormatError):
                raise
            raise ListFormatError("bad_dbf", f"{self.what} cannot be read: {exc}.") from None


class _DbfSource:
    def __init__(self, kar_path: str, wor_path: str):
        self.kar = _DbfTable(kar_path, "DSKKAR00")
        self.wor = _DbfTable(wor_path, "DSKWOR00")
        self.text = _text_of_bytes
        self.form = "dbf"
        self.expected_rows = self.wor.numrecords

    def header_cells(self) -> dict:
        found = []
        for rec in self.kar.records():
            found.append(rec)
            if len(found) > 1:
                break
        if len(found) != 1:
            raise ListFormatError("bad_header", "DSKKAR00 must hold exactly one workshop record; it holds "
                                                f"{'none' if not found else 'more than one'}.")
        return dict(zip(self.kar.names, found[0]))

    @property
    def row_names(self) -> list[str]:
        return self.wor.names

    def records(self) -> Iterator[tuple]:
        return self.wor.records()


# -- CSV ------------------------------------------------------------------------------------------------------------

def _utf8_everywhere(opener) -> bool:
    """True when the text starts with a BOM, or is valid UTF-8 holding some non-ASCII byte (read in chunks)."""
    with opener() as f:
        first = f.read(_COPY_CHUNK)
        if first.startswith(codecs.BOM_UTF8):
            return True
        decoder = codecs.getincrementaldecoder("utf-8")()
        non_ascii = False
        chunk = first
        try:
            while chunk:
                non_ascii = non_ascii or not chunk.isascii()
                decoder.decode(chunk)
                chunk = f.read(_COPY_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return non_ascii


def _starts_like_csv(first: bytes) -> str:
    """"DSK" / "DSW" by the first field name of a text form, or ""."""
    s = first.lstrip(codecs.BOM_UTF8).lstrip(b" \t\r\n\"").upper()
    if s.startswith(b"DSK_") or s.startswith(b"MON_PYM"):
        return "DSK"
    if s.startswith(b"DSW_") or s.startswith(b"PER_"):
        return "DSW"
    return ""


class _CsvSource:
    """The text form, read again from `opener()` on every pass."""

    def __init__(self, opener: Callable[[], io.BufferedIOBase], what: str):
        self.opener = opener
        self.what = what
        self.form = "csv"
        self.expected_rows = None
        self.utf8 = _utf8_everywhere(opener)
        self.text = _text_of_str if self.utf8 else _text_of_bytes
        names = values = rows_names = None
        for kind, line, cells in self._lines():
            if names is None:
                names = cells
            elif values is None:
                values = cells
            else:
                rows_names = cells if kind == "DSW" else None
                break
        if names is None or _first_kind(names) != "DSK":
            raise ListFormatError("not_a_list", f"{what} does not start with the DSK_ field names.")
        if values is None or _first_kind(values) == "DSW":
            raise ListFormatError("bad_header", f"{what} has the DSK_ field names but no line of workshop values.")
        if rows_names is None:
            raise ListFormatError("missing_file", f"{what} has no worker section (a line of DSW_ field names after "
                                                  "the workshop's values): it holds only the DSKKAR00 part.")
        self._header_names = [_name(c) for c in names]
        if len(values) != len(names):
            raise ListFormatError("bad_header", f"{what}'s workshop line has {len(values)} values for "
                                                f"{len(names)} field names.")
        self._header_values = values
        self.row_names = [_name(c) for c in rows_names]

    def _cell(self, c):
        return c if self.utf8 else c.encode("latin-1")

    def _lines(self) -> Iterator[tuple[str, int, list]]:
        with self.opener() as raw:
            wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig" if self.utf8 else "latin-1", newline="")
            try:
                reader = csv.reader(wrapper, strict=True)
                for cells in reader:
                    if not cells or all(not c.strip() for c in cells):
                        continue
                    yield _first_kind(cells), reader.line_num, cells
            except csv.Error as exc:
                raise ListFormatError("bad_row", f"{self.what} is not valid comma-separated text: {exc}.") from None
            except UnicodeDecodeError:
                raise ListFormatError("wrong_encoding", f"{self.what} is not valid UTF-8 text.") from None
            finally:
                wrapper.detach()

    def header_cells(self) -> dict:
        return {n: self._cell(v) for n, v in zip(self._header_names, self._header_values)}

    def records(self) -> Iterator[tuple]:
        section = 0  # 0: before the worker names, 1: in the worker section
        seen = 0
        pending = None  # one line of lookahead, to tell a file cut short from a bad line
        for kind, line, cells in self._lines():
            if section == 0:
                seen += 1
                if seen >= 3 and kind == "DSW":
                    section = 1
                continue
            if pending is not None:
                yield self._fit(*pending, last=False)
            pending = (line, cells)
        if pending is not None:
            yield self._fit(*pending, last=True)

    def _fit(self, line: int, cells: list, last: bool) -> tuple:
        width = len(self.row_names)
        if len(cells) == width + 1 and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) != width:
            if last and len(cells) < width:
                raise ListFormatError("truncated", f"{self.what} is cut short: its last line ({line}) has "
                                                   f"{len(cells)} values for {width} field names.", line=line)
            raise ListFormatError("bad_row", f"{self.what}, line {line}: {len(cells)} values for {width} field "
                                             "names.", line=line)
        if self.utf8:
            return tuple(cells)
        return tuple(c.encode("latin-1") for c in cells)


def _name(cell: str) -> str:
    return cell.strip().strip("\ufeff").upper()


def _first_kind(cells) -> str:
    first = _name(cells[0]) if cells else ""
    if first.startswith("DSK_") or first == "MON_PYM":
        return "DSK"
    if first.startswith("DSW_") or first.startswith("PER_"):
        return "DSW"
    return ""


# -- the list -------------------------------------------------------------------------------------------------------

class EmployerList:
    """An opened list: its header, and its rows streamed on each call of rows()."""

    def __init__(self, source, header: ListHeader, filename: str, folder: str | None):
        self._source = source
        self.header = header
        self.filename = filename
        self._folder = folder
        self.expected_rows: int | None = source.expected_rows  # DSKWOR00's record count (None for text)
        self._builder = _RowBuilder(source.row_names, source.text, header.year, "DSKWOR00")

    def rows(self) -> Iterator[WorkerRow]:
        """Every worker row in file order; a new pass each call. Raises ListFormatError for a file cut short or
        a text line that does not fit its field names."""
        build = self._builder.build
        n = 0
        for cells in self._source.records():
            n += 1
            yield build(n, cells)

    def close(self) -> None:
        """Remove what was written to workdir (idempotent)."""
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> "EmployerList":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _finish_open(source, filename: str, folder: str | None) -> EmployerList:
    cells = source.header_cells()
    header = _header_from(cells, source.text, source.form, _rows_layout(source.row_names))
    lst = EmployerList(source, header, filename, folder)
    # Recognise a wrong code page from the header's texts and the first rows' names.
    texts = [source.text(cells.get(n)) for n in _HEADER_TEXTS]
    sample = lst._builder
    for i, rec in enumerate(source.records()):
        if i >= ENCODING_SAMPLE_ROWS:
            break
        texts.extend(sample.sample_texts(rec))
    _check_encoding(texts, filename or "the list")
    return lst


def open_list(filename: str, data: bytes, workdir: str, max_bytes: int = MAX_BYTES) -> EmployerList:
    """Open an employer's list: a zip of DSKKAR00.DBF and DSKWOR00.DBF, or the text form (module docstring).

    Raises ListFormatError (never another exception for a bad input). The caller close()s the list (or uses it as
    a context manager) to remove the files written under workdir."""
    data = bytes(data) if not isinstance(data, bytes) else data
    return _open(filename, len(data), data[:4096], lambda: io.BytesIO(data), workdir, max_bytes)


def open_list_path(filename: str, path: str, workdir: str, max_bytes: int = MAX_BYTES) -> EmployerList:
    """open_list of a local file, read as a stream: a big list is never held in memory whole."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(4096)
    return _open(filename, size, head, lambda: open(path, "rb"), workdir, max_bytes)


def _open(filename: str, size: int, head: bytes, opener, workdir: str, max_bytes: int) -> EmployerList:
    if size > max_bytes:
        raise ListFormatError("too_large", f"{filename} is {size} bytes; a list may be at most {max_bytes}.")
    if not size or (size < 4096 and not head.strip()):
        raise ListFormatError("not_a_list", f"{filename} is empty.")
    if head[:2] == b"PK":
        return _open_zip(filename, opener, workdir, max_bytes)
    kind = _starts_like_csv(head[:64])
    if kind == "DSK":
        return _open_csv(filename, opener, None)
    if kind == "DSW":
        raise ListFormatError("missing_file", f"{filename} holds only the worker section (DSW_ fields); the "
                                              "workshop's DSK_ section must come first.")
    if _looks_like_dbf(head):
        which = "DSKWOR00" if b"DSW_" in head or b"PER_NATCOD" in head else "DSKKAR00"
        other = "DSKKAR00" if which == "DSKWOR00" else "DSKWOR00"
        raise ListFormatError("missing_file", f"{filename} is a single dBase file ({which}); a list needs both "
                                              f"DSKKAR00.DBF and DSKWOR00.DBF: zip them together ({other} is "
                                              "missing).", missing=[other + ".DBF"])
    raise ListFormatError("not_a_list", f"{filename} is neither a zip of DSKKAR00.DBF and DSKWOR00.DBF nor the "
                                        "comma-separated form of a list.")


def open_list_pair(kar_path: str, wor_path: str, max_bytes: int = MAX_BYTES, filename: str = "") -> EmployerList:
    """The two dBase files uploaded apart, read where they lie (the caller removes them)."""
    total = os.path.getsize(kar_path) + os.path.getsize(wor_path)
    if total > max_bytes:
        raise ListFormatError("too_large", f"The list's files are {total} bytes; a list may be at most {max_bytes}.")
    return _finish_open(_DbfSource(kar_path, wor_path), filename or "the list", None)


def open_list_files(files: dict, workdir: str, max_bytes: int = MAX_BYTES, filename: str = "") -> EmployerList:
    """Open a list given as separate files ({name: bytes}, names in any case, e.g. write_list(form="dbf")'s)."""
    total = sum(len(b) for b in files.values())
    if total > max_bytes:
        raise ListFormatError("too_large", f"The list's files are {total} bytes; a list may be at most {max_bytes}.")
    by_name = {os.path.basename(k).upper(): v for k, v in files.items()}
    _require_pair(KAR in by_name, WOR in by_name, sorted(files), filename or "the files given")
    folder = tempfile.mkdtemp(prefix="list-", dir=workdir)
    try:
        paths = []
        for name in (KAR, WOR):
            path = os.path.join(folder, name)
            with open(path, "wb") as f:
                f.write(by_name[name])
            paths.append(path)
        return _finish_open(_DbfSource(*paths), filename or "the list", folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _require_pair(has_kar: bool, has_wor: bool, names, what: str) -> None:
    missing = [n for n, has in ((KAR, has_kar), (WOR, has_wor)) if not has]
    if missing:
        raise ListFormatError("missing_file", f"{what} lacks {' and '.join(missing)} (it holds: "
                                              f"{', '.join(names[:10]) or 'nothing'}).", missing=missing)


def _open_csv(filename: str, opener, folder: str | None) -> EmployerList:
    return _finish_open(_CsvSource(opener, filename), filename, folder)


def _size_of(opener) -> int:
    with opener() as f:
        return f.seek(0, io.SEEK_END)


def _head(opener) -> bytes:
    with opener() as f:
        return f.read(4)


def _zip_members(zf: zipfile.ZipFile):
    return [i for i in zf.infolist()
            if not i.is_dir() and not i.filename.startswith("__MACOSX/") and "/._" not in "/" + i.filename]


def _tail(opener, size: int) -> bytes:
    with opener() as f:
        f.seek(max(0, size - (65536 + 22)))
        return f.read()


def _open_zip(filename: str, opener, workdir: str, max_bytes: int) -> EmployerList:
    source = opener()
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        source.close()
        source_size = _size_of(opener)
        if _head(opener)[:4] == b"PK\x03\x04" and b"PK\x05\x06" not in _tail(opener, source_size):
            raise ListFormatError("truncated", f"{filename} is a zip cut short (its directory at the end is "
                                               "missing); upload it again.") from None
        raise ListFormatError("unreadable_zip", f"{filename} looks like a zip but cannot be opened.") from None
    except (OSError, ValueError, EOFError, struct.error, NotImplementedError, RuntimeError) as exc:
        source.close()
        raise ListFormatError("unreadable_zip", f"{filename} cannot be opened as a zip ({exc}).") from None
    with source, zf:
        members = _zip_members(zf)
        by_base: dict[str, list[zipfile.ZipInfo]] = {}
        for info in members:
            by_base.setdefault(info.filename.rsplit("/", 1)[-1].upper(), []).append(info)
        kar, wor = by_base.get(KAR, []), by_base.get(WOR, [])
        if len(kar) > 1 or len(wor) > 1:
            raise ListFormatError("ambiguous_zip", f"{filename} holds more than one {KAR if len(kar) > 1 else WOR}; "
                                                   "send one list per zip.")
        if not kar and not wor:
            texts = [i for i in members if i.filename.lower().endswith((".csv", ".txt"))]
            if len(texts) == 1:
                return _extract_and_open(zf, filename, [texts[0]], workdir, max_bytes)
        _require_pair(bool(kar), bool(wor), [i.filename for i in members], filename)
        return _extract_and_open(zf, filename, [kar[0], wor[0]], workdir, max_bytes)


def _extract_and_open(zf, filename, infos, workdir, max_bytes) -> EmployerList:
    declared = sum(i.file_size for i in infos)
    if declared > max_bytes:
        raise ListFormatError("too_large", f"{filename} unpacks to {declared} bytes; a list may be at most "
                                           f"{max_bytes}.")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ListFormatError("unreadable_zip", f"{filename} is encrypted; send it without a password.")
    folder = tempfile.mkdtemp(prefix="list-", dir=workdir)
    try:
        paths = []
        budget = max_bytes
        for info in infos:
            base = info.filename.rsplit("/", 1)[-1].upper()
            path = os.path.join(folder, base if base in (KAR, WOR) else "LIST.CSV")
            try:
                with zf.open(info) as src, open(path, "wb") as dst:
                    while True:
                        chunk = src.read(_COPY_CHUNK)
                        if not chunk:
                            break
                        budget -= len(chunk)
                        if budget < 0:
                            raise ListFormatError("too_large", f"{filename} unpacks to more than {max_bytes} bytes.")
                        dst.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
                    struct.error) as exc:
                if isinstance(exc, ListFormatError):
                    raise
                raise ListFormatError("unreadable_zip", f"{filename}: {info.filename} cannot be unpacked ({exc}); "
                                                        "the zip is damaged.") from None
            paths.append(path)
        if len(paths) == 1:
            path = paths[0]
            with open(path, "rb") as f:
                if _starts_like_csv(f.read(64)) != "DSK":
                    raise ListFormatError("missing_file", f"{filename} holds no DSKKAR00.DBF and DSKWOR00.DBF, and "
                                                          f"its {infos[0].filename} is not a list in text form.")
            return _open_csv(filename, lambda: open(path, "rb"), folder)
        return _finish_open(_DbfSource(*paths), filename, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def clear_caches() -> None:
    """Empty the bounded caches of decoded texts and dates (for measurements)."""
    _decode_iransystem.cache_clear()
    list_date.cache_clear()
