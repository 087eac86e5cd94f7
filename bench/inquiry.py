"""The inquiry handler's time against the same DynamoDB calls made with raw boto3, to the same moto server,
in the same run (target: at most 1.5 times).

The handler's work on success: one BatchGetItem (grant + the client's throttle record), the conditional mark that
the client is not locked (UpdateItem on that record), one conditional UpdateItem (the view on the permit's small
item), HMAC, decompressing the statement and presigning the PDF URL. The baseline makes exactly those three
DynamoDB calls with equivalent items."""
from __future__ import annotations

import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def main() -> None:
    from devstack.moto_server import moto_server

    with moto_server(log_level="WARNING"):
        run()


def run() -> None:
    import app
    from chalicelib.storage.aws import client
    from devstack.moto_server import demo_inquiry
    from devstack.seed import DEMO_NATIONAL_CODE

    services, tracking, permit, event = demo_inquiry()
    grant_pk = f"GRANT#{permit.grant_key}"
    settings = services.settings
    dynamodb = client("dynamodb")

    def handler_once():
        answer = app.inquiry(event, None)
        assert answer["statusCode"] == 200, answer["body"]

    def raw_once():
        dynamodb.batch_get_item(RequestItems={
            settings.grants_table: {"Keys": [{"pk": {"S": grant_pk}}], "ConsistentRead": True},
            settings.throttles_table: {"Keys": [{"pk": {"S": "inq-ip#198.51.100.1"}}]},
        })
        dynamodb.update_item(
            TableName=settings.throttles_table, Key={"pk": {"S": "inq-ip#198.51.100.1"}},
            UpdateExpression="SET guarded_at = :now, expires_at_epoch = if_not_exists(expires_at_epoch, :exp)",
            ConditionExpression=("attribute_not_exists(pk) OR expires_at_epoch <= :now OR ("
                                 "(attribute_not_exists(locked_until) OR locked_until <= :now) AND "
                                 "(attribute_not_exists(#within.#desk) OR #within.#desk.locked_until <= :now) AND "
                                 "(attribute_not_exists(#within.#sub) OR #within.#sub.locked_until <= :now))"),
            ExpressionAttributeNames={"#within": "within", "#desk": "desk:-", "#sub": DEMO_NATIONAL_CODE},
            ExpressionAttributeValues={":now": {"N": str(int(time.time()))}, ":exp": {"N": str(int(time.time()) + 60)}})
        dynamodb.update_item(
            TableName=settings.requests_table,
            Key={"pk": {"S": f"PERSON#{DEMO_NATIONAL_CODE}"}, "sk": {"S": f"REQ#{tracking}#P#{permit.permit_id}"}},
            UpdateExpression=("SET #views = #views + :one, first_viewed_at = if_not_exists(first_viewed_at, :at), "
                              "last_viewed_at = :at, last_view = :view"),
            ConditionExpression=("attribute_exists(pk) AND attribute_not_exists(revoked_at) "
                                 "AND attribute_not_exists(expired_at) AND valid_until > :now"),
            ExpressionAttributeNames={"#views": "views"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":at": {"S": "2026-11-25T00:00:00Z"}, ":now": {"N": "0"},
                                       ":view": {"M": {"at": {"S": "2026-11-25T00:00:00.000Z"},
                                                       "client_ip": {"S": "198.51.100.1"}, "user_agent": {"S": ""}}}})

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
    print(f"raw boto3, same three DynamoDB calls to the same moto: median {r * 1000:.2f} ms, "
          f"p90 {sorted(raw)[int(RUNS * 0.9)] * 1000:.2f} ms")
    print(f"ratio handler / raw: {h / r:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
