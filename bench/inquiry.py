"""The inquiry handler's time against the same DynamoDB calls made with raw boto3, to the same moto server,
in the same run (target: at most 1.5 times).

The handler's work on success: one BatchGetItem (grant + two throttle counters), one conditional UpdateItem
(the view on the permit's small item), HMAC, decompressing the statement and presigning the PDF URL.
The baseline makes exactly those two DynamoDB calls with equivalent items."""
from __future__ import annotations

import json
import os
import socket
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    os.environ.update({"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "APP_ENV": "local",
                       "OUTBOX_PATH": "/tmp/sabeghe-bench-outbox.jsonl", "LOG_LEVEL": "WARNING"})
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        run()
    finally:
        server.stop()


def run() -> None:
    import app
    from chalicelib import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from chalicelib.storage.schema import create_all
    from devstack.seed import DEMO_NATIONAL_CODE, seed_demo
    from devstack.workers import function_url_event

    os.environ.update(create_all(load_settings(), client))
    bootstrap.reset()
    services = bootstrap.services()
    seed_demo(services)
    tracking = services.statements.request(DEMO_NATIONAL_CODE, "combined", True)["tracking_no"]
    services.rendering.render(DEMO_NATIONAL_CODE, tracking)
    passcode = services.permits.issue(DEMO_NATIONAL_CODE, tracking, "year")["passcode"]
    body = json.dumps({"identifier": DEMO_NATIONAL_CODE, "passcode": passcode}).encode()
    event = function_url_event("POST", "/", "", {"Host": "bench.lambda-url.us-east-1.on.aws",
                                                 "Content-Type": "application/json"}, body, "198.51.100.1")
    permit = services.adapters.requests.get(DEMO_NATIONAL_CODE, tracking).permits[0]
    grant_pk = f"GRANT#{permit.grant_key}"
    settings = services.settings
    dynamodb = client("dynamodb")

    def handler_once():
        answer = app.inquiry(event, None)
        assert answer["statusCode"] == 200, answer["body"]

    def raw_once():
        dynamodb.batch_get_item(RequestItems={
            settings.grants_table: {"Keys": [{"pk": {"S": grant_pk}}], "ConsistentRead": True},
            settings.throttles_table: {"Keys": [{"pk": {"S": f"inq-id#{DEMO_NATIONAL_CODE}"}},
                                                {"pk": {"S": "inq-ip#198.51.100.1"}}]},
        })
        dynamodb.update_item(
            TableName=settings.requests_table,
            Key={"pk": {"S": f"PERSON#{DEMO_NATIONAL_CODE}"}, "sk": {"S": f"REQ#{tracking}#P#{permit.permit_id}"}},
            UpdateExpression="SET #v = #v + :one, last_viewed_at = :at", ExpressionAttributeNames={"#v": "views"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":at": {"S": "2026-11-25T00:00:00Z"}})

    for _ in range(10):  # warm both paths: clients, connections, the statement's first decompression
        handler_once()
        raw_once()
    handler, raw = [], []
    for _ in range(RUNS):
        for sink, call in ((handler, handler_once), (raw, raw_once)):
            started = time.perf_counter()
            call()
            sink.append(time.perf_counter() - started)
    h, r = statistics.median(handler), statistics.median(raw)
    print(f"inquiry handler (function-URL event in, response out): median {h * 1000:.2f} ms, "
          f"p90 {sorted(handler)[int(RUNS * 0.9)] * 1000:.2f} ms over {RUNS} runs")
    print(f"raw boto3, same two DynamoDB calls to the same moto:   median {r * 1000:.2f} ms, "
          f"p90 {sorted(raw)[int(RUNS * 0.9)] * 1000:.2f} ms")
    print(f"ratio handler / raw: {h / r:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
