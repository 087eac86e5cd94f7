"""Statement PDF rendering: time (median of N runs) and size per statement kind, for realistic 15- and 35-year
careers, plus a 35-year career at three workshops every month (the stress case the tests render).

Every figure is also given as a ratio to a reference drawn in the same process: one page of fpdf2's own `table()`
(40 rows of 8 numbers, the same embedded Vazirmatn), so the ratios survive a noisy machine. Targets (issue 13):
35 years x 3 workshops combined at most 1.0 times the reference and 80 KB; a 15-year summary at most 0.4 times.
Wall time is what a Lambda pays; CPU time is steadier on a shared machine, and the ratios use it.
BENCH_RUNS sets N (default 15).
"""
from __future__ import annotations

import os
import re
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "15"))

from chalicelib.domain.jalali import month_length  # noqa: E402
VERIFY_URL = "https://sabeghe.example.ir/verify/Q7K2M9XD4PRT?c=8F3K2"
KINDS = ("summary", "wages", "combined")

WORKSHOPS = {
    "1000200030": "شرکت صنایع غذایی البرز",
    "2000300040": "فروشگاه زنجیره‌ای آفتاب",
    "3000400050": "شرکت مهندسین مشاور طرح و ساخت پی‌ریزان",
    "4000500060": "کارخانه نساجی کاشان",
    "5000600070": "شرکت حمل و نقل بین‌المللی پارس",
    "6000700080": "آموزشگاه زبان سپهر",
}


def career(years: int, last_year: int = 1404) -> list:
    """(year, month, workshop_code, days) for a career of `years` years ending in Esfand of last_year: a job change
    every few years with an overlapping month, a three-month gap, a part-time second job for two years and a
    month with short days."""
    first = last_year - years + 1
    codes = list(WORKSHOPS)
    out = []
    span = max(3, years // 4)  # years per employer
    for year in range(first, last_year + 1):
        for month in range(1, 13):
            length = month_length(year, month)
            index = min((year - first) // span, len(codes) - 2)
            if year == first + 2 and month in (4, 5, 6):
                continue  # gap between jobs
            days = length - 10 if (year == first + 1 and month == 8) else length
            out.append((year, month, codes[index], days))
            if year > first and (year - first) % span == 0 and month == 1:
                out.append((year, month, codes[index - 1], 12))  # last days at the previous employer
            if (year - first) in (span + 1, span + 2):
                out.append((year, month, codes[-1], 8))  # part-time second job
    return out


def three_workshops(years: int, last_year: int = 1404) -> list:
    codes = list(WORKSHOPS)[:3]
    return [(year, month, code, month_length(year, month) if i == 0 else 10)
            for year in range(last_year - years + 1, last_year + 1) for month in range(1, 13)
            for i, code in enumerate(codes)]


def statement(kind: str, entries: list) -> dict:
    """The statement the service would issue for (year, month, workshop_code, days) entries."""
    from chalicelib.domain.service_days import Contribution
    from devstack.samples import sample_statement

    contributions = []
    for year, month, code, days in entries:
        wage = (2_000_000 + 450_000 * (year - 1370)) * days
        contributions.append(Contribution(year, month, code, WORKSHOPS[code], days, wage, min(wage, 400_000_000),
                                          "کارشناس"))
    return sample_statement(kind, contributions)


def reference_table() -> bytes:
    """One page of fpdf2's table(): 40 rows of 8 numbers in Vazirmatn, as fpdf2 draws it out of the box."""
    from fpdf import FPDF

    from chalicelib.pdf.layout import FONT_REGULAR

    pdf = FPDF()
    pdf.add_font("Vazirmatn", "", str(FONT_REGULAR))
    pdf.set_font("Vazirmatn", size=9)
    pdf.add_page()
    with pdf.table(first_row_as_headings=False) as table:
        for r in range(40):
            row = table.row()
            for c in range(8):
                row.cell(f"{(r * 8 + c) * 12345:,}")
    return bytes(pdf.output())


def timed(draw, runs: int) -> tuple[float, float, bytes]:
    """Median wall and CPU seconds of `runs` calls (after one warm-up), and the last output."""
    out = draw()
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = draw()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), out


def main() -> None:
    started = time.perf_counter()
    from chalicelib.pdf.render import render_statement

    imported = time.perf_counter()
    first = render_statement(statement("summary", career(15)), VERIFY_URL)
    print(f"cold: import chalicelib.pdf.render {1000 * (imported - started):.0f} ms, "
          f"first render {1000 * (time.perf_counter() - imported):.0f} ms ({len(first) / 1024:.0f} KB)")
    print(f"median of {RUNS} runs")
    ref_wall, ref_cpu, ref = timed(reference_table, RUNS)
    print(f"reference: fpdf2 table(), 40 rows x 8 numbers, one page: {1000 * ref_wall:.0f} ms wall, "
          f"{1000 * ref_cpu:.0f} ms cpu, {len(ref) / 1024:.0f} KB")
    print(f"{'history':<26}{'kind':<10}{'wall ms':>9}{'cpu ms':>9}{'x ref':>7}{'KB':>7}{'pages':>7}")
    cases = (("15 years", career(15)), ("35 years", career(35)), ("35 years x 3 workshops", three_workshops(35)))
    ratios = {}
    for label, entries in cases:
        for kind in KINDS:
            data = statement(kind, entries)
            wall, cpu, pdf = timed(lambda: render_statement(data, VERIFY_URL), RUNS)
            pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
            ratios[(label, kind)] = (cpu / ref_cpu, len(pdf))
            print(f"{label:<26}{kind:<10}{1000 * wall:>9.0f}{1000 * cpu:>9.0f}{cpu / ref_cpu:>7.2f}"
                  f"{len(pdf) / 1024:>7.0f}{pages:>7}")
    _, ref_cpu_after, _ = timed(reference_table, RUNS)  # the machine's load may have changed meanwhile
    print(f"reference again: {1000 * ref_cpu_after:.0f} ms cpu")
    combined, size = ratios[("35 years x 3 workshops", "combined")]
    summary, _ = ratios[("15 years", "summary")]
    print(f"targets: 35 x 3 combined {combined:.2f} x ref (<= 1.0), {size / 1024:.0f} KB (<= 80); "
          f"15-year summary {summary:.2f} x ref (<= 0.4)")


if __name__ == "__main__":
    main()
