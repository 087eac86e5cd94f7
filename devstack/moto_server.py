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
