"""The statement as issued: a frozen copy of the records of the chosen kind, stored compressed on the request
(and on each grant, so an institution's inquiry needs no second read of the records)."""
from __future__ import annotations

import json
import secrets
import zlib

from chalicelib.domain.model.accounts import InsuredProfile
from chalicelib.domain.service_days import history_view, split_days, total_days, wages_view


def build(kind: str, profile: InsuredProfile | None, national_code: str, contributions: list) -> dict:
    statement: dict = {"kind": kind, "totals": split_days(total_days(contributions))}
    if kind in ("summary", "combined"):
        statement["history"] = history_view(contributions)
    if kind in ("wages", "combined"):
        statement["wages"] = wages_view(contributions)
    statement["holder"] = holder_of(profile or InsuredProfile(national_code))
    return statement


def holder_of(profile: InsuredProfile) -> dict:
    return {
        "national_code": profile.national_code,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "father_name": profile.father_name,
        "birth_date_jalali": profile.birth_date,
        "insurance_no": profile.insurance_no,
    }


def pack(statement: dict) -> bytes:
    return zlib.compress(json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def unpack(blob) -> dict:
    return json.loads(zlib.decompress(bytes(blob)))


class RawJson(str):
    """JSON text that is already encoded: responses splice it in as it is instead of parsing and re-encoding
    a statement that can run to hundreds of kilobytes (the inquiry's hot path)."""


def unpack_raw(blob) -> RawJson:
    return RawJson(zlib.decompress(bytes(blob)).decode())


def dumps(body) -> str:
    """json.dumps that writes RawJson values verbatim."""
    raw: dict[str, RawJson] = {}
    nonce = secrets.token_hex(8)  # no text in the body can collide with a placeholder it cannot know

    def swap(value):
        if isinstance(value, RawJson):
            token = f"raw-json-{nonce}-{len(raw)}"
            raw[token] = value
            return token
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(body), ensure_ascii=False)
    for token, value in raw.items():
        text = text.replace(json.dumps(token), value, 1)
    return text
