"""The OpenAPI documents are complete, in process and in a second: every route of the API (chalice's app.routes) and
of the inquiry function (its router, as app.py builds it) is listed, with every path parameter declared and a schema
on its success answer, so a new route cannot be forgotten. tests/fuzz/test_fuzz.py then checks on the running
stack that the answers match what is listed."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from chalicelib.http.openapi import document, inquiry_document

SUCCESS = re.compile(r"^2[0-9][0-9]$")


def api_routes() -> list[tuple[str, str]]:
    from app import app

    return [(path, method.lower()) for path, methods in app.routes.items() for method in methods]


def inquiry_router():
    """The inquiry function's router as app.py builds it (on its first call)."""
    import app
    from devstack.workers import function_url_event

    app.inquiry(function_url_event("GET", "/openapi.json", "", {"Host": "abc.lambda-url.us-east-1.on.aws"}, b"",
                                   "198.51.100.7"), None)
    return app._institution


def inquiry_routes() -> list[tuple[str, str, dict]]:
    """(path, method, {parameter: its regex}) of each route, the regexes turned into OpenAPI path templates."""
    out = []
    for method, pattern, _handler in inquiry_router().routes:
        text = pattern.pattern.removeprefix("^").removesuffix("$")
        groups = dict(re.findall(r"\(\?P<(\w+)>([^)]*)\)", text))
        out.append((re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text), method.lower(), groups))
    return out


def check_operation(doc: dict, path: str, method: str) -> dict:
    assert path in doc["paths"], f"{method.upper()} {path} is not in the document"
    operation = doc["paths"][path].get(method)
    assert operation, f"{method.upper()} {path} is not in the document"
    declared = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
    wanted = set(re.findall(r"{(\w+)}", path))
    assert set(declared) == wanted, f"{method.upper()} {path}: path parameters {sorted(declared)}"
    for parameter in declared.values():
        assert parameter["required"] is True and parameter["schema"]["type"] == "string", parameter
        assert "pattern" in parameter["schema"], parameter
    successes = {code: answer for code, answer in operation["responses"].items() if SUCCESS.match(code)}
    assert successes, f"{method.upper()} {path} has no success answer"
    for code, answer in successes.items():
        if code == "204":
            assert "content" not in answer
            continue
        assert answer.get("content"), f"{method.upper()} {path} {code} has no content"
        for media, content in answer["content"].items():
            assert content.get("schema"), f"{method.upper()} {path} {code} {media} has no schema"
    if wanted:
        assert "404" in operation["responses"], f"{method.upper()} {path} lists no 404"
    if operation.get("security"):
        assert {"401", "403"} <= set(operation["responses"]), f"{method.upper()} {path} lists no 401/403"
    if "requestBody" in operation:
        assert {"400", "413", "415", "422"} <= set(operation["responses"]), f"{method.upper()} {path}: body errors"
    for code, answer in operation["responses"].items():
        if code.startswith("4"):
            assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        if code == "429":
            assert answer["headers"]["Retry-After"]["required"] is True
    return operation


def test_every_api_route_is_in_the_document_with_its_parameters_and_answers():
    doc = document()
    routes = api_routes()
    assert len(routes) >= 30
    for path, method in routes:
        check_operation(doc, path, method)
    listed = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert listed == set(routes), f"listed but not routed: {sorted(listed - set(routes))}"


def test_every_inquiry_route_is_in_the_inquiry_document():
    doc = inquiry_document("https://abc.lambda-url.us-east-1.on.aws")
    routes = inquiry_routes()
    assert ("/openapi.json", "get", {}) in routes and ("/", "post", {}) in routes
    for path, method, groups in routes:
        operation = check_operation(doc, path, method)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":  # the document says what the router matches
                assert parameter["schema"]["pattern"] == f"^{groups[parameter['name']]}$", parameter
    listed = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert listed == {(path, method) for path, method, _ in routes}
    answers = doc["paths"]["/"]["post"]["responses"]
    assert {"200", "400", "404", "413", "415", "422", "429"} <= set(answers)


def test_the_inquiry_function_serves_its_document_and_the_api_its_own(api):
    from tests.conftest import inquire

    served = inquire(None, None, method="GET", path="/openapi.json")
    assert served["statusCode"] == 200 and served["json"]["openapi"].startswith("3.1")
    assert served["json"]["servers"][0]["url"] == "https://abc.lambda-url.us-east-1.on.aws"
    assert set(served["json"]["paths"]) == {"/", "/assets/{name}", "/verify/{document_id}",
                                            "/verify/{document_id}/signature", "/openapi.json"}
    on_api = api.get("/openapi.json")
    assert on_api.status_code == 200 and "/v1/me/inbox/{tracking_no}" in on_api.data["paths"]
    assert "post" not in on_api.data["paths"]["/"]  # the inquiry is the function's, in its own document


@pytest.mark.parametrize("build", [document, inquiry_document], ids=["api", "inquiry"])
def test_the_documents_are_valid_openapi_3_1_and_every_reference_resolves(build):
    from openapi_spec_validator import validate

    doc = build()
    validate(doc)
    text = json.dumps(doc)
    for name in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert name in doc["components"]["schemas"], name
    assert "$defs" not in text  # every nested model is a component of its own


def test_every_request_model_is_documented():
    from pydantic import BaseModel

    from chalicelib.http import schemas

    models = {name for name, value in vars(schemas).items() if isinstance(value, type) and
              issubclass(value, schemas.Body) and value is not schemas.Body and value.__module__ == schemas.__name__}
    documented = set(document()["components"]["schemas"]) | set(inquiry_document()["components"]["schemas"])
    assert models - documented == set()
    assert issubclass(schemas.Body, BaseModel)


def test_answer_models_stay_out_of_the_request_path():
    """Routes build their answers as dicts; the answer models are only for the documents (cold starts)."""
    code = ("import sys, app; from chalicelib.routes import institution; "
            "loaded = [m for m in ('chalicelib.http.answers', 'chalicelib.http.openapi', 'pydantic') "
            "if m in sys.modules]; assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])
