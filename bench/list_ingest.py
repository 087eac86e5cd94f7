"""Employers' lists: how fast a list goes into the registry against the fastest possible writes of the same items,
and how the ingestion's memory grows with the list.

On one moto server (its own process, so its memory is not ours), in one run:
- rows/s of the whole ingestion (S3 download, two passes over the DBF, checks, 50-people reads, batched writes, the
  ledger, the report) of a 5,000-worker list, against a bare BatchWriteItem loop (25 items a call, items built in
  advance) writing the very items the ingestion wrote. Two cases: a month of people the fund already knows (every
  month after the first: one row each) and a first list (one row and a new profile each).
- peak Python memory (tracemalloc) of the ingestion of 1,000 and of 10,000 workers.

Targets (issue 10): rows/s ratio >= 0.7; peak memory of 10,000 within 20% of 1,000's.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WORKSHOP = "1234567890"
ROUNDS = 3


def start_moto() -> subprocess.Popen:
    from devstack.moto_server import free_port
    from devstack.stack import wait_for

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update({"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "APP_ENV": "local",
                       "OUTBOX_PATH": "/tmp/sabeghe-bench-outbox.jsonl", "LOG_LEVEL": "WARNING"})
    wait_for(f"http://127.0.0.1:{port}/moto-api/", 30, alive=lambda: server.poll() is None)
    return server


def put_list(data: bytes, folder: str) -> str:
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client

    key = f"uploads/{folder}/list.zip"
    client("s3").put_object(Bucket=load_settings().lists_bucket, Key=key, Body=data)
    return key


def ingest(services, key: str, writes: int | None = None) -> float:
    started = time.perf_counter()
    status = services.lists.ingest(key)
    elapsed = time.perf_counter() - started
    assert status == "processed", status
    if writes is not None:  # the same work as the raw loop's: every row written
        changes = services.lists.report(key.split("/")[1])["changes"]
        assert changes["rows_written"] == writes, changes
    return elapsed


def raw_loop(items: list[dict]) -> float:
    """The floor: BatchWriteItem, 25 items a call, nothing else."""
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client

    table, dynamodb = load_settings().records_table, client("dynamodb")
    started = time.perf_counter()
    for start in range(0, len(items), 25):
        pending = {table: [{"PutRequest": {"Item": i}} for i in items[start:start + 25]]}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return time.perf_counter() - started


def written_items(people, year: int, month: int, with_profiles: bool) -> list[dict]:
    from chalicelib.domain.model.accounts import InsuredProfile
    from chalicelib.domain.service_days import Contribution
    from chalicelib.storage.dynamodb.codec import to_item
    from chalicelib.storage.dynamodb.registry import ContributionItem, ProfileItem

    items = []
    for p in people:
        row = Contribution(year, month, WORKSHOP, "شرکت نمونه البرز", p.days, p.monthly_wage, p.insurable_total,
                           p.job_title, source="list bench")
        items.append(to_item(ContributionItem.to_item(p.national_code, row)))
        if with_profiles:
            items.append(to_item(ProfileItem.to_item(InsuredProfile(
                p.national_code, p.first_name, p.last_name, p.father_name, p.birth_date, p.insurance_no,
                "female" if p.sex == "زن" else "male"))))
    return items


def fresh_moto() -> None:
    """Empty tables: moto's writes slow down as a table grows, so every timing starts from the same state."""
    import urllib.request

    from chalicelib import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from chalicelib.storage.schema import create_all

    urllib.request.urlopen(urllib.request.Request(os.environ["AWS_ENDPOINT_URL"] + "/moto-api/reset", method="POST"))
    bootstrap.reset()
    create_all(load_settings(), client)


def peak_memory(services, people, workshop: str, folder: str) -> int:
    from chalicelib.domain.lists.reader import clear_caches
    from devstack.list_samples import write_list

    key = put_list(write_list(people, workshop, 1403, 10), folder)
    clear_caches()
    tracemalloc.start()
    ingest(services, key)
    peak = tracemalloc.get_traced_memory()[1]
    assert not services.lists.report(folder)["rejected"]  # every row taken: the full path, row by row
    tracemalloc.stop()
    return peak


def main() -> None:
    from chalicelib import bootstrap
    from devstack.list_samples import invented_people, with_days, write_list

    server = start_moto()
    try:
        n = 5000
        people = invented_people(n, seed=5000, year=1403, month=6)
        first_list = write_list(people, WORKSHOP, 1403, 6)
        mehr = [with_days(p, min(p.days, 30)) for p in people]  # the same people, in a 30-day month
        known_list = write_list(mehr, WORKSHOP, 1403, 7)

        timings: dict[str, list[float]] = {"first": [], "raw_first": [], "known": [], "raw_known": []}
        for round_no in range(ROUNDS):  # interleaved, best of each: moto's speed drifts over a run
            fresh_moto()
            timings["first"].append(ingest(bootstrap.services(), put_list(first_list, f"first-{round_no}"), writes=n))
            fresh_moto()
            timings["raw_first"].append(raw_loop(written_items(people, 1403, 6, with_profiles=True)))
            fresh_moto()  # last month's list came in as lists do (not timed): the fund knows these people
            ingest(bootstrap.services(), put_list(first_list, f"before-{round_no}"))
            timings["known"].append(ingest(bootstrap.services(), put_list(known_list, f"known-{round_no}"), writes=n))
            fresh_moto()
            raw_loop(written_items(people, 1403, 6, with_profiles=True))  # the same items there (not timed)
            timings["raw_known"].append(raw_loop(written_items(mehr, 1403, 7, with_profiles=False)))
        first, raw_first, known, raw_known = (min(timings[k]) for k in ("first", "raw_first", "known", "raw_known"))

        print(f"ingestion of {n:,} workers on moto (its own process, tables emptied before each timing, best of "
              f"{ROUNDS} interleaved rounds), against a")
        print("BatchWriteItem loop writing the same items (built in advance, 25 a call):")
        for label, ours, raw in (("people already known (a row each)", known, raw_known),
                                 ("first list (a row and a profile each)", first, raw_first)):
            print(f"  {label:38s} {n / ours:7,.0f} rows/s   raw {n / raw:7,.0f} rows/s   ratio {raw / ours:.2f}"
                  " (target >= 0.70)")

        fresh_moto()
        services = bootstrap.services()
        peak_memory(services, invented_people(300, seed=3, year=1403, month=10), "1111111111", "bench-warm")  # imports, clients, caches
        small = peak_memory(services, invented_people(1000, seed=1, year=1403, month=10), "2222222222", "bench-1k")
        large = peak_memory(services, invented_people(10000, seed=2, year=1403, month=10), "3333333333", "bench-10k")
        print("peak Python memory of one ingestion (tracemalloc, after one warm-up ingestion):")
        print(f"  1,000 workers  {small / 2**20:6.2f} MiB")
        print(f"  10,000 workers {large / 2**20:6.2f} MiB   ratio {large / small:.2f} (target <= 1.20)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
