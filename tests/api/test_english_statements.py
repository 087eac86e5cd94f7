"""An English statement for an embassy, asked for through the API: drawn in English by the real render path
(fpdf2, the development key, S3), signed like every statement, and named as English in the inbox, the inquiry
answer and /verify."""
from __future__ import annotations

import subprocess

from tests.api.test_signed_statements import stored_pdf
from tests.conftest import inquire, render_pending


def test_an_english_statement_is_drawn_signed_and_named_as_english(api, demo, services, tmp_path):
    api.login_demo()
    created = api.post("/v1/me/statements", {"kind": "summary", "agree": True, "language": "en"})
    assert created.status_code == 201 and created.data["language"] == "en"
    render_pending()
    tracking_no = created.data["tracking_no"]
    item = api.get(f"/v1/me/inbox/{tracking_no}").data
    assert item["status"] == "ready" and item["language"] == "en"

    pdf = tmp_path / "en.pdf"
    pdf.write_bytes(stored_pdf(services, tracking_no))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    assert "Statement: Summary of insured days with totals" in text and "Maryam Rezaei" in text
    assert "Total credited service:" in text and "(1983-07-03)" in text
    assert b"/ETSI.CAdES.detached" in pdf.read_bytes()  # signed like every statement

    permit = api.post(f"/v1/me/inbox/{tracking_no}/permits", {"validity": "week"}).data
    answer = inquire("0499370899", permit["passcode"])
    assert answer["statusCode"] == 200 and answer["json"]["language"] == "en"
    assert api.get(f"/verify/{item['document_id']}").data["language"] == "en"


def test_a_language_the_service_does_not_draw_is_refused(api, demo):
    api.login_demo()
    refused = api.post("/v1/me/statements", {"kind": "summary", "agree": True, "language": "de"})
    assert refused.status_code == 422 and refused.data["error"]["code"] == "invalid_value"
