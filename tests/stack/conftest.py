"""The running local stack (`make run`): started in its own process on free ports, stopped by the test."""
from __future__ import annotations

import collections
import os
import socket
import subprocess
import sys
import threading

import pytest
import requests

from devstack.load.stack import read_until, stop_process
from devstack.moto_server import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class RunningStack:
    def __init__(self, tmp_root):
        self.api_port, self.inquiry_port, self.moto_port = free_port(), free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.inquiry = f"http://127.0.0.1:{self.inquiry_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.outbox = os.path.join(ROOT, ".local", "outbox.jsonl")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack.stack", "--api-port", str(self.api_port),
             "--inquiry-port", str(self.inquiry_port), "--moto-port", str(self.moto_port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.banner = self._read_until("Press Ctrl-C to stop.", timeout=90)
        # Keep reading: every request logs a line, and a full pipe would block the stack on its next write.
        self.tail = collections.deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in iter(self.process.stdout.readline, ""):
            self.tail.append(line)

    def _read_until(self, marker: str, timeout: float) -> str:
        seen = []
        line = read_until(self.process, marker, timeout, seen)
        if line is None:
            self.process.kill()
            raise AssertionError("the local stack did not start:\n" + "".join(seen))
        return "".join(seen) + line

    def stop(self) -> int:
        if not stop_process(self.process, timeout=20):  # killed after 20 s: the test fails as before
            raise subprocess.TimeoutExpired(self.process.args, 20)
        return self.process.returncode

    def login_demo(self) -> dict:
        answer = requests.post(f"{self.api}/v1/auth/login",
                               json={"national_code": "0499370899", "password": "Sabeghe-demo-1403"}, timeout=30)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("stack"))
    yield running
    running.stop()


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) != 0
