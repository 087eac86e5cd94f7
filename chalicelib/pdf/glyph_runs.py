"""Shaped lines of text, kept for the life of the process, and written straight into a page's content stream.

fpdf2's `cell()` runs the bidi algorithm, harfbuzz and its fragment machinery on every call (0.3-1.6 ms), for
every document. The same labels, headings and sentences appear in every statement, so a line is shaped once per
process (`shape`: bidi runs in visual order, each shaped by harfbuzz, with glyph names and widths) and each
document only maps the glyphs to its own font subset and writes one `TJ` (`write`): about 20 µs a line.

Two things make the text layer read in logical order when copied or searched (pdftotext, viewers, screen
readers), which fpdf2's own output does not:
- Readers rebuild right-to-left lines from the page's visual order, reversing runs of strong right-to-left letters
  and keeping every run of other characters (digits, punctuation, spaces, Latin) in visual order. So "احتساب: ۶۴۲۵
  روز" read back as "احتساب ۶۴۲۵ :روز". A right-to-left mark (U+200F, zero width, invisible, strong RTL) after each
  number, Latin phrase or punctuation that another such token or a space follows (`mark_for_readers`) splits
  those runs where their orders differ. (Where exactly it goes was found by trying the placements against
  pdftotext: before a space, not after it, or the reader drops the space.)
- A ligature (lam-alef) stands for two letters; inside a right-to-left run its text is recorded in visual order
  (reversed), because readers reverse the run's characters and so restore the logical "لا".

fpdf2 internals used: `FPDF.fonts` (TTFFont: `i`, `ttffile`, `scale`, `subset.get_glyph/pick_glyph`,
`biggest_size_pt`), `_resource_catalog` and `_out`. Pinned fpdf2 (requirements.txt); tests read the text back with
pdftotext, so a change there fails them."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.enums import PDFResourceType, TextDirection

RLM = "\u200f"


@dataclass(frozen=True)
class Glyph:
    gid: int
    unicode: tuple  # the characters it stands for, as readers should get them back
    name: str
    width: int  # the font's own advance, 1/1000 em (what the PDF's /W array says)
    advance: int  # where harfbuzz puts the next glyph, 1/1000 em
    x_offset: int
    y_offset: int


@dataclass(frozen=True)
class Run:
    """One line of text in visual order (left to right on the page)."""

    glyphs: tuple
    advance: float  # 1/1000 em

    def width(self, size_pt: float, k: float) -> float:
        """Width in user units (mm) at `size_pt`."""
        return self.advance * size_pt / 1000 / k


class _Face:
    """A font file as harfbuzz and fontTools see it: opened once per process."""

    def __init__(self, path: str):
        from fontTools.ttLib import TTFont

        self.hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(path)))
        font = TTFont(path, lazy=True)
        self.scale = 1000 / font["head"].unitsPerEm
        self.names = font.getGlyphOrder()
        self.metrics = font["hmtx"].metrics

    def shape(self, text: str, rtl: bool) -> list:
        buffer = hb.Buffer()
        buffer.cluster_level = 1  # clusters stay per character, so each glyph knows which characters it shows
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        hb.shape(self.hb_font, buffer, {})
        clusters = sorted({info.cluster for info in buffer.glyph_infos}) + [len(text)]
        ends = dict(zip(clusters, clusters[1:]))
        glyphs, seen = [], set()
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions):
            chars = ()
            if info.cluster not in seen:  # the cluster's first glyph carries its text; marks and parts carry none
                seen.add(info.cluster)
                chars = tuple(ord(c) for c in text[info.cluster:ends[info.cluster]])
                if rtl and len(chars) > 1:
                    chars = chars[::-1]  # readers reverse right-to-left runs: kept in visual order, read logically
            name = self.names[info.codepoint]
            glyphs.append(Glyph(info.codepoint, chars, name, round(self.scale * self.metrics[name][0]),
                                round(self.scale * pos.x_advance), round(self.scale * pos.x_offset),
                                round(self.scale * pos.y_offset)))
        return glyphs


@lru_cache(maxsize=8)
def _face(path: str) -> _Face:
    return _Face(path)


_LTR_UNIT = re.compile(r"[0-9A-Za-z\u06f0-\u06f9\u0660-\u0669](?:[0-9A-Za-z\u06f0-\u06f9\u0660-\u0669/.,:\-٬٫ _@+]*"
                       r"[0-9A-Za-z\u06f0-\u06f9\u0660-\u0669])?")


def _strong_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def mark_for_readers(text: str) -> str:
    """`text` with a right-to-left mark between neighbouring tokens that are not right-to-left letters (a token: a
    number or Latin phrase, or one other character), so that text extraction reads it in logical order (module
    notes). The marks are invisible and change nothing in how the line is drawn."""
    if not any(_strong_rtl(c) for c in text):
        return text
    tokens, i = [], 0
    while i < len(text):
        if _strong_rtl(text[i]):
            j = i
            while j < len(text) and _strong_rtl(text[j]):
                j += 1
            tokens.append((True, text[i:j]))
            i = j
            continue
        unit = _LTR_UNIT.match(text, i)
        j = unit.end() if unit else i + 1
        tokens.append((False, text[i:j]))
        i = j
    out = [tokens[0][1]]
    for (before_rtl, before), (rtl, token) in zip(tokens, tokens[1:]):
        if not before_rtl and not rtl and not before.isspace():
            out.append(RLM)  # a mark after a number, Latin phrase or punctuation that a space or another follows
        out.append(token)
    return "".join(out)


@lru_cache(maxsize=20000)
def shape(path: str, text: str, rtl: bool) -> Run:
    """`text` (one line) laid out for a paragraph of direction `rtl`, in visual order."""
    face = _face(path)
    if rtl:
        text = mark_for_readers(text)
    base = TextDirection.RTL if rtl else TextDirection.LTR
    fragments = BidiParagraph(text=text, base_direction=base, preserve_bn_chars=True).get_bidi_fragments()
    if rtl:
        fragments = fragments[::-1]  # one level of embedding: the runs of a right-to-left line, right to left
    glyphs = []
    for fragment, direction in fragments:
        glyphs.extend(face.shape(fragment, direction is TextDirection.RTL))
    return Run(tuple(glyphs), float(sum(g.advance for g in glyphs)))


def run_for(pdf: FPDF, text: str, rtl: bool) -> Run:
    return shape(str(pdf.current_font.ttffile), text, rtl)


def width(pdf: FPDF, text: str, rtl: bool = True) -> float:
    """Width of `text` in the current font and size, shaped (mm)."""
    return run_for(pdf, text, rtl).width(pdf.font_size_pt, pdf.k)


def document_codes(pdf: FPDF) -> dict:
    """This document's glyph codes, by font and glyph (or character)."""
    codes = getattr(pdf, "_sabeghe_codes", None)
    if codes is None:
        codes = pdf._sabeghe_codes = {}  # pylint: disable=protected-access
    return codes


def _code(pdf: FPDF, font, glyph: Glyph) -> str:
    """The glyph's two-byte code in this document's subset of `font`, as hex."""
    codes = document_codes(pdf)
    key = (font.i, glyph.gid, glyph.unicode)
    code = codes.get(key)
    if code is None:
        picked = font.subset.pick_glyph(font.subset.get_glyph(glyph=glyph.gid, unicode=glyph.unicode,
                                                              glyph_name=glyph.name, glyph_width=glyph.width))
        code = codes[key] = f"{picked:04X}"
    return code


def write(pdf: FPDF, x: float, baseline: float, text: str, rtl: bool = True) -> float:
    """Draw `text` in the current font, size and text colour with its left end at x and its baseline at
    `baseline` (mm from the top). Returns its width."""
    font = pdf.current_font
    size = pdf.font_size_pt
    run, body = _body(pdf, font, size, text, rtl)
    font.biggest_size_pt = max(font.biggest_size_pt, size)
    pdf._resource_catalog.add(PDFResourceType.FONT, font.i, pdf.page)  # pylint: disable=protected-access
    colour = pdf.text_color.serialize().lower()
    k = pdf.k
    pdf._out(  # pylint: disable=protected-access
        f"q {colour} BT /F{font.i} {size:.2f} Tf {x * k:.2f} {(pdf.h - baseline) * k:.2f} Td {body} TJ ET Q")
    return run.width(size, k)


def _body(pdf: FPDF, font, size: float, text: str, rtl: bool) -> tuple:
    """The line's run and its TJ array in this document's codes: built once per document (labels and names
    repeat on every page)."""
    codes = document_codes(pdf)
    key = ("TJ", font.i, size, text, rtl)
    found = codes.get(key)
    if found is not None:
        return found
    run = shape(str(font.ttffile), text, rtl)
    parts, pending = [], []
    for glyph in run.glyphs:
        if glyph.y_offset:
            if pending:
                parts.append(f"<{''.join(pending)}>")
                pending = []
            parts.append(f"] TJ {glyph.y_offset * size / 1000:.2f} Ts [")
        if glyph.x_offset:
            if pending:
                parts.append(f"<{''.join(pending)}>")
                pending = []
            parts.append(f"{-glyph.x_offset}")
        pending.append(_code(pdf, font, glyph))
        shift = glyph.width - glyph.advance + glyph.x_offset
        if shift or glyph.y_offset:
            parts.append(f"<{''.join(pending)}>")
            pending = []
            if shift:
                parts.append(f"{shift}")
            if glyph.y_offset:
                parts.append("] TJ 0 Ts [")
    if pending:
        parts.append(f"<{''.join(pending)}>")
    found = codes[key] = (run, f"[{' '.join(parts)}]")
    return found


def baseline_in(pdf: FPDF, y: float, h: float) -> float:
    """The baseline that centres a line of the current font in a box of height h at y (as cell() does)."""
    return y + 0.5 * h + 0.3 * pdf.font_size


def write_in(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, align: str = "R",
             rtl: bool = True) -> None:
    """Draw one line in the box x, y, w, h (mm) like cell() without a border would, aligned "R", "C" or "L"."""
    run = run_for(pdf, text, rtl)
    wide = run.width(pdf.font_size_pt, pdf.k)
    if align == "R":
        left = x + w - pdf.c_margin - wide
    elif align == "L":
        left = x + pdf.c_margin
    else:
        left = x + (w - wide) / 2
    write(pdf, left, baseline_in(pdf, y, h), text, rtl)
