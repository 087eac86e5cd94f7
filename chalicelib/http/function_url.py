"""The inquiry Lambda sits behind a function URL, which chalice does not route: this maps the function-URL
event (payload 2.0) to a few handlers and their answers back to the event's response shape. Bodies are parsed
and failures shaped by the same code as the API's (parsing.json_object, responses.error_parts)."""
from __future__ import annotations

import base64
import re
import time

from chalicelib.domain.errors import DomainError, Malformed, TooLarge, UnsupportedMediaType
from chalicelib.http.parsing import MAX_BODY_BYTES, json_object
from chalicelib.http.responses import INTERNAL_ERROR, JSON, NO_STORE, error_body, error_parts
from chalicelib.logs import log, log_exception


# Behind CloudFront (INQUIRY_EDGE=cloudfront) the caller is CloudFront: a CloudFront Function writes the viewer's
# address and the host it asked for into these headers, overwriting whatever a client sent (infra/stacks/edge.py),
# and only CloudFront may invoke the URL. Anywhere else they are a client's words and are ignored.
VIEWER_IP_HEADER = "x-sabeghe-viewer-ip"
VIEWER_HOST_HEADER = "x-sabeghe-viewer-host"


class Event:
    def __init__(self, event: dict):
        import os

        context = event.get("requestContext") or {}
        http = context.get("http") or {}
        self.method = (http.get("method") or "GET").upper()
        self.path = event.get("rawPath") or http.get("path") or "/"
        self.headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        behind_edge = os.environ.get("INQUIRY_EDGE") == "cloudfront"
        self.source_ip = ((self.headers.get(VIEWER_IP_HEADER) if behind_edge else None)
                          or http.get("sourceIp") or "unknown")
        self.user_agent = (http.get("userAgent") or self.headers.get("user-agent") or "")[:256]
        self.domain = ((self.headers.get(VIEWER_HOST_HEADER) if behind_edge else None)
                       or context.get("domainName") or self.headers.get("host") or "")
        self.request_id = context.get("requestId") or ""
        self._event = event

    @property
    def base_url(self) -> str:
        scheme = "http" if self.domain.startswith(("127.0.0.1", "localhost")) else "https"
        return f"{scheme}://{self.domain}"

    def json(self) -> dict:
        # JSON only: a page elsewhere can send a form or text/plain without asking the browser first (no CORS
        # preflight), but not JSON, so this keeps other sites' pages from spreading guesses over their visitors.
        media_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise UnsupportedMediaType("Send the inquiry as JSON (Content-Type: application/json).",
                                       code="unsupported_media_type")
        body = self._event.get("body") or ""
        if len(body) > 2 * MAX_BODY_BYTES:  # refuse before decoding anything big
            raise TooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes.", code="body_too_large")
        raw = base64.b64decode(body) if self._event.get("isBase64Encoded") else body.encode()
        return json_object(raw)

    def pdf(self, max_bytes: int) -> bytes:
        """A PDF sent as the body itself (`Content-Type: application/pdf`): the function URL hands binary bodies over
        in base64."""
        media_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/pdf":
            raise UnsupportedMediaType("Send the file itself as the body, with Content-Type: application/pdf.",
                                       code="pdf_expected")
        body = self._event.get("body") or ""
        if len(body) > (max_bytes * 4) // 3 + 4:  # refuse before decoding anything big (base64 is 4/3 the size)
            raise TooLarge(f"The file is larger than {max_bytes} bytes.", code="file_too_large")
        try:
            raw = base64.b64decode(body, validate=True) if self._event.get("isBase64Encoded") else body.encode()
        except (ValueError, UnicodeEncodeError):
            raise Malformed("The body is not the file's bytes.", code="malformed_body") from None
        if len(raw) > max_bytes:
            raise TooLarge(f"The file is larger than {max_bytes} bytes.", code="file_too_large")
        return raw


def respond(status: int, body, content_type: str = JSON, headers: dict | None = None) -> dict:
    from chalicelib.domain.snapshot import dumps

    text = body if isinstance(body, str) else dumps(body)
    return {"statusCode": status, "headers": {"Content-Type": content_type, **NO_STORE, **(headers or {})},
            "body": text}


class Router:
    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object]] = []

    def add(self, method: str, pattern: str, handler) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def __call__(self, raw_event: dict) -> dict:
        started = time.perf_counter()
        event = Event(raw_event)
        response = compressed(self._dispatch(event), event)
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
                status, body, headers = error_parts(exc)
                return respond(status, body, headers=headers)
            except Exception:  # noqa: BLE001 - the last line of defence
                log_exception("unhandled_error", function="inquiry")
                return respond(500, error_body(*INTERNAL_ERROR))
        if allowed:
            return respond(405, error_body("method_not_allowed", f"{event.method} is not allowed here."))
        return respond(404, error_body("not_found", "There is nothing at this address."))


COMPRESS_FROM = 1400  # bytes: below a packet's worth, compressing saves nothing


def compressed(response: dict, event: Event) -> dict:
    """A statement's answer runs to tens of kilobytes of JSON and shrinks about twentyfold: sent compressed to a
    client that accepts it, it is faster for the institution and most of the cost of data out."""
    body = response.get("body") or ""
    accepted = event.headers.get("accept-encoding", "")
    if len(body) < COMPRESS_FROM or "gzip" not in accepted or response.get("isBase64Encoded") \
            or "Content-Encoding" in response["headers"]:
        return response
    import gzip

    packed = gzip.compress(body.encode(), compresslevel=5, mtime=0)
    return {**response, "body": base64.b64encode(packed).decode(), "isBase64Encoded": True,
            "headers": {**response["headers"], "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}}
