"""The OpenAPI 3.1 documents, generated from the request models (http/schemas.py) and the answer models
(http/answers.py), so they cannot drift from what is validated and returned:

- `document()`: the API's, served at GET /openapi.json on the API address (routes/pages.py);
- `inquiry_document()`: the inquiry function's, served at GET /openapi.json on its function URL
  (`serve_inquiry_document`, added to the function's router in app.py).

Every route of either entry point is listed with its path, query and header parameters, its success answer and
its errors (tests/fuzz/test_document.py fails for a route missing here; tests/fuzz/test_fuzz.py runs Schemathesis
against both documents on the running local stack). Pydantic is imported only when a document is built."""
from __future__ import annotations

import re

JSON = "application/json"
ERROR_REF = {"$ref": "#/components/schemas/Error"}

_ERROR = {
    "type": "object",
    "description": "Every failure: `code` is the thing to branch on; `message` is English, `message_fa` Persian.",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                       "message": {"type": "string"},
                       "message_fa": {"type": "string"}},
    }},
}

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "required": True,
                                "schema": {"type": "string", "pattern": "^[0-9]+$"}}}

_ERRORS = {
    "400": "Malformed: the body is not one JSON object (`malformed_json`), or not a file's bytes (`malformed_body`)",
    "401": "Not logged in, a token that is not valid, or a session that has ended",
    "403": "Not allowed: this account may not use this route, or is not active yet",
    "404": "Not found (someone else's item is not found either)",
    "409": "Conflict with the current state (`request_in_progress` carries Retry-After)",
    "413": "The request body is too large",
    "415": "The body is not sent as application/json (`unsupported_media_type`)",
    "422": "A value is missing, unknown or invalid",
    "429": "Throttled after repeated failures; see Retry-After",
    "503": "A service it depends on (the mobile-number check) is not answering; nothing was done: see Retry-After",
}

# Each path parameter means the same thing on every route that has it.
PATH_PARAMETERS = {
    "tracking_no": ({"type": "string", "pattern": "^[0-9]{1,20}$"},
                    "The tracking number of a statement request (or an objection), as the inbox shows it"),
    "permit_id": ({"type": "string", "pattern": "^[0-9a-f]{12}$"}, "A permit's id, as the inbox item lists it"),
    "document_id": ({"type": "string", "pattern": "^[A-Za-z0-9]{1,40}$"},
                    "The document id printed on the PDF and in its QR code"),
    "list_id": ({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                "A list's id, from POST /v1/staff/lists (or the folder a list was copied into)"),
    "name": ({"type": "string", "pattern": "^[a-z0-9_.-]{1,40}$"}, "An asset's file name, e.g. common.js"),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _limit(default: int) -> dict:
    return _query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": default},
                  "How many items at most (Persian and Arabic-Indic digits are accepted too)")


CURSOR = _query("cursor", {"type": "string", "maxLength": 256},
                "Where the previous page ended: its `next`, as given (opaque)")
YEAR = _query("year", {"type": "integer", "minimum": 1300, "maximum": 1500},
              "A Jalali year, e.g. 1402; without it, every year")
STATUS = _query("status", {"type": "string", "enum": ["submitted"], "default": "submitted"},
                "Only submitted objections wait for staff")
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
                   "description": "A retry with the same key gets the first answer for a day instead of a second one"}

HTML = "text/html"
PDF_BODY = "<the PDF itself>"  # a route whose body is a file, not a JSON model
PUBLIC, INSURED, STAFF = None, "insured", "staff"


def _route(method, path, summary, *, body=None, ok="200", answer=None, media=JSON, auth=PUBLIC, errors=(),
           parameters=(), tags=(), operation_id=None, optional_body=False, extra_answers=None):
    return {"method": method, "path": path, "summary": summary, "body": body, "ok": ok, "answer": answer,
            "media": media, "auth": auth, "errors": tuple(errors), "parameters": tuple(parameters),
            "tags": tuple(tags), "operation_id": operation_id, "optional_body": optional_body,
            "extra_answers": extra_answers or {}}


# Every route of the API. `body` names the request model in http/schemas.py, `answer` the success answer's model in
# http/answers.py (or a schema). The errors every route of its kind can get are added by _operation: a body's 400,
# 413, 415 and 422; a token's 401 and 403; a path parameter's 404; a query or header parameter's 422.
_ROUTES = [
    # --- pages and this document
    _route("get", "/", "The insured portal (HTML)", answer={"type": "string"}, media=HTML, tags=["pages"],
           operation_id="portalPage"),
    _route("get", "/staff", "The staff page (HTML)", answer={"type": "string"}, media=HTML, tags=["pages"],
           operation_id="staffPage"),
    _route("get", "/assets/{name}", "A static file the pages share", answer={"type": "string"},
           media="application/javascript", errors=["404"], tags=["pages"], operation_id="pageAsset"),
    _route("get", "/openapi.json", "This document", answer="OpenApiDocument", tags=["pages"],
           operation_id="apiDocument"),
    # --- accounts
    _route("post", "/v1/auth/register", "Register with national code, mobile, Jalali birth date and password; "
           "a one-time code goes by SMS", body="Register", ok="202", answer="Registered",
           errors=["409", "429", "503"], tags=["accounts"], operation_id="register"),
    _route("post", "/v1/auth/activate", "Activate the account with the one-time code sent by SMS", body="Activate",
           answer="Activated", errors=["429"], tags=["accounts"], operation_id="activate"),
    _route("post", "/v1/auth/login", "Log in; returns a short-lived bearer token", body="Login", answer="Session",
           errors=["401", "403", "429"], tags=["accounts"], operation_id="login"),
    _route("post", "/v1/auth/password-reset", "Ask for a one-time code to reset the password: the same 202 whether "
           "or not the pair matched", body="PasswordReset", ok="202", answer="PasswordResetStarted",
           errors=["429", "503"], tags=["accounts"], operation_id="passwordReset"),
    _route("post", "/v1/auth/password-reset/confirm", "Set a new password with the one-time code; every session "
           "ends", body="PasswordResetConfirm", answer="PasswordResetDone", errors=["429"],
           tags=["accounts"], operation_id="passwordResetConfirm"),
    _route("post", "/v1/me/password", "Change the password: every other session ends, this one gets a new token",
           body="PasswordChange", answer="PasswordChanged", auth=INSURED, errors=["401", "429"],
           tags=["accounts"], operation_id="changePassword"),
    _route("post", "/v1/auth/logout", "End this session", ok="204", auth=INSURED, tags=["accounts"],
           operation_id="logout"),
    _route("post", "/v1/staff/auth/login", "Staff login", body="StaffLogin", answer="Session",
           errors=["401", "429"], tags=["staff"], operation_id="staffLogin"),
    _route("post", "/v1/staff/auth/logout", "End this staff session", ok="204", auth=STAFF, tags=["staff"],
           operation_id="staffLogout"),
    # --- the person's data
    _route("get", "/v1/me", "The person's profile", answer="Profile", auth=INSURED, tags=["my data"],
           operation_id="profile"),
    _route("get", "/v1/me/records", "Contribution history per year and workshop with totals", answer="Records",
           auth=INSURED, tags=["my data"], operation_id="records"),
    _route("get", "/v1/me/records/wages", "Wages per month and workshop, for one year or all", answer="Wages",
           auth=INSURED, parameters=[YEAR], tags=["my data"], operation_id="wages"),
    _route("get", "/v1/me/activity", "My Social Security: every interaction, newest first", answer="ActivityPage",
           auth=INSURED, parameters=[CURSOR, _limit(20)], tags=["my data"], operation_id="activity"),
    _route("post", "/v1/me/objections", "Object to a missing or short month; with an attachment, the answer holds "
           "a presigned PUT for it", body="ObjectionRequest", ok="201", answer="ObjectionFiled", auth=INSURED,
           tags=["objections"], operation_id="fileObjection"),
    _route("get", "/v1/me/objections", "The person's objections with status and staff decision",
           answer="Objections", auth=INSURED, tags=["objections"], operation_id="myObjections"),
    # --- statements
    _route("get", "/v1/agreement", "The agreement a person accepts when asking for a statement",
           answer="Agreement", tags=["statements"], operation_id="agreement"),
    _route("post", "/v1/me/statements", "Ask for a history statement for institutions", body="StatementRequest",
           ok="201", answer="StatementRequested", auth=INSURED, errors=["409"], parameters=[IDEMPOTENCY_KEY],
           tags=["statements"], operation_id="requestStatement"),
    _route("get", "/v1/me/inbox", "The personal inbox, newest first", answer="Inbox", auth=INSURED,
           parameters=[CURSOR, _limit(20)], tags=["statements"], operation_id="inbox"),
    _route("get", "/v1/me/inbox/{tracking_no}", "One inbox item", answer="InboxItem", auth=INSURED,
           tags=["statements"], operation_id="inboxItem"),
    _route("delete", "/v1/me/inbox/{tracking_no}", "Delete the request, its permits and its PDF", ok="204",
           auth=INSURED, errors=["409"], tags=["statements"], operation_id="deleteStatement"),
    _route("get", "/v1/me/inbox/{tracking_no}/document", "A short-lived presigned URL for the statement PDF",
           answer="DocumentLink", auth=INSURED, errors=["409"], tags=["statements"], operation_id="statementDocument"),
    _route("post", "/v1/me/inbox/{tracking_no}/permits", "Issue an inquiry permit; the passcode is shown once",
           body="PermitRequest", optional_body=True, ok="201", answer="PermitIssued", auth=INSURED,
           errors=["409"], parameters=[IDEMPOTENCY_KEY], tags=["statements"], operation_id="issuePermit"),
    _route("delete", "/v1/me/inbox/{tracking_no}/permits/{permit_id}", "Revoke a permit at once", ok="204",
           auth=INSURED, tags=["statements"], operation_id="revokePermit"),
    _route("post", "/v1/me/inbox/{tracking_no}/mailbox", "Deliver the statement to the national e-mailbox (once; "
           "asking again tells where it stands)", ok="202", answer="MailboxRequested", auth=INSURED, errors=["409"],
           tags=["statements"], operation_id="deliverToMailbox"),
    _route("get", "/verify/{document_id}", "What was issued under a document id, with the PDF's SHA-256",
           answer="Verification", tags=["statements"], operation_id="verifyDocument"),
    # --- staff
    _route("get", "/v1/staff/objections", "Objections waiting for a decision, with the records of their months",
           answer="WaitingObjections", auth=STAFF, parameters=[STATUS, _limit(50)], tags=["staff"],
           operation_id="waitingObjections"),
    _route("post", "/v1/staff/objections/{tracking_no}/decision", "Accept (with the corrected months) or reject "
           "(with a reason) an objection", body="ObjectionDecision", answer="ObjectionDecided", auth=STAFF,
           errors=["409"], tags=["staff"], operation_id="decideObjection"),
    _route("post", "/v1/staff/lists", "Presigned PUTs for one employer's monthly list (a zip, a text list, or the "
           "two dBase files)", body="ListUpload", optional_body=True, ok="201", answer="ListUploadStarted",
           auth=STAFF, tags=["staff"], operation_id="startListUpload"),
    _route("get", "/v1/staff/lists/{list_id}", "A list's report: status, workshop and month, accepted and rejected "
           "rows with reasons, totals, warnings", answer="ListReport", auth=STAFF, tags=["staff"],
           operation_id="listReport"),
]

# Served by the inquiry function (a Lambda function URL), not by the API: chalicelib/routes/institution.py.
_INQUIRY_ROUTES = [
    _route("get", "/", "The institution panel (HTML)", answer={"type": "string"}, media=HTML, tags=["pages"],
           operation_id="institutionPage"),
    _route("get", "/assets/{name}", "A static file the pages share", answer={"type": "string"},
           media="application/javascript", errors=["404"], tags=["pages"], operation_id="inquiryPageAsset"),
    _route("post", "/", "Institution inquiry: the holder's identifier and a passcode. A wrong, expired, revoked or "
           "deleted passcode gets one and the same 404", body="Inquiry", answer="InquiryAnswer",
           errors=["404", "429"], tags=["inquiry"], operation_id="inquire"),
    _route("get", "/verify/{document_id}", "What was issued under a document id, with the PDF's SHA-256 (a browser, "
           "asking for HTML, is sent to the panel's verification view)", answer="Verification", tags=["inquiry"],
           operation_id="inquiryVerifyDocument",
           extra_answers={"302": {"description": "With `Accept: text/html`: to the panel's verification view",
                            "headers": {"Location": {"required": True, "schema": {"type": "string"}}}}}),
    _route("post", "/verify/{document_id}/signature", "Check a PDF someone holds against what was issued under the "
           "id: is it that very file, and does its own PAdES signature hold (signer, time, trust root)? The body is "
           "the file itself (Content-Type: application/pdf, at most 3 MiB); nothing of it is kept",
           body=PDF_BODY, answer="FileCheck", errors=["413", "415", "422"], tags=["inquiry"],
           operation_id="checkDocumentSignature"),
    _route("get", "/openapi.json", "This document", answer="OpenApiDocument", tags=["pages"],
           operation_id="inquiryDocument"),
]


def _error(status: str) -> dict:
    answer = {"description": _ERRORS[status], "content": {JSON: {"schema": ERROR_REF}}}
    if status in ("429", "503"):
        answer["headers"] = _RETRY_AFTER
    if status == "409":
        answer["headers"] = {"Retry-After": {**_RETRY_AFTER["Retry-After"], "required": False}}
    return answer


def path_parameters(path: str) -> list[str]:
    return re.findall(r"{([A-Za-z_][A-Za-z0-9_]*)}", path)


class _Schemas:
    """The components' schemas, each request and answer model once (its nested models beside it)."""

    def __init__(self):
        self.models: dict[str, tuple[type, str]] = {}

    def ref(self, model, mode: str) -> dict:
        name = model.__name__
        known = self.models.setdefault(name, (model, mode))
        if known[0] is not model:
            raise ValueError(f"two models are called {name}: rename one")
        return {"$ref": f"#/components/schemas/{name}"}

    def components(self) -> dict:
        from pydantic.json_schema import models_json_schema

        if not self.models:
            return {"Error": _ERROR}
        _, top = models_json_schema(list(self.models.values()), ref_template="#/components/schemas/{model}")
        return {"Error": _ERROR, **dict(sorted(top.get("$defs", {}).items()))}


def _operation(route: dict, schemas: _Schemas) -> dict | None:
    from chalicelib.http import answers, schemas as requests

    status = {}
    errors = set(route["errors"])
    parameters = []
    for name in path_parameters(route["path"]):
        schema, description = PATH_PARAMETERS[name]
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema,
                           "description": description})
        errors.add("404")
    parameters += list(route["parameters"])
    if any(p["in"] in ("query", "header") for p in route["parameters"]):
        errors.add("422")
    operation = {"operationId": route["operation_id"], "summary": route["summary"], "tags": list(route["tags"])}
    if route["body"] is PDF_BODY:
        operation["requestBody"] = {"required": True, "content": {"application/pdf": {
            "schema": {"type": "string", "contentMediaType": "application/pdf"}}}}
        errors |= {"400", "413", "415", "422"}
    elif route["body"]:
        model = getattr(requests, route["body"], None)
        if model is None:  # a route whose request model has not landed yet is left out until it has
            return None
        operation["requestBody"] = {"required": not route["optional_body"],
                                    "content": {JSON: {"schema": schemas.ref(model, "validation")}}}
        errors |= {"400", "413", "415", "422"}
    if route["auth"]:
        operation["security"] = [{"bearer": []}]
        who = "an insured person" if route["auth"] == INSURED else "a staff member"
        operation["description"] = f"Needs the bearer token of {who}."
        errors |= {"401", "403"}
    if parameters:
        operation["parameters"] = parameters
    answer = route["answer"]
    if route["ok"] == "204":
        status["204"] = {"description": "Done; no body"}
    else:
        schema = answer if isinstance(answer, dict) else schemas.ref(getattr(answers, answer), "serialization")
        status[route["ok"]] = {"description": "Success", "content": {route["media"]: {"schema": schema}}}
    status.update(route["extra_answers"])
    for code in sorted(errors):
        status[code] = _error(code)
    operation["responses"] = status
    return operation


def _paths(routes: list[dict], schemas: _Schemas) -> dict:
    paths: dict = {}
    for route in routes:
        operation = _operation(route, schemas)
        if operation is not None:
            paths.setdefault(route["path"], {})[route["method"]] = operation
    return paths


def _document(title: str, description: str, paths: dict, schemas: _Schemas, servers=None, bearer=True) -> dict:
    components: dict = {"schemas": schemas.components()}
    if bearer:
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer",
                                                    "description": "The token from a login"}}
    document = {"openapi": "3.1.0",
                "info": {"title": title, "version": "2", "description": description},
                "paths": paths, "components": components}
    if servers:
        document["servers"] = servers
    return document


def document() -> dict:
    """The API's document (the insured, staff and public routes on the API address)."""
    schemas = _Schemas()
    return _document("Sabeghe", "Sharing a verified contribution history by passcode. The institution inquiry is "
                     "served by its own function URL, with its own document at GET /openapi.json there.",
                     _paths(_ROUTES, schemas), schemas)


def inquiry_document(base_url: str | None = None) -> dict:
    """The inquiry function's document (its function URL); `base_url` is where it is served from."""
    schemas = _Schemas()
    servers = [{"url": base_url.rstrip("/") or "/", "description": "the inquiry function"}] if base_url else None
    return _document("Sabeghe institution inquiry", "An institution reads a statement with the holder's identifier "
                     "and a passcode the holder issued; anyone can check a document id.",
                     _paths(_INQUIRY_ROUTES, schemas), schemas, servers, bearer=False)


def serve_inquiry_document(event):
    """GET /openapi.json on the inquiry function's address."""
    from chalicelib.http.function_url import respond

    return respond(200, inquiry_document(event.base_url))
