"""RenderService: a pending request becomes a stored, verifiable document; a failure is shown, and a message
delivered twice leaves one document."""
from __future__ import annotations

import hashlib

from chalicelib.domain.model.requests import DocumentStatus, RequestStatus
from chalicelib.services.rendering import FAILURE_TEXT

from .helpers import NC, VERIFY_BASE, ask, fake_pdf, kinds, render_all, stored


def test_a_pending_request_becomes_ready_with_its_document(build, seeded):
    drawn = []

    def renderer(statement, verify_url):
        drawn.append((statement, verify_url))
        return fake_pdf(statement, verify_url)

    services = seeded(build(renderer=renderer))
    tracking_no = ask(services)
    assert services.statements.item(NC, tracking_no)["status"] == "pending"
    assert render_all(services) == ["ready"]

    request = stored(services, tracking_no)
    document = request.document
    assert request.status is RequestStatus.READY
    pdf = services.adapters.files.objects[document.s3_key]
    assert pdf == b"%PDF-fake " + tracking_no.encode()
    assert document.sha256 == hashlib.sha256(pdf).hexdigest() and document.size == len(pdf)
    assert document.verify_url == f"{VERIFY_BASE}/verify/{document.document_id}"

    statement, verify_url = drawn[0]  # what the renderer was given: the frozen statement and the QR's address
    assert verify_url == document.verify_url
    assert statement["tracking_no"] == tracking_no and statement["document_id"] == document.document_id
    assert statement["holder"]["last_name"] == "رضایی" and {"history", "wages"} <= statement.keys()
    assert statement["issued_at_jalali"] == "1404/03/25"

    published = services.adapters.requests.published(document.document_id)
    assert published.status is DocumentStatus.VALID and published.sha256 == document.sha256
    assert "statement_ready" in kinds(services)
    assert services.statements.item(NC, tracking_no)["status"] == "ready"


def test_a_renderer_failure_marks_the_request_failed(build, seeded):
    def broken(statement, verify_url):
        raise ValueError("font missing")

    services = seeded(build(renderer=broken))
    tracking_no = ask(services)
    assert render_all(services) == ["failed"]
    request = stored(services, tracking_no)
    assert request.status is RequestStatus.FAILED and request.failure == FAILURE_TEXT and request.document is None
    assert services.adapters.files.objects == {}
    assert "statement_failed" in kinds(services)
    item = services.statements.item(NC, tracking_no)
    assert item["status"] == "failed" and item["failure"] == FAILURE_TEXT
    # A redelivered message does not try again: a statement that could not be drawn will not draw on a retry.
    assert services.rendering.render(NC, tracking_no) == "skipped"


def test_a_twin_delivery_is_skipped_and_leaves_no_extra_file(build, seeded):
    """SQS delivers the message twice at once: both deliveries read the request pending and draw a PDF; the one
    that publishes second finds the request changed and takes its own file away again."""
    box = {}

    def renderer(statement, verify_url):
        if not box.get("twin_ran"):
            box["twin_ran"] = True
            box["twin"] = box["services"].rendering.render(NC, statement["tracking_no"])  # the twin, meanwhile
        return fake_pdf(statement, verify_url)

    services = box["services"] = seeded(build(renderer=renderer))
    tracking_no = ask(services)
    assert render_all(services) == ["skipped"]  # this delivery lost the race
    assert box["twin"] == "ready"

    document = stored(services, tracking_no).document
    assert list(services.adapters.files.objects) == [document.s3_key]  # the winner's PDF, and only it
    assert len(services.memory_state.documents) == 1
    assert kinds(services).count("statement_ready") == 1


def test_a_message_delivered_again_later_changes_nothing(build, seeded):
    drawn = []
    services = seeded(build(renderer=lambda statement, url: drawn.append(url) or fake_pdf(statement, url)))
    tracking_no = ask(services)
    message = {"national_code": NC, "tracking_no": tracking_no}
    assert render_all(services) == ["ready"]
    before = (stored(services, tracking_no), dict(services.adapters.files.objects))
    assert services.rendering.render(**message) == "skipped"
    assert (stored(services, tracking_no), services.adapters.files.objects) == before
    assert len(drawn) == 1  # not drawn a second time


def test_a_request_deleted_before_rendering_gets_no_pdf(demo):
    tracking_no = ask(demo)
    demo.statements.delete(NC, tracking_no)
    assert render_all(demo) == ["skipped"]
    assert demo.adapters.files.objects == {} and demo.memory_state.documents == {}
    assert demo.rendering.render(NC, "9999999999") == "skipped"  # an unknown request: nothing to do
