"""How each Lambda function is deployed: plain data, so the stack and the benches (bench/view_cost.py) read the same
figures without importing the CDK."""
from __future__ import annotations

from dataclasses import dataclass

# The Lambda runtime, pinned. Chalice packages the wheels of the Python that runs the synth (cp312 here), so
# infra/app.py refuses to synthesize with any other interpreter: move this, LAMBDA_PYTHON and the Makefile's
# INFRA_PYTHON together. python3.12 is supported by Lambda until 2028-10-31; python3.11 was deprecated on 2026-06-30.
LAMBDA_RUNTIME = "python3.12"
LAMBDA_PYTHON = (3, 12)


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str  # the resource name `chalice package` gives the function in the SAM template
    memory: int
    timeout: int  # seconds
    # Lambda's own START/END/REPORT lines: WARN drops them on the per-view hot paths, where they would be most of the
    # log bill (duration and errors still reach CloudWatch metrics).
    system_log_level: str = "INFO"
    # X-Ray. Lambda samples an active function at 1 request a second and 5% of the rest, a rate no sampling rule
    # changes: on the per-view hot paths that alone would cost more than the view itself (bench/view_cost.py), so
    # they pass tracing through (traced when a caller asks) and are watched by their logs' latency and alarms.
    tracing: str = "Active"


# Chalice function name (as in app.py) -> how it is deployed. `api_handler` holds every @app.route.
FUNCTIONS: dict[str, FunctionSpec] = {
    "api_handler": FunctionSpec("APIHandler", 256, 29),  # API Gateway gives up after 29 s anyway
    "inquiry": FunctionSpec("Inquiry", 256, 15, system_log_level="WARN", tracing="PassThrough"),
    "render_statement": FunctionSpec("RenderStatement", 1024, 60),
    "deliver_mailbox": FunctionSpec("DeliverMailbox", 256, 30),
    "cleanup": FunctionSpec("Cleanup", 256, 300),
    # consumes the requests table's stream
    "follow_up": FunctionSpec("FollowUp", 256, 60, system_log_level="WARN", tracing="PassThrough"),
    "send_sms": FunctionSpec("SendSms", 256, 30),  # consumes the Sms queue, posts to the SMS provider's HTTP API
    # the lists bucket's object-created events under uploads/: 5,000 workers take ~10 s; 300 s leaves room for a
    # list of the 50 MiB limit, and /tmp's default 512 MB holds the list unpacked twice over
    "ingest_list": FunctionSpec("IngestList", 512, 300),
}

# follow_up reads the requests table's stream in batches of up to this many records.
FOLLOW_UP_BATCH_SIZE = 100
