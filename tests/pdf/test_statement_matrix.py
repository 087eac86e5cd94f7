"""Every kind of statement in both languages, for a short career and for 35 years at three workshops: compact,
its sentences whole and in logical order in the text layer (as pdftotext reads them for copy, search and screen
readers), its totals those of the person's records view, its QR code the verify URL, and its signature valid as
pyHanko's validator sees it once the worker has signed it."""
from __future__ import annotations

import re
import subprocess
import zlib

import pytest

from chalicelib.pdf.render import render_statement
from devstack.samples import sample_statement, uniform_career

from tests.pdf.test_render import VERIFY_URL, _tool, lines, page_count, pdf_text, qr_codes_on_page

KINDS = ("summary", "wages", "combined")
CAREERS = {"short": (3, 1), "35x3": (35, 3)}
MAX_PAGES = {("summary", "short"): 1, ("wages", "short"): 2, ("combined", "short"): 2,
             ("summary", "35x3"): 4, ("wages", "35x3"): 8, ("combined", "35x3"): 10}
PERSIAN_DIGITS = re.compile("[۰-۹]")
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def sentences(language: str, statement: dict) -> list[str]:
    """What the statement must say, word for word, in its language."""
    t = statement["totals"]
    if language == "en":
        return [f"Total credited service: {t['days']} days, equal to {t['years']} years, {t['months']} months and "
                f"{t['days_remainder']} days",
                "Counted as 365 days a year and 30 days a month.",
                "This statement was issued electronically and needs no stamp or signature; check it by scanning the "
                "QR code or at the address below.",
                "Tracking no. 1000000042 | Document id Q7K2M9XD4PRT",
                "1405/09/04 (2026-11-25)", "1362/04/12 (1983-07-03)", "Social Security Organization of Iran"]
    fa = {k: str(v).translate(FA) for k, v in t.items()}
    return [f"جمع کل سوابق قابل احتساب: {fa['days']} روز، معادل {fa['years']} سال، {fa['months']} ماه و "
            f"{fa['days_remainder']} روز",
            "مبنای محاسبه: هر سال ۳۶۵ روز و هر ماه ۳۰ روز در نظر گرفته شده است.",
            "این گواهی به صورت الکترونیکی صادر شده و نیاز به مهر و امضا ندارد؛ اصالت آن را با اسکن کد QR یا مراجعه "
            "به نشانی زیر بررسی کنید.",
            "شماره پیگیری ۱۰۰۰۰۰۰۰۴۲ | شناسه سند Q7K2M9XD4PRT", "سازمان تأمین اجتماعی", "مریم رضایی"]


@pytest.mark.parametrize("career", CAREERS)
@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_statement_is_compact_reads_in_order_and_points_to_its_verification(tmp_path, kind, language, career,
                                                                                 signing_ca):
    from chalicelib.domain.service_days import history_view
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.local_signer import LocalPdfSigner
    from tests.signing.conftest import pyhanko_status

    years, workshops = CAREERS[career]
    contributions = uniform_career(years, workshops)
    statement = sample_statement(kind, contributions)
    view = history_view(contributions)["totals"]  # what GET /v1/me/records shows the person
    assert {k: statement["totals"][k] for k in ("days", "years", "months", "days_remainder")} == \
        {k: view[k] for k in ("days", "years", "months", "days_remainder")}
    data = render_statement(statement, VERIFY_URL, language)
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(data)

    pages = page_count(pdf)
    assert 1 <= pages <= MAX_PAGES[(kind, career)], pages
    assert len(data) <= 80 * 1024, len(data)
    raw = pdf_text(pdf)
    read = lines(raw)
    for sentence in sentences(language, statement):
        assert sentence in read, sentence
    pages_word = f"Page {pages} of {pages}" if language == "en" else f"صفحه {str(pages).translate(FA)} از"
    assert pages_word in read
    if language == "en":
        assert not PERSIAN_DIGITS.search(raw)  # Latin digits throughout
        assert "Maryam Rezaei" in read and "Ali" in read  # names in Latin letters
        assert not re.search("[\u0600-\u06ff]", raw)  # nothing an embassy clerk cannot read
    assert qr_codes_on_page(pdf, 1) == [VERIFY_URL]
    signed = PadesDocuments(LocalPdfSigner(signing_ca.folder)).sign(data, statement["issued_at"]).pdf
    _, status = pyhanko_status(signed, signing_ca)
    assert status.bottom_line and status.intact and status.valid and status.trusted


def test_an_english_statement_runs_left_to_right(tmp_path):
    pdf = tmp_path / "en.pdf"
    pdf.write_bytes(render_statement(sample_statement("summary", uniform_career(2, 2)), VERIFY_URL, "en"))
    boxes = subprocess.run([_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True).stdout.decode()
    words = [(t, float(x), float(y)) for x, y, t in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]
    heading_y = next(y for t, _, y in words if t == "Year")
    row = {t: x for t, x, y in words if abs(y - heading_y) < 8}
    assert row["Year"] < row["Workshop"] < row["1"] < row["12"] < row["Days"], row


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        render_statement(sample_statement("summary", uniform_career(1)), VERIFY_URL, "de")


@pytest.mark.parametrize("language,lang_tag", [("fa", b"/Lang (fa-IR)"), ("en", b"/Lang (en)")])
def test_the_statement_is_tagged_for_screen_readers(tmp_path, language, lang_tag):
    """A structure tree (title, headings, paragraphs, a table per page it runs onto, the QR code with words), the
    document's language, and footers as artifacts (chalicelib/pdf/tags.py says where fpdf2 stops)."""
    data = render_statement(sample_statement("combined", uniform_career(35, 3)), VERIFY_URL, language)
    pdf = tmp_path / "tagged.pdf"
    pdf.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    types = re.findall(rb"/S /(\w+)", data)
    assert types.count(b"H1") == 1 and types.count(b"H2") == 2 and types.count(b"Figure") == 2
    assert types.count(b"Table") >= page_count(pdf) - 1 and b"P" in types
    assert lang_tag in data and b"/Alt" in data and b"/StructTreeRoot" in data
    streams = b"".join(zlib.decompress(raw) for raw in re.findall(rb"stream\n(.*?)\nendstream", data, re.S)
                       if raw[:1] == b"x")
    assert streams.count(b"/Artifact <</Type /Pagination>> BDC") == page_count(pdf)
    assert streams.count(b" BDC") == streams.count(b"EMC")
