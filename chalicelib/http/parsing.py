"""Turning a raw request into validated input. Pydantic is imported by the caller's schema module, not here,
so routes that take no body never pay for it."""
from __future__ import annotations

import json
import re

from chalicelib.domain.errors import InvalidValue, Malformed, TooLarge, Unauthenticated

MAX_BODY_BYTES = 16 * 1024


def json_object(raw: bytes) -> dict:
    """A request body that must be one JSON object (an empty body reads as {}). Shared by both entry points."""
    if len(raw) > MAX_BODY_BYTES:
        raise TooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes.", code="body_too_large")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise Malformed("The request body is not valid JSON.", code="malformed_json") from None
    except RecursionError:  # nested deeper than the parser's stack: no request of ours is
        raise Malformed("The request body is nested too deeply.", code="malformed_json") from None
    if not isinstance(data, dict):
        raise Malformed("The request body must be a JSON object.", code="malformed_json")
    return data


def parse_body(request, model):
    """Validate the JSON body against a pydantic model that forbids unknown fields."""
    return validate(model, json_object(request.raw_body or b""))


def validate(model, data: dict):
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failure(exc) from None


def validation_failure(exc) -> InvalidValue:
    first = exc.errors(include_url=False)[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "body"
    kind = first.get("type", "")
    if kind == "extra_forbidden":
        return InvalidValue(f"Unknown field '{field}'.", code="unknown_field")
    if kind == "missing":
        return InvalidValue(f"The field '{field}' is required.", code="missing_field")
    ctx_error = (first.get("ctx") or {}).get("error")
    if ctx_error is not None and getattr(ctx_error, "code", None):
        return InvalidValue(f"{field}: {ctx_error.message}", code=ctx_error.code)
    return InvalidValue(f"{field}: {first.get('msg', 'invalid value')}.", code="invalid_value")


def bearer_token(request) -> str:
    header = (request.headers or {}).get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Log in first: send 'Authorization: Bearer <token>'.", code="not_logged_in")
    return token.strip()


def client_ip(request) -> str:
    forwarded = (request.headers or {}).get("x-forwarded-for", "")
    source = (request.context or {}).get("identity", {}).get("sourceIp")
    # API Gateway fills sourceIp itself; X-Forwarded-For is only trusted when it is missing (chalice local).
    return source or forwarded.split(",")[0].strip() or "unknown"


def idempotency_key(request) -> str | None:
    key = (request.headers or {}).get("idempotency-key")
    if key is None:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", key):
        raise InvalidValue("Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'.",
                           code="invalid_idempotency_key")
    return key


def limit_param(request, default: int = 20, largest: int = 100) -> int:
    from chalicelib.domain.digits import to_ascii_digits

    raw = (request.query_params or {}).get("limit")
    if raw is None:
        return default
    text = to_ascii_digits(raw).strip()
    # str.isdigit() also accepts superscripts and other digits int() refuses, and int() refuses 4,300+ digits.
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= largest:
        raise InvalidValue(f"limit must be a whole number from 1 to {largest}.", code="invalid_limit")
    return int(text)


def year_param(request) -> int | None:
    from chalicelib.domain.digits import to_ascii_digits

    raw = (request.query_params or {}).get("year")
    if raw is None:
        return None
    text = to_ascii_digits(raw).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise InvalidValue("The year must be a Jalali year such as 1402.", code="invalid_year")
    return int(text)


def cursor_param(request) -> str | None:
    return (request.query_params or {}).get("cursor")
