"""Statement PDF renderer: content checks through poppler (pdftotext, pdftoppm) and zbar (zbarimg).

CI must install poppler-utils and zbar-tools; the tests fail (not skip) when the tools are missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from chalicelib.pdf.render import render_statement
from devstack.samples import sample_statement, uniform_career

VERIFY_URL = "https://sabeghe.example.ir/verify/Q7K2M9XD4PRT?c=8F3K2"

TITLES = {
    "summary": "گواهی خلاصه سوابق و جمع کل",
    "wages": "گواهی روزها و دستمزد ماهانه",
    "combined": "گواهی سوابق کامل با دستمزد ماهانه",
}

# pdftotext marks right-to-left and embedded left-to-right runs with these controls; drop them before matching.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_NOISE = re.compile(r"[\s:،؛.]+")
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def fa(value) -> str:
    return str(value).translate(_FA)


# -- statement builder (same shape as the service's statements) -------------------------------------------------------



def make_statement(kind: str, years: int = 15, workshops: int = 1, last_year: int = 1404) -> dict:
    """A statement over `years` years; with workshops > 1 every month has that many workshops (overlap)."""
    return sample_statement(kind, uniform_career(years, workshops, last_year))


# -- tool helpers ----------------------------------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not on PATH: install poppler-utils (pdftotext, pdftoppm) and zbar-tools (zbarimg)")
    return path


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = [_tool("pdftotext"), "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run(cmd + [str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return out


def plain(text: str) -> str:
    """Text for matching words and numbers across table cells: without bidi controls, whitespace and sentence
    punctuation (sentences are matched whole by `lines`)."""
    return _NOISE.sub("", text.translate(_BIDI_CONTROLS))


def lines(raw: str) -> str:
    """pdftotext's lines as a reader copies them: bidi controls (pdftotext's own embedding marks, and the
    right-to-left marks the renderer puts for readers) dropped, each line kept, joined by spaces so a sentence
    wrapped over two lines reads whole."""
    return " ".join(line.strip() for line in raw.translate(_BIDI_CONTROLS).splitlines() if line.strip())


def has(text: str, phrase: str) -> bool:
    return plain(phrase) in text


def page_count(pdf: Path) -> int:
    return pdf_text(pdf).count("\f")


def rendered(tmp_path: Path, statement: dict, name: str = "statement.pdf") -> Path:
    data = render_statement(statement, VERIFY_URL)
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- tests -----------------------------------------------------------------------------------------------------------

def duration(totals: dict) -> str:
    return f"{fa(totals['years'])} سال، {fa(totals['months'])} ماه و {fa(totals['days_remainder'])} روز"


@pytest.mark.parametrize("kind", ["summary", "wages", "combined"])
def test_text_content(tmp_path, kind):
    statement = make_statement(kind, years=3, workshops=2)
    raw = pdf_text(rendered(tmp_path, statement))
    text = plain(raw)

    assert has(text, "سازمان تأمین اجتماعی")
    assert has(text, TITLES[kind])
    for other in set(TITLES) - {kind}:
        assert not has(text, TITLES[other])
    for word in ("مریم", "رضایی", "علی"):
        assert word in raw  # contiguous, joined words in logical order
    assert "۰۴۹۹۳۷۰۸۹۹" in raw  # national code in Persian digits
    assert "0499370899" not in raw
    assert "۱۳۶۲/۰۴/۱۲" in raw  # birth date
    assert "۱۲۳۴۵۶۷۸۹۰" in raw  # insurance number
    assert "۱۰۰۰۰۰۰۰۴۲" in raw  # tracking number
    assert "۱۴۰۵/۰۹/۰۴" in raw  # issue date (Jalali)
    assert "Q7K2M9XD4PRT" in raw  # document id
    # Sentences read whole and in logical order (copy and paste, search, screen readers), numbers included.
    read = lines(raw)
    totals = statement["totals"]
    assert f"جمع کل سوابق قابل احتساب: {fa(totals['days'])} روز، معادل {duration(totals)}" in read
    assert "مبنای محاسبه: هر سال ۳۶۵ روز و هر ماه ۳۰ روز در نظر گرفته شده است." in read
    assert ("این گواهی به صورت الکترونیکی صادر شده و نیاز به مهر و امضا ندارد؛ اصالت آن را با اسکن کد QR یا "
            "مراجعه به نشانی زیر بررسی کنید.") in read
    assert "شماره پیگیری ۱۰۰۰۰۰۰۰۴۲ | شناسه سند Q7K2M9XD4PRT" in read
    assert "صفحه ۱ از ۱" in read
    assert TITLES[kind] in read
    assert VERIFY_URL in raw


def test_records_per_kind(tmp_path):
    summary = plain(pdf_text(rendered(tmp_path, make_statement("summary", years=3, workshops=2), "s.pdf")))
    wages = plain(pdf_text(rendered(tmp_path, make_statement("wages", years=3, workshops=2), "w.pdf")))
    combined = plain(pdf_text(rendered(tmp_path, make_statement("combined", years=3, workshops=2), "c.pdf")))

    # History table: workshop names and codes, a subtotal for years with several workshops, overlap stated.
    for text in (summary, combined):
        assert has(text, "کارخانه صنایع غذایی البرز")
        assert has(text, "نام کارگاه") and has(text, "جمع روز")
        assert has(text, "جمع روزهای قابل احتساب سال (روزهای هم‌زمان یک بار)")
        assert fa(1000000000 + 37 * (1403 // 5)) in text
        assert has(text, "روزهای هم‌پوشان")
    assert not has(summary, "دستمزد (ریال)")
    # Wages grid: a year and workshop in two rows (months 1-6, 7-12), wages in Persian digits with thousands
    # separators; a wages statement gives each month's days under its wage.
    daily_1404 = 4_000_000 + 350_000 * (1404 - 1380)
    wage = f"{daily_1404 * 31:,}".translate(_FA).replace(",", "٬")
    for text in (wages, combined):
        assert has(text, "دستمزد ماهانه (ریال)") and has(text, "۱ / ۷") and has(text, "۶ / ۱۲")
        assert has(text, "۱ تا ۶") and has(text, "۷ تا ۱۲") and has(text, "جمع کل دستمزد مشمول")
        assert wage in text
    assert has(wages, f"{wage}۳۱روز") and not has(combined, f"{wage}۳۱روز")
    assert not has(wages, "جمع روز")


def word_boxes(pdf: Path, page: int = 1) -> list:
    """(text in logical order, xMin, yMin) of each word; `pdftotext -bbox` gives right-to-left words reversed."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    words = []
    for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out):
        if re.search(r"[\u0600-\u06ff]", text) and not re.fullmatch(r"[\u06f0-\u06f9/٬:]+", text):
            text = text[::-1]
        words.append((text, float(x), float(y)))
    return words


def test_table_columns_run_right_to_left(tmp_path):
    """The first logical column (year) is at the right, month 1 right of month 12, total days at the left."""
    words = word_boxes(rendered(tmp_path, make_statement("summary", years=2, workshops=2)))
    heading_y = next(y for text, _, y in words if text == "۱۲")
    row = {text: x for text, x, y in words if abs(y - heading_y) < 8}
    assert row["سال"] > row["کد"] > row["نام"] > row["۱"] > row["۲"] > row["۱۲"] > row["جمع"], row


def test_joined_letters(tmp_path):
    text = pdf_text(rendered(tmp_path, make_statement("combined", years=2)))
    for word in ("رضایی", "مریم", "سازمان", "اجتماعی", "گواهی", "الکترونیکی"):
        assert word in text
    presentation_forms = sorted({c for c in text if 0xFE70 <= ord(c) <= 0xFEFF or 0xFB50 <= ord(c) <= 0xFDFF})
    assert not presentation_forms, f"presentation-form (unjoined) glyphs extracted: {presentation_forms!r}"


def qr_codes_on_page(pdf: Path, page: int) -> list:
    """Decoded QR codes on one page rendered at 150 dpi (one entry per code found)."""
    png = pdf.with_name(f"{pdf.stem}-page{page}")
    subprocess.run([_tool("pdftoppm"), "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(png)], check=True, capture_output=True)
    result = subprocess.run([_tool("zbarimg"), "--raw", "-q", f"{png}.png"], capture_output=True, check=False)
    assert result.returncode == 0, f"zbarimg found no code on page {page}: {result.stderr!r}"
    return result.stdout.decode("utf-8").splitlines()


@pytest.mark.parametrize("kind", ["summary", "wages"])
def test_qr_decodes_to_verify_url(tmp_path, kind):
    pdf = rendered(tmp_path, make_statement(kind, years=15))
    assert qr_codes_on_page(pdf, 1) == [VERIFY_URL]


def test_long_history_spans_pages(tmp_path):
    statement = make_statement("combined", years=35, workshops=3)
    pdf = rendered(tmp_path, statement)
    pages = page_count(pdf)
    # Compact: a year and workshop take a line of days and two of wages, not a line per month (37 pages).
    assert 4 <= pages <= 10 and pdf.stat().st_size <= 80 * 1024, (pages, pdf.stat().st_size)
    last_raw = pdf_text(pdf, first=pages, last=pages)
    last = plain(last_raw)
    totals = statement["totals"]
    assert has(last, f"جمع کل سوابق قابل احتساب: {fa(totals['days'])} روز، معادل {duration(totals)}")
    assert has(last, "نیاز به مهر و امضا ندارد")
    assert VERIFY_URL in last_raw
    assert has(last, f"صفحه {fa(pages)} از {fa(pages)}")
    overlap = statement["history"]["totals"]["overlap_days"]
    assert overlap > 0 and has(last, f"{fa(overlap)} روز")
    # Page 1 has the QR code in its header; the last page repeats it beside the verification note.
    assert qr_codes_on_page(pdf, 1) == [VERIFY_URL]
    assert qr_codes_on_page(pdf, pages) == [VERIFY_URL]
    # The table headings repeat on the pages the tables run onto.
    for page in range(2, pages):
        text = plain(pdf_text(pdf, first=page, last=page))
        assert has(text, "نام کارگاه"), f"no table heading on page {page}"


def test_same_input_same_bytes():
    statement = make_statement("summary", years=2)
    assert render_statement(statement, VERIFY_URL) == render_statement(statement, VERIFY_URL)


def test_unknown_kind_rejected():
    with pytest.raises(ValueError):
        render_statement({**make_statement("summary", years=1), "kind": "other"}, VERIFY_URL)


def test_sparse_statement_renders(tmp_path):
    """Missing optional parts (no rows, no months, partial holder) still give a readable statement."""
    statement = {
        "tracking_no": "1000000043", "document_id": "ZZ11ZZ11ZZ11", "kind": "combined",
        "issued_at": "2026-11-25T08:30:00Z", "issued_at_jalali": "1405/09/04",
        "holder": {"national_code": "0499370899", "first_name": "مریم", "last_name": "رضایی"},
        "history": {"rows": [], "years": [], "totals": {"days": 0, "years": 0, "months": 0, "days_remainder": 0}},
        "wages": {"months": [], "totals": {"wage": 0, "insurable_wage": 0, "credited_days": 0}},
        "totals": {"days": 0, "years": 0, "months": 0, "days_remainder": 0},
    }
    long_url = "https://sabeghe.example.ir/verify/" + "Q7K2M9XD4PRT" * 12
    data = render_statement(statement, long_url)
    (tmp_path / "sparse.pdf").write_bytes(data)
    raw = pdf_text(tmp_path / "sparse.pdf")
    text = plain(raw)
    assert has(text, TITLES["combined"]) and has(text, "۰ سال، ۰ ماه و ۰ روز")
    assert "روزهای هم‌پوشان" not in raw  # no overlap line when there is none
    assert has(text, "نیاز به مهر و امضا ندارد")
    assert has(text, long_url)  # wrapped over lines, but complete


def test_no_pdf_libraries_outside_the_pdf_package():
    """The API Lambda must not import fpdf2 or segno: only chalicelib/pdf may."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"^\s*(?:from|import)\s+(?:fpdf|segno|uharfbuzz)\b", re.MULTILINE)
    pdf_package = root / "chalicelib" / "pdf"
    sources = [root / "app.py", *(root / "chalicelib").rglob("*.py")]
    offenders = [str(p.relative_to(root)) for p in sources
                 if p.is_file() and pdf_package not in p.parents and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"fpdf2/segno imported outside chalicelib/pdf: {offenders}"
