"""The statement as issued: a frozen copy of the records of the chosen kind, stored compressed on the request
(and on each grant, so an institution's inquiry needs no second read of the records)."""
from __future__ import annotations

import json
import zlib

from chalicelib.domain.service_days import history_view, split_days, total_days, wages_view


def build(kind: str, profile: dict, contributions: list) -> dict:
    statement: dict = {"kind": kind, "totals": split_days(total_days(contributions))}
    if kind in ("summary", "combined"):
        statement["history"] = history_view(contributions)
    if kind in ("wages", "combined"):
        statement["wages"] = wages_view(contributions)
    statement["holder"] = holder_of(profile)
    return statement


def holder_of(profile: dict) -> dict:
    return {
        "national_code": profile.get("national_code", ""),
        "first_name": profile.get("first_name", ""),
        "last_name": profile.get("last_name", ""),
        "father_name": profile.get("father_name", ""),
        "birth_date_jalali": profile.get("birth_date", ""),
        "insurance_no": profile.get("insurance_no", ""),
    }


def pack(statement: dict) -> bytes:
    return zlib.compress(json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def unpack(blob) -> dict:
    return json.loads(zlib.decompress(bytes(blob)))
