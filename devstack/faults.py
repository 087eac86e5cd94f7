"""Faults under load: AWS calls made by the service's code inside the running local stack fail now and then.

tests/faults/ fails one planned call at a time, in one process, to prove each flow reaches one end state. This is
its counterpart for the running stack (`make load FAULTS=0.05`): every AWS call the service makes fails at a given
rate, with a fixed random seed, in both of the stack's processes (the API under `chalice local`, and the process
that runs the inquiry function and the workers). The kinds of failure are the suite's, as botocore shows them:

- `throttle`: a throttling error after botocore's own retries gave up (DynamoDB's
  ProvisionedThroughputExceededException, S3's SlowDown, ThrottlingException elsewhere); the call had no effect;
- `connect-timeout`: botocore's ConnectTimeoutError; the call never reached AWS;
- `read-timeout`: botocore's ReadTimeoutError after the call reached AWS and took effect (the answer never came);
- `lost`: the call took effect, its answer was lost, botocore sent it again and the code gets the second answer
  (for a conditional write, usually "the condition failed") - the suite's "lost" mode. Not for TransactWriteItems:
  botocore sends it with a ClientRequestToken, which makes DynamoDB answer the re-sent request as the first one
  (moto ignores the token and would apply it twice, a failure AWS never shows).

How it gets into the processes: botocore builds every client through `Session.create_client`, which loads the
client plugins named in BOTOCORE_EXPERIMENTAL__PLUGINS; `environment()` names this module there, and
`initialize_client_plugin` registers the hooks on each client (`before-call` decides and fails a call,
`after-call` turns an answered call into a read timeout, `needs-retry` re-sends a "lost" one). The variable is
inherited by `chalice local`, so the API process gets the hooks without any change to the app or the stack.

Only the service's own calls fail: a call made from devstack/workers.py is the platform's (the SQS event source
receiving and deleting messages, the stream reader) and, as in tests/faults/harness.py, is never failed. The hooks
do nothing until the stack is armed (a small JSON file, `arm()`), so provisioning and seeding never fail; each
process journals every fault it injected (`injected()` reads them back)."""
from __future__ import annotations

import json
import os
import random
import sys
import threading
import time

PLUGIN = "sabeghe_faults=devstack.faults"
DIRECTORY_ENV = "SABEGHE_FAULTS_DIR"
ARM_FILE = "armed.json"
KINDS = ("throttle", "connect-timeout", "read-timeout", "lost")
MARKER = "injected by devstack.faults"
THROTTLE_CODES = {"dynamodb": ("ProvisionedThroughputExceededException", 400), "s3": ("SlowDown", 503)}
_PLATFORM = (os.sep + os.path.join("devstack", "workers.py"),  # the platform's calls: never failed
             os.sep + "moto" + os.sep)
_LIBRARIES = (os.sep + "botocore" + os.sep, os.sep + "boto3" + os.sep)
_SELF = os.sep + os.path.join("devstack", "faults.py")
_FLAG = "sabeghe_fault"


def environment(directory: str) -> dict:
    """What a process (and the processes it starts) needs in its environment to carry the hooks."""
    return {"BOTOCORE_EXPERIMENTAL__PLUGINS": PLUGIN, DIRECTORY_ENV: directory}


def arm(directory: str, rate: float, seed: int, kinds: tuple[str, ...] = KINDS, run: str = "") -> None:
    """Start failing calls (in every process of the stack, within a quarter of a second); the faults are journalled
    under `run`."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"fault kinds are {', '.join(KINDS)}; not {', '.join(sorted(unknown)) or 'none'}")
    path = os.path.join(directory, ARM_FILE)
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        json.dump({"rate": rate, "seed": seed, "kinds": list(kinds), "run": run, "at": time.time()}, out)
    os.replace(path + ".tmp", path)


def disarm(directory: str) -> None:
    try:
        os.remove(os.path.join(directory, ARM_FILE))
    except FileNotFoundError:
        pass
    time.sleep(2 * Injector.RECHECK_SECONDS)  # every process has seen it


def loaded(directory: str) -> list[dict]:
    """The processes that loaded the hooks: `{"pid", "process"}` each."""
    found = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("loaded-"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                found.append(json.load(f))
    return found


def injected(directory: str, run: str | None = None) -> list[dict]:
    """The faults injected (under `run`, or all), by every process: `{"run", "process", "where", "operation",
    "kind"}` each."""
    faults = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("faults-"):
            with open(os.path.join(directory, name), encoding="utf-8") as lines:
                faults += [json.loads(line) for line in lines if line.endswith("\n")]
    return [f for f in faults if run is None or f.get("run") == run]


class Injector:
    """One per process: decides, journals and remembers whether the stack is armed."""

    RECHECK_SECONDS = 0.25

    def __init__(self, directory: str):
        self.directory = directory
        self.process = _process
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._armed_raw: str | None = None
        self._plan: dict | None = None
        self._random = random.Random()
        self._journal = None
        with open(os.path.join(directory, f"loaded-{os.getpid()}.json"), "w", encoding="utf-8") as out:
            json.dump({"pid": os.getpid(), "process": self.process}, out)

    def plan(self) -> dict | None:
        now = time.monotonic()
        if now - self._checked_at < self.RECHECK_SECONDS:
            return self._plan
        with self._lock:
            if now - self._checked_at >= self.RECHECK_SECONDS:
                try:
                    with open(os.path.join(self.directory, ARM_FILE), encoding="utf-8") as f:
                        raw = f.read()
                except FileNotFoundError:
                    raw = None
                if raw != self._armed_raw:
                    self._armed_raw = raw
                    self._plan = json.loads(raw) if raw else None
                    if self._plan:  # the same seed draws the same sequence in each process (threads interleave it)
                        self._random.seed(f"{self._plan['seed']}/{self.process}")
                self._checked_at = now
        return self._plan

    def draw(self, idempotent: bool = False) -> str | None:
        """A kind of failure for this call, or None. A call botocore makes idempotent (TransactWriteItems: the
        ClientRequestToken it fills in) cannot be "lost": DynamoDB answers its re-sent request as the first one
        (moto does not, and would apply it twice), so another kind is drawn."""
        plan = self.plan()
        if not plan or plan["rate"] <= 0:
            return None
        kinds = [k for k in plan["kinds"] if not (idempotent and k == "lost")]
        with self._lock:
            if self._random.random() >= plan["rate"] or not kinds:
                return None
            return self._random.choice(kinds)

    def journal(self, where: str, operation: str, kind: str) -> None:
        run = (self._plan or {}).get("run", "")
        line = json.dumps({"run": run, "process": self.process, "where": where, "operation": operation, "kind": kind})
        with self._lock:
            if self._journal is None:
                self._journal = open(os.path.join(self.directory, f"faults-{os.getpid()}.jsonl"), "a",
                                     encoding="utf-8")
            self._journal.write(line + "\n")
            self._journal.flush()  # the API process ends by SIGTERM: nothing waits in a buffer


_injector: Injector | None = None
_injector_lock = threading.Lock()
_process = "api"  # any process that inherits the hooks: the API's (chalice local), unless told otherwise


def this_is_the_stack_process() -> None:
    """Said by the process that runs the moto server, the inquiry function and the workers (devstack/load/serve.py),
    before it builds any client; the process it starts for the API inherits the hooks and stays `api`."""
    global _process
    _process = "stack"


def _the_injector() -> Injector | None:
    global _injector
    directory = os.environ.get(DIRECTORY_ENV)
    if not directory:
        return None
    if _injector is None:
        with _injector_lock:
            if _injector is None:
                _injector = Injector(directory)
    return _injector


def initialize_client_plugin(client) -> None:
    """botocore's client-plugin entry point: called for every client the process builds."""
    injector = _the_injector()
    if injector is None:
        return
    service = client.meta.service_model.service_name
    events = client.meta.events
    events.register("before-call", _before_call(injector, service))
    events.register("after-call", _after_call)
    events.register_first("needs-retry", _needs_retry)


def _service_code_caller() -> str | None:
    """Where the call comes from: None for the platform's own calls (never failed), else a short name of the
    function that runs it (api, inquiry, render_statement, follow_up, ...)."""
    frame = sys._getframe(2)
    while frame is not None and (frame.f_code.co_filename.endswith(_SELF)
                                 or any(part in frame.f_code.co_filename for part in _LIBRARIES)):
        frame = frame.f_back
    if frame is None or any(part in frame.f_code.co_filename for part in _PLATFORM):
        return None
    thread = threading.current_thread().name
    if thread.startswith("sqs-"):
        return "render_statement" if "render" in thread else "deliver_mailbox" if "mailbox" in thread else thread
    if thread.startswith("stream-"):
        return "follow_up"
    if thread.startswith("bucket-"):
        return "ingest_list"
    return "api" if _injector is not None and _injector.process == "api" else "inquiry"


def _before_call(injector: Injector, service: str):
    def before_call(model, params, context, **_kwargs):
        kind = injector.draw(idempotent=bool(model.idempotent_members))
        if kind is None:
            return None
        where = _service_code_caller()
        if where is None:
            return None
        operation = f"{service}.{model.name}"
        injector.journal(where, operation, kind)
        endpoint = params.get("url", service)
        if kind == "throttle":
            from botocore.awsrequest import AWSResponse

            code, status = THROTTLE_CODES.get(service, ("ThrottlingException", 400))
            return (AWSResponse(endpoint, status, {}, None),
                    {"Error": {"Code": code, "Message": f"Rate exceeded ({MARKER})"},
                     "ResponseMetadata": {"HTTPStatusCode": status, "MaxAttemptsReached": True}})
        if kind == "connect-timeout":
            from botocore.exceptions import ConnectTimeoutError

            raise ConnectTimeoutError(endpoint_url=f"{endpoint} ({MARKER})")
        context[_FLAG] = kind  # read-timeout: in after-call, once the call took effect; lost: in needs-retry
        return None

    return before_call


def _after_call(context, **_kwargs):
    if context.get(_FLAG) == "read-timeout":
        from botocore.exceptions import ReadTimeoutError

        del context[_FLAG]
        raise ReadTimeoutError(endpoint_url=f"({MARKER})")


def _needs_retry(request_dict, response=None, **_kwargs):
    context = (request_dict or {}).get("context") or {}
    if response is not None and context.get(_FLAG) == "lost":
        del context[_FLAG]
        return 0  # send it again at once: the first attempt's answer "never arrived"
    return None
