"""Statement PDF renderer (used by the PDF Lambda only; the API Lambda must not import this package).

render_statement(statement, verify_url, language) -> PDF bytes. A4 portrait, Vazirmatn embedded (subset), QR code
for verify_url at the top of page 1. Persian (the default): right to left, Persian digits, Jalali dates. English:
left to right, Latin digits, Gregorian dates beside the Jalali ones, names in Latin letters (words.py).
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import groupby

from fpdf import FPDF

from . import layout as L, tags
from .text import counting_rule, full_name
from .words import BY_LANGUAGE, Words

HALF_COLUMNS = 6


def history_columns(w: Words) -> tuple:
    """Logical column order (the first is at the start side of the page); widths in mm, adding up to 186."""
    return (
        L.Column(w["year"], 11),
        L.Column(w["workshop_code"], 20),
        L.Column(w["workshop"], 42, "R"),
        *(L.Column(w.digits(m), 8.5) for m in range(1, 13)),
        L.Column(w["days_total"], 11),
    )


def wages_columns(w: Words) -> tuple:
    """Wages: a year and workshop take two rows, months 1-6 and 7-12, so a wage (ten digits and separators) fits
    its column; a 35-year career at three workshops is a few pages instead of one line per month (37 pages)."""
    return (
        L.Column(w["year"], 9),
        L.Column(w["workshop_code"], 16),
        L.Column(w["workshop"], 30, "R"),
        L.Column(w["months"], 10),
        *(L.Column(f"{w.digits(m)} / {w.digits(m + HALF_COLUMNS)}", 17.25) for m in range(1, HALF_COLUMNS + 1)),
        L.Column(w["wage_total"], 17.5),
    )


def render_statement(statement: dict, verify_url: str, language: str = "fa") -> bytes:
    """Render one statement dict (see the service's statement builder) to PDF bytes, in "fa" or "en"."""
    kind = statement.get("kind")
    if kind not in ("summary", "wages", "combined"):
        raise ValueError(f"unknown statement kind: {kind!r}")
    if language not in BY_LANGUAGE:
        raise ValueError(f"unknown language: {language!r}")
    if not verify_url:
        raise ValueError("verify_url is required")
    w = BY_LANGUAGE[language]
    title = w.title(kind)

    pdf = L.new_document(rtl=w.rtl)
    _set_metadata(pdf, statement, title, w)
    qr = L.QrCode(verify_url)

    pdf.add_page()
    _header(pdf, statement, title, qr, w)
    if kind in ("summary", "combined"):
        _history_section(pdf, statement.get("history") or {}, w)
    if kind in ("wages", "combined"):
        # A combined statement shows the days in its records table above; a wages statement shows them here.
        _wages_section(pdf, statement.get("wages") or {}, w, with_days=kind == "wages")
    _closing(pdf, statement, verify_url, qr, w)
    _page_footers(pdf, statement, w)
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


def _set_metadata(pdf: FPDF, statement: dict, title: str, w: Words) -> None:
    tracking = statement.get("tracking_no") or ""
    pdf.set_title(f"{title} - {w.digits(tracking)}" if tracking else title)
    pdf.set_subject(title)
    pdf.set_author(w.organisation)
    pdf.set_creator("Sabeghe")
    pdf.set_producer("Sabeghe")
    pdf.set_lang(w.lang_tag)
    if statement.get("document_id"):
        pdf.set_keywords(str(statement["document_id"]))
    issued = _issued_at(statement)
    # Deterministic output: creation date (and the /ID derived from it) come from the statement, not the clock.
    pdf.set_creation_date(issued or datetime(2000, 1, 1, tzinfo=timezone.utc))


# -- page 1 header ----------------------------------------------------------------------------------------------------

def _header(pdf: FPDF, statement: dict, title: str, qr, w: Words) -> None:
    top = pdf.get_y()
    # The QR code at the top of the page's end side (left in Persian, right in English), the document id under it.
    qr_x = pdf.l_margin if w.rtl else pdf.w - pdf.r_margin - L.QR_SIZE
    with tags.element(pdf, "Figure", alt=w["qr_alt"]):
        qr.draw(pdf, qr_x, top, L.QR_SIZE)
    document_id = str(statement.get("document_id") or "")
    if document_id:
        pdf.set_font(L.FONT_FAMILY, "", 7.5)
        with tags.element(pdf, "P"):
            L.glyph_runs.write_in(pdf, qr_x, top + L.QR_SIZE, L.QR_SIZE, 4, document_id, "C", rtl=False)

    text_w = pdf.epw - L.QR_SIZE - L.QR_GAP
    text_x = pdf.w - pdf.r_margin - text_w if w.rtl else pdf.l_margin
    start = "R" if w.rtl else "L"
    pdf.set_font(L.FONT_FAMILY, "B", 12)
    with tags.element(pdf, "P"):
        L.write_in(pdf, text_x, top, text_w, 6.5, w.organisation, start)
    pdf.set_font(L.FONT_FAMILY, "B", 15)
    with tags.element(pdf, "H1"):
        L.write_in(pdf, text_x, top + 6.5, text_w, 9, title, start)
    pdf.set_xy(text_x, top + 6.5 + 9 + 1.5)

    holder = statement.get("holder") or {}
    widths = _scale((29, 47, 25, 41), text_w)
    columns = [L.Column("", width, "R") for width in widths]

    def label(key):
        return L.Cell(w[key], fill=L.LABEL_FILL)

    rows = (
        (label("name"), w.name(full_name(holder), holder.get("name_en")),
         label("father"), w.name(holder.get("father_name") or "", holder.get("father_name_en"))),
        (label("national_code"), w.digits(holder.get("national_code")),
         label("birth"), w.jalali_date(holder.get("birth_date_jalali"))),
        (label("insurance_no"), w.digits(holder.get("insurance_no")),
         label("tracking_no"), w.digits(statement.get("tracking_no"))),
        (label("issued"), w.jalali_date(statement.get("issued_at_jalali")), label("document_id"), document_id),
    )
    _table_at(pdf, text_x, text_w, columns, (L.Row(r) for r in rows), w)
    pdf.set_y(max(pdf.get_y(), top + L.QR_SIZE + 4) + 2)


def _table_at(pdf: FPDF, x: float, width: float, columns, rows, w: Words) -> None:
    """A table narrower than the page, placed from x over `width` mm."""
    margin = (pdf.l_margin, pdf.r_margin)
    pdf.set_left_margin(x)
    pdf.set_right_margin(pdf.w - x - width)
    try:
        L.draw_table(pdf, columns, rows, heading=False, font_size=9, line_height=5, padding=0.5)
    finally:
        pdf.set_left_margin(margin[0])
        pdf.set_right_margin(margin[1])


def _scale(widths, total):
    factor = total / sum(widths)
    return [w * factor for w in widths]


# -- records ----------------------------------------------------------------------------------------------------------

def _history_section(pdf: FPDF, history: dict, w: Words) -> None:
    L.section_heading(pdf, w["history"])
    L.paragraph(pdf, w["history_note"], size=8, colour=L.GREY_TEXT, h=4.5)
    pdf.ln(1)
    L.draw_table(pdf, history_columns(w), _history_rows(history, w))


def _history_rows(history: dict, w: Words):
    """Rows of the history table, one group (kept on one page) per year."""
    rows = sorted(history.get("rows") or (), key=lambda r: int(r.get("year") or 0))
    credited = {int(y.get("year") or 0): y.get("credited_days") for y in history.get("years") or ()}
    span = len(history_columns(w)) - 1
    if not rows:
        yield L.Row([L.Cell(w["no_records"], colspan=span + 1, align="R")])
    for year, year_rows in groupby(rows, key=lambda r: int(r.get("year") or 0)):
        year_rows = list(year_rows)
        group = []
        for r in year_rows:
            months = list(r.get("months") or ())[:12]
            months += [0] * (12 - len(months))
            group.append(L.Row([
                w.digits(year),
                w.digits(r.get("workshop_code")),
                w.name(r.get("workshop_name") or "", r.get("workshop_name_en")),
                *(w.digits(d) if d else "–" for d in months),
                w.digits(r.get("days") or 0),
            ]))
        year_days = credited.get(year)
        row_sum = sum(int(r.get("days") or 0) for r in year_rows)
        if len(year_rows) > 1 or (year_days is not None and int(year_days) != row_sum):
            group.append(L.Row([
                w.digits(year),
                L.Cell(w["year_subtotal"], colspan=span - 1, align="R"),
                w.digits(year_days if year_days is not None else row_sum),
            ], bold=True, fill=L.SUBTOTAL_FILL))
        yield group
    totals = history.get("totals") or {}
    if totals.get("days") is not None:
        yield L.Row([L.Cell(w["all_days"], colspan=span, align="R"), w.digits(totals["days"])],
                    bold=True, fill=L.TOTAL_FILL)


def _wages_section(pdf: FPDF, wages: dict, w: Words, with_days: bool) -> None:
    L.section_heading(pdf, w["wages"])
    L.paragraph(pdf, w["wages_note"] + (w["wages_note_days"] if with_days else "."), size=8, colour=L.GREY_TEXT,
                h=4.5)
    pdf.ln(1)
    L.draw_table(pdf, wages_columns(w), _wage_rows(wages, w, with_days), font_size=6.8, line_height=3.3)


def _wage_rows(wages: dict, w: Words, with_days: bool):
    """Two rows per year and workshop (months 1-6, 7-12), kept on one page; a month's cell holds its wage, its
    insurable wage where that differs, and (wages statements) its days."""
    columns = len(wages_columns(w))
    months = wages.get("months") or ()
    if not months:
        yield L.Row([L.Cell(w["no_wages"], colspan=columns, align="R")])
    grid: dict = {}
    names: dict = {}
    for month in months:
        for shop in month.get("workshops") or ():
            key = (int(month.get("year") or 0), str(shop.get("workshop_code") or ""))
            names[key[1]] = w.name(shop.get("workshop_name") or "", shop.get("workshop_name_en"))
            grid.setdefault(key, {})[int(month.get("month") or 0)] = shop
    for (year, code), by_month in sorted(grid.items()):
        group = []
        for half, label in enumerate(w["halves"].split("|")):
            if not any(by_month.get(m) for m in range(half * HALF_COLUMNS + 1, (half + 1) * HALF_COLUMNS + 1)):
                continue  # a half year without a day at this workshop
            cells, total = [], 0
            for month in range(half * HALF_COLUMNS + 1, (half + 1) * HALF_COLUMNS + 1):
                shop = by_month.get(month)
                if not shop:
                    cells.append("–")
                    continue
                wage, insurable = int(shop.get("wage") or 0), int(shop.get("insurable_wage") or 0)
                total += wage
                lines = [w.number(wage)]
                if insurable != wage:
                    lines.append(f"({w.number(insurable)})")
                if with_days:
                    lines.append(w["days_of"].format(w.digits(shop.get("days") or 0)))
                cells.append("\n".join(lines))
            group.append(L.Row([w.digits(year), w.digits(code), names[code], label, *cells, w.number(total)]))
        yield group
    totals = wages.get("totals") or {}
    yield L.Row([L.Cell(w["all_wages"], colspan=columns - 1, align="R"),
                 w.number(totals.get("wage") or 0)], bold=True, fill=L.TOTAL_FILL)
    yield L.Row([L.Cell(w["all_insurable"], colspan=columns - 1, align="R"),
                 w.number(totals.get("insurable_wage") or 0)], bold=True, fill=L.TOTAL_FILL)


# -- totals, verification, footers ------------------------------------------------------------------------------------

# Closing blocks: (text, font size, bold, line height) paragraphs.
TOTALS_PAD = 1.5
VERIFY_GAP = 4.0
SENTENCE_STYLE = (9.5, False, 6.0)
URL_LINE_HEIGHT = 6.0


def _closing(pdf: FPDF, statement: dict, verify_url: str, qr, w: Words) -> None:
    """Totals and the verification note, kept together on one (the last) page."""
    pdf.ln(4)
    totals = _totals_paragraphs(statement, w)
    totals_h = _paragraphs_height(pdf, totals, pdf.epw) + 2 * TOTALS_PAD
    text_only_h = VERIFY_GAP + _verification_text_height(pdf, verify_url, pdf.epw, w)
    narrow = pdf.epw - L.QR_SIZE - L.QR_GAP
    with_qr_h = VERIFY_GAP + max(L.QR_SIZE, _verification_text_height(pdf, verify_url, narrow, w))
    if pdf.page == 1 and not pdf.will_page_break(totals_h + text_only_h):
        with_qr = False  # the QR code at the top of this page is enough
    else:
        if pdf.will_page_break(totals_h + with_qr_h):
            pdf.add_page()
        with_qr = True  # repeat the QR code beside the note on the last page
    _totals_block(pdf, totals)
    _verification_block(pdf, verify_url, qr if with_qr else None, w)


def _paragraphs_height(pdf: FPDF, paragraphs, width: float) -> float:
    height = 0.0
    for text, size, bold, line_h in paragraphs:
        pdf.set_font(L.FONT_FAMILY, "B" if bold else "", size)
        height += line_h * len(L.wrap_lines(pdf, text, width))
    return height


def _verification_text_height(pdf: FPDF, verify_url: str, width: float, w: Words) -> float:
    height = _paragraphs_height(pdf, [(w["no_stamp"], *SENTENCE_STYLE)], width)
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


def _totals_paragraphs(statement: dict, w: Words) -> list:
    totals = statement.get("totals") or {}
    history = statement.get("history") or {}
    history_totals = history.get("totals") or {}
    per_year, per_month = counting_rule(history.get("rule") or statement.get("rule"))
    duration = w.duration(totals.get("years"), totals.get("months"), totals.get("days_remainder"))
    paragraphs = [
        (w["grand_total"].format(days=w.number(totals.get("days") or 0, group=False), duration=duration),
         11, True, 7.0),
        (w.counting_rule(per_year, per_month), 9, False, 5.5),
    ]
    overlap = int(history_totals.get("overlap_days") or totals.get("overlap_days") or 0)
    reported = history_totals.get("reported_days") or totals.get("reported_days")
    if overlap > 0:
        text = w["overlap"].format(days=w.number(overlap, group=False))
        if reported:
            text += w["reported"].format(days=w.number(reported, group=False))
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


def _verification_block(pdf: FPDF, verify_url: str, qr, w: Words) -> None:
    pdf.ln(VERIFY_GAP)
    top = pdf.get_y()
    text_w = pdf.epw - (L.QR_SIZE + L.QR_GAP if qr is not None else 0)
    text_x = pdf.w - pdf.r_margin - text_w if w.rtl else pdf.l_margin
    pdf.set_x(text_x)
    size, bold, line_h = SENTENCE_STYLE
    L.paragraph(pdf, w["no_stamp"], size=size, bold=bold, h=line_h, w=text_w)
    pdf.set_font(L.FONT_FAMILY, "", size)
    pdf.set_text_color(*L.LINK_COLOUR)
    y = pdf.get_y()
    with tags.element(pdf, "P"):
        for line in _url_lines(pdf, verify_url, text_w):  # the URL is Latin: left to right
            L.glyph_runs.write_in(pdf, text_x, y, text_w, URL_LINE_HEIGHT, line, "R" if w.rtl else "L", rtl=False)
            pdf.link(text_x, y, text_w, URL_LINE_HEIGHT, verify_url)
            y += URL_LINE_HEIGHT
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_text_color(*L.BLACK)
    if qr is not None:
        with tags.element(pdf, "Figure", alt=w["qr_alt"]):
            qr.draw(pdf, pdf.l_margin if w.rtl else pdf.w - pdf.r_margin - L.QR_SIZE, top, L.QR_SIZE)
        pdf.set_y(max(pdf.get_y(), top + L.QR_SIZE))


def _page_footers(pdf: FPDF, statement: dict, w: Words) -> None:
    """Draw "tracking no | document id" and "page X of N" on every page once N is known."""
    total = pdf.page
    parts = []
    if statement.get("tracking_no"):
        parts.append(w["footer_tracking"].format(w.digits(statement["tracking_no"])))
    if statement.get("document_id"):
        parts.append(w["footer_document"].format(statement["document_id"]))
    ids = " | ".join(parts)
    start, end = ("R", "L") if w.rtl else ("L", "R")
    pdf.set_auto_page_break(False)
    for number in range(1, total + 1):
        pdf.page = number
        # The page's content stream ends in whatever state the last drawing left: select font and colours again.
        pdf.current_font_is_set_on_page = False
        with tags.artifact(pdf):
            pdf.set_draw_color(*L.RULE_COLOUR)
            pdf.set_line_width(0.2)
            y = pdf.h - L.FOOTER_Y_FROM_BOTTOM
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.set_font(L.FONT_FAMILY, "", 7.5)
            pdf.set_text_color(*L.GREY_TEXT)
            if ids:
                L.write_in(pdf, pdf.l_margin, y + 1, pdf.epw, 4.5, ids, start)
            page = w["page"].format(page=w.digits(number), pages=w.digits(total))
            L.write_in(pdf, pdf.l_margin, y + 1, pdf.epw, 4.5, page, end)
    pdf.set_text_color(*L.BLACK)
    pdf.page = total
