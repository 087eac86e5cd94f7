"""The contract's response shapes: JSON bodies, and `{"error": {"code", "message"}}` for every failure."""
from __future__ import annotations

import json

from chalice import Response

from chalicelib.domain.errors import DomainError, Throttled

JSON = "application/json; charset=utf-8"
_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def json_response(status: int, body=None, headers: dict | None = None) -> Response:
    merged = {"Content-Type": JSON, **_SECURITY_HEADERS, **(headers or {})}
    if body is None:
        return Response(body="", status_code=status, headers=merged)
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=merged)


def error_body(code: str, message: str) -> dict:
    from chalicelib.http.messages_fa import MESSAGES_FA

    body = {"code": code, "message": message}
    if code in MESSAGES_FA:
        body["message_fa"] = MESSAGES_FA[code]
    return {"error": body}


def error_response(exc: DomainError) -> Response:
    headers = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    return json_response(exc.status, error_body(exc.code, exc.message), headers)


def internal_error_response() -> Response:
    return json_response(500, error_body("internal_error", "Something went wrong on our side; please try again."))
