"""Page geometry, styles and drawing helpers for the statement PDF.

Only the PDF Lambda imports this package: fpdf2 and segno are imported here and in render.py, never elsewhere.

Speed notes (fpdf2 2.8.9). Text through `cell()`/`multi_cell()` with the shaping engine costs 0.3-1.6 ms a call
(bidi analysis, harfbuzz, glyph mapping, all per call); `multi_cell()` line breaking measures every character
again; `FPDF.table()` lays out each cell twice through multi_cell. A 15-year statement took 0.6 s that way. So:
- tables are drawn by `draw_table` (columns placed right to left here, heading row repeated after page breaks);
- cells holding only digits and number punctuation are written with `FPDF.text()` and no shaping: Persian digits
  do not join and a number reads left to right even on a right-to-left page (about 0.01 ms a cell);
- text is wrapped by `wrap_lines` (line breaks estimated from unshaped word widths, each line checked with one
  shaped measure) and each line is written with one `cell()`;
- a table cell text that repeats (workshop names, headings repeated on each page, subtotal labels) is shaped
  once: `StampCache` keeps the content-stream operators `cell()` wrote for it and replays them moved with a
  `cm` translation inside q/Q (with the font and colour set explicitly). This reads fpdf2 internals (page content
  buffer, resource catalogue, `_out`); if they are not there it switches itself off and every cell goes through
  `cell()`. The tests read the text back with pdftotext, so a broken replay fails them. Re-check on fpdf2 upgrades.
- `prepare_fonts_for_output` makes the font subsetting at output() cheaper (see there).
Result: a 15-year one-page summary takes about 100 ms of CPU (half of it fonts: loading, subsetting).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Vazirmatn"
FONT_REGULAR = FONT_DIR / "Vazirmatn-Regular.ttf"
FONT_BOLD = FONT_DIR / "Vazirmatn-Bold.ttf"

# A4 portrait, millimetres.
MARGIN_SIDE = 12.0
MARGIN_TOP = 12.0
MARGIN_BOTTOM = 16.0  # room for the per-page footer line
FOOTER_Y_FROM_BOTTOM = 11.0

QR_SIZE = 32.0  # mm; a typical verify URL then has more than 4 px per module at 150 dpi
QR_GAP = 5.0

BLACK = (0, 0, 0)
GREY_TEXT = (90, 90, 90)
LINK_COLOUR = (20, 60, 140)
RULE_COLOUR = (150, 150, 150)
HEAD_FILL = (225, 230, 238)
LABEL_FILL = (242, 244, 247)
SUBTOTAL_FILL = (246, 246, 246)
TOTAL_FILL = (225, 230, 238)

# Text made only of these characters is written without the shaping engine.
_UNSHAPED_RE = re.compile(r"[\u06f0-\u06f90-9/\u066c\u066b,.:\-\u2013 ]*")


def set_rtl(pdf: FPDF) -> None:
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")


def set_ltr(pdf: FPDF) -> None:
    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr", script="latn", language="eng")


def new_document() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN_SIDE, MARGIN_TOP, MARGIN_SIDE)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    pdf.add_font(FONT_FAMILY, "", str(FONT_REGULAR))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_BOLD))
    set_rtl(pdf)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.2)
    return pdf


def prepare_fonts_for_output(pdf: FPDF) -> None:
    """Make fpdf2's font subsetting at output() cheaper; call once all text is written.

    fpdf2 drops the layout tables (GSUB, GPOS, GDEF) from the embedded subset anyway, but fontTools parses them
    first; and recalculating bounding boxes makes fontTools re-encode every kept glyph. Glyph outlines and their
    own boxes are copied unchanged, so the font-wide box of the full font stays a valid (larger) bound.
    Shaping does not need these tables here: harfbuzz reads the font file itself. Saves about 35 ms a statement.
    """
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is None:
            continue
        ttfont.recalcBBoxes = False
        for tag in ("GSUB", "GPOS", "GDEF"):
            if tag in ttfont:
                del ttfont[tag]


def qr_png(data: str) -> io.BytesIO:
    """QR code for data as a PNG (black on white, 4-module quiet zone)."""
    qr = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    # 8 px per module keeps edges crisp when the PDF scales it to QR_SIZE; the 1-bit PNG stays small.
    qr.save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def is_plain_number(text: str) -> bool:
    """Digits and number punctuation only: safe to write without the shaping engine."""
    return bool(_UNSHAPED_RE.fullmatch(text))


def plain_width(pdf: FPDF, text: str) -> float:
    """Width of text in the current font without shaping (exact for plain numbers)."""
    shaping = pdf.text_shaping
    pdf.text_shaping = None
    try:
        return pdf.get_string_width(text)
    finally:
        pdf.text_shaping = shaping


def number_text(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, align: str = "C",
                width: Optional[float] = None) -> None:
    """Write a plain number (see is_plain_number) in the box x, y, w, h like cell() would, without shaping."""
    if width is None:
        width = plain_width(pdf, text)
    if align == "R":
        tx = x + w - pdf.c_margin - width
    elif align == "L":
        tx = x + pdf.c_margin
    else:
        tx = x + (w - width) / 2
    pdf.text(tx, y + 0.5 * h + 0.3 * pdf.font_size, text)  # text() never shapes


# Shaped Persian is at most this much wider than the sum of its letters' isolated (unshaped) widths in Vazirmatn
# (a run of medial heh is the widest case seen, 1.19); below that bound a cheap unshaped measure is enough.
_SHAPED_WIDTH_BOUND = 1.25


def _width_cache(pdf: FPDF) -> dict:
    cache = getattr(pdf, "_sabeghe_widths", None)
    if cache is None:
        cache = pdf._sabeghe_widths = {}  # pylint: disable=protected-access
    return cache


def shaped_width(pdf: FPDF, text: str) -> float:
    """get_string_width() (shaped), cached per document and font."""
    cache = _width_cache(pdf)
    key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, text)
    width = cache.get(key)
    if width is None:
        width = cache[key] = pdf.get_string_width(text)
    return width


def wrap_lines(pdf: FPDF, text: str, width: float) -> list:
    """Split text into lines no wider than width (current font) with as few shaped measures as possible.

    Line breaks are estimated from unshaped word widths (scaled to the shaped width of the whole text), then
    each line is checked with one shaped measure and shortened if needed."""
    usable = width - 2 * pdf.c_margin
    lines: list = []
    for source_line in text.split("\n"):
        words = source_line.split()
        if not words:
            lines.append("")
            continue
        whole = " ".join(words)
        plain_total = plain_width(pdf, whole)
        if plain_total * _SHAPED_WIDTH_BOUND <= usable:
            lines.append(whole)
            continue
        full = shaped_width(pdf, whole)
        if full <= usable:
            lines.append(whole)
            continue
        scale = full / plain_total if plain_total else 1.0
        space = plain_width(pdf, " ") * scale
        estimates = [plain_width(pdf, word) * scale for word in words]
        start = 0
        while start < len(words):
            end, used = start + 1, estimates[start]
            while end < len(words) and used + space + estimates[end] <= usable:
                used += space + estimates[end]
                end += 1
            while end - start > 1 and shaped_width(pdf, " ".join(words[start:end])) > usable:
                end -= 1
            lines.append(" ".join(words[start:end]))
            start = end
    return lines


def paragraph(pdf: FPDF, text: str, size: float = 10, bold: bool = False, h: Optional[float] = None,
              align: str = "R", colour: tuple = BLACK, w: float = 0) -> None:
    """A right-to-left paragraph from the current x across w mm (0: to the right margin); cursor moves below."""
    pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    x = pdf.get_x()
    if not w:
        w = pdf.w - pdf.r_margin - x
    h = h or size * 0.55
    for line in wrap_lines(pdf, text, w):
        if pdf.will_page_break(h):
            pdf.add_page()
        pdf.set_x(x)
        pdf.cell(w, h, line, align=align, new_x="LEFT", new_y="NEXT")
    pdf.set_x(pdf.l_margin)
    pdf.set_text_color(*BLACK)


def section_heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    # Keep a heading together with the table heading and a few rows.
    if pdf.will_page_break(30):
        pdf.add_page()
    paragraph(pdf, text, size=11, bold=True, h=7)
    y = pdf.get_y()
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(1.5)


# -- tables -----------------------------------------------------------------------------------------------------------

class StampCache:
    """Shape a repeated single-line cell text once, replay its PDF operators elsewhere (see module notes)."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.stamps: dict = {}
        self.enabled = True
        try:
            from fpdf.enums import PDFResourceType

            self._font_resource = PDFResourceType.FONT
            self.enabled = isinstance(pdf.pages[pdf.page].contents, bytearray) and hasattr(pdf, "_resource_catalog")
        except Exception:  # pragma: no cover - depends on fpdf2 internals
            self.enabled = False

    def cell(self, x: float, y: float, w: float, h: float, text: str, align: str) -> None:
        pdf = self.pdf
        if not self.enabled:
            pdf.set_xy(x, y)
            pdf.cell(w, h, text, align=align)
            return
        font = pdf.current_font
        colour = pdf.text_color.serialize().lower()
        key = (text, font.i, pdf.font_size_pt, round(w, 3), round(h, 3), align, colour)
        stamp = self.stamps.get(key)
        if stamp is None:
            if not pdf.current_font_is_set_on_page:
                pdf.text(x, y, "")  # emits the font selection now, outside the captured operators
            contents = pdf.pages[pdf.page].contents
            start = len(contents)
            pdf.set_xy(x, y)
            pdf.cell(w, h, text, align=align)
            self.stamps[key] = (bytes(contents[start:]), x, y)
            return
        ops, x0, y0 = stamp
        k = pdf.k
        pdf._resource_catalog.add(self._font_resource, font.i, pdf.page)  # pylint: disable=protected-access
        pdf._out(  # pylint: disable=protected-access
            f"q BT /F{font.i} {pdf.font_size_pt:.2f} Tf ET {colour} "
            f"1 0 0 1 {(x - x0) * k:.2f} {(y0 - y) * k:.2f} cm".encode("latin-1") + b"\n" + ops + b"Q"
        )
        pdf.set_xy(x + w, y)


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # mm
    align: str = "C"  # "R", "C" or "L"


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    align: Optional[str] = None
    fill: Optional[tuple] = None


@dataclass(frozen=True)
class Row:
    cells: Sequence[Union[str, Cell]]  # logical order: the first cell is the rightmost
    bold: bool = False
    fill: Optional[tuple] = None


class _TableWriter:
    def __init__(self, pdf: FPDF, columns: Sequence[Column], font_size: float, line_height: float,
                 padding: float):
        self.pdf = pdf
        self.columns = columns
        self.font_size = font_size
        self.line_height = line_height
        self.padding = padding
        right = pdf.w - pdf.r_margin
        # Right edge of each logical column, then the x of its left edge.
        self.edges = [right]
        for col in columns:
            self.edges.append(self.edges[-1] - col.width)
        self._lines_cache: dict = {}
        self._char_widths: dict = {}
        self._stamps = StampCache(pdf)

    # Each cell: (x, width, text, align, fill)
    def _layout(self, row: Row):
        placed = []
        i = 0
        for cell in row.cells:
            if not isinstance(cell, Cell):
                cell = Cell(str(cell))
            span = max(1, cell.colspan)
            left = self.edges[i + span]
            placed.append((left, self.edges[i] - left, cell.text, cell.align or self.columns[i].align,
                           cell.fill if cell.fill is not None else row.fill))
            i += span
        return placed

    def _lines(self, text: str, width: float, bold: bool) -> Sequence[str]:
        """The text's lines in this column (cached: names and labels repeat on many rows)."""
        if not text or is_plain_number(text):
            return (text,)
        key = (text, round(width, 2), bold)
        lines = self._lines_cache.get(key)
        if lines is None:
            lines = self._lines_cache[key] = tuple(wrap_lines(self.pdf, text, width))
        return lines

    def _number_width(self, text: str, bold: bool) -> float:
        """Unshaped width = sum of the characters' advance widths (digits and separators: a handful to cache)."""
        widths = self._char_widths
        total = 0.0
        for char in text:
            width = widths.get((char, bold))
            if width is None:
                width = widths[(char, bold)] = plain_width(self.pdf, char)
            total += width
        return total

    def measure(self, row: Row):
        self.pdf.set_font(FONT_FAMILY, "B" if row.bold else "", self.font_size)
        placed = self._layout(row)
        lines = max((len(self._lines(text, w, row.bold)) for _, w, text, _, _ in placed), default=1)
        return placed, lines * self.line_height + 2 * self.padding

    def draw(self, row: Row, placed, height: float) -> None:
        pdf = self.pdf
        y = pdf.get_y()
        pdf.set_font(FONT_FAMILY, "B" if row.bold else "", self.font_size)
        for x, w, text, align, fill in placed:
            if fill is not None:
                pdf.set_fill_color(*fill)
                pdf.rect(x, y, w, height, style="DF")
            else:
                pdf.rect(x, y, w, height, style="D")
            if not text:
                continue
            if is_plain_number(text):
                number_text(pdf, x, y, w, height, text, align, self._number_width(text, row.bold))
                continue
            lines = self._lines(text, w, row.bold)
            if len(lines) == 1:
                self._stamps.cell(x, y, w, height, text, align)
            else:
                top = y + (height - len(lines) * self.line_height) / 2
                for n, line in enumerate(lines):
                    self._stamps.cell(x, top + n * self.line_height, w, self.line_height, line, align)
        pdf.set_xy(pdf.l_margin, y + height)


def draw_table(pdf: FPDF, columns: Sequence[Column], rows: Iterable[Union[Row, Sequence[Row]]], *,
               heading: bool = True, font_size: float = 8, line_height: float = 4.0, padding: float = 0.5,
               heading_fill: tuple = HEAD_FILL) -> None:
    """Draw a right-to-left table at the current y, aligned to the right margin.

    `rows` holds rows, or lists of rows to keep on one page when they fit (a month's workshops and its
    subtotal). The heading row (column titles) is repeated at the top of every page the table runs onto.
    """
    writer = _TableWriter(pdf, columns, font_size, line_height, padding)
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.2)
    head_row = Row([c.title for c in columns], bold=True, fill=heading_fill)
    head = writer.measure(head_row) if heading else None
    head_h = head[1] if head else 0.0
    trigger = pdf.page_break_trigger
    page_room = trigger - pdf.t_margin - head_h
    state = {"head_drawn": False}

    def new_page_if(needed: float) -> None:
        if pdf.get_y() + needed > trigger:
            pdf.add_page()
            state["head_drawn"] = False
        if head and not state["head_drawn"]:
            writer.draw(head_row, *head)
            state["head_drawn"] = True

    auto = pdf.auto_page_break
    pdf.set_auto_page_break(False, margin=pdf.b_margin)  # breaks are decided here, never inside a cell
    try:
        for item in rows:
            group = [item] if isinstance(item, Row) else list(item)
            measured = [writer.measure(row) for row in group]
            total = sum(height for _, height in measured)
            if total <= page_room:
                new_page_if(total + (0 if state["head_drawn"] else head_h))
            for row, (placed, height) in zip(group, measured):
                new_page_if(height + (0 if state["head_drawn"] else head_h))
                writer.draw(row, placed, height)
        if head and not state["head_drawn"]:  # no rows at all: heading only
            new_page_if(head_h)
    finally:
        pdf.set_auto_page_break(auto, margin=pdf.b_margin)
    pdf.set_fill_color(255, 255, 255)
