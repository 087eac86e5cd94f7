"""What API Gateway answers itself on the REST API: the app's error shape and headers, never the request echoed back
(stacks/gateway_responses.py). Checked on the SAM resource the stack writes and on what the SAM transform makes of
it (the RestApi's `x-amazon-apigateway-gateway-responses`, which is what CloudFormation deploys)."""
from __future__ import annotations

import json
import re

import pytest

from support import REPO
from stacks.gateway_responses import GATEWAY_FA, RESPONSES, app_error_shape
from template_checks import sam_transform

# Response type: (status, code). None: each type of the family keeps API Gateway's own status.
EXPECTED = {
    "DEFAULT_4XX": (None, "request_refused"),
    "DEFAULT_5XX": (None, "internal_error"),
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "RESOURCE_NOT_FOUND": ("404", "not_found"),
    "ACCESS_DENIED": ("403", "access_denied"),
    "UNAUTHORIZED": ("401", "not_logged_in"),
    "THROTTLED": ("429", "too_many_requests"),
    "REQUEST_TOO_LARGE": ("413", "body_too_large"),
    "INTEGRATION_FAILURE": ("502", "bad_gateway"),
    "INTEGRATION_TIMEOUT": ("504", "gateway_timeout"),
}
PERSIAN = re.compile(r"[\u0600-\u06FF]")
STATIC = re.compile(r"^'[^']*'$")  # a quoted literal; anything else maps a request or context value


@pytest.fixture(scope="module")
def app_shape():
    return app_error_shape(str(REPO))


def _sam_responses(synth) -> dict:
    return synth.resources["RestAPI"]["Properties"]["GatewayResponses"]


@pytest.fixture
def deployed_responses(stage) -> dict:
    """The gateway responses as CloudFormation receives them, after the SAM transform."""
    out = sam_transform(stage.template.to_json(), stage.settings.region)
    (api,) = [r for r in out["Resources"].values() if r["Type"] == "AWS::ApiGateway::RestApi"]
    return api["Properties"]["Body"]["x-amazon-apigateway-gateway-responses"]


def test_every_response_type_is_set_with_its_status_and_code(stage):
    responses = _sam_responses(stage)
    assert set(responses) == set(EXPECTED)
    for response_type, (status, code) in EXPECTED.items():
        entry = responses[response_type]
        assert entry.get("StatusCode") == status, response_type
        assert json.loads(entry["ResponseTemplates"]["application/json"])["error"]["code"] == code, response_type


def test_the_transform_carries_them_into_the_deployed_api(deployed_responses):
    assert set(deployed_responses) == set(EXPECTED)
    for response_type, (status, _code) in EXPECTED.items():
        entry = deployed_responses[response_type]
        assert entry.get("statusCode") == status, response_type
        assert set(entry["responseTemplates"]) == {"application/json"}
        for name in entry["responseParameters"]:
            assert name.startswith("gatewayresponse.header."), name


def test_bodies_are_the_apps_error_shape(stage, app_shape):
    for response_type, entry in _sam_responses(stage).items():
        assert set(entry["ResponseTemplates"]) == {"application/json"}, response_type
        body = json.loads(entry["ResponseTemplates"]["application/json"])
        assert list(body) == ["error"], response_type
        error = body["error"]
        assert set(error) == {"code", "message", "message_fa"}, response_type
        assert error["message"] and error["message"].isascii(), response_type
        assert PERSIAN.search(error["message_fa"]), response_type
        # A code the app also answers reads as the app words it; the gateway's own codes have their own wording.
        expected_fa = app_shape.messages_fa.get(error["code"]) or GATEWAY_FA[error["code"]]
        assert error["message_fa"] == expected_fa, response_type


def test_an_unknown_route_is_the_apps_404_not_api_gateways_403(stage, app_shape):
    entry = _sam_responses(stage)["MISSING_AUTHENTICATION_TOKEN"]
    assert entry["StatusCode"] == "404"
    assert json.loads(entry["ResponseTemplates"]["application/json"]) == {"error": {
        "code": "not_found", "message": "There is nothing at this address.",
        "message_fa": app_shape.messages_fa["not_found"]}}


def test_headers_are_the_apps_json_headers(stage, app_shape):
    """Content-Type and what the app adds to every JSON answer (chalicelib/http/responses.py: no-store, nosniff)."""
    assert app_shape.headers == {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    assert app_shape.content_type.startswith("application/json")
    for response_type, entry in _sam_responses(stage).items():
        headers = {k: v.strip("'") for k, v in entry["ResponseParameters"]["Headers"].items()}
        expected = {"Content-Type": app_shape.content_type, **app_shape.headers}
        if response_type == "THROTTLED":
            expected["Retry-After"] = "1"  # the stage's token bucket refills every second
        assert headers == expected, response_type
        assert set(entry["ResponseParameters"]) == {"Headers"}, response_type  # no path or query mappings


def test_nothing_from_the_request_comes_back(stage, deployed_responses, app_shape):
    """No template variable at all ($context.error.message, $input, $util, ...), no header mapped from the request
    (method.request.*): API Gateway's default 403 for an unknown route echoes the Authorization header. Every body
    is exactly the fixed text of its entry in stacks/gateway_responses.py."""
    from stacks.gateway_responses import body

    for responses, templates_key, parameters_key in ((_sam_responses(stage), "ResponseTemplates",
                                                      "ResponseParameters"),
                                                     (deployed_responses, "responseTemplates", "responseParameters")):
        for response_type, entry in responses.items():
            for template in entry[templates_key].values():
                assert "$" not in template and "#" not in template, response_type
                assert json.loads(template) == body(RESPONSES[response_type], app_shape), response_type
            parameters = entry[parameters_key]
            values = parameters["Headers"].values() if "Headers" in parameters else parameters.values()
            for value in values:
                assert STATIC.match(value), (response_type, value)
                assert "method.request" not in value and "context." not in value, (response_type, value)
    text = json.dumps(_sam_responses(stage))
    assert "$context" not in text and "method.request" not in text and "method.input" not in text


def test_every_template_is_ascii_json():
    """The Persian travels as \\u escapes: the same text to every JSON parser, whatever charset a proxy assumes."""
    from stacks.gateway_responses import sam_gateway_responses

    for entry in sam_gateway_responses(str(REPO)).values():
        template = entry["ResponseTemplates"]["application/json"]
        assert template.isascii()
        json.loads(template)


def test_the_gateways_own_codes_do_not_clash_with_the_apps(app_shape):
    """A code only the gateway answers must not be one the app already words differently."""
    for code, wording in GATEWAY_FA.items():
        assert app_shape.messages_fa.get(code, wording) == wording, code
    assert {e.code for e in RESPONSES.values()} <= set(GATEWAY_FA) | set(app_shape.messages_fa)
