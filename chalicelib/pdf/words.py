"""What a statement says, in Persian or in English (no fpdf2 imports here).

A Persian statement reads right to left with Persian digits and Jalali dates. An English one, asked for by people
who take it to an embassy, reads left to right with Latin digits, gives the Gregorian date beside each Jalali one,
and spells Persian names in Latin letters (chalicelib/domain/transliteration.py) unless the records have an
English name: the same facts, so both verify the same way."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.statement_kinds import KINDS

from .text import NO_STAMP_SENTENCE, ORGANISATION, counting_rule_sentence, fa_digits, fa_number

@dataclass(frozen=True)
class Words:
    language: str
    rtl: bool
    lang_tag: str  # the PDF's /Lang
    organisation: str
    title_prefix: str
    labels: dict

    # -- numbers and dates ------------------------------------------------------------------------------------------
    def digits(self, value: object) -> str:
        return fa_digits(value) if self.rtl else ("" if value is None else str(value))

    def number(self, value: object, group: bool = True) -> str:
        if self.rtl:
            return fa_number(value, group)
        if value is None or value == "":
            return ""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{number:,}" if group else str(number)

    def jalali_date(self, jalali: object) -> str:
        """A Jalali "YYYY/MM/DD"; in English with its Gregorian date beside it."""
        if not jalali:
            return ""
        if self.rtl:
            return fa_digits(jalali)
        gregorian = _gregorian_of(str(jalali))
        return f"{jalali} ({gregorian})" if gregorian else str(jalali)

    def duration(self, years: object, months: object, days: object) -> str:
        n = self.number
        if self.rtl:
            return f"{n(years or 0)} سال، {n(months or 0)} ماه و {n(days or 0)} روز"
        return f"{n(years or 0)} years, {n(months or 0)} months and {n(days or 0)} days"

    def name(self, persian: str, english: str | None = None) -> str:
        """A name as the reader of this language needs it."""
        if self.rtl or not persian:
            return persian or ""
        if english:
            return english
        from chalicelib.domain.transliteration import transliterate

        return transliterate(persian)

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def title(self, kind: str) -> str:
        return self.title_prefix + KINDS[kind][0 if self.rtl else 1]

    def counting_rule(self, per_year: int, per_month: int) -> str:
        if self.rtl:
            return counting_rule_sentence(per_year, per_month)
        return f"Counted as {per_year} days a year and {per_month} days a month."


def _gregorian_of(jalali: str) -> str:
    import jdatetime

    try:
        year, month, day = (int(part) for part in jalali.replace("-", "/").split("/"))
        return jdatetime.date(year, month, day).togregorian().isoformat()
    except (ValueError, TypeError):
        return ""


FA = Words("fa", True, "fa-IR", ORGANISATION, "گواهی ", {
    "name": "نام و نام خانوادگی", "father": "نام پدر", "national_code": "کد ملی", "birth": "تاریخ تولد",
    "insurance_no": "شماره بیمه", "tracking_no": "شماره پیگیری", "issued": "تاریخ صدور", "document_id": "شناسه سند",
    "history": "سوابق بیمه‌ای به تفکیک سال و کارگاه",
    "history_note": "ستون‌های ۱ تا ۱۲: روزهای کارکرد گزارش‌شده در ماه‌های فروردین تا اسفند.",
    "year": "سال", "workshop_code": "کد کارگاه", "workshop": "نام کارگاه", "days_total": "جمع روز",
    "no_records": "سابقه‌ای ثبت نشده است.",
    "year_subtotal": "جمع روزهای قابل احتساب سال (روزهای هم‌زمان یک بار)",
    "all_days": "جمع کل روزهای قابل احتساب",
    "wages": "دستمزد ماهانه (ریال)",
    "wages_note": "در هر کارگاه، ردیف اول ماه‌های ۱ تا ۶ (فروردین تا شهریور) و ردیف دوم ماه‌های ۷ تا ۱۲ (مهر تا "
                  "اسفند)؛ زیر هر دستمزد، دستمزد مشمول کسر حق بیمه در پرانتز (هر جا با دستمزد فرق دارد)",
    "wages_note_days": " و روزهای کارکرد آن ماه.",
    "months": "ماه", "wage_total": "جمع (ریال)", "halves": "۱ تا ۶|۷ تا ۱۲", "days_of": "{} روز",
    "no_wages": "دستمزدی ثبت نشده است.", "all_wages": "جمع کل دستمزد", "all_insurable": "جمع کل دستمزد مشمول",
    "grand_total": "جمع کل سوابق قابل احتساب: {days} روز، معادل {duration}",
    "overlap": "روزهای هم‌پوشان (کارکرد هم‌زمان در چند کارگاه، یک بار شمرده شده): {days} روز",
    "reported": "؛ جمع روزهای گزارش‌شده در لیست‌ها: {days} روز",
    "no_stamp": NO_STAMP_SENTENCE,
    "qr_alt": "کد QR نشانی بررسی اصالت این گواهی",
    "footer_tracking": "شماره پیگیری {}", "footer_document": "شناسه سند {}", "page": "صفحه {page} از {pages}",
})

EN = Words("en", False, "en", "Social Security Organization of Iran", "Statement: ", {
    "name": "Name", "father": "Father's name", "national_code": "National code", "birth": "Date of birth",
    "insurance_no": "Insurance no.", "tracking_no": "Tracking no.", "issued": "Issued", "document_id": "Document id",
    "history": "Insured service by year and workshop",
    "history_note": "Columns 1 to 12: days reported in the months Farvardin to Esfand. Years are Iranian (Jalali) "
                    "years, which begin on 20 or 21 March: 1400 ran from March 2021 to March 2022. Names are spelled "
                    "in Latin letters from the Persian records.",
    "year": "Year", "workshop_code": "Workshop code", "workshop": "Workshop", "days_total": "Days",
    "no_records": "No records.",
    "year_subtotal": "Credited days in the year (days worked at several workshops counted once)",
    "all_days": "Total credited days",
    "wages": "Monthly wages (rials)",
    "wages_note": "For each workshop the first row is months 1 to 6 (Farvardin to Shahrivar), the second months 7 "
                  "to 12 (Mehr to Esfand); under a wage, in brackets, the wage insurance is paid on, where it "
                  "differs",
    "wages_note_days": ", and the month's days worked.",
    "months": "Months", "wage_total": "Total (rials)", "halves": "1-6|7-12", "days_of": "{} days",
    "no_wages": "No wages recorded.", "all_wages": "Total wages", "all_insurable": "Total insurable wages",
    "grand_total": "Total credited service: {days} days, equal to {duration}",
    "overlap": "Overlapping days (worked at several workshops at once, counted once): {days} days",
    "reported": "; days reported in the employers' lists: {days} days",
    "no_stamp": "This statement was issued electronically and needs no stamp or signature; check it by scanning "
                "the QR code or at the address below.",
    "qr_alt": "QR code of the address where this statement can be checked",
    "footer_tracking": "Tracking no. {}", "footer_document": "Document id {}", "page": "Page {page} of {pages}",
})

BY_LANGUAGE = {"fa": FA, "en": EN}
