"""Signing a statement: the PAdES signature the PDF worker adds to every statement (chalicelib/signing/), with the
development key (devstack/dev_ca.py; on AWS add one KMS Sign round trip, typically 10-30 ms in-region).

Prints pyHanko's import time (what the PDF worker's cold start adds), then per statement kind and career length the
median of N signatures: signing alone, signing with the check the worker makes right after (what a render costs on
top of drawing), and the bytes the signature adds. Wall time is what a Lambda pays; CPU time is printed beside it
because it is steadier on a shared machine. BENCH_RUNS sets N (default 15)."""
from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
ISSUED_AT = "2026-11-25T08:30:00Z"
VERIFY_URL = "https://sabeghe.example.ir/verify/Q7K2M9XD4PRT"


def import_time() -> float:
    """pyHanko and the signing modules imported in a fresh interpreter, median of 5 (seconds)."""
    code = ("import time; t = time.perf_counter(); import chalicelib.signing.pades, chalicelib.signing.validation, "
            "chalicelib.signing.file_key_signer; print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    return statistics.median(runs)


def timed(action, runs: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    print(f"import pyHanko and the signing modules (fresh interpreter): {1000 * import_time():.0f} ms")
    from chalicelib.pdf.render import render_statement
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.local_signer import LocalPdfSigner
    from devstack.dev_ca import ensure
    from devstack.samples import sample_statement, uniform_career

    with tempfile.TemporaryDirectory() as folder:
        documents = PadesDocuments(LocalPdfSigner(ensure(os.path.join(folder, "signing")).folder))
        moment = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.timezone.utc)
        first_pdf = render_statement(sample_statement("summary", uniform_career(15)), VERIFY_URL)
        started = time.perf_counter()
        documents.sign(first_pdf, ISSUED_AT)
        print(f"first signature in the process (key and chain read, validator warmed): "
              f"{1000 * (time.perf_counter() - started):.0f} ms")
        print(f"median of {RUNS} runs")
        print(f"{'history':<26}{'kind':<10}{'sign ms':>9}{'cpu ms':>8}{'sign+check ms':>15}{'cpu ms':>8}"
              f"{'PDF KB':>8}{'+KB':>6}")
        for years, workshops in ((15, 1), (35, 1), (35, 3)):
            label = f"{years} years" + (f" x {workshops} workshops" if workshops > 1 else "")
            for kind in ("summary", "wages", "combined"):
                pdf = render_statement(sample_statement(kind, uniform_career(years, workshops)), VERIFY_URL)
                documents.signer.sign(pdf, moment)  # warm-up
                sign_wall, sign_cpu = timed(lambda: documents.signer.sign(pdf, moment), RUNS)
                both_wall, both_cpu = timed(lambda: documents.sign(pdf, ISSUED_AT), RUNS)
                signed = documents.sign(pdf, ISSUED_AT).pdf
                print(f"{label:<26}{kind:<10}{1000 * sign_wall:>9.1f}{1000 * sign_cpu:>8.1f}{1000 * both_wall:>15.1f}"
                      f"{1000 * both_cpu:>8.1f}{len(pdf) / 1024:>8.0f}{(len(signed) - len(pdf)) / 1024:>6.1f}")


if __name__ == "__main__":
    main()
