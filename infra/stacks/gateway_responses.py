"""What API Gateway itself answers on the REST API when a request never reaches the app (an unknown route, the
stage's throttling, a body over API Gateway's limit, the function failing or timing out): the app's error shape,
`{"error": {"code", "message", "message_fa"}}`, with the headers the app sends on its own JSON answers. Plain data
and no CDK import, like grants.py: the stack (`_configure_api`, SAM's `GatewayResponses`) and its tests read it.

Every template is a fixed JSON text: no `$context` or `$input` variable at all, so nothing a client sent (a header,
a path, API Gateway's own `$context.error.message`) can come back in a body. API Gateway's default answer to an
unknown route (MISSING_AUTHENTICATION_TOKEN, 403) says "Missing Authentication Token" or, when the request carried
an Authorization header, `'<token>' not a valid key=value pair ... in Authorization header: 'Bearer <token>'`:
it echoes the caller's token. Here an unknown route is the app's 404 `not_found`. Header values are static too.

The wording of a code the app also uses (not_found, not_logged_in, body_too_large, internal_error) is the app's:
its English is repeated below, its Persian read from chalicelib/http/messages_fa.py; the codes only the gateway
answers have their Persian here (GATEWAY_FA). The app's JSON content type and its `NO_STORE` headers are read from
chalicelib/http/responses.py. Both files are read as text (ast), never imported: they belong to the app.
"""
from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GatewayError:
    code: str
    message: str
    status: int | None = None  # None: each response type keeps its own status (the DEFAULT_* families)
    headers: dict = field(default_factory=dict)  # beyond the app's JSON headers


# Codes only API Gateway answers: their Persian wording (the app's codes take theirs from messages_fa.py).
GATEWAY_FA = {
    "request_refused": "درخواست پذیرفته نشد.",
    "access_denied": "اجازه این درخواست را ندارید.",
    "too_many_requests": "تعداد درخواست‌ها بیش از حد است؛ چند لحظه بعد دوباره تلاش کنید.",
    "bad_gateway": "سامانه پاسخ درستی نداد؛ لطفاً دوباره تلاش کنید.",
    "gateway_timeout": "پاسخ سامانه بیش از حد طول کشید؛ پیش از تکرار یک تغییر، بررسی کنید که انجام نشده باشد.",
}

RESPONSES: dict[str, GatewayError] = {
    # Every 4xx and 5xx API Gateway makes itself and no entry below names (BAD_REQUEST_BODY, INVALID_SIGNATURE,
    # EXPIRED_TOKEN, WAF_FILTERED, API_CONFIGURATION_ERROR, ...), each with its own status.
    "DEFAULT_4XX": GatewayError("request_refused", "The request was refused."),
    "DEFAULT_5XX": GatewayError("internal_error", "Something went wrong on our side; please try again."),
    # No such route (or method): API Gateway calls it a missing token and answers 403; the app's 404.
    "MISSING_AUTHENTICATION_TOKEN": GatewayError("not_found", "There is nothing at this address.", 404),
    "RESOURCE_NOT_FOUND": GatewayError("not_found", "There is nothing at this address.", 404),
    "ACCESS_DENIED": GatewayError("access_denied", "This request is not allowed.", 403),
    "UNAUTHORIZED": GatewayError("not_logged_in", "Log in first: send 'Authorization: Bearer <token>'.", 401),
    # The stage's throttling (a token bucket refilled every second: design.api_rate_limit / api_burst_limit).
    "THROTTLED": GatewayError("too_many_requests", "Too many requests; try again in a moment.", 429,
                              {"Retry-After": "1"}),
    "REQUEST_TOO_LARGE": GatewayError("body_too_large", "The request body is too large.", 413),
    "INTEGRATION_FAILURE": GatewayError("bad_gateway", "The service did not answer properly; please try again.", 502),
    # The function may still finish what it started: say so before a client repeats a change.
    "INTEGRATION_TIMEOUT": GatewayError(
        "gateway_timeout", "The service took too long to answer; before repeating a change, check whether it was "
                           "made.", 504),
}


def _literals(path: str, *names: str) -> dict:
    """Top-level `NAME = <literal>` assignments of a Python file, without importing it."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in names:
                    found[target.id] = ast.literal_eval(node.value)
    missing = set(names) - set(found)
    if missing:
        raise ValueError(f"{path} no longer defines {', '.join(sorted(missing))} as a literal: the API's gateway "
                         "responses take the app's error headers and wording from there (stacks/gateway_responses.py)")
    return found


@dataclass(frozen=True)
class AppErrorShape:
    content_type: str  # the app's JSON content type
    headers: dict  # what the app adds to every JSON answer (no-store, nosniff)
    messages_fa: dict  # the Persian wording of the app's codes


def app_error_shape(project_root: str) -> AppErrorShape:
    http = os.path.join(project_root, "chalicelib", "http")
    responses = _literals(os.path.join(http, "responses.py"), "JSON", "NO_STORE")
    messages = _literals(os.path.join(http, "messages_fa.py"), "MESSAGES_FA")
    return AppErrorShape(responses["JSON"], responses["NO_STORE"], messages["MESSAGES_FA"])


def body(error: GatewayError, shape: AppErrorShape) -> dict:
    message_fa = shape.messages_fa.get(error.code) or GATEWAY_FA[error.code]
    return {"error": {"code": error.code, "message": error.message, "message_fa": message_fa}}


def headers(error: GatewayError, shape: AppErrorShape) -> dict:
    return {"Content-Type": shape.content_type, **shape.headers, **error.headers}


def sam_gateway_responses(project_root: str) -> dict:
    """SAM's `GatewayResponses` of an `AWS::Serverless::Api` (the transform writes them into the API's
    `x-amazon-apigateway-gateway-responses`, so a change redeploys the stage like any change of the API)."""
    shape = app_error_shape(project_root)
    out = {}
    for response_type, error in RESPONSES.items():
        static = {}
        for name, value in headers(error, shape).items():
            if "'" in value:
                raise ValueError(f"{response_type}: header {name} cannot hold a quote in a static gateway value")
            static[name] = f"'{value}'"  # API Gateway's static values are quoted; unquoted would map a request value
        # ASCII JSON (the Persian as \u escapes): the same text to every JSON parser, whatever the charset.
        template = json.dumps(body(error, shape), ensure_ascii=True)
        if "$" in template or "#" in template:
            raise ValueError(f"{response_type}: a gateway template must not hold '$' or '#' (template language)")
        entry = {"ResponseParameters": {"Headers": static}, "ResponseTemplates": {"application/json": template}}
        if error.status is not None:
            entry["StatusCode"] = str(error.status)
        out[response_type] = entry
    return out
