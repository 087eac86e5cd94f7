"""What an employer's monthly insurance list holds, once read: the workshop's header and its worker rows, and
what the checks concluded (per row and for the list as a whole).

Amounts are whole rials; years are full Jalali years (1403, not 3); dates are Jalali "YYYY/MM/DD" or "" (no date);
codes are ASCII digits. The reader (reader.py) fills these from the ListDisk files; the checks (validation.py) judge
them. Nothing here does I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field

OLDER = "older"
NEWER = "newer"  # DSKKAR00 carries the appended DSK_INC and DSK_SPOUSE fields

# Row reasons: stable codes, in the order RowChecker reports them.
INVALID_NATIONAL_CODE = "invalid_national_code"
DAYS_OUT_OF_RANGE = "days_out_of_range"
PERIOD_MISMATCH = "period_mismatch"
SHARE_NOT_7_PERCENT = "share_not_7_percent"
DUPLICATE_WORKER = "duplicate_worker"
WAGE_ARITHMETIC = "wage_arithmetic"
MISSING_NAME = "missing_name"
NEGATIVE_AMOUNT = "negative_amount"
UNREADABLE_VALUE = "unreadable_value"  # a number field that is not a number (the row's `unreadable` names it)
INVALID_DATE = "invalid_date"          # a date field in none of the known forms, or not a calendar date
GARBLED_TEXT = "garbled_text"          # the names decode to mostly non-letters (a row written in another code page)

ROW_REASONS = (INVALID_NATIONAL_CODE, DAYS_OUT_OF_RANGE, PERIOD_MISMATCH, SHARE_NOT_7_PERCENT, DUPLICATE_WORKER,
               WAGE_ARITHMETIC, MISSING_NAME, NEGATIVE_AMOUNT, UNREADABLE_VALUE, INVALID_DATE, GARBLED_TEXT)

# List-level errors: the list is refused as a whole.
HEADER_SUMS_MISMATCH = "header_sums_mismatch"
NO_ROWS = "no_rows"
INVALID_WORKSHOP_CODE = "invalid_workshop_code"
LIST_ERRORS = (HEADER_SUMS_MISMATCH, NO_ROWS, INVALID_WORKSHOP_CODE)

# List-level warnings: taken, but a clerk should look.
SHARES_NOT_PERCENT = "shares_not_percent_of_insurable"  # TBIME/TKOSO/BIC vs 7/20/3 % of TMASH
LIST_NO_MISMATCH = "list_no_mismatch"                   # some rows carry another list number than the header
RATE_UNUSUAL = "rate_unusual"                           # DSK_RATE is not 23 (20 employer + 3 unemployment)
ALL_ROWS_REJECTED = "all_rows_rejected"
DATES_OUTSIDE_MONTH = "dates_outside_month"             # start/leaving dates given outside the list's month
LAYOUT_MIXED = "layout_mixed"                           # DSKKAR00 and DSKWOR00 are of different layouts (reader)
LIST_WARNINGS = (SHARES_NOT_PERCENT, LIST_NO_MISMATCH, RATE_UNUSUAL, ALL_ROWS_REJECTED, DATES_OUTSIDE_MONTH,
                 LAYOUT_MIXED)


@dataclass(frozen=True)
class ListHeader:
    """DSKKAR00's one record: the workshop, the period and the sums the employer declares."""
    workshop_code: str
    workshop_name: str
    employer_name: str
    address: str
    year: int  # full Jalali year, e.g. 1403 (see reader.full_year for the century rule)
    month: int
    list_no: str
    workers: int               # DSK_NUM
    total_days: int            # DSK_TDD
    total_daily_wage: int      # DSK_TROOZ
    total_monthly_wage: int    # DSK_TMAH
    total_benefits: int        # DSK_TMAZ
    total_insurable: int       # DSK_TMASH
    total_grand: int           # DSK_TTOTL
    total_employee_share: int  # DSK_TBIME (7 %)
    total_employer_share: int  # DSK_TKOSO (20 %)
    total_unemployment: int    # DSK_BIC (3 %)
    rate: int                  # DSK_RATE (23 = 20 + 3)
    layout: str                # OLDER or NEWER
    # Beyond the agreed interface: the rest of DSKKAR00 and what the reader noticed.
    kind: int = 0              # DSK_KIND (0: a normal list)
    description: str = ""      # DSK_DISC
    prate: int = 0             # DSK_PRATE
    bimh: int = 0              # DSK_BIMH
    contract_row: str = ""     # MON_PYM
    total_inc: int = 0         # DSK_INC (newer layout; meaning unverified)
    total_spouse: int = 0      # DSK_SPOUSE (newer layout; meaning unverified)
    yy: int = 0                # DSK_YY as stored (year minus 1300 or 1400)
    form: str = ""             # "dbf" (the zipped pair or the files given apart) or "csv"
    format_notes: tuple[str, ...] = ()  # reader's warnings (e.g. LAYOUT_MIXED), carried to ListCheck.warnings


@dataclass(frozen=True)
class WorkerRow:
    """One DSKWOR00 record, read but not judged."""
    row: int  # 1-based position among DSKWOR00's records (deleted records are skipped and not counted)
    workshop_code: str
    year: int
    month: int
    list_no: str
    insurance_no: str
    national_code: str  # ASCII digits, as written (not yet validated, not zero-padded)
    first_name: str
    last_name: str
    father_name: str
    birth_date: str  # Jalali "YYYY/MM/DD" or ""
    id_no: str
    sex: str
    job_title: str
    job_code: str
    start_date: str  # Jalali "YYYY/MM/DD" or ""
    end_date: str    # Jalali "YYYY/MM/DD" or ""
    days: int
    daily_wage: int
    monthly_wage: int
    benefits: int
    insurable_total: int
    grand_total: int
    employee_share: int
    # Beyond the agreed interface.
    id_place: str = ""     # DSW_IDPLC
    id_date: str = ""      # DSW_IDATE, Jalali "YYYY/MM/DD" or ""
    nationality: str = ""  # DSW_NAT
    prate: int = 0         # DSW_PRATE
    inc: int = 0           # DSW_INC (newer layout; meaning unverified)
    spouse: str = ""       # DSW_SPOUSE (newer layout; meaning unverified)
    unreadable: tuple[str, ...] = ()  # field names whose text could not be read (numbers left 0, dates "")


@dataclass(frozen=True)
class RowVerdict:
    row: WorkerRow
    reasons: tuple[str, ...]  # empty = accepted; stable codes from ROW_REASONS
    national_code: str = ""   # the canonical 10-digit code (8/9 digits zero-padded) when valid, else ""

    @property
    def accepted(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class ListIssue:
    """One list-level finding, with an English message that names the fields concerned."""
    level: str  # "error" or "warning"
    code: str
    message: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListCheck:
    """The list-level outcome after all rows were seen."""
    rows: int
    accepted: int
    rejected: int
    totals: dict  # {"all": {...}, "accepted": {...}}: rows, days, daily_wage, monthly_wage, benefits,
    #              insurable_total, grand_total, employee_share, employer_share (20 %), unemployment (3 %)
    errors: tuple[str, ...]    # codes: the list must be refused as a whole (nothing taken)
    warnings: tuple[str, ...]  # codes: taken, but a clerk should look
    issues: tuple[ListIssue, ...] = ()  # the same findings with their messages
    rejected_by_reason: dict = field(default_factory=dict)  # reason code -> rows rejected with it

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def message(self, code: str) -> str:
        """The message of the finding `code` ("" when there is none)."""
        return next((i.message for i in self.issues if i.code == code), "")
