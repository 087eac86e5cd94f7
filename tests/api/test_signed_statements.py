"""Every statement is signed: through the real render path (SQS message, fpdf2, the development key, S3), the stored
PDF validates with pyHanko's validator; /verify on both addresses says whose signature the issued file carries; and
POST /verify/{id}/signature checks a file someone holds, on the inquiry function."""
from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import inquire


def stored_pdf(services, tracking_no: str) -> bytes:
    from chalicelib.storage.aws import client

    request = services.adapters.requests.get("0499370899", tracking_no)
    return client("s3").get_object(Bucket=services.settings.documents_bucket,
                                   Key=request.document.s3_key)["Body"].read()


def check_file(document_id: str, body: bytes, content_type: str = "application/pdf") -> dict:
    """POST the file to the inquiry function, as a function URL hands a binary body over (base64)."""
    import app
    from devstack.workers import function_url_event

    event = function_url_event("POST", f"/verify/{document_id}/signature", "",
                               {"Host": "abc.lambda-url.us-east-1.on.aws", "Content-Type": content_type}, body,
                               "198.51.100.7")
    answer = app.inquiry(event, None)
    answer["json"] = json.loads(answer["body"])
    return answer


@pytest.fixture
def issued(api, ready_statement, services):
    item = api.get(f"/v1/me/inbox/{ready_statement}").data
    return {"tracking_no": ready_statement, "document_id": item["document_id"], "sent_at": item["sent_at"],
            "pdf": stored_pdf(services, ready_statement)}


def test_the_stored_statement_validates_with_pyhankos_validator(issued, signing_ca):
    from io import BytesIO

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(pem.unarmor(signing_ca.root_pem())[2])
    (embedded,) = PdfFileReader(BytesIO(issued["pdf"])).embedded_regular_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.trusted and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signer_reported_dt.strftime("%Y-%m-%dT%H:%M:%SZ") == issued["sent_at"]  # issued as of the request


def test_verify_reports_the_signature_on_both_addresses(api, issued, signing_ca):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    leaf = x509.load_pem_x509_certificates(signing_ca.chain_pem())[0]
    fingerprint = hashlib.sha256(leaf.public_bytes(serialization.Encoding.DER)).hexdigest()
    on_api = api.get(f"/verify/{issued['document_id']}").data
    on_inquiry = inquire(None, None, method="GET", path=f"/verify/{issued['document_id']}")["json"]
    assert on_api == on_inquiry
    assert on_api["sha256"] == hashlib.sha256(issued["pdf"]).hexdigest()
    signature = on_api["signature"]
    assert signature == {"format": "PAdES-B-B", "signer": "Sabeghe Development Signing",
                         "organisation": "Social Security Organization", "signed_at": issued["sent_at"],
                         "signed_at_jalali": on_api["issued_at_jalali"], "certificate_sha256": fingerprint,
                         "valid": True}


def test_a_document_issued_before_statements_were_signed_still_verifies(api, issued, services):
    from chalicelib.storage.aws import client

    client("dynamodb").update_item(TableName=services.settings.requests_table,
                                   Key={"pk": {"S": f"DOC#{issued['document_id']}"}, "sk": {"S": "DOC"}},
                                   UpdateExpression="REMOVE signature")
    answer = api.get(f"/verify/{issued['document_id']}")
    assert answer.status_code == 200 and answer.data["valid"] is True and answer.data["signature"] is None
    checked = check_file(issued["document_id"], issued["pdf"])["json"]  # the file still speaks for itself
    assert checked["same_file"] and checked["signature"]["valid"] and checked["signature"]["same_certificate"] is None


def test_the_file_as_issued_checks_out(issued):
    answer = check_file(issued["document_id"], issued["pdf"])
    assert answer["statusCode"] == 200
    checked = answer["json"]
    assert checked["same_file"] is True and checked["valid"] is True and checked["status"] == "valid"
    assert checked["sha256"] == hashlib.sha256(issued["pdf"]).hexdigest() and checked["size"] == len(issued["pdf"])
    signature = checked["signature"]
    assert signature["valid"] and signature["intact"] and signature["trusted"] and signature["whole_file"]
    assert signature["same_certificate"] is True and signature["signed_at"] == issued["sent_at"]
    assert (signature["signer"], signature["organisation"]) == ("Sabeghe Development Signing",
                                                                "Social Security Organization")


def test_a_changed_file_is_caught_by_its_hash_and_its_signature(issued):
    tampered = bytearray(issued["pdf"])
    tampered[len(tampered) // 10] ^= 0x01
    checked = check_file(issued["document_id"], bytes(tampered))["json"]
    assert checked["same_file"] is False
    assert checked["signature"]["signed"] and not checked["signature"]["intact"] and not checked["signature"]["valid"]

    extended = check_file(issued["document_id"], issued["pdf"] + b"\n% a note added later\n")["json"]
    assert extended["same_file"] is False
    assert extended["signature"]["intact"] and not extended["signature"]["whole_file"]
    assert not extended["signature"]["valid"]


def test_another_statement_of_ours_is_not_the_one_issued_under_this_id(api, issued, services):
    from tests.conftest import render_pending

    other = api.post("/v1/me/statements", {"kind": "summary", "agree": True}).data["tracking_no"]
    render_pending()
    checked = check_file(issued["document_id"], stored_pdf(services, other))["json"]
    assert checked["same_file"] is False  # genuinely signed by the Organization, but another document
    assert checked["signature"]["valid"] and checked["signature"]["same_certificate"]


def test_what_cannot_be_checked_gets_the_contract_errors(issued):
    unsigned_answer = check_file(issued["document_id"], issued["pdf"][:issued["pdf"].index(b"%%EOF") + 6])
    assert unsigned_answer["statusCode"] == 200 and unsigned_answer["json"]["signature"]["signed"] is False

    cases = [
        (check_file(issued["document_id"], b"hello, not a PDF"), 422, "invalid_pdf"),
        (check_file(issued["document_id"], b""), 422, "invalid_pdf"),
        (check_file(issued["document_id"], issued["pdf"], "application/json"), 415, "pdf_expected"),
        (check_file(issued["document_id"], issued["pdf"], "text/plain"), 415, "pdf_expected"),
        (check_file("NOSUCHDOC123", issued["pdf"]), 404, "not_found"),
        (check_file(issued["document_id"], b"%PDF-" + b"0" * (3 * 1024 * 1024)), 413, "file_too_large"),
    ]
    for answer, status, code in cases:
        assert answer["statusCode"] == status, (code, answer["body"][:300])
        assert answer["json"]["error"]["code"] == code and answer["json"]["error"]["message_fa"]


def test_a_body_that_says_base64_but_is_not_is_malformed(issued):
    import app
    from devstack.workers import function_url_event

    event = function_url_event("POST", f"/verify/{issued['document_id']}/signature", "",
                               {"Content-Type": "application/pdf"}, b"%PDF", "198.51.100.7")
    event["body"] = "***not base64***"
    answer = app.inquiry(event, None)
    assert answer["statusCode"] == 400 and json.loads(answer["body"])["error"]["code"] == "malformed_body"
