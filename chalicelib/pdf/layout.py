"""Page geometry, styles and drawing helpers for the statement PDF.

Only the PDF Lambda imports this package: fpdf2 and segno are imported here and in render.py, never elsewhere.

Speed notes (fpdf2 2.8.9). Text through `cell()`/`multi_cell()` with the shaping engine costs 0.3-1.6 ms a call
(bidi analysis, harfbuzz, glyph mapping, all per call), and `FPDF.table()` lays out each cell twice. So fpdf2 only
keeps the document (pages, fonts, images, output) and text is written here:
- words and sentences through `glyph_runs`: shaped once per process, written as one `TJ` (which also makes the
  text layer read in logical order: see there);
- cells holding only digits and number punctuation with no shaping at all: Persian digits do not join and a number
  reads left to right even on a right-to-left page (a few µs a cell);
- a table row is one string of PDF operators: its fills, its borders as one path, its text.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import segno
from fpdf import FPDF
from fpdf.enums import PDFResourceType

from . import glyph_runs, tags

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
_UNSHAPED_RE = re.compile(r"[\u06f0-\u06f90-9/\u066c\u066b,.:\-\u2013 ()]*")


def is_rtl(pdf: FPDF) -> bool:
    """The document's direction: right to left (Persian) unless made for English (new_document)."""
    return getattr(pdf, "_sabeghe_rtl", True)


def new_document(rtl: bool = True) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf._sabeghe_rtl = rtl  # pylint: disable=protected-access
    pdf.set_margins(MARGIN_SIDE, MARGIN_TOP, MARGIN_SIDE)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    for style in ("", "B"):
        _add_font(pdf, style)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.2)
    return pdf


@functools.lru_cache(maxsize=2)
def _font_template(style: str):
    """The font as fpdf2 reads it (metrics, character map, widths): read once per process, not per statement."""
    pdf = FPDF()
    pdf.add_font(FONT_FAMILY, style, str(FONT_BOLD if style else FONT_REGULAR))
    return pdf.fonts[f"{FONT_FAMILY.lower()}{style}"]


@functools.lru_cache(maxsize=2)
def _font_bytes(style: str) -> bytes:
    return (FONT_BOLD if style else FONT_REGULAR).read_bytes()


def _add_font(pdf: FPDF, style: str) -> None:
    """add_font() without reading the font again: a copy of the process's template with this document's own
    subset, and its own fontTools object (output() subsets that one in place)."""
    from fontTools.ttLib import TTFont
    from fpdf.fonts import SubsetMap

    font = copy.copy(_font_template(style))
    font.i = len(pdf.fonts) + 1
    font.ttfont = TTFont(io.BytesIO(_font_bytes(style)), recalcTimestamp=False, lazy=True)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


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


class QrCode:
    """A QR code drawn as vector squares: crisp at any zoom and print, and no image to encode and embed (a PNG
    cost 5 ms a statement). Runs of dark modules in a row become one rectangle."""

    QUIET = 4  # modules of white border the standard asks for

    def __init__(self, data: str):
        self.matrix = segno.make(data, error="m", micro=False).matrix

    def draw(self, pdf: FPDF, x: float, y: float, size: float) -> None:
        modules = len(self.matrix) + 2 * self.QUIET
        unit = size / modules * pdf.k
        left, top = x * pdf.k, (pdf.h - y) * pdf.k
        rects = []
        for r, row in enumerate(self.matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                rects.append(f"{left + (start + self.QUIET) * unit:.2f} {top - (r + self.QUIET + 1) * unit:.2f} "
                             f"{(c - start) * unit:.2f} {unit:.2f} re")
        pdf._out(f"q 1 g {left:.2f} {top - modules * unit:.2f} {modules * unit:.2f} {modules * unit:.2f} re f "  # pylint: disable=protected-access
                 f"0 g {' '.join(rects)} f Q")


def is_plain_number(text: str) -> bool:
    """Digits and number punctuation only: safe to write without the shaping engine."""
    return bool(_UNSHAPED_RE.fullmatch(text))


def number_width(pdf: FPDF, text: str) -> float:
    """Width of a plain number in the current font and size (mm): the sum of its characters' advances."""
    return _number(pdf, text)[1] * pdf.font_size_pt / 1000 / pdf.k


def _number(pdf: FPDF, text: str) -> tuple[str, int]:
    """A plain number's codes in this document's subset of the current font, and its width in 1/1000 em: once per
    document and number (days and wages repeat on every row). Kept per document: fpdf2's own `SubsetMap.pick` is
    memoised process-wide, which would keep every document's fonts alive in a warm Lambda."""
    font = pdf.current_font
    cache = glyph_runs.document_codes(pdf)
    key = ("number", font.i, text)
    found = cache.get(key)
    if found is None:
        codes = []
        for char in text:
            glyph = font.subset.get_glyph(unicode=ord(char))
            codes.append(f"{font.subset.pick_glyph(glyph):04X}")
        found = cache[key] = ("".join(codes), sum(font.cw[ord(c)] for c in text))
    return found


def number_ops(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, align: str = "C",
               after: Optional[tuple] = None) -> tuple[str, tuple]:
    """PDF operators that write a plain number in the box x, y, w, h like cell() would, inside a BT block with the
    current font selected, and where they leave the text line. `after` is where the previous number in the same
    block left it: the move is then relative (shorter streams for long tables)."""
    codes, units = _number(pdf, text)
    width = units * pdf.font_size_pt / 1000 / pdf.k
    if align == "R":
        tx = x + w - pdf.c_margin - width
    elif align == "L":
        tx = x + pdf.c_margin
    else:
        tx = x + (w - width) / 2
    k = pdf.k
    # A tenth of a point is far below what print or screen shows, and keeps long tables' streams small.
    at = (round(tx * k, 1), round((pdf.h - glyph_runs.baseline_in(pdf, y, h)) * k, 1))
    dx, dy = (at[0] - after[0], at[1] - after[1]) if after else at
    return f"{_short(dx)} {_short(dy)} Td <{codes}> Tj", at


def _short(value: float) -> str:
    """A number of points to a tenth, without a trailing ".0" (most moves along a row are whole or zero)."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def text_width(pdf: FPDF, text: str) -> float:
    """Width of text in the current font and size, shaped (mm)."""
    if is_plain_number(text):
        return number_width(pdf, text)
    return glyph_runs.width(pdf, text, is_rtl(pdf))


def write_in(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, align: str) -> None:
    """One line of text in the box x, y, w, h, as cell() without a border would."""
    if not text:
        return
    if is_plain_number(text):
        pdf.current_font.biggest_size_pt = max(pdf.current_font.biggest_size_pt, pdf.font_size_pt)
        pdf._resource_catalog.add(PDFResourceType.FONT, pdf.current_font.i, pdf.page)  # pylint: disable=protected-access
        pdf._out(f"q {pdf.text_color.serialize().lower()} BT /F{pdf.current_font.i} {pdf.font_size_pt:.2f} Tf "  # pylint: disable=protected-access
                 f"{number_ops(pdf, x, y, w, h, text, align)[0]} ET Q")
        return
    glyph_runs.write_in(pdf, x, y, w, h, text, align, is_rtl(pdf))


def wrap_lines(pdf: FPDF, text: str, width: float) -> list:
    """Split text into lines no wider than width (current font), breaking between words.

    Letters never join across a space, so a line is as wide as its words and spaces: each word is shaped once (and
    cached), and only each finished line is measured whole, to be sure."""
    usable = width - 2 * pdf.c_margin
    space = text_width(pdf, " ")
    lines: list = []
    for source_line in text.split("\n"):
        words = source_line.split()
        if not words:
            lines.append("")
            continue
        widths = [text_width(pdf, word) for word in words]
        start = 0
        while start < len(words):
            end, used = start + 1, widths[start]
            while end < len(words) and used + space + widths[end] <= usable:
                used += space + widths[end]
                end += 1
            while end - start > 1 and text_width(pdf, " ".join(words[start:end])) > usable:
                end -= 1
            lines.append(" ".join(words[start:end]))
            start = end
    return lines


def paragraph(pdf: FPDF, text: str, size: float = 10, bold: bool = False, h: Optional[float] = None,
              align: Optional[str] = None, colour: tuple = BLACK, w: float = 0, tag: str = "P") -> None:
    """A paragraph from the current x across w mm (0: to the right margin), aligned to the start of the
    document's direction unless told, tagged as `tag`; the cursor moves below it."""
    pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    align = align or ("R" if is_rtl(pdf) else "L")
    x = pdf.get_x()
    if not w:
        w = pdf.w - pdf.r_margin - x
    h = h or size * 0.55
    with tags.element(pdf, tag) as tagged:
        for line in wrap_lines(pdf, text, w):
            if pdf.will_page_break(h):
                tagged.add_page()
            y = pdf.get_y()
            write_in(pdf, x, y, w, h, line, align)
            pdf.set_xy(x, y + h)
    pdf.set_x(pdf.l_margin)
    pdf.set_text_color(*BLACK)


def section_heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    # Keep a heading together with the table heading and a few rows.
    if pdf.will_page_break(30):
        pdf.add_page()
    paragraph(pdf, text, size=11, bold=True, h=7, tag="H2")
    y = pdf.get_y()
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(1.5)


# -- tables -----------------------------------------------------------------------------------------------------------

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
        # The edge each logical column starts from, then where it ends: right to left in Persian, left to right in
        # English.
        rtl = is_rtl(pdf)
        self.edges = [pdf.w - pdf.r_margin if rtl else pdf.l_margin]
        for col in columns:
            self.edges.append(self.edges[-1] + (-col.width if rtl else col.width))
        self.rtl = rtl
        self._lines_cache: dict = {}

    # Each cell: (x, width, text, align, fill)
    def _layout(self, row: Row):
        placed = []
        i = 0
        for cell in row.cells:
            if not isinstance(cell, Cell):
                cell = Cell(str(cell))
            span = max(1, cell.colspan)
            left = min(self.edges[i], self.edges[i + span])
            placed.append((left, abs(self.edges[i] - self.edges[i + span]), cell.text,
                           _aligned(cell.align or self.columns[i].align, self.rtl),
                           cell.fill if cell.fill is not None else row.fill))
            i += span
        return placed

    def _lines(self, text: str, width: float, bold: bool) -> Sequence[str]:
        """The text's lines in this column (cached: names and labels repeat on many rows)."""
        if not text or (is_plain_number(text) and "\n" not in text):
            return (text,)
        key = (text, round(width, 2), bold)
        lines = self._lines_cache.get(key)
        if lines is None:
            lines = self._lines_cache[key] = tuple(wrap_lines(self.pdf, text, width))
        return lines

    def measure(self, row: Row):
        self.pdf.set_font(FONT_FAMILY, "B" if row.bold else "", self.font_size)
        placed = self._layout(row)
        lines = max((len(self._lines(text, w, row.bold)) for _, w, text, _, _ in placed), default=1)
        return placed, lines * self.line_height + 2 * self.padding

    def draw(self, row: Row, placed, height: float) -> None:
        """The row as one run of operators: fills, then every border as one path, then numbers in one text
        block; words go through glyph_runs (cached shaping)."""
        pdf = self.pdf
        y = pdf.get_y()
        k, top = pdf.k, (pdf.h - y) * pdf.k
        pdf.set_font(FONT_FAMILY, "B" if row.bold else "", self.font_size)
        fills, borders, numbers, words, at = [], [], [], [], None
        for x, w, text, align, fill in placed:
            box = f"{x * k:.1f} {top:.1f} {w * k:.1f} {-height * k:.1f} re"
            if fill is not None:
                fills.append(f"{fill[0] / 255:.3f} {fill[1] / 255:.3f} {fill[2] / 255:.3f} rg {box} f")
            borders.append(box)
            if not text:
                continue
            lines = self._lines(text, w, row.bold)
            if len(lines) == 1 and is_plain_number(text):
                ops, at = number_ops(pdf, x, y, w, height, text, align, at)
                numbers.append(ops)
                continue
            first = y + (height - len(lines) * self.line_height) / 2
            for n, line in enumerate(lines):
                words.append((x, first + n * self.line_height, w, line, align))
        font = pdf.current_font
        ops = fills + [" ".join(borders) + " S"]
        if numbers:
            font.biggest_size_pt = max(font.biggest_size_pt, pdf.font_size_pt)
            pdf._resource_catalog.add(PDFResourceType.FONT, font.i, pdf.page)  # pylint: disable=protected-access
            ops.append(f"0 g BT /F{font.i} {pdf.font_size_pt:.2f} Tf {' '.join(numbers)} ET")
        pdf._out("q " + "\n".join(ops) + " Q")  # pylint: disable=protected-access
        for x, line_y, w, line, align in words:
            write_in(pdf, x, line_y, w, self.line_height, line, align)
        pdf.set_xy(pdf.l_margin, y + height)


def _aligned(align: str, rtl: bool) -> str:
    """Columns are defined for the right-to-left page; in English the start and end sides swap."""
    if rtl or align == "C":
        return align
    return "L" if align == "R" else "R"


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
    tagged = tags.Element(pdf, "Table")

    def new_page_if(needed: float) -> None:
        if pdf.get_y() + needed > trigger:
            tagged.add_page()
            state["head_drawn"] = False
        if head and not state["head_drawn"]:
            writer.draw(head_row, *head)
            state["head_drawn"] = True

    auto = pdf.auto_page_break
    pdf.set_auto_page_break(False, margin=pdf.b_margin)  # breaks are decided here, never inside a cell
    tagged.begin()
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
        tagged.end()
        pdf.set_auto_page_break(auto, margin=pdf.b_margin)
    pdf.set_fill_color(255, 255, 255)
