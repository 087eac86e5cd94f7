"""Synthesizes SabegheStack against a stub chalice app and checks the template.

Run by hand (not part of the main CI): `cd infra && .venv/bin/python -m pytest tests -q` (about a minute; the
first synth starts the CDK's node runtime). The stub app has no requirements.txt, so nothing is downloaded.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

INFRA = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(INFRA))

import aws_cdk as cdk  # noqa: E402
from aws_cdk.assertions import Match, Template  # noqa: E402

from stacks.sabeghe_stack import FUNCTIONS, SabegheStack  # noqa: E402

STUB_APP = '''
from chalice import Chalice, Rate

app = Chalice(app_name="sabeghe")


@app.route("/")
def index():
    return {"ok": True}


@app.lambda_function(name="inquiry")
def inquiry(event, context):
    return {"statusCode": 200, "body": "ok"}


@app.lambda_function(name="render_statement")
def render_statement(event, context):
    return {"batchItemFailures": []}


@app.lambda_function(name="deliver_mailbox")
def deliver_mailbox(event, context):
    return {"batchItemFailures": []}


@app.lambda_function(name="ingest_list")
def ingest_list(event, context):
    return None


@app.schedule(Rate(1, unit=Rate.HOURS), name="cleanup")
def cleanup(event):
    return None
'''

# Local-development settings at the top level of config.json: they must not reach the deployed functions.
STUB_CONFIG = {
    "version": "2.0",
    "app_name": "sabeghe",
    "environment_variables": {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "APP_ENV": "local"},
    "stages": {"dev": {"api_gateway_stage": "api"}},
}

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


def make_app(root: Path, source: str = STUB_APP) -> Path:
    (root / ".chalice").mkdir(parents=True)
    (root / "app.py").write_text(source)
    (root / ".chalice" / "config.json").write_text(json.dumps(STUB_CONFIG))
    return root


def synth(tmp: Path, source_dir: Path, **kwargs) -> dict:
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
    # chalice imports the project as the module `app` (with the project on sys.path): forget the previous one.
    sys.modules.pop("app", None)
    cwd = os.getcwd()
    os.chdir(tmp)  # the chalice construct writes chalice.out/ into the working folder
    try:
        app = cdk.App(outdir=str(tmp / "cdk.out"))
        stack = SabegheStack(app, "Sabeghe", source_dir=str(source_dir), env=ENV, **kwargs)
        return Template.from_stack(stack)
    finally:
        os.chdir(cwd)
        if str(source_dir) in sys.path:
            sys.path.remove(str(source_dir))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    tmp = tmp_path_factory.mktemp("synth")
    return synth(tmp, make_app(tmp / "project"))


@pytest.fixture(scope="module")
def resources(template) -> dict:
    return template.to_json()["Resources"]


def of_type(resources: dict, type_: str) -> dict:
    return {k: v for k, v in resources.items() if v["Type"] == type_}


def logical_id(resources: dict, type_: str, prefix: str) -> str:
    (match,) = [k for k in of_type(resources, type_) if k.startswith(prefix)]
    return match


# -- tables ---------------------------------------------------------------------------------------------------

TABLES = {
    # construct prefix: (has sort key, has TTL, has by_expiry)
    "UsersTable": (False, True, False),
    "RecordsTable": (True, False, False),
    "RequestsTable": (True, True, True),
    "GrantsTable": (False, True, True),
    "ActivityTable": (True, True, False),
    "ThrottlesTable": (False, True, False),
}


def test_six_tables(resources):
    assert len(of_type(resources, "AWS::DynamoDB::Table")) == 6


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_shape(resources, name):
    sort_key, ttl, index = TABLES[name]
    table = resources[logical_id(resources, "AWS::DynamoDB::Table", name)]
    props = table["Properties"]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if sort_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
    assert props["KeySchema"] == keys
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True  # AWS-managed key
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"
    if ttl:
        assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at_epoch", "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in props
    if index:
        (gsi,) = props["GlobalSecondaryIndexes"]
        assert gsi["IndexName"] == "by_expiry"
        assert gsi["KeySchema"] == [
            {"AttributeName": "expiry_bucket", "KeyType": "HASH"},
            {"AttributeName": "expires_at_epoch", "KeyType": "RANGE"},
        ]
        assert gsi["Projection"] == {"ProjectionType": "KEYS_ONLY"}  # carries pk (and sk) too
        types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
        assert types["expiry_bucket"] == "S" and types["expires_at_epoch"] == "N"
    else:
        assert "GlobalSecondaryIndexes" not in props


# -- buckets --------------------------------------------------------------------------------------------------

def test_buckets_are_private_encrypted_and_ssl_only(template, resources):
    buckets = of_type(resources, "AWS::S3::Bucket")
    assert len(buckets) == 2
    for bucket in buckets.values():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
        assert "VersioningConfiguration" not in props
        assert bucket["DeletionPolicy"] == "Retain"
    policies = of_type(resources, "AWS::S3::BucketPolicy")
    assert len(policies) == 2
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
        )


def test_statements_expire_after_400_days(resources):
    docs = resources[logical_id(resources, "AWS::S3::Bucket", "DocumentsBucket")]
    rules = docs["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"ExpirationInDays": 400, "Prefix": "statements/", "Status": "Enabled", "Id": "expire-statements-backstop"} in rules


# -- functions ------------------------------------------------------------------------------------------------

def test_function_settings_and_own_roles(resources):
    roles = set()
    for name, spec in FUNCTIONS.items():
        props = resources[spec.logical_id]["Properties"]
        assert props["MemorySize"] == spec.memory, name
        assert props["Timeout"] == spec.timeout, name
        role = props["Role"]["Fn::GetAtt"][0]
        assert resources[role]["Type"] == "AWS::IAM::Role"
        roles.add(role)
    assert len(roles) == len(FUNCTIONS)
    assert resources["RenderStatement"]["Properties"]["MemorySize"] >= 512


def test_environment(resources):
    functions = {**of_type(resources, "AWS::Serverless::Function"), **of_type(resources, "AWS::Lambda::Function")}
    assert functions
    for logical, fn in functions.items():
        variables = fn["Properties"].get("Environment", {}).get("Variables", {})
        assert not [k for k in variables if k.startswith("AWS_ENDPOINT_URL")], logical
    expected = {
        "APP_ENV", "LOG_LEVEL", "USERS_TABLE", "RECORDS_TABLE", "REQUESTS_TABLE", "GRANTS_TABLE", "ACTIVITY_TABLE",
        "THROTTLES_TABLE", "DOCUMENTS_BUCKET", "LISTS_BUCKET", "SECRETS_ID", "RENDER_QUEUE_URL", "MAILBOX_QUEUE_URL",
    }
    for name, spec in FUNCTIONS.items():
        variables = resources[spec.logical_id]["Properties"]["Environment"]["Variables"]
        assert expected <= set(variables), name
        assert variables["APP_ENV"] == "aws" and variables["LOG_LEVEL"] == "INFO"
        if name != "inquiry":
            assert {"INQUIRY_URL", "PUBLIC_VERIFY_BASE_URL"} <= set(variables), name


def test_inquiry_function_url(template, resources):
    template.has_resource_properties(
        "AWS::Lambda::Url",
        {
            "AuthType": "NONE",
            "TargetFunctionArn": {"Fn::GetAtt": ["Inquiry", "Arn"]},
            "Cors": Match.object_like(
                {"AllowOrigins": ["*"], "AllowMethods": Match.array_with(["GET", "POST"])}
            ),
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE", "Principal": "*",
         "FunctionName": {"Fn::GetAtt": ["Inquiry", "Arn"]}},
    )
    assert "InquiryFunctionUrl" in template.to_json()["Outputs"]


@pytest.mark.parametrize("function,queue", [("RenderStatement", "RenderQueue"), ("DeliverMailbox", "MailboxQueue")])
def test_sqs_event_sources(resources, function, queue):
    queue_id = logical_id(resources, "AWS::SQS::Queue", queue)
    mappings = [
        m for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    ]
    assert len(mappings) == 1
    assert json.dumps({"Fn::GetAtt": [function, "Arn"]}) in json.dumps(mappings[0]["Properties"]["FunctionName"])
    assert mappings[0]["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    redrive = resources[queue_id]["Properties"]["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == 3
    timeout = resources[function]["Properties"]["Timeout"]
    assert resources[queue_id]["Properties"]["VisibilityTimeout"] >= timeout


def test_cleanup_schedule(resources):
    events = resources["Cleanup"]["Properties"]["Events"]
    assert [e["Type"] for e in events.values()] == ["Schedule"]


@pytest.mark.skip(reason="ingest_list joins the stack with employer-list ingestion")
def test_lists_bucket_triggers_ingest(template, resources):
    lists_id = logical_id(resources, "AWS::S3::Bucket", "ListsBucket")
    template.has_resource_properties(
        "Custom::S3BucketNotifications",
        {
            "BucketName": {"Ref": lists_id},
            "NotificationConfiguration": {
                "LambdaFunctionConfigurations": [
                    Match.object_like(
                        {
                            "Events": ["s3:ObjectCreated:*"],
                            "LambdaFunctionArn": {"Fn::GetAtt": ["IngestList", "Arn"]},
                            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                        }
                    )
                ]
            },
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Principal": "s3.amazonaws.com", "FunctionName": {"Fn::GetAtt": ["IngestList", "Arn"]}},
    )


def test_secret_has_three_generated_keys(resources):
    (app_secret,) = [
        v for v in of_type(resources, "AWS::SecretsManager::Secret").values() if "SecretString" in v["Properties"]
    ]
    text = json.dumps(app_secret["Properties"]["SecretString"])
    for key in ("token_key", "passcode_key", "otp_key"):
        assert f'\\"{key}\\":\\"{{{{resolve:secretsmanager:' in text
    assert app_secret["DeletionPolicy"] == "Retain"


def _allowed(resources: dict, role_prefix: str, resource_id: str) -> set[str]:
    """Actions the role's policy allows on a resource (by logical id, ARN or ARN-based pattern)."""
    policy = logical_id(resources, "AWS::IAM::Policy", f"{role_prefix}RoleDefaultPolicy")
    actions = set()
    for statement in resources[policy]["Properties"]["PolicyDocument"]["Statement"]:
        if statement["Effect"] == "Allow" and resource_id in json.dumps(statement["Resource"]):
            action = statement["Action"]
            actions.update([action] if isinstance(action, str) else action)
    return actions


def test_least_privilege_examples(resources):
    users = logical_id(resources, "AWS::DynamoDB::Table", "UsersTable")
    requests = logical_id(resources, "AWS::DynamoDB::Table", "RequestsTable")
    lists = logical_id(resources, "AWS::S3::Bucket", "ListsBucket")
    docs = logical_id(resources, "AWS::S3::Bucket", "DocumentsBucket")
    render_queue = logical_id(resources, "AWS::SQS::Queue", "RenderQueue")
    secret = logical_id(resources, "AWS::SecretsManager::Secret", "SabegheKeys")

    assert "dynamodb:PutItem" not in _allowed(resources, "RenderStatement", users)
    assert "dynamodb:GetItem" in _allowed(resources, "RenderStatement", users)
    assert "s3:PutObject" in _allowed(resources, "RenderStatement", docs)
    assert "s3:DeleteObject*" in _allowed(resources, "RenderStatement", docs)  # a PDF for a deleted request
    assert "s3:DeleteObject*" not in _allowed(resources, "Inquiry", docs)
    assert "sqs:ReceiveMessage" in _allowed(resources, "RenderStatement", render_queue)
    assert not _allowed(resources, "Inquiry", lists)
    assert not _allowed(resources, "Inquiry", render_queue)
    assert "sqs:SendMessage" in _allowed(resources, "APIHandler", render_queue)
    assert "s3:PutObject" in _allowed(resources, "APIHandler", lists)


def _references(node, found: set) -> set:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text))
                _references(value, found)
            else:
                _references(value, found)
    elif isinstance(node, list):
        for item in node:
            _references(item, found)
    return found


def test_no_dependency_cycle(resources):
    graph = {}
    for name, res in resources.items():
        depends = res.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        graph[name] = {d for d in _references(res.get("Properties", {}), set()) | set(depends) if d in resources}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, f"cycle: {' -> '.join(path + [nxt])}"
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_outputs(template):
    outputs = template.to_json()["Outputs"]
    for key in ("ApiUrl", "InquiryFunctionUrl", "DocumentsBucketName", "ListsBucketName", "SecretsId",
                "UsersTableName", "RecordsTableName", "RequestsTableName", "GrantsTableName", "ActivityTableName",
                "ThrottlesTableName"):
        assert key in outputs


# -- variations -----------------------------------------------------------------------------------------------

def test_public_verify_base_url_from_context(tmp_path):
    template = synth(tmp_path, make_app(tmp_path / "project"), public_verify_base_url="https://verify.example/")
    resources = template.to_json()["Resources"]
    for spec in FUNCTIONS.values():
        variables = resources[spec.logical_id]["Properties"]["Environment"]["Variables"]
        assert variables["PUBLIC_VERIFY_BASE_URL"] == "https://verify.example"


@pytest.mark.skip(reason="ingest_list joins the stack with employer-list ingestion")
def test_missing_function_is_reported(tmp_path):
    source = STUB_APP.replace('@app.lambda_function(name="ingest_list")', '@app.lambda_function(name="other")')
    with pytest.raises(Exception, match="ingest_list"):
        synth(tmp_path, make_app(tmp_path / "project", source))
