"""`make load`: a bounded load run against the local stack, over loopback, and what it proves afterwards.

The run starts its own stack (devstack/stack.py's LocalStack: the embedded moto server, `chalice local`, the
inquiry function and the workers) in its own process, on free ports, with a fresh state directory (the outbox and
e-mailbox files), so it never touches a developer's `make run` or `.local/`. It seeds insured people through the
same adapters devstack/seed.py uses, then runs virtual users for a fixed time (threads, the standard library's
http.client). Each user owns a few people, keeps a session for each (logged in at first use and, now and then,
again, as someone coming back later) and, in a mix:

- full: (logs in,) asks for a statement (with an Idempotency-Key; now and then sending it twice, one after the other
  or at once), waits for it to be ready, issues a permit (with an Idempotency-Key, now and then twice), has an
  institution inquire with the passcode at the inquiry function (and, rarely, with a wrong one), opens the inbox;
- share again: (logs in,) issues another permit on a statement that is ready, inquiries, inbox;
- institution: an institution inquires again with a passcode it was given.

Every user has its own client address: its connections leave from its own loopback address (127.77.x.y), which
the inquiry function sees as the caller's address (its per-client limits), and the API calls carry
X-Forwarded-For: 10.77.x.y. Under `chalice local` the API sees neither: chalice fills API Gateway's sourceIp with
127.0.0.1 itself, so X-Forwarded-For is never consulted and every local caller is one client to the API. Its
per-client limits then apply to the whole run: no login fails, and logging in again (each costs a password hash,
of which one client gets 300 per 10 minutes) is capped at LOGINS_PER_RUN. Wrong passcodes stay far below the
inquiry function's limits: at most 2 per person (1 under faults, where a retried or re-sent failure may count
twice) and 10 per client address.

Afterwards, with the faults disarmed, the stack settles (the workers drain; then, as the hourly cleanup an hour
later would, the follow-up tasks the stream gave up are swept, and an operator's redrive of the render
dead-letter queue), and the invariants are checked in the stack's storage (boto3 against the embedded moto, as the
tests do): every statement the client got a 201 for exists exactly once, under its key, ready; no statement
exists that no key asked for; replays answered with the same tracking number, permit and passcode; every
correct-passcode inquiry got its statement; each permit counted the views its institutions got; the timeline
holds each view; the PDFs are those of ready statements; no follow-up task is left; no SMS went twice.

`--faults RATE` (make load FAULTS=0.05) makes the service's AWS calls fail at that rate (devstack/faults.py).
Under faults every answer must still be a success or a shaped error (`{"error": {"code", "message"}}`); a shaped
5xx is retried by the client with the same Idempotency-Key, and so is a 409 `request_in_progress` after its
Retry-After.

Prints throughput, p50/p99 latency per operation, answers per operation and status, the faults injected per AWS
operation and what the invariants found; exits non-zero on any unexpected answer (a 5xx without faults, an
unshaped error, a connection error, an unexpected 4xx) or any lost or doubled statement.

The modules, in the order a run uses them: stack.py (the stack in its own process; serve.py is that process),
storage.py (its storage from this process), people.py (seeding), users.py (the virtual users' journeys, over
client.py's careful client; what they were answered in ledger.py, their samples in stats.py), settling.py,
invariants.py, run.py (one run, end to end), report.py (the figures; stack_errors.py reads the stack's error log);
__main__.py is the command line."""
