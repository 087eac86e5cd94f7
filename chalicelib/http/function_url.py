"""The inquiry Lambda sits behind a function URL, which chalice does not route: this maps the function-URL
event (payload 2.0) to a few handlers and their answers back to the event's response shape."""
from __future__ import annotations

import base64
import json
import re
import time

from chalicelib.domain.errors import DomainError, Malformed, TooLarge
from chalicelib.http.parsing import MAX_BODY_BYTES
from chalicelib.http.responses import error_body
from chalicelib.logs import log, log_exception

_JSON = "application/json; charset=utf-8"


class Event:
    def __init__(self, event: dict):
        context = event.get("requestContext") or {}
        http = context.get("http") or {}
        self.method = (http.get("method") or "GET").upper()
        self.path = event.get("rawPath") or http.get("path") or "/"
        self.headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        self.source_ip = http.get("sourceIp") or "unknown"
        self.user_agent = (http.get("userAgent") or self.headers.get("user-agent") or "")[:256]
        self.domain = context.get("domainName") or self.headers.get("host") or ""
        self.request_id = context.get("requestId") or ""
        self._event = event

    @property
    def base_url(self) -> str:
        scheme = "http" if self.domain.startswith(("127.0.0.1", "localhost")) else "https"
        return f"{scheme}://{self.domain}"

    def raw_body(self) -> bytes:
        body = self._event.get("body") or ""
        raw = base64.b64decode(body) if self._event.get("isBase64Encoded") else body.encode()
        if len(raw) > MAX_BODY_BYTES:
            raise TooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes.", code="body_too_large")
        return raw

    def json(self) -> dict:
        try:
            data = json.loads(self.raw_body() or b"{}")
        except (UnicodeDecodeError, ValueError):
            raise Malformed("The request body is not valid JSON.", code="malformed_json") from None
        if not isinstance(data, dict):
            raise Malformed("The request body must be a JSON object.", code="malformed_json")
        return data


def respond(status: int, body, content_type: str = _JSON, headers: dict | None = None) -> dict:
    from chalicelib.domain.snapshot import dumps

    text = body if isinstance(body, str) else dumps(body)
    return {"statusCode": status, "headers": {"Content-Type": content_type, "Cache-Control": "no-store",
                                              "X-Content-Type-Options": "nosniff", **(headers or {})},
            "body": text}


class Router:
    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object]] = []

    def add(self, method: str, pattern: str, handler) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def __call__(self, raw_event: dict) -> dict:
        started = time.perf_counter()
        event = Event(raw_event)
        response = self._dispatch(event)
        log("request", function="inquiry", method=event.method, route=event.path if len(event.path) < 80 else "long",
            status=response["statusCode"], latency_ms=round((time.perf_counter() - started) * 1000, 1),
            request_id=event.request_id)
        return response

    def _dispatch(self, event: Event) -> dict:
        allowed = False
        for method, pattern, handler in self.routes:
            match = pattern.match(event.path)
            if not match:
                continue
            allowed = True
            if method != event.method:
                continue
            try:
                return handler(event, **match.groupdict())
            except DomainError as exc:
                headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
                return respond(exc.status, error_body(exc.code, exc.message), headers=headers)
            except Exception:  # noqa: BLE001
                log_exception("unhandled_error", function="inquiry")
                return respond(500, error_body("internal_error", "Something went wrong on our side; please try again."))
        if allowed:
            return respond(405, error_body("method_not_allowed", f"{event.method} is not allowed here."))
        return respond(404, error_body("not_found", "There is nothing at this address."))
