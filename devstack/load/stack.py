"""The local stack in its own process (serve.py), on free ports, with a fresh state directory; and the two things
any test or tool that starts a stack in its own process needs: reading its output until it is up, and stopping it
as a developer stops `make run` (tests/stack/conftest.py's RunningStack uses them too)."""
from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from devstack import faults
from devstack.moto_server import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READY_LINE = "sabeghe-load-stack-ready"  # serve.py prints it, with the stack's environment, once the stack is up
MOTO_TIMES = "moto-dynamodb.json"  # in the state directory: serve.py writes moto's time per DynamoDB operation


def read_until(process: subprocess.Popen, marker: str, timeout: float, seen: list[str]) -> str | None:
    """Reads the process's output line by line until one with `marker` in it, and returns that line; every line
    before it is added to `seen`. None if the process ended first or `timeout` seconds went by."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            return None
        if marker in line:
            return line
        seen.append(line)
    return None


def stop_process(process: subprocess.Popen, timeout: float = 20) -> bool:
    """Ctrl-C (SIGINT), as a developer stops `make run`; if it has not ended `timeout` seconds later, its whole
    process group is killed. Whether it ended by itself (or had already ended)."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return False
    return True


class LoadStack:
    """The local stack in its own process (as tests/stack/conftest.py's RunningStack starts `make run`), on free
    ports, with a fresh state directory; `hooks` loads devstack/faults.py into its processes (idle until armed).
    Its output is read all along: error lines are kept, and a full pipe would block the stack."""

    def __init__(self, state: str | None = None, hooks: bool = False, start_timeout: float = 120):
        self.own_state = state is None  # made here: removed by stop()
        self.state = state or tempfile.mkdtemp(prefix="sabeghe-load-")
        self.faults_dir = os.path.join(self.state, "faults") if hooks else None
        self.api_port, self.inquiry_port, self.moto_port = free_port(), free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.inquiry = f"http://127.0.0.1:{self.inquiry_port}"
        self.outbox = os.path.join(self.state, ".local", "outbox.jsonl")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k not in ("BOTOCORE_EXPERIMENTAL__PLUGINS", faults.DIRECTORY_ENV)}
        if self.faults_dir:
            os.makedirs(self.faults_dir, exist_ok=True)
            env.update(faults.environment(self.faults_dir))
        self.errors: list[dict] = []  # the stack's ERROR log lines, parsed
        self.tail = collections.deque(maxlen=200)
        self.warm = False
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack.load", "serve", "--api-port", str(self.api_port),
             "--inquiry-port", str(self.inquiry_port), "--moto-port", str(self.moto_port), "--state", self.state],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.env = self._read_until_ready(start_timeout)
        self.start_seconds = time.monotonic() - self.started
        threading.Thread(target=self._drain, daemon=True, name="stack-output").start()

    def _read_until_ready(self, timeout: float) -> dict:
        seen = []
        line = read_until(self.process, READY_LINE, timeout, seen)
        for before in seen:
            self._keep(before)
        if line is None:
            self.stop()
            raise RuntimeError("the local stack did not start:\n" + "".join(seen[-60:]))
        return json.loads(line.split(READY_LINE, 1)[1])

    def _drain(self) -> None:
        for line in iter(self.process.stdout.readline, ""):
            self._keep(line)

    def _keep(self, line: str) -> None:
        self.tail.append(line)
        if '"level": "ERROR"' in line:
            try:
                self.errors.append(json.loads(line))
            except ValueError:
                self.errors.append({"event": "unparsed", "line": line[:2000]})

    def alive(self) -> bool:
        return self.process.poll() is None

    def moto_times(self) -> dict:
        """{DynamoDB operation: [calls, CPU seconds in moto]} so far."""
        try:
            with open(os.path.join(self.state, MOTO_TIMES), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def cpu_seconds(self) -> dict:
        """CPU time used so far by the stack's processes (Linux's /proc): `stack` (moto, the inquiry function, the
        workers) and `api` (chalice local)."""
        tick = os.sysconf("SC_CLK_TCK")
        used = {}
        try:
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                pid, ppid = int(entry), int(fields[1])
                if pid == self.process.pid or ppid == self.process.pid:
                    name = "stack" if pid == self.process.pid else "api"
                    used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            pass
        return used

    def aws_environment(self) -> dict:
        """What boto3 and chalicelib need to reach the stack's storage from another process."""
        return {**{k: v for k, v in self.env.items() if k != "PUBLIC_VERIFY_BASE_URL"},
                "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "OUTBOX_PATH": self.outbox,
                "LOG_LEVEL": "WARNING"}

    def stop(self) -> int | None:
        stop_process(self.process)
        if self.own_state:
            shutil.rmtree(self.state, ignore_errors=True)
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()
