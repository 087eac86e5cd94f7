"""The figures of a run, printed and returned: throughput, p50/p99 latency and answers per operation, the faults
injected per AWS operation, the stack's error log, settling, and what the invariants found."""
from __future__ import annotations

import collections
from typing import TYPE_CHECKING

from devstack.load.stack_errors import error_cause

if TYPE_CHECKING:
    from devstack.load.run import Result

OPERATIONS = ("login", "statement", "statement_again", "statement_twice", "poll", "permit", "permit_again",
              "inquire", "inquire_wrong", "inbox")  # in the report's order


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def report(result: Result, say=print) -> dict:
    stats = result.stats
    say("")
    say(f"{result.requests} requests in {result.elapsed:.1f} s: {result.requests / result.elapsed:.1f} requests/s "
        f"({result.users} users, {result.people} people"
        + (f", faults at {result.fault_rate:g}" if result.fault_rate else "") + ")")
    machine = result.machine
    if machine:
        say(f"machine: {machine['cpus']} CPUs, load average {machine['load_average_before']} before, "
            f"{machine['load_average_after']} after; CPU seconds used: "
            + ", ".join(f"{k} {v}" for k, v in machine["cpu_seconds"].items()))
        moto = machine.get("moto_dynamodb") or {}
        if moto:
            spent = sum(m["cpu_s"] for m in moto.values())
            say(f"moto's DynamoDB (in the stack process, one call at a time): {spent:.1f} CPU s; "
                + ", ".join(f"{op} {m['calls']}× {m['ms_per_call']} ms" for op, m in list(moto.items())[:4]))
    say(f"{'operation':<17}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}  answers")
    table = {}
    for op in OPERATIONS:
        samples = stats.latency.get(op, [])
        if not samples:
            continue
        answers = {str(status): n for (o, status), n in sorted(stats.statuses.items(), key=lambda x: str(x[0][1]))
                   if o == op}
        row = {"requests": len(samples), "rate": len(samples) / result.elapsed,
               "p50_ms": percentile(samples, 0.50) * 1000, "p99_ms": percentile(samples, 0.99) * 1000,
               "answers": answers}
        table[op] = row
        say(f"{op:<17}{row['requests']:>9}{row['rate']:>8.1f}{row['p50_ms']:>9.0f}{row['p99_ms']:>9.0f}  "
            + ", ".join(f"{s}×{n}" for s, n in answers.items()))
    if stats.ready_wait:
        say(f"{'(ready wait)':<17}{len(stats.ready_wait):>9}{'':>8}{percentile(stats.ready_wait, 0.5) * 1000:>9.0f}"
            f"{percentile(stats.ready_wait, 0.99) * 1000:>9.0f}  from the 201 to `ready` (the render worker)")
    if stats.fault_answers:
        say("shaped 5xx under faults (retried with the same key): "
            + ", ".join(f"{op} {status} {code}×{n}" for (op, status, code), n in sorted(stats.fault_answers.items())))
    if stats.waits:
        say("409 request_in_progress, waited out as Retry-After asks: "
            + ", ".join(f"{op}×{n}" for (op, _code), n in sorted(stats.waits.items()))
            + f" (Retry-After {min(stats.waited):.0f}–{max(stats.waited):.0f} s, {sum(stats.waited):.0f} s in all)")
    by_operation = collections.Counter((f["operation"], f["kind"]) for f in result.faults)
    if result.fault_rate:
        kinds = collections.Counter(f["kind"] for f in result.faults).most_common()
        places = collections.Counter(f["where"] for f in result.faults).most_common()
        say(f"faults injected: {len(result.faults)} ({', '.join(f'{k} {n}' for k, n in kinds)}; "
            f"where: {', '.join(f'{k} {n}' for k, n in places)})")
        per_op = collections.defaultdict(collections.Counter)
        for (operation, kind), n in by_operation.items():
            per_op[operation][kind] = n
        for operation, kinds in sorted(per_op.items(), key=lambda x: -sum(x[1].values())):
            say(f"  {operation:<40}{sum(kinds.values()):>5}  "
                + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    causes = collections.Counter(error_cause(e) for e in result.stack_errors if e.get("event") == "unhandled_error")
    others = collections.Counter(e.get("event") for e in result.stack_errors if e.get("event") != "unhandled_error")
    if causes or others:
        say(f"stack error log: {sum(causes.values())} unhandled errors (answered 500 internal_error)"
            + (f"; other error events: {dict(others)}" if others else ""))
        for cause, n in causes.most_common(12):
            say(f"  {n:>5}  {cause}")
    settled = result.settle
    say(f"settled in {settled['seconds']} s: {settled['swept']} follow-up tasks swept by the cleanup, "
        f"{settled['redriven']} renders redriven from the dead-letter queue; left {settled['left']}")
    facts = result.verdict.facts
    say("client and storage: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in facts.items()))
    for finding in result.verdict.findings:
        say(f"finding: {finding}")
    if result.unexpected:
        grouped = collections.Counter((e["op"], str(e["status"])) for e in result.unexpected)
        say(f"UNEXPECTED: {len(result.unexpected)} answers: "
            + ", ".join(f"{op} {status}×{n}" for (op, status), n in grouped.most_common()))
        for error in result.unexpected[:10]:
            say(f"  {error['op']} {error['status']}: {error['detail']}")
    for violation in result.verdict.violations:
        say(f"VIOLATION: {violation}")
    say("invariants: " + ("VIOLATED" if result.verdict.violations else
                          "nothing lost, nothing doubled (statements, replays, permits, views, PDFs, tasks, SMS)"))
    return {"requests": result.requests, "elapsed": result.elapsed, "rate": result.requests / result.elapsed,
            "users": result.users, "people": result.people, "machine": result.machine,
            "fault_rate": result.fault_rate, "operations": table,
            "ready_wait": {"n": len(stats.ready_wait), "p50_ms": percentile(stats.ready_wait, 0.5) * 1000,
                           "p99_ms": percentile(stats.ready_wait, 0.99) * 1000} if stats.ready_wait else None,
            "fault_answers": {f"{op} {status} {code}": n for (op, status, code), n in stats.fault_answers.items()},
            "waits": {op: n for (op, _c), n in stats.waits.items()}, "waited_seconds": sum(stats.waited),
            "faults": {f"{op} {kind}": n for (op, kind), n in by_operation.items()},
            "faults_total": len(result.faults), "unhandled_errors": dict(causes), "settle": settled,
            "facts": facts, "findings": result.verdict.findings, "violations": result.verdict.violations,
            "unexpected": result.unexpected}
