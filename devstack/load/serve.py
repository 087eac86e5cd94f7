"""The stack's own process (`python -m devstack.load serve`, started by stack.py's LoadStack): devstack/stack.py's
LocalStack as `make run` starts it, with its state in the run's directory, and moto's time per DynamoDB operation
written beside it."""
from __future__ import annotations

import argparse
import json
import os
import signal
import threading
import time

from devstack import faults
from devstack.load.stack import MOTO_TIMES, READY_LINE


def time_moto_dynamodb(path: str) -> None:
    """CPU time moto spends on each DynamoDB operation (inside devstack/moto_atomic.py's lock, which wraps this),
    written to `path` every second for the runner to read."""
    import functools

    from moto.dynamodb.responses import DynamoHandler

    spent: dict[str, list] = {}
    lock = threading.Lock()
    original = DynamoHandler.call_action

    @functools.wraps(original)
    def timed(self, *args, **kwargs):
        started = time.thread_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            operation = (self.headers.get("X-Amz-Target") or "?").rsplit(".", 1)[-1]
            with lock:
                done = spent.setdefault(operation, [0, 0.0])
                done[0] += 1
                done[1] += time.thread_time() - started

    def write():
        while True:
            with lock:
                text = json.dumps(spent)
            with open(path + ".tmp", "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(path + ".tmp", path)
            time.sleep(1)

    DynamoHandler.call_action = timed
    threading.Thread(target=write, daemon=True, name="moto-timing").start()


def serve(argv: list[str]) -> None:
    """The stack process: LocalStack as `make run` starts it, with the outbox (and the e-mailbox folder beside it)
    in the given state directory instead of the repository's `.local/`, and moto's time per DynamoDB operation
    written beside them."""
    from devstack.stack import LocalStack

    parser = argparse.ArgumentParser(prog="devstack.load serve")
    for name in ("--api-port", "--inquiry-port", "--moto-port"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--state", required=True)
    args = parser.parse_args(argv)
    faults.this_is_the_stack_process()
    time_moto_dynamodb(os.path.join(args.state, MOTO_TIMES))
    stack = LocalStack(args.api_port, args.inquiry_port, args.moto_port)
    stack.env["OUTBOX_PATH"] = os.path.join(args.state, ".local", "outbox.jsonl")
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack.start()
        print(READY_LINE, json.dumps({k: v for k, v in stack.env.items() if not k.startswith("AWS_SECRET")}),
              flush=True)
        while not stopping.is_set() and stack.chalice.poll() is None:
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
