"""The invariants after settling: nothing lost, nothing doubled. Read with boto3 from the stack's moto (as the tests
do) and through the service's own inbox query, and held to what the client was answered (ledger.py)."""
from __future__ import annotations

import collections
import dataclasses
import json
import os
from typing import TYPE_CHECKING

from devstack.load.ledger import PermitIssued, StatementAsked
from devstack.load.people import Person
from devstack.load.storage import scan, storage

if TYPE_CHECKING:
    from devstack.load.stack import LoadStack


@dataclasses.dataclass
class Verdict:
    violations: list = dataclasses.field(default_factory=list)  # lost or doubled: the run fails
    findings: list = dataclasses.field(default_factory=list)  # worth knowing, explained by the faults injected
    facts: dict = dataclasses.field(default_factory=dict)


def check(stack: LoadStack, statements: list[StatementAsked], permits: list[PermitIssued], people: list[Person],
          faults_injected: bool) -> Verdict:
    from chalicelib.storage.aws import client

    verdict = Verdict()
    v, f = verdict.violations, verdict.findings
    with storage(stack) as services:
        settings = services.settings
        dynamodb = client("dynamodb")
        items = scan(dynamodb, settings.requests_table)
        activity = scan(dynamodb, settings.activity_table)
        documents = {o["Key"] for page in client("s3").get_paginator("list_objects_v2").paginate(
            Bucket=settings.documents_bucket) for o in page.get("Contents", [])}
        ours = {p.national_code for p in people}
        inbox_counts = {}
        for code in ours:  # the inbox the person sees, through the service the API runs
            count, cursor = 0, None
            while True:
                page = services.statements.inbox(code, cursor, 100)
                count += len(page["items"])
                cursor = page["next"]
                if not cursor:
                    break
            inbox_counts[code] = count
    requests = [i for i in items if i["sk"].startswith("REQ#") and "#P#" not in i["sk"]]
    stored_permits = {(i["national_code"], i["tracking_no"], i["permit_id"]): i for i in items
                      if i["sk"].startswith("REQ#") and "#P#" in i["sk"]}
    by_key = collections.defaultdict(list)
    for r in requests:
        if r["national_code"] in ours:
            by_key[(r["national_code"], r.get("idempotency_key"))].append(r)

    # Statements: every 201 exactly once, under its key; nothing no key asked for; replays gave the same answer.
    asked = {(s.person.national_code, s.key): s for s in statements}
    answered = [s for s in statements if s.tracking_no]
    for s in answered:
        found = by_key.get((s.person.national_code, s.key), [])
        if not found:
            v.append(f"lost: statement {s.tracking_no} (key {s.key}) was answered 201 but is not stored")
        elif len(found) > 1:
            v.append(f"doubled: key {s.key} made {len(found)} statements: {[r['tracking_no'] for r in found]}")
        elif found[0]["tracking_no"] != s.tracking_no:
            v.append(f"key {s.key} answered {s.tracking_no} but stored {found[0]['tracking_no']}")
        elif found[0]["status"] != "ready":
            v.append(f"statement {s.tracking_no} is {found[0]['status']} after settling")
        if len(set(s.answers)) > 1:
            v.append(f"doubled: key {s.key} was answered with different statements {sorted(set(s.answers))}")
    unanswered = [s for s in statements if not s.tracking_no]
    written_unanswered = 0
    for s in unanswered:
        found = by_key.get((s.person.national_code, s.key), [])
        if len(found) > 1:
            v.append(f"doubled: key {s.key} (never answered) made {len(found)} statements")
        written_unanswered += len(found)
    for (code, key), found in by_key.items():
        if (code, key) not in asked:
            v.append(f"a statement no request asked for: {[r['tracking_no'] for r in found]} of {code} (key {key})")
    expected_inbox = collections.Counter(s.person.national_code for s in answered)
    for code in ours:
        stored = sum(len(found) for (c, _k), found in by_key.items() if c == code)
        if inbox_counts[code] != stored or inbox_counts[code] < expected_inbox[code]:
            v.append(f"the inbox of {code} lists {inbox_counts[code]} statements; stored {stored}, "
                     f"answered 201 {expected_inbox[code]}")
    pending = [r["tracking_no"] for r in requests if r["status"] == "pending"]
    if pending:
        v.append(f"{len(pending)} statements stuck pending after settling: {pending[:10]}")

    # Permits and views.
    views_by_permit = collections.Counter((a.get("details") or {}).get("permit_id") for a in activity
                                          if a.get("kind") == "institution_view")
    ours_pk = {f"PERSON#{code}" for code in ours}
    view_addresses = {(a.get("details") or {}).get("client_ip") for a in activity
                      if a.get("kind") == "institution_view" and a["pk"] in ours_pk}
    doubled_views = []
    for p in permits:
        if len({a for a in p.answers}) > 1:
            v.append(f"doubled: permit key {p.key} was answered with different permits {p.answers}")
        stored = stored_permits.get((p.statement.person.national_code, p.statement.tracking_no, p.permit_id))
        if stored is None:
            v.append(f"lost: permit {p.permit_id} of {p.statement.tracking_no} was answered 201 but is not stored")
            continue
        views = stored.get("views", 0)
        if views < p.views:
            v.append(f"lost views: permit {p.permit_id} counted {views} views; institutions got {p.views} answers")
        elif views > p.views + p.unanswered:
            doubled_views.append(f"{p.permit_id}: {views} counted for {p.views} answers")
        if views_by_permit[p.permit_id] != views:
            (f if faults_injected else v).append(
                f"permit {p.permit_id} counted {views} views; the timeline has {views_by_permit[p.permit_id]}")
    if doubled_views:
        (f if faults_injected else v).append(
            f"views counted twice on {len(doubled_views)} permits (more views than answers, with no unanswered "
            f"attempt): {doubled_views[:5]}")
    logins = collections.Counter(a["pk"].split("#", 1)[1] for a in activity
                                 if a.get("kind") == "login" and a["pk"] in ours_pk)
    twice = {p.national_code: (logins[p.national_code], p.logins) for p in people if logins[p.national_code] > p.logins}
    if twice:
        (f if faults_injected else v).append(
            f"more logins in the timeline than logins answered 200, for {len(twice)} people "
            f"(timeline, answered): {dict(list(twice.items())[:5])}")
    others = sum(1 for p in permits if p.unanswered)
    if others:
        f.append(f"{others} permits had inquiries that got no answer or a 5xx (the view may or may not count)")

    # What the fault suite checks after every flow (tests/faults/test_faults.py: invariants).
    wanted = {r["document"]["s3_key"] for r in requests if r["status"] == "ready" and r.get("document")}
    if documents != wanted:
        v.append(f"PDFs that no ready statement references, or missing: {sorted(documents ^ wanted)[:10]}")
    left = [i["sk"] for i in items if i["pk"].startswith("OUTBOX#")]
    if left:
        v.append(f"{len(left)} follow-up tasks left undone after settling")
    outbox = []
    if os.path.exists(stack.outbox):
        with open(stack.outbox, encoding="utf-8") as lines:
            outbox = [json.loads(line) for line in lines if line.strip()]
    sms_ids = [m.get("message_id") for m in outbox if m["channel"] == "sms"]
    twice = [i for i, n in collections.Counter(sms_ids).items() if n > 1]
    if twice:
        v.append(f"SMS sent twice: {twice[:5]}")
    first_views = {i for i in sms_ids if i and i.startswith("first-view-")}
    missing_sms = [p.permit_id for p in permits if p.views and f"first-view-{p.permit_id}" not in first_views]
    if missing_sms:
        (f if faults_injected else v).append(f"{len(missing_sms)} viewed permits without their first-view SMS")
    verdict.facts = {"statements_asked": len(statements), "statements_answered": len(answered),
                     "statements_unanswered": len(unanswered), "unanswered_but_written": written_unanswered,
                     "statements_stored": sum(len(x) for x in by_key.values()),
                     "replays": sum(len(s.answers) - 1 for s in answered),
                     "permits": len(permits), "permit_replays": sum(len(p.answers) - 1 for p in permits),
                     "views_answered": sum(p.views for p in permits),
                     "views_counted": sum(stored_permits.get((p.statement.person.national_code,
                                                              p.statement.tracking_no, p.permit_id), {}).get("views", 0)
                                          for p in permits),
                     "pdfs": len(documents), "sms": len(sms_ids),
                     "inquiry_client_addresses": len(view_addresses)}
    return verdict
