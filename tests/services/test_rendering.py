"""RenderService: a pending request becomes a stored, signed, verifiable document; a failure is shown, a signature
that cannot be made leaves the request pending for SQS to try again, and a message delivered twice leaves one
document."""
from __future__ import annotations

import hashlib

from chalicelib.domain.model.requests import DocumentStatus, RequestStatus
from chalicelib.domain.model.signatures import DocumentSignature
from chalicelib.services.rendering import FAILURE_TEXT

from .helpers import NC, VERIFY_BASE, ask, fake_pdf, kinds, render_all, stored


def test_a_pending_request_becomes_ready_with_its_document(build, seeded):
    drawn = []

    def renderer(statement, verify_url, language="fa"):
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
    drawn_pdf = fake_pdf(*drawn[0])
    assert pdf.startswith(drawn_pdf) and len(pdf) > len(drawn_pdf)  # the drawing, and the signature appended to it
    assert document.sha256 == hashlib.sha256(pdf).hexdigest() and document.size == len(pdf)
    assert document.verify_url == f"{VERIFY_BASE}/verify/{document.document_id}"

    statement, verify_url = drawn[0]  # what the renderer was given: the frozen statement and the QR's address
    assert verify_url == document.verify_url
    assert statement["tracking_no"] == tracking_no and statement["document_id"] == document.document_id
    assert statement["holder"]["last_name"] == "رضایی" and {"history", "wages"} <= statement.keys()
    assert statement["issued_at_jalali"] == "1404/03/25"

    published = services.adapters.requests.published(document.document_id)
    assert published.status is DocumentStatus.VALID and published.sha256 == document.sha256
    # Signed as of the issue time (when the person asked), and the signature recorded for /verify is the file's.
    report = services.adapters.signatures.check(pdf)
    assert report.sound and report.signed_at == request.sent_at
    assert published.signature == DocumentSignature(signer=report.signer, organisation="Social Security Organization",
                                                    signed_at=request.sent_at,
                                                    certificate_sha256=report.certificate_sha256, valid=True)
    assert "statement_ready" in kinds(services)
    assert services.statements.item(NC, tracking_no)["status"] == "ready"


def test_a_renderer_failure_marks_the_request_failed(build, seeded):
    def broken(statement, verify_url, language="fa"):
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

    def renderer(statement, verify_url, language="fa"):
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
    # Both deliveries signed the same drawing as of the same issue time: had the loser's write landed last, it
    # would have overwritten the published file with the very same bytes.
    assert hashlib.sha256(services.adapters.files.objects[document.s3_key]).hexdigest() == document.sha256
    assert len(services.memory_state.documents) == 1
    assert kinds(services).count("statement_ready") == 1


def test_a_message_delivered_again_later_changes_nothing(build, seeded):
    drawn = []
    services = seeded(build(renderer=lambda statement, url, language="fa": drawn.append(url) or fake_pdf(statement, url, language)))
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


def test_a_signature_that_cannot_be_made_leaves_the_request_pending_for_a_retry(build, seeded):
    """KMS out of reach, or a chain that is not the key's: not the statement's fault. The message fails (SQS tries
    again, then the dead-letter alarm), nothing is stored or published, and the next delivery issues it."""
    import pytest

    class Unreachable:
        def sign(self, pdf, signed_at):
            raise ConnectionError("KMS did not answer")

    services = seeded(build(signatures=Unreachable()))
    tracking_no = ask(services)
    with pytest.raises(ConnectionError):
        render_all(services)
    request = stored(services, tracking_no)
    assert request.status is RequestStatus.PENDING and request.document is None
    assert services.adapters.files.objects == {} and services.memory_state.documents == {}
    assert "statement_failed" not in kinds(services)


def test_the_same_request_drawn_twice_is_signed_to_the_same_bytes(build, seeded):
    """What lets a redelivered message overwrite the published PDF without changing it."""
    services = seeded(build())
    tracking_no = ask(services)
    request = stored(services, tracking_no)
    drawing = fake_pdf({"tracking_no": tracking_no}, "")
    first = services.adapters.signatures.sign(drawing, request.sent_at)
    second = services.adapters.signatures.sign(drawing, request.sent_at)
    assert first == second
