"""One run on a running stack, end to end: seed its people, warm up, run the users for the given time, disarm the
faults, settle, check the invariants; and what the run measured of the machine (CPU, moto's time)."""
from __future__ import annotations

import collections
import dataclasses
import json
import os
import time

from devstack import faults
from devstack.load.client import Connection
from devstack.load.invariants import Verdict, check
from devstack.load.people import seed_people
from devstack.load.settling import settle
from devstack.load.stack import LoadStack
from devstack.load.stack_errors import error_cause
from devstack.load.stats import Stats
from devstack.load.users import LOGINS_PER_RUN, Run, User


@dataclasses.dataclass
class Result:
    seconds: float
    users: int
    people: int
    fault_rate: float
    stats: Stats
    verdict: Verdict
    settle: dict
    faults: list
    stack_errors: list
    requests: int = 0
    elapsed: float = 0.0
    machine: dict = dataclasses.field(default_factory=dict)

    @property
    def unexpected(self) -> list:
        return self.stats.unexpected

    @property
    def failed(self) -> bool:
        return bool(self.unexpected or self.verdict.violations)


def warm_up(stack: LoadStack) -> None:
    """The demo person's statement end to end, once per stack, so the first users do not pay the imports (pydantic,
    argon2, fpdf2 and its fonts)."""
    from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD

    if stack.warm:
        return
    api = Connection(stack.api_port, "127.0.0.1", 60)
    inquiry = Connection(stack.inquiry_port, "127.0.0.1", 60)

    def call(connection, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _headers, raw = connection.request(method, path, json.dumps(body).encode() if body else None, headers)
        return status, json.loads(raw) if raw else None

    _status, login = call(api, "POST", "/v1/auth/login", {"national_code": DEMO_NATIONAL_CODE,
                                                          "password": DEMO_PASSWORD})
    token = login["token"]
    _status, asked = call(api, "POST", "/v1/me/statements", {"kind": "combined", "agree": True}, token)
    deadline = time.monotonic() + 60
    while call(api, "GET", f"/v1/me/inbox/{asked['tracking_no']}", token=token)[1]["status"] == "pending" \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    _status, permit = call(api, "POST", f"/v1/me/inbox/{asked['tracking_no']}/permits", {"validity": "day"}, token)
    call(inquiry, "POST", "/", {"identifier": DEMO_NATIONAL_CODE, "passcode": permit["passcode"]})
    api.close()
    inquiry.close()
    stack.warm = True


_runs = 0


def run_load(stack: LoadStack, seconds: float = 60, users: int = 12, people_per_user: int = 4,
             fault_rate: float = 0.0, fault_seed: int = 1403, seed: int = 7, drain: float = 45,
             settle_timeout: float = 60, fault_kinds: tuple[str, ...] = faults.KINDS, logins: int = LOGINS_PER_RUN,
             finish_iterations: bool = False, say=print) -> Result:
    """One run on a running stack: seed its people, warm up, run the users for `seconds` (plus up to `drain` for
    the requests in flight to finish their retries), disarm, settle, check."""
    global _runs
    _runs += 1
    run_no = _runs
    if fault_rate and not stack.faults_dir:
        raise ValueError("faults need a stack started with hooks=True")
    people = seed_people(stack, run_no, users * people_per_user, seed)
    warm_up(stack)
    if fault_rate:
        kinds = {entry["process"] for entry in faults.loaded(stack.faults_dir)}
        if kinds != {"api", "stack"}:
            raise RuntimeError(f"the fault hooks are not loaded in every stack process (loaded in: {sorted(kinds)})")
        faults.arm(stack.faults_dir, fault_rate, fault_seed, fault_kinds, run=f"run-{run_no}")
        time.sleep(2 * faults.Injector.RECHECK_SECONDS)
    errors_before = len(stack.errors)
    say(f"load: {seconds:g} s, {users} virtual users, {len(people)} people"
        + (f", faults at {fault_rate:g} of the service's AWS calls ({', '.join(fault_kinds)}; seed {fault_seed})"
           if fault_rate else "")
        + f" — API {stack.api}, inquiry {stack.inquiry}")
    cpu_before, own_before, load_before = stack.cpu_seconds(), time.process_time(), os.getloadavg()[0]
    moto_before = stack.moto_times()
    run = Run(stack, seconds, drain, bool(fault_rate), seed, run_no, logins, finish_iterations)
    team = [User(run, i, people[i * people_per_user:(i + 1) * people_per_user]) for i in range(users)]
    for user in team:
        user.start()
    for user in team:
        user.join(timeout=max(0.0, run.hard_end - time.monotonic()) + 30)
    run.stopping.set()
    elapsed = time.monotonic() - run.started
    cpu = {name: round(used - cpu_before.get(name, 0.0), 1) for name, used in stack.cpu_seconds().items()}
    cpu["load client"] = round(time.process_time() - own_before, 1)
    time.sleep(1.2)  # the stack writes moto's times every second
    moto = {}
    for operation, (calls, spent) in stack.moto_times().items():
        calls_before, spent_before = moto_before.get(operation, (0, 0.0))
        if calls > calls_before:
            moto[operation] = {"calls": calls - calls_before, "cpu_s": round(spent - spent_before, 2),
                               "ms_per_call": round(1000 * (spent - spent_before) / (calls - calls_before), 1)}
    machine = {"cpus": os.cpu_count(), "load_average_before": round(load_before, 2),
               "load_average_after": round(os.getloadavg()[0], 2), "cpu_seconds": cpu,
               "moto_dynamodb": dict(sorted(moto.items(), key=lambda item: -item[1]["cpu_s"]))}
    stuck = [u.name for u in team if u.is_alive()]
    injected = []
    if fault_rate:
        faults.disarm(stack.faults_dir)
        injected = faults.injected(stack.faults_dir, run=f"run-{run_no}")
    stats = Stats()
    for user in team:
        stats.merge(user.stats)
    if stuck:
        stats.unexpected.append({"op": "client", "status": "stuck", "detail": f"users still running: {stuck}"})
    if not stack.alive():
        stats.unexpected.append({"op": "stack", "status": "exited", "detail": "".join(list(stack.tail)[-30:])})
    say("settling (workers, the cleanup an hour later, a redrive of the dead-letter queue) …")
    settled = settle(stack, settle_timeout)
    statements = [s for u in team for s in u.statements]
    permits = [p for u in team for p in u.permits]
    verdict = check(stack, statements, permits, people, bool(injected))
    result = Result(seconds, users, len(people), fault_rate, stats, verdict, settled, injected,
                    stack.errors[errors_before:], requests=sum(stats.statuses.values()), elapsed=elapsed,
                    machine=machine)
    unexplained = collections.Counter(error_cause(e) for e in result.stack_errors
                                      if e.get("event") == "unhandled_error" and faults.MARKER not in str(e))
    for cause, n in unexplained.items():
        if fault_rate:
            verdict.findings.append(f"{n} answers 500 internal_error not raised by the injector: {cause}")
    if not fault_rate:
        for error in result.stack_errors:
            result.stats.unexpected.append({"op": "stack", "status": error.get("event"),
                                            "detail": str(error.get("traceback", error))[-400:]})
    return result
