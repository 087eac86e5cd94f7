"""The statement's structure tree (a tagged PDF), as far as fpdf2 2.8.9's builder reaches.

Screen readers and accessibility checkers read a tagged PDF by its structure: the title (H1), section headings
(H2), paragraphs (P), tables (Table), the QR code (Figure, with words), and page furniture (footers) marked as
artifacts they skip. The document's language is the catalog's /Lang (fa-IR or en).

Where fpdf2 stops: its builder (`FPDF._add_marked_content`) makes a flat tree, Document and then elements with one
marked-content id each, so a table is tagged as a Table per page it runs onto, not as rows and cells (TR, TD, TH),
and an element cannot carry its own /Lang (an English statement's Persian originals, if any, are not marked).
Marked-content ids are counted here per page: fpdf2's own counter rescans every element on each call."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Optional

from fpdf import FPDF


def _next_mcid(pdf: FPDF) -> int:
    counts = getattr(pdf, "_sabeghe_mcids", None)
    if counts is None:
        counts = pdf._sabeghe_mcids = {}  # pylint: disable=protected-access
    mcid = counts.get(pdf.page, 0)
    counts[pdf.page] = mcid + 1
    return mcid


class Element:
    """A structure element whose content may run onto following pages: each page's part is marked separately."""

    def __init__(self, pdf: FPDF, struct_type: str, alt: Optional[str] = None):
        self.pdf = pdf
        self.struct_type = struct_type
        self.alt = alt
        self.open = False

    def begin(self) -> None:
        mcid = _next_mcid(self.pdf)
        self.pdf._add_marked_content(struct_type=f"/{self.struct_type}", mcid=mcid,  # pylint: disable=protected-access
                                     alt_text=self.alt)
        self.pdf._out(f"/{self.struct_type} <</MCID {mcid}>> BDC")  # pylint: disable=protected-access
        self.open = True

    def end(self) -> None:
        if self.open:
            self.pdf._out("EMC")  # pylint: disable=protected-access
            self.open = False

    def add_page(self) -> None:
        """A page break inside the element: close this page's part, continue on the next."""
        self.end()
        self.pdf.add_page()
        self.begin()


@contextmanager
def element(pdf: FPDF, struct_type: str, alt: Optional[str] = None):
    tagged = Element(pdf, struct_type, alt)
    tagged.begin()
    try:
        yield tagged
    finally:
        tagged.end()


@contextmanager
def artifact(pdf: FPDF):
    """Page furniture (footers, rules): not read as content."""
    pdf._out("/Artifact <</Type /Pagination>> BDC")  # pylint: disable=protected-access
    yield
    pdf._out("EMC")  # pylint: disable=protected-access
