"""A moto server on a free local port, with the environment that points boto3 at it: for benches and scripts that
want real HTTP round trips without the whole local stack."""
from __future__ import annotations

import contextlib
import logging
import os
import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def moto_server(log_level: str = "WARNING", outbox: str = "/tmp/sabeghe-bench-outbox.jsonl"):
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto would print every call
    port = free_port()
    os.environ.update({"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "APP_ENV": "local",
                       "OUTBOX_PATH": outbox, "LOG_LEVEL": log_level})
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield port
    finally:
        server.stop()


def demo_inquiry(user_agent: str = "Bank/1.0") -> tuple:
    """On the running moto server: the tables, the demo person with a ready combined statement and a year-long
    permit, and a function-URL event of an institution's inquiry with its passcode.

    Returns (services, tracking number, the permit, the event)."""
    import json

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
    permit = services.adapters.requests.get(DEMO_NATIONAL_CODE, tracking).permits[0]
    event = function_url_event("POST", "/", "", {"Host": "bench.lambda-url.us-east-1.on.aws",
                                                 "Content-Type": "application/json", "User-Agent": user_agent,
                                                 "Accept-Encoding": "gzip, deflate, br"},
                               json.dumps({"identifier": DEMO_NATIONAL_CODE, "passcode": passcode}).encode(),
                               "198.51.100.1")
    return services, tracking, permit, event
