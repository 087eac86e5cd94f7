"""Statement PDF renderer (used by the PDF Lambda only; the API Lambda must not import this package).

render_statement(statement, verify_url) -> PDF bytes. A4 portrait, Persian, right to left, Vazirmatn embedded
(subset), Persian digits and Jalali dates, QR code for verify_url at the top of page 1.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import groupby

from fpdf import FPDF

from . import layout as L
from .text import (
    NO_STAMP_SENTENCE,
    ORGANISATION,
    TITLES,
    counting_rule,
    counting_rule_sentence,
    fa_digits,
    fa_duration,
    fa_number,
    full_name,
)

# Logical (right-to-left) column order; widths in mm, they add up to the 186 mm text width.
HISTORY_COLUMNS = (
    L.Column("سال", 11),
    L.Column("کد کارگاه", 20),
    L.Column("نام کارگاه", 42, "R"),
    *(L.Column(fa_digits(m), 8.5) for m in range(1, 13)),
    L.Column("جمع روز", 11),
)
# Wages: a year and workshop take two rows, months 1-6 and 7-12, so a wage (ten digits and separators) fits its
# column; a 35-year career at three workshops is a few pages instead of one line per month (37 pages).
HALF_COLUMNS = 6
WAGES_COLUMNS = (
    L.Column("سال", 9),
    L.Column("کد کارگاه", 16),
    L.Column("نام کارگاه", 30, "R"),
    L.Column("ماه", 10),
    *(L.Column(f"{fa_digits(m)} / {fa_digits(m + HALF_COLUMNS)}", 17.25) for m in range(1, HALF_COLUMNS + 1)),
    L.Column("جمع (ریال)", 17.5),
)
HALVES = ("۱ تا ۶", "۷ تا ۱۲")


def render_statement(statement: dict, verify_url: str) -> bytes:
    """Render one statement dict (see the service's statement builder) to PDF bytes."""
    kind = statement.get("kind")
    if kind not in TITLES:
        raise ValueError(f"unknown statement kind: {kind!r}")
    if not verify_url:
        raise ValueError("verify_url is required")
    title = TITLES[kind]

    pdf = L.new_document()
    _set_metadata(pdf, statement, title)
    qr = L.QrCode(verify_url)

    pdf.add_page()
    _header(pdf, statement, title, qr)
    if kind in ("summary", "combined"):
        _history_section(pdf, statement.get("history") or {})
    if kind in ("wages", "combined"):
        # A combined statement shows the days in its records table above; a wages statement shows them here.
        _wages_section(pdf, statement.get("wages") or {}, with_days=kind == "wages")
    _closing(pdf, statement, verify_url, qr)
    _page_footers(pdf, statement)
    L.prepare_fonts_for_output(pdf)
    return bytes(pdf.output())


# -- metadata ---------------------------------------------------------------------------------------------------------

def _issued_at(statement: dict) -> datetime | None:
    value = statement.get("issued_at")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _set_metadata(pdf: FPDF, statement: dict, title: str) -> None:
    tracking = statement.get("tracking_no") or ""
    pdf.set_title(f"{title} - {fa_digits(tracking)}" if tracking else title)
    pdf.set_subject(title)
    pdf.set_author(ORGANISATION)
    pdf.set_creator("Sabeghe")
    pdf.set_producer("Sabeghe")
    pdf.set_lang("fa-IR")
    if statement.get("document_id"):
        pdf.set_keywords(str(statement["document_id"]))
    issued = _issued_at(statement)
    # Deterministic output: creation date (and the /ID derived from it) come from the statement, not the clock.
    pdf.set_creation_date(issued or datetime(2000, 1, 1, tzinfo=timezone.utc))


# -- page 1 header ----------------------------------------------------------------------------------------------------

def _header(pdf: FPDF, statement: dict, title: str, qr) -> None:
    top = pdf.get_y()
    # QR code at the top left (the end side of a right-to-left page), the document id under it.
    qr.draw(pdf, pdf.l_margin, top, L.QR_SIZE)
    document_id = str(statement.get("document_id") or "")
    if document_id:
        pdf.set_font(L.FONT_FAMILY, "", 7.5)
        L.glyph_runs.write_in(pdf, pdf.l_margin, top + L.QR_SIZE, L.QR_SIZE, 4, document_id, "C", rtl=False)

    text_w = pdf.epw - L.QR_SIZE - L.QR_GAP
    text_x = pdf.w - pdf.r_margin - text_w
    pdf.set_font(L.FONT_FAMILY, "B", 12)
    L.write_in(pdf, text_x, top, text_w, 6.5, ORGANISATION, "R")
    pdf.set_font(L.FONT_FAMILY, "B", 15)
    L.write_in(pdf, text_x, top + 6.5, text_w, 9, title, "R")
    pdf.set_xy(text_x, top + 6.5 + 9 + 1.5)

    holder = statement.get("holder") or {}
    columns = [L.Column("", w, "R") for w in _scale((29, 47, 25, 41), text_w)]

    def label(text):
        return L.Cell(text, fill=L.LABEL_FILL)

    rows = (
        (label("نام و نام خانوادگی"), full_name(holder), label("نام پدر"), holder.get("father_name") or ""),
        (label("کد ملی"), fa_digits(holder.get("national_code")),
         label("تاریخ تولد"), fa_digits(holder.get("birth_date_jalali"))),
        (label("شماره بیمه"), fa_digits(holder.get("insurance_no")),
         label("شماره پیگیری"), fa_digits(statement.get("tracking_no"))),
        (label("تاریخ صدور"), fa_digits(statement.get("issued_at_jalali")), label("شناسه سند"), document_id),
    )
    L.draw_table(pdf, columns, (L.Row(r) for r in rows), heading=False, font_size=9, line_height=5,
                 padding=0.5)
    pdf.set_y(max(pdf.get_y(), top + L.QR_SIZE + 4) + 2)


def _scale(widths, total):
    factor = total / sum(widths)
    return [w * factor for w in widths]


# -- records ----------------------------------------------------------------------------------------------------------

def _history_section(pdf: FPDF, history: dict) -> None:
    L.section_heading(pdf, "سوابق بیمه‌ای به تفکیک سال و کارگاه")
    L.paragraph(pdf, "ستون‌های ۱ تا ۱۲: روزهای کارکرد گزارش‌شده در ماه‌های فروردین تا اسفند.",
                size=8, colour=L.GREY_TEXT, h=4.5)
    pdf.ln(1)
    L.draw_table(pdf, HISTORY_COLUMNS, _history_rows(history))


def _history_rows(history: dict):
    """Rows of the history table, one group (kept on one page) per year."""
    rows = sorted(history.get("rows") or (), key=lambda r: int(r.get("year") or 0))
    credited = {int(y.get("year") or 0): y.get("credited_days") for y in history.get("years") or ()}
    span = len(HISTORY_COLUMNS) - 1
    if not rows:
        yield L.Row([L.Cell("سابقه‌ای ثبت نشده است.", colspan=span + 1, align="R")])
    for year, year_rows in groupby(rows, key=lambda r: int(r.get("year") or 0)):
        year_rows = list(year_rows)
        group = []
        for r in year_rows:
            months = list(r.get("months") or ())[:12]
            months += [0] * (12 - len(months))
            group.append(L.Row([
                fa_digits(year),
                fa_digits(r.get("workshop_code")),
                r.get("workshop_name") or "",
                *(fa_digits(d) if d else "–" for d in months),
                fa_digits(r.get("days") or 0),
            ]))
        year_days = credited.get(year)
        row_sum = sum(int(r.get("days") or 0) for r in year_rows)
        if len(year_rows) > 1 or (year_days is not None and int(year_days) != row_sum):
            group.append(L.Row([
                fa_digits(year),
                L.Cell("جمع روزهای قابل احتساب سال (روزهای هم‌زمان یک بار)", colspan=span - 1, align="R"),
                fa_digits(year_days if year_days is not None else row_sum),
            ], bold=True, fill=L.SUBTOTAL_FILL))
        yield group
    totals = history.get("totals") or {}
    if totals.get("days") is not None:
        yield L.Row([L.Cell("جمع کل روزهای قابل احتساب", colspan=span, align="R"), fa_digits(totals["days"])],
                    bold=True, fill=L.TOTAL_FILL)


def _wages_section(pdf: FPDF, wages: dict, with_days: bool) -> None:
    L.section_heading(pdf, "دستمزد ماهانه (ریال)")
    note = "در هر کارگاه، ردیف اول ماه‌های ۱ تا ۶ (فروردین تا شهریور) و ردیف دوم ماه‌های ۷ تا ۱۲ (مهر تا اسفند)"
    note += "؛ زیر هر دستمزد، دستمزد مشمول کسر حق بیمه در پرانتز (هر جا با دستمزد فرق دارد)"
    note += " و روزهای کارکرد آن ماه." if with_days else "."
    L.paragraph(pdf, note, size=8, colour=L.GREY_TEXT, h=4.5)
    pdf.ln(1)
    L.draw_table(pdf, WAGES_COLUMNS, _wage_rows(wages, with_days), font_size=6.8, line_height=3.3)


def _wage_rows(wages: dict, with_days: bool):
    """Two rows per year and workshop (months 1-6, 7-12), kept on one page; a month's cell holds its wage, its
    insurable wage where that differs, and (wages statements) its days."""
    months = wages.get("months") or ()
    if not months:
        yield L.Row([L.Cell("دستمزدی ثبت نشده است.", colspan=len(WAGES_COLUMNS), align="R")])
    grid: dict = {}
    names: dict = {}
    for month in months:
        for w in month.get("workshops") or ():
            key = (int(month.get("year") or 0), str(w.get("workshop_code") or ""))
            names[key[1]] = w.get("workshop_name") or ""
            grid.setdefault(key, {})[int(month.get("month") or 0)] = w
    for (year, code), by_month in sorted(grid.items()):
        group = []
        for half, label in enumerate(HALVES):
            if not any(by_month.get(m) for m in range(half * HALF_COLUMNS + 1, (half + 1) * HALF_COLUMNS + 1)):
                continue  # a half year without a day at this workshop
            cells, total = [], 0
            for month in range(half * HALF_COLUMNS + 1, (half + 1) * HALF_COLUMNS + 1):
                w = by_month.get(month)
                if not w:
                    cells.append("–")
                    continue
                wage, insurable = int(w.get("wage") or 0), int(w.get("insurable_wage") or 0)
                total += wage
                lines = [fa_number(wage)]
                if insurable != wage:
                    lines.append(f"({fa_number(insurable)})")
                if with_days:
                    lines.append(f"{fa_digits(w.get('days') or 0)} روز")
                cells.append("\n".join(lines))
            group.append(L.Row([fa_digits(year), fa_digits(code), names[code], label, *cells, fa_number(total)]))
        yield group
    totals = wages.get("totals") or {}
    yield L.Row([L.Cell("جمع کل دستمزد", colspan=len(WAGES_COLUMNS) - 1, align="R"),
                 fa_number(totals.get("wage") or 0)], bold=True, fill=L.TOTAL_FILL)
    yield L.Row([L.Cell("جمع کل دستمزد مشمول", colspan=len(WAGES_COLUMNS) - 1, align="R"),
                 fa_number(totals.get("insurable_wage") or 0)], bold=True, fill=L.TOTAL_FILL)


# -- totals, verification, footers ------------------------------------------------------------------------------------

# Closing blocks: (text, font size, bold, line height) paragraphs.
TOTALS_PAD = 1.5
VERIFY_GAP = 4.0
SENTENCE_STYLE = (9.5, False, 6.0)
URL_LINE_HEIGHT = 6.0


def _closing(pdf: FPDF, statement: dict, verify_url: str, qr) -> None:
    """Totals and the verification note, kept together on one (the last) page."""
    pdf.ln(4)
    totals = _totals_paragraphs(statement)
    totals_h = _paragraphs_height(pdf, totals, pdf.epw) + 2 * TOTALS_PAD
    text_only_h = VERIFY_GAP + _verification_text_height(pdf, verify_url, pdf.epw)
    narrow = pdf.epw - L.QR_SIZE - L.QR_GAP
    with_qr_h = VERIFY_GAP + max(L.QR_SIZE, _verification_text_height(pdf, verify_url, narrow))
    if pdf.page == 1 and not pdf.will_page_break(totals_h + text_only_h):
        with_qr = False  # the QR code at the top of this page is enough
    else:
        if pdf.will_page_break(totals_h + with_qr_h):
            pdf.add_page()
        with_qr = True  # repeat the QR code beside the note on the last page
    _totals_block(pdf, totals)
    _verification_block(pdf, verify_url, qr if with_qr else None)


def _paragraphs_height(pdf: FPDF, paragraphs, width: float) -> float:
    height = 0.0
    for text, size, bold, line_h in paragraphs:
        pdf.set_font(L.FONT_FAMILY, "B" if bold else "", size)
        height += line_h * len(L.wrap_lines(pdf, text, width))
    return height


def _verification_text_height(pdf: FPDF, verify_url: str, width: float) -> float:
    height = _paragraphs_height(pdf, [(NO_STAMP_SENTENCE, *SENTENCE_STYLE)], width)
    pdf.set_font(L.FONT_FAMILY, "", SENTENCE_STYLE[0])
    return height + URL_LINE_HEIGHT * len(_url_lines(pdf, verify_url, width))


def _url_lines(pdf: FPDF, url: str, width: float) -> list:
    """The URL in pieces that fit `width` (a very long one breaks between characters)."""
    usable = width - 2 * pdf.c_margin
    lines, start = [], 0
    while start < len(url):
        end = len(url)
        while end - start > 1 and L.glyph_runs.width(pdf, url[start:end], rtl=False) > usable:
            end -= 1
        lines.append(url[start:end])
        start = end
    return lines


def _totals_paragraphs(statement: dict) -> list:
    totals = statement.get("totals") or {}
    history = statement.get("history") or {}
    history_totals = history.get("totals") or {}
    per_year, per_month = counting_rule(history.get("rule") or statement.get("rule"))
    paragraphs = [
        (f"جمع کل سوابق قابل احتساب: {fa_number(totals.get('days') or 0, group=False)} روز، معادل "
         f"{fa_duration(totals.get('years'), totals.get('months'), totals.get('days_remainder'))}", 11, True, 7.0),
        (counting_rule_sentence(per_year, per_month), 9, False, 5.5),
    ]
    overlap = int(history_totals.get("overlap_days") or totals.get("overlap_days") or 0)
    reported = history_totals.get("reported_days") or totals.get("reported_days")
    if overlap > 0:
        text = f"روزهای هم‌پوشان (کارکرد هم‌زمان در چند کارگاه، یک بار شمرده شده): {fa_number(overlap, group=False)} روز"
        if reported:
            text += f"؛ جمع روزهای گزارش‌شده در لیست‌ها: {fa_number(reported, group=False)} روز"
        paragraphs.append((text + ".", 9, False, 5.5))
    return paragraphs


def _totals_block(pdf: FPDF, paragraphs: list) -> None:
    top = pdf.get_y()
    pdf.ln(TOTALS_PAD)
    for text, size, bold, line_h in paragraphs:
        L.paragraph(pdf, text, size=size, bold=bold, h=line_h)
    pdf.ln(TOTALS_PAD)
    pdf.set_draw_color(*L.RULE_COLOUR)
    pdf.rect(pdf.l_margin, top, pdf.epw, pdf.get_y() - top)


def _verification_block(pdf: FPDF, verify_url: str, qr) -> None:
    pdf.ln(VERIFY_GAP)
    top = pdf.get_y()
    text_w = pdf.epw - (L.QR_SIZE + L.QR_GAP if qr is not None else 0)
    text_x = pdf.w - pdf.r_margin - text_w
    pdf.set_x(text_x)
    size, bold, line_h = SENTENCE_STYLE
    L.paragraph(pdf, NO_STAMP_SENTENCE, size=size, bold=bold, h=line_h, w=text_w)
    pdf.set_font(L.FONT_FAMILY, "", size)
    pdf.set_text_color(*L.LINK_COLOUR)
    y = pdf.get_y()
    for line in _url_lines(pdf, verify_url, text_w):  # the URL is Latin: left to right
        L.glyph_runs.write_in(pdf, text_x, y, text_w, URL_LINE_HEIGHT, line, "R", rtl=False)
        pdf.link(text_x, y, text_w, URL_LINE_HEIGHT, verify_url)
        y += URL_LINE_HEIGHT
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_text_color(*L.BLACK)
    if qr is not None:
        qr.draw(pdf, pdf.l_margin, top, L.QR_SIZE)
        pdf.set_y(max(pdf.get_y(), top + L.QR_SIZE))


def _page_footers(pdf: FPDF, statement: dict) -> None:
    """Draw "tracking no · document id · page X of N" on every page once N is known (Persian digits)."""
    total = pdf.page
    left = f"صفحه {{page}} از {fa_digits(total)}"
    parts = []
    if statement.get("tracking_no"):
        parts.append(f"شماره پیگیری {fa_digits(statement['tracking_no'])}")
    if statement.get("document_id"):
        parts.append(f"شناسه سند {statement['document_id']}")
    right = " | ".join(parts)
    pdf.set_auto_page_break(False)
    for number in range(1, total + 1):
        pdf.page = number
        # The page's content stream ends in whatever state the last drawing left: select font and colours again.
        pdf.current_font_is_set_on_page = False
        pdf.set_draw_color(*L.RULE_COLOUR)
        pdf.set_line_width(0.2)
        y = pdf.h - L.FOOTER_Y_FROM_BOTTOM
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_font(L.FONT_FAMILY, "", 7.5)
        pdf.set_text_color(*L.GREY_TEXT)
        if right:
            L.write_in(pdf, pdf.l_margin, y + 1, pdf.epw, 4.5, right, "R")
        L.write_in(pdf, pdf.l_margin, y + 1, pdf.epw, 4.5, left.format(page=fa_digits(number)), "L")
    pdf.set_text_color(*L.BLACK)
    pdf.page = total
