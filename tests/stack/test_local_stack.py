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
