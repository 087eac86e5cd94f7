"""Operators' command line: ingest employers' lists into the running local stack (`make run`), as the staff page
does (ask for upload links, PUT the files), follow each with a progress bar, and print its report as a table.

    make ingest LIST=path/to/list.zip
    python -m devstack.ingest list.zip other-month.csv
    python -m devstack.ingest --pair DSKKAR00.DBF DSKWOR00.DBF
    python -m devstack.ingest --sample 5000       # an invented list of 5,000 workers (no real data)
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import requests

FINAL = ("processed", "rejected", "duplicate")


def staff_session(api: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(f"{api}/v1/staff/auth/login", json={"username": username, "password": password}, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"staff login failed ({answer.status_code}): {answer.text}")
    session.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return session


def send(session: requests.Session, api: str, files: dict[str, bytes]) -> str:
    body = ({"files": [{"filename": n, "size": len(b)} for n, b in files.items()]} if len(files) > 1
            else {"filename": next(iter(files)), "size": len(next(iter(files.values())))})
    started = session.post(f"{api}/v1/staff/lists", json=body, timeout=30)
    if started.status_code != 201:
        raise SystemExit(f"the list was refused ({started.status_code}): {started.json()['error']['message']}")
    for upload, data in zip(started.json()["uploads"], files.values()):
        put = requests.put(upload["upload_url"], data=data, headers={"Content-Type": upload["content_type"]},
                           timeout=300)
        put.raise_for_status()
    return started.json()["list_id"]


def bar(done: int, total: int, width: int = 32) -> str:
    share = done / total if total else 0
    filled = int(share * width)
    return f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} {done:,}/{total:,} rows"


def follow(session: requests.Session, api: str, list_id: str, name: str, timeout: float, out=sys.stderr) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        report = session.get(f"{api}/v1/staff/lists/{list_id}", timeout=30).json()
        status = report.get("status")
        progress = report.get("progress") or {}
        line = bar(progress.get("rows", 0), progress.get("of", 0)) if progress else status
        if status in FINAL:
            total = len(report.get("accepted", [])) + len(report.get("rejected", []))
            line = bar(total, total)
        out.write(f"\r{name}: {line}   ")
        out.flush()
        if status in FINAL:
            out.write("\n")
            return report
        if time.monotonic() > deadline:
            raise SystemExit(f"\n{name}: still {status} after {timeout:.0f} s (is `make run` running?)")
        time.sleep(0.5)


def table(rows: list[tuple], headers: tuple) -> str:
    cells = [tuple(str(c) for c in r) for r in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def summary(report: dict) -> str:
    accepted = report.get("totals", {}).get("accepted", {})
    facts = [("list", report["list_id"]), ("status", report["status"]),
             ("workshop", f"{report.get('workshop', {}).get('code', '')} {report.get('workshop', {}).get('name', '')}"),
             ("month", report.get("period", "")), ("accepted rows", len(report.get("accepted", []))),
             ("rejected rows", len(report.get("rejected", []))), ("days (accepted)", f"{accepted.get('days', 0):,}"),
             ("insurable wages (accepted)", f"{accepted.get('insurable_total', 0):,} rials")]
    if report.get("duplicate_of"):
        facts.append(("duplicate of", report["duplicate_of"]))
    if report.get("replaces"):
        facts.append(("replaces", report["replaces"]))
    for name, value in (report.get("changes") or {}).items():
        facts.append((name.replace("_", " "), value))
    parts = [table(facts[1:], ("list", facts[0][1]))]
    problems = [(e["code"], e["message"]) for e in report.get("errors", []) + report.get("warnings", [])]
    if problems:
        parts.append(table(problems, ("finding", "message")))
    rejected = report.get("rejected", [])
    if rejected:
        shown = [(r["row"], r["national_code"], ", ".join(r["reasons"])) for r in rejected[:20]]
        parts.append(table(shown, ("row", "national code", "reasons"))
                     + (f"\n... and {len(rejected) - 20} more" if len(rejected) > 20 else ""))
    return "\n\n".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lists", nargs="*", help="a .zip or .csv/.txt list each")
    parser.add_argument("--pair", nargs=2, metavar=("DSKKAR00", "DSKWOR00"), help="the two dBase files of one list")
    parser.add_argument("--sample", type=int, metavar="WORKERS", help="an invented list of this many workers")
    parser.add_argument("--api", default=os.environ.get("SABEGHE_API", "http://127.0.0.1:8000"))
    parser.add_argument("--username", default="staff")
    parser.add_argument("--password", default=os.environ.get("SABEGHE_STAFF_PASSWORD", "Sabeghe-staff-1403"))
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    batches: list[tuple[str, dict]] = [(os.path.basename(p), {os.path.basename(p): open(p, "rb").read()})
                                       for p in args.lists]
    if args.pair:
        batches.append(("pair", {os.path.basename(p).upper(): open(p, "rb").read() for p in args.pair}))
    if args.sample:
        from devstack.list_samples import invented_people, write_list

        name = f"sample-{args.sample}.zip"
        batches.append((name, {name: write_list(invented_people(args.sample, seed=args.sample, year=1403, month=6),
                                                "1234567890", 1403, 6)}))
    if not batches:
        parser.error("name a list (or --pair, or --sample)")
    session = staff_session(args.api, args.username, args.password)
    worst = 0
    for name, files in batches:
        report = follow(session, args.api, send(session, args.api, files), name, args.timeout)
        print(summary(report) + "\n")
        worst = max(worst, report["status"] == "rejected")
    return worst


if __name__ == "__main__":
    sys.exit(main())
