"""The OpenAPI 3.1 document, generated from the request models so it cannot drift from what is validated."""
from __future__ import annotations

_ROUTES = [
    ("post", "/v1/auth/register", "Register", "Register with national code, mobile, Jalali birth date and password", "202"),
    ("post", "/v1/auth/activate", "Activate", "Activate the account with the one-time code sent by SMS", "200"),
    ("post", "/v1/auth/login", "Login", "Log in; returns a short-lived bearer token", "200"),
    ("post", "/v1/auth/logout", None, "End this session", "204"),
    ("post", "/v1/staff/auth/login", "StaffLogin", "Staff login", "200"),
    ("get", "/v1/me", None, "The person's profile", "200"),
    ("get", "/v1/me/records", None, "Contribution history per year and workshop with totals", "200"),
    ("get", "/v1/me/records/wages", None, "Wages per month (query: year)", "200"),
    ("get", "/v1/me/activity", None, "My Social Security: every interaction, newest first (query: cursor, limit)", "200"),
    ("post", "/v1/me/statements", "StatementRequest", "Ask for a history statement for institutions", "201"),
    ("get", "/v1/me/inbox", None, "The personal inbox, newest first (query: cursor)", "200"),
    ("get", "/v1/me/inbox/{tracking_no}/document", None, "A short-lived presigned URL for the statement PDF", "200"),
    ("post", "/v1/me/inbox/{tracking_no}/permits", "PermitRequest", "Issue an inquiry permit; the passcode is shown once", "201"),
    ("delete", "/v1/me/inbox/{tracking_no}/permits/{permit_id}", None, "Revoke a permit at once", "204"),
    ("post", "/v1/me/inbox/{tracking_no}/mailbox", None, "Deliver the statement to the national e-mailbox", "202"),
    ("get", "/v1/me/inbox/{tracking_no}", None, "One inbox item", "200"),
    ("delete", "/v1/me/inbox/{tracking_no}", None, "Delete the request, its permits and its PDF", "204"),
    ("post", "/v1/me/objections", "ObjectionRequest",
     "Object to a missing or short month; with an attachment, the answer holds a presigned PUT for it", "201"),
    ("get", "/v1/me/objections", None, "The person's objections with status and staff decision", "200"),
    ("get", "/v1/staff/objections", None, "Objections waiting for a decision, with the records of their months", "200"),
    ("post", "/v1/staff/objections/{tracking_no}/decision", "ObjectionDecision",
     "Accept (with the corrected months) or reject (with a reason) an objection", "200"),
    ("post", "/v1/staff/lists", "ListUpload",
     "Presigned PUTs for one employer's monthly list (a zip, a text list, or the two dBase files)", "201"),
    ("get", "/v1/staff/lists/{list_id}", None,
     "A list's report: status, workshop and month, accepted and rejected rows with reasons, totals, warnings", "200"),
    ("get", "/verify/{document_id}", None, "What was issued under a document id, with the PDF's SHA-256", "200"),
]

# Served by the inquiry function (a Lambda function URL), not by the API.
_INQUIRY_ROUTES = [
    ("post", "/", "Inquiry", "Institution inquiry: the holder's identifier and a passcode", "200"),
]

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"],
                             "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
}


def document() -> dict:
    from chalicelib.http import schemas

    components = {"Error": _ERROR}
    paths: dict = {}
    for method, path, model_name, summary, status in _ROUTES:
        operation = {
            "summary": summary,
            "responses": {
                status: {"description": "Success"},
                "4XX": {"description": "Contract error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        if model_name:
            model = getattr(schemas, model_name)
            components[model_name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model_name}"}}},
            }
        if path.startswith(("/v1/me", "/v1/staff")) and not path.endswith("/auth/login"):
            operation["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[method] = operation
    for method, path, model_name, summary, status in _INQUIRY_ROUTES:
        components[model_name] = getattr(schemas, model_name).model_json_schema(
            ref_template="#/components/schemas/{model}")
        paths.setdefault(path, {})[method] = {
            "summary": summary + " (served at the root of the inquiry function URL)",
            "servers": [{"url": "http://127.0.0.1:8001", "description": "inquiry function (local)"}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{model_name}"}}}},
            "responses": {status: {"description": "The statement and a presigned PDF URL"},
                          "404": {"description": "Wrong, expired, revoked or deleted: one answer"},
                          "429": {"description": "Throttled; see Retry-After"}},
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sabeghe", "version": "1", "description": "Sharing a verified contribution history by passcode."},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
