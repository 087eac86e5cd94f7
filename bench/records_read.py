"""DynamoDB calls and time per records read, for a 35-year career at three workshops (the demo person's
history stretched), counted by botocore's own events against moto."""
from __future__ import annotations

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "APP_ENV": "local", "OUTBOX_PATH": "/tmp/sabeghe-bench-outbox.jsonl"})
os.environ.pop("AWS_ENDPOINT_URL", None)


def career_35_years():
    from chalicelib.domain.jalali import month_length
    from chalicelib.domain.service_days import Contribution

    out = []
    for year in range(1370, 1405):
        for month in range(1, 13):
            for i, code in enumerate(("1000200030", "2000300040", "3000400050")):
                days = month_length(year, month) if i == 0 else 10  # a main job and two part-time ones
                out.append(Contribution(year, month, code, f"کارگاه {i}", days, 100_000_000, 90_000_000, "job"))
    return out


def main() -> None:
    from chalice.test import Client
    from moto import mock_aws

    with mock_aws():
        from chalicelib import bootstrap
        from chalicelib.config import load_settings
        from chalicelib.storage.aws import client
        from chalicelib.storage.schema import create_all
        from devstack.seed import DEMO_NATIONAL_CODE, seed_demo

        create_all(load_settings(), client)
        bootstrap.reset()
        services = bootstrap.services()
        seed_demo(services)
        contributions = career_35_years()
        services.adapters.registry.add_contributions(DEMO_NATIONAL_CODE, contributions)
        from app import app

        calls = []
        client("dynamodb").meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
        with Client(app) as http:
            token = json.loads(http.http.post("/v1/auth/login", headers={"Content-Type": "application/json"},
                                              body=json.dumps({"national_code": DEMO_NATIONAL_CODE,
                                                               "password": "Sabeghe-demo-1403"})).body)["token"]
            headers = {"Authorization": f"Bearer {token}"}
            timings = []
            for _ in range(10):
                calls.clear()
                started = time.perf_counter()
                answer = http.http.get("/v1/me/records", headers=headers)
                timings.append(time.perf_counter() - started)
                assert answer.status_code == 200
            rows = len(json.loads(answer.body)["rows"])
    print(f"items in the partition: {len(contributions)} contributions ({rows} history rows)")
    print(f"DynamoDB calls per records read: {len(calls)} ({', '.join(calls)})  (target <= 2)")
    print(f"records read, median of 10 against in-process moto: {statistics.median(timings) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
