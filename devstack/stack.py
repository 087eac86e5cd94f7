"""`make run`: the whole service on this machine, in memory.

Starts an embedded moto server, creates the tables, bucket, queues and secret, seeds the demo data, serves
the API and web client with `chalice local` on :8000, and stops everything on Ctrl-C. Nothing is written to
AWS and nothing survives a restart: moto keeps all data in memory. Only the development CA that signs the statements
stays, under .local/signing/, so PDFs kept from one run still validate against the same root the next time."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stack_environment(moto_port: int, inquiry_port: int, root: str = ROOT) -> dict:
    return {
        "PUBLIC_VERIFY_BASE_URL": f"http://127.0.0.1:{inquiry_port}",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "APP_ENV": "local",
        "OUTBOX_PATH": os.path.join(root, ".local", "outbox.jsonl"),
        # The development CA's signing key and chain: made on the first start, kept and reused (devstack/dev_ca.py).
        "SIGNING_DIR": os.path.join(root, ".local", "signing"),
    }


def wait_for(url: str, seconds: float = 60.0, alive=lambda: True) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if not alive():
            raise RuntimeError(f"the server behind {url} exited while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status < 500:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.2)


class LocalStack:
    def __init__(self, api_port=8000, inquiry_port=8001, moto_port=5000, root=ROOT, quiet=False):
        self.api_port, self.inquiry_port, self.moto_port = api_port, inquiry_port, moto_port
        self.root = root
        self.quiet = quiet
        self.moto = None
        self.chalice = None
        self.background: list = []
        self.env = stack_environment(moto_port, inquiry_port, root)

    def start(self) -> "LocalStack":
        from moto.server import ThreadedMotoServer

        os.environ.update(self.env)
        os.makedirs(os.path.join(self.root, ".local"), exist_ok=True)
        from devstack.dev_ca import ensure

        ensure(self.env["SIGNING_DIR"])  # statements are signed as on AWS, by a key this machine keeps
        import logging

        from devstack.moto_atomic import atomic_dynamodb_calls

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto would print every AWS call
        atomic_dynamodb_calls()  # the server answers the API, the queue consumers and the inquiry at once
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self.moto.start()
        self._provision()
        self._start_background_workers()
        self.chalice = subprocess.Popen(
            [sys.executable, "-m", "devstack.api_server", "local", "--host", "127.0.0.1", "--port", str(self.api_port),
             "--no-autoreload", "--stage", "dev"],
            cwd=self.root, env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL if self.quiet else None, stderr=subprocess.STDOUT if self.quiet else None,
        )
        wait_for(f"http://127.0.0.1:{self.api_port}/openapi.json", alive=lambda: self.chalice.poll() is None)
        return self

    def _provision(self) -> None:
        from chalicelib import bootstrap
        from chalicelib.config import load_settings
        from chalicelib.storage.aws import client
        from chalicelib.storage.schema import create_all
        from devstack.seed import seed_demo

        bootstrap.reset()
        discovered = create_all(load_settings(), client)
        self.env.update(discovered)
        os.environ.update(discovered)
        bootstrap.reset()
        seed_demo(bootstrap.services())

    def _start_background_workers(self) -> None:
        """Hooks for what AWS runs outside the API (queue consumers, the inquiry function URL)."""
        from devstack.workers import start_workers

        self.background = start_workers(self)

    def stop(self) -> None:
        for worker in self.background:
            worker.stop()
        if self.chalice and self.chalice.poll() is None:
            self.chalice.terminate()
            try:
                self.chalice.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.chalice.kill()
        if self.moto:
            self.moto.stop()


def main() -> None:
    from devstack.seed import DEMO_MOBILE, DEMO_NATIONAL_CODE, DEMO_PASSWORD, NEWCOMER, STAFF_PASSWORD, STAFF_USERNAME

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--inquiry-port", type=int, default=8001)
    parser.add_argument("--moto-port", type=int, default=5000)
    args = parser.parse_args()
    stack = LocalStack(args.api_port, args.inquiry_port, args.moto_port)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack.start()
        print(f"""
Sabeghe is running (all data is in memory and is gone when you stop it).
  Insured portal and API:  http://127.0.0.1:{args.api_port}/   (OpenAPI: /openapi.json)
  Institution inquiry:     http://127.0.0.1:{args.inquiry_port}/
  AWS (moto server):       http://127.0.0.1:{args.moto_port}
  SMS and e-mailbox:       {stack.env['OUTBOX_PATH']}
  Demo insured person:     national code {DEMO_NATIONAL_CODE}, password {DEMO_PASSWORD}, mobile {DEMO_MOBILE}
  Demo staff user:         {STAFF_USERNAME} / {STAFF_PASSWORD}
  Try registering:         national code {NEWCOMER['national_code']}, birth date {NEWCOMER['birth_date']} (code by SMS: the outbox)
Press Ctrl-C to stop.""", flush=True)
        while not stopping.is_set() and stack.chalice.poll() is None:
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping…", flush=True)
        stack.stop()


if __name__ == "__main__":
    main()
