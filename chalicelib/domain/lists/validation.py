"""A payroll clerk's checks of an employer's monthly list, one row at a time (streaming), then the list as a whole.

Per row (RowVerdict.reasons, in this order; any reason rejects the row):

=========================  ==================================================================================
invalid_national_code      PER_NATCOD (digits normalised, 8/9 digits zero-padded) fails the check digit
days_out_of_range          not 0 < DSW_DD <= the month's length (31, 30, Esfand 29/30 by leap year)
period_mismatch            the row's year, month or workshop code differs from the header's
share_not_7_percent        DSW_BIME differs by more than 1 rial from 7 % of DSW_MASH rounded half up
duplicate_worker           the national code was already seen in this list (the first one stays accepted)
wage_arithmetic            DSW_MAH != DSW_ROOZ x DSW_DD, or DSW_MASH != DSW_MAH + DSW_MAZ
missing_name               no first name or no last name
negative_amount            a wage, benefit, total or share below zero
unreadable_value           a number field that is not a number (WorkerRow.unreadable names it)
invalid_date               a date field that is no Jalali date
garbled_text               a name is more than a third characters no Persian text holds (a code page)
=========================  ==================================================================================

List level, in finish() (ListCheck.errors refuse the whole list, ListCheck.warnings take it for a clerk to look):

errors    header_sums_mismatch (DSK_NUM, TDD, TROOZ, TMAH, TMAZ, TMASH, TTOTL, TBIME against the sums of *all* rows;
          the message names each one that differs), no_rows, invalid_workshop_code (DSK_ID is not 10 digits)
warnings  shares_not_percent_of_insurable (TBIME / TKOSO / BIC against 7 / 20 / 3 % of TMASH, within
          rows // 2 + 2 rials: TBIME is a sum of per-row roundings), list_no_mismatch, rate_unusual (DSK_RATE != 23),
          all_rows_rejected, dates_outside_month (start or leaving dates outside the list's month, which the notes
          say they are not), and the reader's format notes (layout_mixed).

The checker keeps only the national codes seen (for duplicates), the sums and a few counters.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter

from ..digits import normalize_code
from ..identifiers import national_code_is_valid
from ..jalali import month_length
from . import model as m
from .model import ListCheck, ListHeader, ListIssue, RowVerdict, WorkerRow
from .reader import is_garbled

EMPLOYEE_PERCENT = 7
EMPLOYER_PERCENT = 20
UNEMPLOYMENT_PERCENT = 3
SHARE_TOLERANCE = 1  # rials, per row
STANDARD_RATE = EMPLOYER_PERCENT + UNEMPLOYMENT_PERCENT

_DATE_FIELDS = frozenset({"DSW_BDATE", "DSW_SDATE", "DSW_EDATE", "DSW_IDATE"})
_SUM_KEYS = ("days", "daily_wage", "monthly_wage", "benefits", "insurable_total", "grand_total", "employee_share")
# header field, its attribute, the key of the rows' sums
_HEADER_SUMS = (("DSK_NUM", "workers", "rows"), ("DSK_TDD", "total_days", "days"),
                ("DSK_TROOZ", "total_daily_wage", "daily_wage"), ("DSK_TMAH", "total_monthly_wage", "monthly_wage"),
                ("DSK_TMAZ", "total_benefits", "benefits"), ("DSK_TMASH", "total_insurable", "insurable_total"),
                ("DSK_TTOTL", "total_grand", "grand_total"), ("DSK_TBIME", "total_employee_share", "employee_share"))


def percent_half_up(amount: int, percent: int) -> int:
    """percent % of a whole-rial amount, rounded half up (half away from zero for negatives)."""
    q, r = divmod(abs(amount) * percent, 100)
    v = q + (1 if r >= 50 else 0)
    return v if amount >= 0 else -v


def canonical_national_code(raw: str) -> str:
    """The 10-digit national code (digits normalised, 8/9 digits zero-padded) when valid, else ""."""
    code = normalize_code(raw)
    if code.isascii() and code.isdigit() and len(code) in (8, 9):
        code = code.zfill(10)
    return code if national_code_is_valid(code) else ""


def _same_code(a: str, b: str) -> bool:
    return a == b or (a.isdigit() and b.isdigit() and int(a) == int(b))


class CodeSet:
    """National codes seen, as a sorted array of 8-byte numbers: 80 KB for 10,000 workers where a set of ints takes
    ~700 KB, so a list's memory does not grow with its length. Adding is a memmove, fast for any real list."""

    __slots__ = ("_codes",)

    def __init__(self):
        self._codes = array("q")

    def add(self, code: int) -> bool:
        """False when the code was there already."""
        at = bisect_left(self._codes, code)
        if at < len(self._codes) and self._codes[at] == code:
            return False
        self._codes.insert(at, code)
        return True

    def __contains__(self, code: int) -> bool:
        at = bisect_left(self._codes, code)
        return at < len(self._codes) and self._codes[at] == code

    def __len__(self) -> int:
        return len(self._codes)


class _Sums:
    __slots__ = ("rows",) + _SUM_KEYS

    def __init__(self):
        for k in self.__slots__:
            setattr(self, k, 0)

    def add(self, row: WorkerRow) -> None:
        self.rows += 1
        self.days += row.days
        self.daily_wage += row.daily_wage
        self.monthly_wage += row.monthly_wage
        self.benefits += row.benefits
        self.insurable_total += row.insurable_total
        self.grand_total += row.grand_total
        self.employee_share += row.employee_share

    def as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__slots__}
        d["employer_share"] = percent_half_up(self.insurable_total, EMPLOYER_PERCENT)
        d["unemployment"] = percent_half_up(self.insurable_total, UNEMPLOYMENT_PERCENT)
        return d


class RowChecker:
    """Judge rows one at a time with check(), then the list with finish()."""

    def __init__(self, header: ListHeader):
        self.header = header
        try:
            self.month_days = month_length(header.year, header.month)
        except Exception:  # a header the reader would have refused; judge every row's days out of range
            self.month_days = 0
        self._period = f"{header.year:04d}/{header.month:02d}/"
        self._seen = CodeSet()
        self._all = _Sums()
        self._accepted = _Sums()
        self._by_reason: Counter = Counter()
        self._list_no_mismatch = 0
        self._dates_outside = 0

    def check(self, row: WorkerRow) -> RowVerdict:
        h = self.header
        reasons = []
        national = canonical_national_code(row.national_code)
        if not national:
            reasons.append(m.INVALID_NATIONAL_CODE)
        if not 0 < row.days <= self.month_days:
            reasons.append(m.DAYS_OUT_OF_RANGE)
        if row.year != h.year or row.month != h.month or row.workshop_code != h.workshop_code:
            reasons.append(m.PERIOD_MISMATCH)
        expected = percent_half_up(row.insurable_total, EMPLOYEE_PERCENT)
        if abs(row.employee_share - expected) > SHARE_TOLERANCE:
            reasons.append(m.SHARE_NOT_7_PERCENT)
        key = national or normalize_code(row.national_code)
        if key:
            # A code that is no number (Persian letters, say) is already invalid; only numbers can repeat a worker.
            if key.isascii() and key.isdigit() and len(key) <= 18 and not self._seen.add(int(key)):
                reasons.append(m.DUPLICATE_WORKER)
        if (row.monthly_wage != row.daily_wage * row.days
                or row.insurable_total != row.monthly_wage + row.benefits):
            reasons.append(m.WAGE_ARITHMETIC)
        if not row.first_name.strip() or not row.last_name.strip():
            reasons.append(m.MISSING_NAME)
        if min(row.daily_wage, row.monthly_wage, row.benefits, row.insurable_total, row.grand_total,
               row.employee_share) < 0:
            reasons.append(m.NEGATIVE_AMOUNT)
        if row.unreadable:
            if any(f not in _DATE_FIELDS for f in row.unreadable):
                reasons.append(m.UNREADABLE_VALUE)
            if any(f in _DATE_FIELDS for f in row.unreadable):
                reasons.append(m.INVALID_DATE)
        if is_garbled(row.first_name) or is_garbled(row.last_name) or is_garbled(row.father_name):
            reasons.append(m.GARBLED_TEXT)

        if not _same_code(row.list_no, h.list_no):
            self._list_no_mismatch += 1
        for d in (row.start_date, row.end_date):
            if d and not d.startswith(self._period):
                self._dates_outside += 1
                break
        self._all.add(row)
        if reasons:
            self._by_reason.update(reasons)
        else:
            self._accepted.add(row)
        return RowVerdict(row=row, reasons=tuple(reasons), national_code=national)

    def finish(self) -> ListCheck:
        h = self.header
        sums = self._all.as_dict()
        rows, accepted = sums["rows"], self._accepted.rows
        issues: list[ListIssue] = []

        def add(level, code, message, fields=()):
            issues.append(ListIssue(level, code, message, tuple(fields)))

        if rows == 0:
            add("error", m.NO_ROWS, "DSKWOR00 holds no worker rows.")
        diffs = [(f, getattr(h, attr), sums[key]) for f, attr, key in _HEADER_SUMS if getattr(h, attr) != sums[key]]
        if diffs:
            add("error", m.HEADER_SUMS_MISMATCH,
                "The header's sums differ from the rows': "
                + ", ".join(f"{f} is {hv} but the rows sum to {rv}" for f, hv, rv in diffs) + ".",
                [f for f, _, _ in diffs])
        code = h.workshop_code
        if not (len(code) == 10 and code.isascii() and code.isdigit()):
            add("error", m.INVALID_WORKSHOP_CODE, f"The workshop code (DSK_ID) {code!r} is not 10 digits.", ["DSK_ID"])

        tolerance = rows // 2 + 2
        off = []
        for f, value, percent in (("DSK_TBIME", h.total_employee_share, EMPLOYEE_PERCENT),
                                  ("DSK_TKOSO", h.total_employer_share, EMPLOYER_PERCENT),
                                  ("DSK_BIC", h.total_unemployment, UNEMPLOYMENT_PERCENT)):
            expected = percent_half_up(h.total_insurable, percent)
            if abs(value - expected) > tolerance:
                off.append((f, value, percent, expected))
        if off:
            add("warning", m.SHARES_NOT_PERCENT,
                "Shares are not their percentages of DSK_TMASH "
                f"({h.total_insurable}, within {tolerance} rials): "
                + ", ".join(f"{f} is {v}, {p}% is {e}" for f, v, p, e in off) + ".",
                [f for f, *_ in off])
        if self._list_no_mismatch:
            add("warning", m.LIST_NO_MISMATCH, f"{self._list_no_mismatch} row(s) carry a list number (DSW_LISTNO) "
                                               f"other than the header's ({h.list_no!r}).", ["DSW_LISTNO"])
        if h.rate != STANDARD_RATE:
            add("warning", m.RATE_UNUSUAL, f"DSK_RATE is {h.rate}, not {STANDARD_RATE} (20 employer + 3 "
                                           "unemployment).", ["DSK_RATE"])
        if rows and not accepted:
            add("warning", m.ALL_ROWS_REJECTED, f"All {rows} rows were rejected.")
        if self._dates_outside:
            add("warning", m.DATES_OUTSIDE_MONTH, f"{self._dates_outside} row(s) give a start or leaving date "
                                                  f"outside {h.year:04d}/{h.month:02d}.", ["DSW_SDATE", "DSW_EDATE"])
        if m.LAYOUT_MIXED in h.format_notes:
            add("warning", m.LAYOUT_MIXED, "DSKKAR00 and DSKWOR00 are of different layouts (one carries the newer "
                                           "INC/SPOUSE fields, the other does not).")
        for note in h.format_notes:
            if note != m.LAYOUT_MIXED:
                add("warning", note, note)

        return ListCheck(
            rows=rows, accepted=accepted, rejected=rows - accepted,
            totals={"all": sums, "accepted": self._accepted.as_dict()},
            errors=tuple(i.code for i in issues if i.level == "error"),
            warnings=tuple(i.code for i in issues if i.level == "warning"),
            issues=tuple(issues), rejected_by_reason=dict(self._by_reason))


def check_list(header: ListHeader, rows) -> tuple[list[RowVerdict], ListCheck]:
    """Convenience for small lists and tests: every verdict (kept in memory) and the outcome."""
    checker = RowChecker(header)
    verdicts = [checker.check(r) for r in rows]
    return verdicts, checker.finish()
