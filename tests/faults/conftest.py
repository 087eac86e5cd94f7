"""Each flow's test writes how many fault cases it ran; tests/conftest.py prints the total at the end of the session
(xdist's workers write, the controller sums)."""
from __future__ import annotations

import json
import os

import pytest

from tests.conftest import FAULT_REPORT as REPORT


@pytest.fixture
def fault_report():
    def write(flow: str, cases: int, calls: list[str]) -> None:
        os.makedirs(REPORT, exist_ok=True)
        with open(os.path.join(REPORT, f"{flow}.json"), "w", encoding="utf-8") as out:
            json.dump({"flow": flow, "cases": cases, "calls": calls}, out)

    return write
