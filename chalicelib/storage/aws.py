"""boto3 clients, built on first use and cached for the life of the Lambda container.

Never at import time: moto must be active before a client exists, and a cold start should pay only for the
clients a handler really uses."""
from __future__ import annotations

import os
import threading

_clients: dict = {}
_session = None  # one botocore session per process: it loads the endpoint rules and service models once
_lock = threading.Lock()


def client(service: str):
    found = _clients.get(service)
    if found is not None:
        return found
    global _session
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            if _session is None:
                _session = boto3.session.Session()
            config = Config(
                signature_version="s3v4" if service == "s3" else None,
                retries={"max_attempts": 4, "mode": "standard"},
                connect_timeout=2,
                read_timeout=10,
                # Payloads unsigned and checksummed only where S3 requires it, as over HTTPS: over the local stack's
                # plain HTTP botocore would otherwise read a whole upload into memory to hash it (a list's report
                # is 1.5 MB at 10,000 rows). TLS protects the payload on AWS.
                s3={"addressing_style": "path", "payload_signing_enabled": False} if service == "s3" else None,
                request_checksum_calculation="when_required" if service == "s3" else None,
            )
            region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
            _clients[service] = _session.client(service, region_name=region, config=config)
    return _clients[service]


def reset_clients() -> None:
    """Forget cached clients (tests start a fresh moto for each case)."""
    with _lock:
        _clients.clear()
