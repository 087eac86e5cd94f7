"""The contract's response shapes: JSON bodies, and `{"error": {"code", "message", "message_fa"}}` for every
failure, for both the API (chalice) and the inquiry function (function-URL events)."""
from __future__ import annotations

import json

from chalicelib.domain.errors import DomainError

JSON = "application/json; charset=utf-8"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
INTERNAL_ERROR = ("internal_error", "Something went wrong on our side; please try again.")


def error_body(code: str, message: str) -> dict:
    from chalicelib.http.messages_fa import MESSAGES_FA

    body = {"code": code, "message": message}
    if code in MESSAGES_FA:
        body["message_fa"] = MESSAGES_FA[code]
    return {"error": body}


def error_parts(exc: DomainError) -> tuple[int, dict, dict]:
    """The status, body and extra headers of a domain failure: one mapping for every entry point."""
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return exc.status, error_body(exc.code, exc.message), headers


def json_response(status: int, body=None, headers: dict | None = None):
    from chalice import Response

    merged = {"Content-Type": JSON, **NO_STORE, **(headers or {})}
    text = "" if body is None else json.dumps(body, ensure_ascii=False)
    return Response(body=text, status_code=status, headers=merged)


def error_response(exc: DomainError):
    status, body, headers = error_parts(exc)
    return json_response(status, body, headers)


def internal_error_response():
    return json_response(500, error_body(*INTERNAL_ERROR))
