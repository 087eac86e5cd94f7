"""`make run` for real: moto server, chalice local and the seeded demo, over HTTP."""
from __future__ import annotations

import requests

from tests.stack.conftest import RunningStack, port_is_closed

pytestmark = __import__("pytest").mark.stack


def test_banner_names_addresses_and_demo_logins(stack):
    assert stack.api in stack.banner and stack.inquiry in stack.banner
    assert "0499370899" in stack.banner and "Sabeghe-demo-1403" in stack.banner
    assert "in memory" in stack.banner


def test_demo_person_reads_records_over_http(stack):
    headers = stack.login_demo()
    records = requests.get(f"{stack.api}/v1/me/records", headers=headers, timeout=30)
    assert records.status_code == 200
    data = records.json()
    assert data["totals"]["years"] >= 15
    assert len({row["workshop_code"] for row in data["rows"]}) >= 3
    me = requests.get(f"{stack.api}/v1/me", headers=headers, timeout=30).json()
    assert me["mobile"] == "09120000000"


def test_errors_over_http_keep_the_contract_shape(stack):
    answer = requests.post(f"{stack.api}/v1/auth/login", data="{broken", timeout=30,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed_json"


def test_ctrl_c_stops_everything(tmp_path):
    running = RunningStack(tmp_path)
    assert requests.get(f"{running.api}/openapi.json", timeout=30).status_code == 200
    assert running.stop() == 0
    assert port_is_closed(running.api_port) and port_is_closed(running.moto_port)


def test_statement_to_institution_over_http(stack):
    import hashlib
    import time

    headers = stack.login_demo()
    created = requests.post(f"{stack.api}/v1/me/statements", json={"kind": "summary", "agree": True},
                            headers=headers, timeout=30)
    assert created.status_code == 201
    tracking = created.json()["tracking_no"]
    deadline = time.monotonic() + 60
    while True:  # the render queue's consumer produces the PDF in the background
        item = requests.get(f"{stack.api}/v1/me/inbox/{tracking}", headers=headers, timeout=30).json()
        if item["status"] != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert item["status"] == "ready"
    permit = requests.post(f"{stack.api}/v1/me/inbox/{tracking}/permits", json={}, headers=headers, timeout=30).json()
    answer = requests.post(stack.inquiry + "/", json={"identifier": "0499370899", "passcode": permit["passcode"]},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    pdf = requests.get(data["document_url"], timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    verify = requests.get(data["verify_url"], timeout=30).json()
    assert verify["status"] == "valid" and verify["sha256"] == hashlib.sha256(pdf.content).hexdigest()
    assert data["verify_url"].startswith(stack.inquiry)
    wrong = requests.post(stack.inquiry + "/", json={"identifier": "0499370899", "passcode": "00000-00000-00000"},
                          timeout=30)
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_found"
    page = requests.get(stack.inquiry + "/", timeout=30)
    assert page.status_code == 200 and 'dir="rtl"' in page.text
