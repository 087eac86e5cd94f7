"""Cold import of the API module against a bare `import boto3, chalice`, each in a fresh interpreter.

Prints the median of several alternating runs and the ratio (target: at most 1.3)."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))

CASES = {
    "python (empty)": "pass",
    "import boto3, chalice": "import boto3, chalice",
    "import app (API module)": "import app",
    "import app + boto3 clients": "import app, boto3; boto3.client('dynamodb', region_name='us-east-1')",
}


def timed(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    samples = {name: [] for name in CASES}
    for _ in range(RUNS):
        for name, code in CASES.items():  # alternate, so drift hits every case alike
            samples[name].append(timed(code))
    median = {name: statistics.median(values) for name, values in samples.items()}
    base = median["python (empty)"]
    for name, value in median.items():
        print(f"{name:30s} {value * 1000:7.1f} ms   (import cost {max(0.0, value - base) * 1000:6.1f} ms)")
    bare = median["import boto3, chalice"] - base
    ours = median["import app (API module)"] - base
    print(f"ratio app / (boto3 + chalice), import cost only: {ours / bare:.2f}  (target <= 1.3)")
    print(f"ratio app / (boto3 + chalice), whole process:    {median['import app (API module)'] / median['import boto3, chalice']:.2f}")
    heavy = subprocess.run([sys.executable, "-c", "import app, sys; print(sorted(m for m in ('fpdf', 'pydantic', 'argon2', 'jdatetime', 'segno', 'uharfbuzz', 'pyhanko', 'asn1crypto', 'cryptography') if m in sys.modules))"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    print(f"heavy libraries loaded by importing app: {heavy}")


if __name__ == "__main__":
    main()
