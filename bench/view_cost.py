"""What one institution view costs, all in, per million inquiries, from published on-demand prices (target <= $2).

Runs real inquiries (function-URL events into the inquiry Lambda) against a moto server with the demo person's
combined statement, watches every DynamoDB call each one makes, and sizes the items those calls read and write as
DynamoDB bills them (reads per 4 KB, half for eventually consistent; writes per 1 KB of the larger of the item
before and after, doubled inside a transaction). The follow-up that the view's change drives (the timeline entry
and, once per permit, the SMS) is counted too, read from the requests table's stream by the same follow_up
handler Lambda runs. Lambda duration is the handler time measured here at the memory size infra/ gives each
function; logs are the bytes the handlers print plus Lambda's own lines where the function's system log level keeps
them. The follow-up runs in batches (the stream trigger's batch size): its request and log line are shared by a
batch, so they are counted per record at a full batch, as under the load a million inquiries make.

Prints each part, the total beside the floor (one small read and one small write), and the ratio."""
from __future__ import annotations

import base64
import io
import json
import math
import os
import statistics
import sys
import time
from contextlib import redirect_stdout
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
RUNS = int(os.environ.get("BENCH_RUNS", "100"))

# Published prices (us-east-1 and eu-central-1 differ by a few percent; these are the ones the stack notes give).
WRITE_UNIT = 0.625 / 1e6
READ_UNIT = 0.125 / 1e6
LAMBDA_REQUEST = 0.20 / 1e6
LAMBDA_GB_SECOND = 0.0000166667
LOG_INGEST_PER_GB = 0.50
DATA_OUT_PER_GB = 0.09  # from the region to the internet (first 10 TB), the function URL's answers
XRAY_PER_TRACE = 5.00 / 1e6
# In front of the inquiry URL on prod (infra/stacks/edge.py): CloudFront and a WAF web ACL.
CLOUDFRONT_PER_REQUEST = 0.0100 / 10_000  # HTTPS, US and Europe (the Middle East rate is on the pricing page)
CLOUDFRONT_DATA_OUT_PER_GB = 0.110  # Middle East, the costlier of the two the institutions are in
CLOUDFRONT_FUNCTION_PER_REQUEST = 0.10 / 1e6  # the viewer-request function that writes the viewer's headers
WAF_PER_REQUEST = 0.60 / 1e6  # plus $5 a month for the web ACL and $1 a rule, not per request
ASSUMED_RATE = 1e6 / 86_400  # inquiries a second if a million come each day: what Lambda's X-Ray sampling sees
LAMBDA_PLATFORM_LOG_BYTES = 350  # START, END and REPORT lines of one invocation, unless the system log level drops them


def deployment():
    """Memory sizes, system log levels and the stream's batch size, as infra/ deploys them."""
    import importlib.util

    # By path: infra/stacks/__init__.py imports the CDK, which this virtualenv does not have.
    spec = importlib.util.spec_from_file_location("function_specs", os.path.join(ROOT, "infra", "stacks", "functions.py"))
    specs = importlib.util.module_from_spec(spec)
    sys.modules["function_specs"] = specs  # dataclasses look their module up while the class is built
    spec.loader.exec_module(specs)
    return specs.FUNCTIONS["inquiry"], specs.FUNCTIONS["follow_up"], specs.FOLLOW_UP_BATCH_SIZE


def xray_traces_share(spec, tracing: str | None = None) -> float:
    """The share of inquiries X-Ray records: none when the function passes tracing through (nobody upstream asks);
    when active, Lambda's fixed rule of 1 a second and 5% of the rest, at ASSUMED_RATE."""
    if (tracing or spec.tracing) != "Active":
        return 0.0
    return (1 + 0.05 * max(0.0, ASSUMED_RATE - 1)) / ASSUMED_RATE


def platform_log_bytes(spec) -> int:
    return LAMBDA_PLATFORM_LOG_BYTES if spec.system_log_level in ("DEBUG", "INFO") else 0


def attribute_size(value: dict) -> float:
    """DynamoDB's size of one attribute value in bytes (documented rules)."""
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = len(str(Decimal(inner)).lstrip("-").replace(".", "").strip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + attribute_size(v) + 1 for k, v in inner.items())
    if kind == "L":
        return 3 + sum(attribute_size(v) + 1 for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: v}) for v in inner)
    raise ValueError(kind)


def item_size(item: dict | None) -> float:
    return sum(len(name.encode()) + attribute_size(value) for name, value in (item or {}).items())


def read_units(size: float, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2


def write_units(size: float, transactional: bool = False) -> float:
    units = max(1, math.ceil(size / 1024))
    return 2 * units if transactional else units


def main() -> None:
    from devstack.moto_server import moto_server

    with moto_server(log_level="INFO"):
        run()


class Meter:
    """Prices each DynamoDB call of the client the service uses from the items it touches."""

    def __init__(self, raw):
        self.raw = raw  # an unwatched client, to read items as they are before and after a call
        self.calls: list[tuple[str, float, float]] = []  # (operation, read units, write units)
        self.before: dict | None = None

    def get(self, table, key):
        return self.raw.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def price(self, operation: str, params: dict, response: dict) -> None:
        if operation == "BatchGetItem":
            reads = 0.0
            for table, items in response.get("Responses", {}).items():
                consistent = params["RequestItems"][table].get("ConsistentRead", False)
                found = {json.dumps(i.get("pk")) for i in items}
                reads += sum(read_units(item_size(i), consistent) for i in items)
                missing = [k for k in params["RequestItems"][table]["Keys"] if json.dumps(k.get("pk")) not in found]
                reads += sum(read_units(0, consistent) for _ in missing)
            self.calls.append((operation, reads, 0.0))
        elif operation == "UpdateItem":
            after = self.get(params["TableName"], params["Key"])
            size = max(item_size(self.before), item_size(after))
            self.calls.append((operation, 0.0, write_units(size)))
        elif operation == "PutItem":
            self.calls.append((operation, 0.0, write_units(item_size(params["Item"]))))
        elif operation == "TransactWriteItems":
            units = 0.0
            for write in params["TransactItems"]:
                (kind, body), = write.items()
                item = body.get("Item") or self.get(body["TableName"], body["Key"])
                units += write_units(item_size(item), transactional=True)
            self.calls.append((operation, 0.0, units))
        else:
            self.calls.append((operation, 0.0, 0.0))


def watched(dynamodb, meter: Meter):
    """Wrap the service's client so each call is priced with its parameters and answer."""
    original = dynamodb._make_api_call

    def call(operation, params):
        if operation == "UpdateItem":
            meter.before = meter.get(params["TableName"], params["Key"])
        answer = original(operation, params)
        meter.price(operation, params, answer)
        return answer

    dynamodb._make_api_call = call


def run() -> None:
    import boto3

    import app
    from chalicelib.storage.aws import client
    from devstack.moto_server import demo_inquiry
    from devstack.seed import DEMO_NATIONAL_CODE
    from devstack.workers import StreamReader

    services, tracking, permit, event = demo_inquiry()
    raw = boto3.client("dynamodb", region_name="us-east-1")
    follow_up_times: list[float] = []

    def timed_follow_up(batch, context):
        started = time.perf_counter()
        answer = app.follow_up(batch, context)
        follow_up_times.append((time.perf_counter() - started) / max(1, len(batch["Records"])))
        return answer

    stream = StreamReader(services.settings.requests_table, timed_follow_up)
    stream.drain()  # what the set-up wrote

    answer_bytes: list[int] = []

    def one_inquiry() -> tuple[float, int, int]:
        out, follow_out = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with redirect_stdout(out):
            answer = app.inquiry(event, None)
        elapsed = time.perf_counter() - started
        assert answer["statusCode"] == 200, answer["body"]
        sent = base64.b64decode(answer["body"]) if answer.get("isBase64Encoded") else answer["body"].encode()
        answer_bytes.append(len(sent) + sum(len(k) + len(v) + 4 for k, v in answer["headers"].items()))
        with redirect_stdout(follow_out):
            assert stream.drain() == 1
        return elapsed, len(out.getvalue().encode()), len(follow_out.getvalue().encode())

    # Time and log bytes, with nothing watching the calls.
    for _ in range(5):
        one_inquiry()  # warm-up: clients, connections, the first decompression
    follow_up_times.clear()
    timed = [one_inquiry() for _ in range(RUNS)]
    inquiry_times = [t for t, _, _ in timed]
    inquiry_logs = [n for _, n, _ in timed]
    follow_up_logs = [n for _, _, n in timed]

    # Capacity units, with every call of the service's client priced from the items it touched.
    meter = Meter(raw)
    watched(client("dynamodb"), meter)
    inquiry_units, follow_up_units = [], []
    for _ in range(min(RUNS, 20)):
        meter.calls.clear()
        with redirect_stdout(io.StringIO()):
            assert app.inquiry(event, None)["statusCode"] == 200
        calls = list(meter.calls)
        meter.calls.clear()
        with redirect_stdout(io.StringIO()):
            stream.drain()
        inquiry_units.append((calls, sum(r for _, r, _ in calls), sum(w for _, _, w in calls)))
        follow_up_units.append(sum(w for _, _, w in meter.calls))

    operations = [name for name, _, _ in inquiry_units[-1][0]]
    reads = statistics.median(u[1] for u in inquiry_units)
    writes = statistics.median(u[2] for u in inquiry_units)
    follow_writes = statistics.median(follow_up_units)
    inquiry_seconds = statistics.median(inquiry_times)
    follow_seconds = statistics.median(follow_up_times)
    permit_item = raw.get_item(TableName=services.settings.requests_table, ConsistentRead=True, Key={
        "pk": {"S": f"PERSON#{DEMO_NATIONAL_CODE}"}, "sk": {"S": f"REQ#{tracking}#P#{permit.permit_id}"}})["Item"]
    grant_item = raw.get_item(TableName=services.settings.grants_table,
                              Key={"pk": {"S": f"GRANT#{permit.grant_key}"}})["Item"]

    inquiry_fn, follow_up_fn, batch = deployment()
    per_million = {
        "inquiry Lambda requests": 1e6 * LAMBDA_REQUEST,
        "inquiry Lambda duration": 1e6 * math.ceil(inquiry_seconds * 1000) / 1000 * inquiry_fn.memory / 1024
        * LAMBDA_GB_SECOND,
        "DynamoDB reads": 1e6 * reads * READ_UNIT,
        "DynamoDB writes (the view)": 1e6 * writes * WRITE_UNIT,
        "follow-up writes (timeline entry)": 1e6 * follow_writes * WRITE_UNIT,
        f"follow-up Lambda (batches of {batch})": 1e6 / batch * LAMBDA_REQUEST
        + 1e6 * follow_seconds * follow_up_fn.memory / 1024 * LAMBDA_GB_SECOND,
        "logs": 1e6 * (statistics.median(inquiry_logs) + platform_log_bytes(inquiry_fn)
                       + (statistics.median(follow_up_logs) + platform_log_bytes(follow_up_fn)) / batch)
        / 1024 ** 3 * LOG_INGEST_PER_GB,
    }
    answer_gb = statistics.median(answer_bytes) / 1024 ** 3
    per_million["X-Ray (hot paths pass tracing through)"] = 1e6 * xray_traces_share(inquiry_fn) * XRAY_PER_TRACE
    service = sum(per_million.values())  # what the service itself spends: Lambda, DynamoDB, logs, tracing
    per_million["data out (the answer, from the region)"] = 1e6 * answer_gb * DATA_OUT_PER_GB
    total = sum(per_million.values())
    floor = 1e6 * (LAMBDA_REQUEST + READ_UNIT * 1 + WRITE_UNIT * 1)
    edge = {
        "CloudFront requests": 1e6 * CLOUDFRONT_PER_REQUEST,
        "CloudFront function (viewer headers)": 1e6 * CLOUDFRONT_FUNCTION_PER_REQUEST,
        "CloudFront data out, instead of the region's": 1e6 * answer_gb * (CLOUDFRONT_DATA_OUT_PER_GB - DATA_OUT_PER_GB),
        "WAF requests": 1e6 * WAF_PER_REQUEST,
    }
    print(f"inquiries measured: {RUNS}; DynamoDB calls per inquiry: {len(operations)} ({', '.join(operations)})")
    print(f"items: grant {item_size(grant_item) / 1024:.1f} KB (read, never written by a view), "
          f"permit {item_size(permit_item):.0f} B (the view's write)")
    print(f"answer sent per inquiry: {statistics.median(answer_bytes) / 1024:.1f} KB (gzip, as browsers and "
          f"institutions' clients accept it)")
    print(f"log bytes per inquiry: {statistics.median(inquiry_logs):.0f} (inquiry) + "
          f"{statistics.median(follow_up_logs):.0f} (follow-up, one line per batch); Lambda's own lines: inquiry "
          f"{inquiry_fn.system_log_level}, follow_up {follow_up_fn.system_log_level}")
    print(f"per inquiry: {reads:g} read units, {writes:g} write units; follow-up {follow_writes:g} write units; "
          f"handler {inquiry_seconds * 1000:.1f} ms here, follow-up {follow_seconds * 1000:.1f} ms per record")
    for name, dollars in per_million.items():
        print(f"  {name:38s} ${dollars:6.3f} per million")
    print(f"the service's own cost per million:      ${service:6.3f}  (Lambda, DynamoDB, logs, tracing; target <= $2.00)")
    print(f"with the answer's data out (function URL): ${total:6.3f}")
    for name, dollars in edge.items():
        print(f"  + {name:36s} ${dollars:6.3f} per million")
    print(f"total with CloudFront and the WAF (prod): ${total + sum(edge.values()):6.3f}  (and $9 a month for the web ACL)")
    active = 1e6 * xray_traces_share(inquiry_fn, "Active") * XRAY_PER_TRACE
    print(f"(tracing every inquiry actively would add ${active:.3f} per million at a million inquiries a day: "
          f"Lambda samples 1 a second and 5% of the rest, whatever the sampling rules say)")
    print(f"floor (one small read, one small write, one Lambda request): ${floor:.3f}; ratio {service / floor:.2f}")
    print("before this design (issue 7's measurement): ~22 write units per view, about $14 per million in DynamoDB alone")


if __name__ == "__main__":
    main()
