"""CORS: only the configured origins, never `*`, anywhere in a stage's templates (the inquiry's function URL, the
buckets' presigned uploads, the REST API and its gateway responses, CloudFront), and the inquiry URL allows only
what the panel sends."""
from __future__ import annotations

import json
import re

import pytest

from support import logical_id, of_type, synth
from stacks.sabeghe_stack import INQUIRY_CORS_HEADERS
from stacks.settings import SettingsError, resolve
from template_checks import sam_transform

OPERATOR_ORIGINS = ("https://portal.tamin.example", "https://bank.example:8443")
ORIGIN_KEY = re.compile(r"^(allow(ed)?_?origins?|accesscontrolalloworigins)$", re.I)


def cors_origins(node, path="") -> list[tuple[str, object]]:
    """Every place a template names the origins it allows: `AllowOrigins` (function URL), `AllowedOrigins` (S3),
    `AccessControlAllowOrigins` (CloudFront), and any `Access-Control-Allow-Origin` header a response sets
    (API Gateway's method, integration and gateway responses)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if ORIGIN_KEY.match(key.replace("-", "")):
                found.append((here, value))
            elif "access-control-allow-origin" in key.lower():
                found.append((here, value))
            else:
                found += cors_origins(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += cors_origins(value, f"{path}[{index}]")
    return found


def _any_origin(value) -> bool:
    text = json.dumps(value)
    return "*" in text


def _templates(built) -> dict[str, dict]:
    template = built.template.to_json()
    out = {"stack": template, "stack (SAM-transformed)": sam_transform(template, built.settings.region)}
    if built.edge_template is not None:
        out["edge"] = built.edge_template.to_json()
    return out


@pytest.fixture(scope="module")
def prod_with_origins(tmp_path_factory):
    """prod with origins the operator configured: CORS then exists in prod too."""
    return synth(tmp_path_factory.mktemp("prod-origins"), "prod", allowed_origins=",".join(OPERATOR_ORIGINS))


@pytest.fixture(params=["dev", "prod", "prod_with_origins"])
def built(request):
    return request.getfixturevalue(request.param)


def test_no_cors_anywhere_allows_any_origin(built):
    seen = 0
    for name, template in _templates(built).items():
        for where, value in cors_origins(template):
            seen += 1
            assert not _any_origin(value), f"{name}{where} allows {value!r}"
            values = value if isinstance(value, list) else [value]
            for origin in values:
                # S3 and function URLs list origins; a response header would be a quoted literal.
                assert str(origin).strip("'") in built.settings.allowed_origins, f"{name}{where}: {origin!r}"
    # Not vacuous: the function URL and both buckets carry CORS wherever origins are configured.
    assert seen >= (3 if built.settings.allowed_origins else 0)
    if not built.settings.allowed_origins:
        assert seen == 0


def test_the_inquiry_url_allows_only_the_configured_origins_and_what_the_panel_sends(built):
    (url,) = of_type(built.resources, "AWS::Lambda::Url").values()
    origins = built.settings.allowed_origins
    if not origins:
        assert "Cors" not in url["Properties"]  # same origin: the panel is served by the function itself
        return
    cors = url["Properties"]["Cors"]
    assert cors["AllowOrigins"] == list(origins) and "*" not in cors["AllowOrigins"]
    assert sorted(cors["AllowMethods"]) == ["GET", "POST"]
    # Content-Type for the JSON body and x-amz-content-sha256, the body's hash OAC needs behind CloudFront, which
    # the panel sends on every POST (Accept is CORS-safelisted): nothing more.
    assert sorted(h.lower() for h in cors["AllowHeaders"]) == ["content-type", "x-amz-content-sha256"]
    assert tuple(INQUIRY_CORS_HEADERS) == ("content-type", "x-amz-content-sha256")
    assert cors.get("AllowCredentials") in (None, False)
    assert "ExposeHeaders" not in cors
    assert cors["MaxAge"] == 3600


def test_the_buckets_allow_only_the_configured_origins(built):
    for prefix in ("DocumentsBucket", "ListsBucket", "AccessLogsBucket"):
        bucket = built.resources[logical_id(built.resources, "AWS::S3::Bucket", prefix)]["Properties"]
        rules = (bucket.get("CorsConfiguration") or {}).get("CorsRules", [])
        if prefix == "AccessLogsBucket" or not built.settings.allowed_origins:
            assert rules == [], prefix
            continue
        for rule in rules:
            assert rule["AllowedOrigins"] == list(built.settings.allowed_origins), prefix


def test_the_api_sets_no_cors_at_all(built):
    """Chalice's routes have no CORSConfig and the gateway responses set no Access-Control-* header: the portal's
    pages are served by the API itself (same origin)."""
    for name, template in _templates(built).items():
        for logical, resource in template["Resources"].items():
            if resource["Type"] in ("AWS::Serverless::Api", "AWS::ApiGateway::RestApi",
                                    "AWS::ApiGateway::GatewayResponse"):
                assert "access-control-" not in json.dumps(resource).lower(), f"{name}: {logical}"


@pytest.mark.parametrize("origins", ["*", "https://*.bank.example", "https://bank.example,*", '["*"]', "null"])
def test_settings_refuse_any_origin(origins):
    from support import EDGE_VALUES, OPERATOR_VALUES

    for stage in ("dev", "prod"):
        with pytest.raises(SettingsError, match="allowed_origins"):
            resolve(stage, OPERATOR_VALUES, EDGE_VALUES, {"allowed_origins": origins})
