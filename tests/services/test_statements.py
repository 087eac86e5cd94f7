"""StatementService: asking for a statement, the inbox, the PDF link, the e-mailbox request, deleting, /verify."""
from __future__ import annotations

import hashlib

import pytest

from chalicelib.domain import snapshot
from chalicelib.domain.errors import Conflict, InvalidValue, NotFound
from chalicelib.domain.model.requests import DocumentStatus, RequestStatus
from devstack.seed import NEWCOMER

from .helpers import DAY, MOBILE, NC, ask, follow_tasks, inquire, kinds, ready, render_all, stored

OTHER = NEWCOMER["national_code"]  # known to the registry, with records of their own


def test_a_statement_needs_the_agreement_and_a_known_kind(demo):
    with pytest.raises(InvalidValue) as refused:
        demo.statements.request(NC, "summary", False)
    assert refused.value.code == "agreement_required"
    with pytest.raises(InvalidValue) as bad_kind:
        demo.statements.request(NC, "everything", True)
    assert bad_kind.value.code == "invalid_kind"
    assert demo.statements.inbox(NC, None)["items"] == []
    assert demo.adapters.render_queue.messages == []


@pytest.mark.parametrize("kind,sections", [("summary", {"history"}), ("wages", {"wages"}),
                                           ("combined", {"history", "wages"})])
def test_each_kind_lands_pending_in_the_inbox_and_is_queued_for_rendering(demo, kind, sections):
    answer = demo.statements.request(NC, kind, True)
    tracking_no = answer["tracking_no"]
    assert answer["status"] == "pending" and answer["kind"] == kind
    assert len(tracking_no) == 10 and tracking_no.isdigit()
    assert answer["subject"] == "اعلام سابقه به موسسات" and answer["sent_at_jalali"] == "1404/03/25"
    assert demo.adapters.render_queue.messages == []  # the request leaves a task; its follow-up queues the drawing
    assert follow_tasks(demo) == ["render"]
    assert demo.adapters.render_queue.messages == [{"national_code": NC, "tracking_no": tracking_no}]

    item = demo.statements.inbox(NC, None)["items"][0]
    assert (item["tracking_no"], item["status"], item["kind"], item["mobile"]) == (tracking_no, "pending", kind, MOBILE)
    content = snapshot.unpack(demo.adapters.requests.statement(NC, tracking_no).statement_z)
    assert {"history", "wages"} & content.keys() == sections
    assert content["holder"]["last_name"] == "رضایی" and content["totals"]["years"] >= 15
    assert "statement_requested" in kinds(demo)


def test_nobody_is_sent_a_statement_of_no_records(demo):
    with pytest.raises(Conflict) as refused:
        demo.statements.request("0067749828", "summary", True)
    assert refused.value.code == "no_records"
    assert demo.adapters.render_queue.messages == []


def test_the_same_idempotency_key_replays_the_first_answer(demo):
    first = demo.statements.request(NC, "summary", True, "click-7f3a9c21")
    again = demo.statements.request(NC, "summary", True, "click-7f3a9c21")
    assert again == first
    assert [i["tracking_no"] for i in demo.statements.inbox(NC, None)["items"]] == [first["tracking_no"]]
    assert follow_tasks(demo) == ["render"] and len(demo.adapters.render_queue.messages) == 1


def test_an_idempotency_key_reused_for_a_different_request_is_refused(demo):
    first = demo.statements.request(NC, "summary", True, "click-7f3a9c21")
    with pytest.raises(InvalidValue) as reused:
        demo.statements.request(NC, "wages", True, "click-7f3a9c21")
    assert reused.value.code == "idempotency_key_reused"
    assert [i["tracking_no"] for i in demo.statements.inbox(NC, None)["items"]] == [first["tracking_no"]]
    # Another person may use the same key: keys belong to their owner.
    assert demo.statements.request(OTHER, "wages", True, "click-7f3a9c21")["kind"] == "wages"


def test_a_refused_request_does_not_use_up_its_idempotency_key(demo):
    with pytest.raises(InvalidValue):
        demo.statements.request(NC, "wages", False, "k-0000001")
    fixed = demo.statements.request(NC, "wages", True, "k-0000001")
    assert fixed["status"] == "pending"


def test_an_idempotency_key_is_remembered_for_a_day(demo, clock):
    first = demo.statements.request(NC, "summary", True, "click-7f3a9c21")
    clock.advance(DAY - 1)
    assert demo.statements.request(NC, "summary", True, "click-7f3a9c21") == first
    clock.advance(1)
    later = demo.statements.request(NC, "summary", True, "click-7f3a9c21")
    assert later["tracking_no"] != first["tracking_no"]


def test_the_inbox_is_newest_first_and_paginated(demo, clock):
    numbers = []
    for _ in range(5):
        numbers.append(ask(demo, "summary"))
        clock.advance(1)
    assert len(set(numbers)) == 5
    seen, cursor, pages = [], None, 0
    while True:
        page = demo.statements.inbox(NC, cursor, limit=2)
        seen += [i["tracking_no"] for i in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == numbers[::-1] and pages == 3
    assert demo.statements.inbox(OTHER, None)["items"] == []  # only one's own requests


def test_a_cursor_the_service_did_not_give_out_is_refused(demo):
    with pytest.raises(InvalidValue) as refused:
        demo.statements.inbox(NC, "not-a-cursor")
    assert refused.value.code == "invalid_cursor"


def test_the_pdf_link_is_given_only_once_the_statement_is_ready(demo, clock):
    tracking_no = ask(demo)
    with pytest.raises(Conflict) as pending:
        demo.statements.document_url(NC, tracking_no)
    assert pending.value.code == "statement_not_ready"
    assert "document_opened" not in kinds(demo)

    render_all(demo)
    clock.advance(1)
    link = demo.statements.document_url(NC, tracking_no)
    key = stored(demo, tracking_no).document.s3_key
    assert link["url"].startswith(f"memory://{key}") and link["expires_in"] == 300
    assert link["sha256"] == hashlib.sha256(demo.adapters.files.objects[key]).hexdigest()
    assert kinds(demo)[0] == "document_opened"


def test_a_failed_statement_has_no_pdf_link(build, seeded):
    def broken(statement, verify_url, language="fa"):
        raise ValueError("font missing")

    demo_failing = seeded(build(renderer=broken))
    tracking_no = ask(demo_failing)
    assert render_all(demo_failing) == ["failed"]
    with pytest.raises(Conflict) as failed:
        demo_failing.statements.document_url(NC, tracking_no)
    assert failed.value.code == "statement_not_ready"
    assert demo_failing.statements.item(NC, tracking_no)["failure"]


def test_another_persons_tracking_number_is_not_found(demo):
    tracking_no = ready(demo)
    for call in (lambda: demo.statements.item(OTHER, tracking_no),
                 lambda: demo.statements.document_url(OTHER, tracking_no),
                 lambda: demo.statements.request_mailbox(OTHER, tracking_no),
                 lambda: demo.statements.delete(OTHER, tracking_no)):
        with pytest.raises(NotFound):
            call()
    assert demo.statements.item(NC, tracking_no)["status"] == "ready"  # the owner still has it


def test_delete_revokes_permits_withdraws_the_document_and_removes_the_pdf(demo):
    tracking_no = ready(demo)
    week = demo.permits.issue(NC, tracking_no, "week")
    year = demo.permits.issue(NC, tracking_no, "year")
    request = stored(demo, tracking_no)
    key, document_id = request.document.s3_key, request.document.document_id
    assert key in demo.adapters.files.objects

    demo.statements.delete(NC, tracking_no)
    verified = demo.statements.verify(document_id)  # withdrawn from the moment of the deletion
    assert verified["status"] == DocumentStatus.WITHDRAWN.value and verified["valid"] is False
    assert follow_tasks(demo) == ["remove_pdf"]  # the PDF goes by the task the deletion left

    assert demo.statements.inbox(NC, None)["items"] == []
    tombstone = stored(demo, tracking_no)
    assert tombstone.status is RequestStatus.DELETED
    assert all(p.revoked_at for p in tombstone.permits)
    assert key not in demo.adapters.files.objects
    assert demo.adapters.requests.statement(NC, tracking_no) is None
    verified = demo.statements.verify(document_id)
    assert verified["status"] == DocumentStatus.WITHDRAWN.value and verified["valid"] is False
    for permit in (week, year):
        with pytest.raises(NotFound):
            inquire(demo, permit["passcode"])
    deleted = [e for e in demo.adapters.timeline.page(NC, None, 50)[0] if e.kind == "statement_deleted"]
    assert len(deleted) == 1 and deleted[0].details["permits_revoked"] == 2
    with pytest.raises(NotFound):
        demo.statements.delete(NC, tracking_no)
    with pytest.raises(NotFound):
        demo.statements.document_url(NC, tracking_no)


def test_a_pending_request_can_be_deleted_and_is_then_not_rendered(demo):
    tracking_no = ask(demo)
    demo.statements.delete(NC, tracking_no)
    assert render_all(demo) == ["skipped"]
    assert demo.adapters.files.objects == {}
    assert stored(demo, tracking_no).status is RequestStatus.DELETED


def test_the_mailbox_is_asked_for_only_a_ready_statement(demo):
    tracking_no = ask(demo)
    with pytest.raises(Conflict):
        demo.statements.request_mailbox(NC, tracking_no)
    assert demo.adapters.mailbox_queue.messages == []
    render_all(demo)
    assert demo.statements.request_mailbox(NC, tracking_no) == {"status": "queued", "tracking_no": tracking_no}
    assert follow_tasks(demo) == ["mailbox"]
    assert demo.adapters.mailbox_queue.messages == [{"national_code": NC, "tracking_no": tracking_no}]
    assert demo.statements.item(NC, tracking_no)["mailbox"]["status"] == "queued"
    # Asking again while it is on its way changes nothing and queues nothing more.
    assert demo.statements.request_mailbox(NC, tracking_no) == {"status": "queued", "tracking_no": tracking_no}
    assert follow_tasks(demo) == [] and len(demo.adapters.mailbox_queue.messages) == 1


def test_verify_shows_what_was_issued_with_the_holder_masked(demo):
    tracking_no = ready(demo)
    document = stored(demo, tracking_no).document
    answer = demo.statements.verify(document.document_id)
    assert answer["status"] == "valid" and answer["valid"] is True
    assert answer["tracking_no"] == tracking_no and answer["sha256"] == document.sha256
    assert answer["holder"] == {"national_code_masked": "049****899", "name_masked": "م… رضایی"}
    for unknown in ("NOSUCHDOC123", "../etc/passwd", "x" * 80):
        with pytest.raises(NotFound):
            demo.statements.verify(unknown)


def test_verify_names_the_signature_and_a_file_is_checked_against_what_was_issued(demo):
    tracking_no = ready(demo)
    document = stored(demo, tracking_no).document
    answer = demo.statements.verify(document.document_id)
    assert answer["signature"]["valid"] is True and answer["signature"]["format"] == "PAdES-B-B"
    assert answer["signature"]["signed_at"] == stored(demo, tracking_no).sent_at

    pdf = demo.adapters.files.objects[document.s3_key]
    checked = demo.statements.check_file(document.document_id, pdf)
    assert checked["same_file"] and checked["signature"]["valid"] and checked["signature"]["same_certificate"]
    assert checked["sha256"] == document.sha256 == answer["sha256"]
    other = demo.statements.check_file(document.document_id, pdf + b"\n")
    assert not other["same_file"] and not other["signature"]["valid"]
    with pytest.raises(NotFound):
        demo.statements.check_file("NOSUCHDOC123", pdf)
    with pytest.raises(InvalidValue):
        demo.statements.check_file(document.document_id, b"not a pdf")


def test_an_english_statement_is_drawn_in_english_and_says_so_everywhere(build, seeded):
    from .helpers import fake_pdf

    drawn = []
    services = seeded(build(renderer=lambda statement, url, language="fa": drawn.append(language)
                            or fake_pdf(statement, url, language)))
    answer = services.statements.request(NC, "summary", True, language="en")
    assert answer["language"] == "en"
    assert render_all(services) == ["ready"]
    assert drawn == ["en"]
    tracking_no = answer["tracking_no"]
    assert services.statements.item(NC, tracking_no)["language"] == "en"
    document = stored(services, tracking_no).document
    assert services.statements.verify(document.document_id)["language"] == "en"
    permit = services.permits.issue(NC, tracking_no, "month")
    assert inquire(services, permit["passcode"])["language"] == "en"


def test_persian_is_the_default_and_other_languages_are_refused(demo):
    assert demo.statements.request(NC, "summary", True)["language"] == "fa"
    with pytest.raises(InvalidValue) as refused:
        demo.statements.request(NC, "summary", True, language="de")
    assert refused.value.code == "invalid_language"


def test_the_same_idempotency_key_with_another_language_is_another_request(demo):
    demo.statements.request(NC, "summary", True, "key-language-1")
    with pytest.raises(InvalidValue) as reused:
        demo.statements.request(NC, "summary", True, "key-language-1", language="en")
    assert reused.value.code == "idempotency_key_reused"
