"""What every API handler shares: routes registered on a blueprint with contract errors instead of tracebacks, and
one log line per request."""
from __future__ import annotations

import functools
import time
import uuid

from chalicelib.domain.errors import DomainError
from chalicelib.http.responses import error_response, internal_error_response
from chalicelib.logs import log, log_exception


def handled(view):
    """Turn domain failures into the contract's 4xx JSON and anything unexpected into a bare 500 whose
    details stay in the log."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError as exc:
            return error_response(exc)
        except Exception:  # noqa: BLE001 - the last line of defence
            log_exception("unhandled_error", view=view.__name__)
            return internal_error_response()

    return wrapper


def router(blueprint):
    """`@route(path, methods=[...])` for a blueprint, each view wrapped by `handled`."""

    def route(path, **options):
        def register(view):
            return blueprint.route(path, **options)(handled(view))

        return register

    return route


def request_logger(request, get_response):
    started = time.perf_counter()
    context = request.context if request.context is not None else {}
    # API Gateway gives every request an id; chalice's test client and local server do not.
    context.setdefault("requestId", uuid.uuid4().hex)
    response = get_response(request)
    log(
        "request",
        method=request.method,
        route=context.get("resourcePath", request.path),
        status=response.status_code,
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        request_id=context.get("requestId"),
    )
    response.headers.setdefault("X-Request-Id", str(context.get("requestId", "")))
    return response


# Chalice answers a few failures itself, before any view runs, in its own shape ({"Code", "Message"}): a media type
# the route does not take, a method it does not serve. Clients get the contract's shape for those too.
_CHALICE_CODES = {"UnsupportedMediaType": "unsupported_media_type", "MethodNotAllowedError": "method_not_allowed",
                  "BadRequestError": "bad_request", "NotFoundError": "not_found"}


def contract_errors(request, get_response):
    response = get_response(request)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and set(body) == {"Code", "Message"}:
        from chalicelib.http.responses import JSON, NO_STORE, error_body

        code = _CHALICE_CODES.get(body["Code"], "bad_request" if response.status_code < 500 else "internal_error")
        response.body = error_body(code, str(body["Message"]))
        response.headers = {**response.headers, "Content-Type": JSON, **NO_STORE}
    return response
