"""The stack's shape: tables, buckets, functions, triggers, secret, environment, outputs (both stages).

Part of `make test` (through `make infra-test`); by hand: `make infra-test`, or `cd infra && .venv/bin/python -m
pytest`. The stub app (tests/support.py) has no requirements.txt, so nothing is downloaded."""
from __future__ import annotations

import importlib.util
import json
import re
import string
import sys

import pytest

from support import REPO, STUB_APP, logical_id, of_type, synth
from stacks.functions import FUNCTIONS, LAMBDA_RUNTIME

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


def test_six_tables(dev):
    assert len(of_type(dev.resources, "AWS::DynamoDB::Table")) == 6


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_shape(dev, name):
    resources = dev.resources
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
    if name == "RequestsTable":
        assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    else:
        assert "StreamSpecification" not in props


# -- buckets --------------------------------------------------------------------------------------------------

def test_buckets_are_private_encrypted_and_ssl_only(stage):
    resources = stage.resources
    buckets = of_type(resources, "AWS::S3::Bucket")
    assert len(buckets) == 3  # documents, lists, access logs
    for bucket in buckets.values():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert bucket["DeletionPolicy"] == "Retain"
    policies = of_type(resources, "AWS::S3::BucketPolicy")
    assert len(policies) == 3
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
        )


def test_statements_expire_after_400_days(dev):
    docs = dev.resources[logical_id(dev.resources, "AWS::S3::Bucket", "DocumentsBucket")]
    rules = docs["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"ExpirationInDays": 400, "Prefix": "statements/", "Status": "Enabled", "Id": "expire-statements-backstop"} in rules


# -- functions ------------------------------------------------------------------------------------------------

def test_function_settings_and_own_roles(stage):
    resources = stage.resources
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
    assert (resources["SendSms"]["Properties"]["MemorySize"], resources["SendSms"]["Properties"]["Timeout"]) == (256, 30)


def test_runtime_is_pinned_not_the_synthesizing_python(stage):
    """Item 8: the runtime is python3.12 whatever Python runs these tests (infra/app.py refuses another Python for a
    real synth, whose wheels must match)."""
    assert LAMBDA_RUNTIME == "python3.12"
    for spec in FUNCTIONS.values():
        assert stage.resources[spec.logical_id]["Properties"]["Runtime"] == LAMBDA_RUNTIME


def test_per_view_functions_keep_only_their_own_log_lines(stage):
    """A view runs the inquiry and the follow-up once each: Lambda's START/END/REPORT lines would be most of their
    log bill (bench/view_cost.py), so those two keep only warnings of the platform; the others keep everything."""
    for name, spec in FUNCTIONS.items():
        logging = stage.resources[spec.logical_id]["Properties"]["LoggingConfig"]
        assert logging["LogFormat"] == "JSON", name
        expected = "WARN" if name in ("inquiry", "follow_up") else "INFO"
        assert logging["SystemLogLevel"] == expected, name


COMMON_ENV = {
    "APP_ENV", "LOG_LEVEL", "USERS_TABLE", "RECORDS_TABLE", "REQUESTS_TABLE", "GRANTS_TABLE", "ACTIVITY_TABLE",
    "THROTTLES_TABLE", "DOCUMENTS_BUCKET", "LISTS_BUCKET", "SECRETS_ID", "PROVIDERS_SECRET_ID", "RENDER_QUEUE_URL",
    "MAILBOX_QUEUE_URL", "SMS_QUEUE_URL", "SMS_GATEWAY_URL", "SMS_SENDER", "MAILBOX_GATEWAY_URL", "SMS_DAILY_CAP",
    "INQUIRY_EDGE", "MOBILE_OWNERSHIP_URL",
}


def test_environment(stage):
    resources = stage.resources
    functions = {**of_type(resources, "AWS::Serverless::Function"), **of_type(resources, "AWS::Lambda::Function")}
    assert functions
    for logical, fn in functions.items():
        variables = fn["Properties"].get("Environment", {}).get("Variables", {})
        assert not [k for k in variables if k.startswith("AWS_ENDPOINT_URL")], logical
    sms_queue = logical_id(resources, "AWS::SQS::Queue", "SmsQueue")
    settings = stage.settings
    for name, spec in FUNCTIONS.items():
        variables = resources[spec.logical_id]["Properties"]["Environment"]["Variables"]
        assert COMMON_ENV <= set(variables), name
        assert variables["APP_ENV"] == "aws"
        assert variables["LOG_LEVEL"] == {"dev": "DEBUG", "prod": "INFO"}[settings.stage]
        assert variables["SMS_QUEUE_URL"] == {"Ref": sms_queue}
        assert variables["SMS_GATEWAY_URL"] == "https://edge.ippanel.com/v1"
        assert variables["SMS_SENDER"] == "+983000505"
        assert variables["MAILBOX_GATEWAY_URL"] == "https://mailbox.example.ir/api"
        assert variables["MOBILE_OWNERSHIP_URL"] == settings.mobile_ownership_url == "https://shahkar.example.ir/v1/match"
        assert variables["PROVIDERS_SECRET_ID"] == settings.providers_secret_arn
        assert variables["SMS_DAILY_CAP"] == {"dev": "500", "prod": "200000"}[settings.stage]
        assert variables["INQUIRY_EDGE"] == {"dev": "function_url", "prod": "cloudfront"}[settings.stage]
        if name != "inquiry":
            assert {"INQUIRY_URL", "PUBLIC_VERIFY_BASE_URL"} <= set(variables), name


def test_every_deployment_setting_the_app_requires_reaches_every_function(stage):
    """chalicelib/config.py's DEPLOYMENT_SETTINGS is what a deployed function refuses to start without (loaded by
    path: it has no dependencies); a setting the app adds there and the stack forgets fails here, not in AWS."""
    spec = importlib.util.spec_from_file_location("sabeghe_app_config", REPO / "chalicelib" / "config.py")
    config = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = config  # its dataclass looks its module up while it is made
    try:
        spec.loader.exec_module(config)
    finally:
        del sys.modules[spec.name]
    required = set(config.DEPLOYMENT_SETTINGS.values())
    assert "MOBILE_OWNERSHIP_URL" in required
    for name, fn in FUNCTIONS.items():
        variables = stage.resources[fn.logical_id]["Properties"]["Environment"]["Variables"]
        assert required <= set(variables), (name, sorted(required - set(variables)))
        assert all(variables[v] not in ("", None) for v in required), name


def test_inquiry_url_in_prod_environment_is_cloudfront(prod):
    distribution = logical_id(prod.resources, "AWS::CloudFront::Distribution", "InquiryDistribution")
    variables = prod.resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["INQUIRY_URL"] == {"Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution, "DomainName"]}]]}


@pytest.mark.parametrize("queue,function", [("RenderQueue", "RenderStatement"), ("MailboxQueue", "DeliverMailbox"),
                                            ("SmsQueue", "SendSms")])
def test_sqs_event_sources(stage, queue, function):
    resources = stage.resources
    queue_id = logical_id(resources, "AWS::SQS::Queue", queue)
    mappings = [
        m for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    ]
    assert len(mappings) == 1
    props = mappings[0]["Properties"]
    assert json.dumps({"Fn::GetAtt": [function, "Arn"]}) in json.dumps(props["FunctionName"])
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # A whole batch fits the timeout even when each message waits out its gateway (mailbox 10 s, SMS provider 8 s).
    assert props["BatchSize"] == {"RenderQueue": 5, "MailboxQueue": 2, "SmsQueue": 3}[queue]
    gateway_wait = {"RenderQueue": 0, "MailboxQueue": 10, "SmsQueue": 8}[queue]
    assert props["BatchSize"] * gateway_wait < resources[function]["Properties"]["Timeout"]
    assert props["ScalingConfig"] == {"MaximumConcurrency": stage.settings.design.worker_max_concurrency}
    redrive = resources[queue_id]["Properties"]["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == 3
    timeout = resources[function]["Properties"]["Timeout"]
    assert resources[queue_id]["Properties"]["VisibilityTimeout"] == 6 * timeout
    assert not resources[function]["Properties"].get("Events")


def test_follow_up_consumes_the_requests_stream(dev):
    resources = dev.resources
    requests = logical_id(resources, "AWS::DynamoDB::Table", "RequestsTable")
    dlq = logical_id(resources, "AWS::SQS::Queue", "FollowUpDeadLetterQueue")
    mapping_id = logical_id(resources, "AWS::Lambda::EventSourceMapping", "FollowUpStreamTrigger")
    mapping = resources[mapping_id]
    props = mapping["Properties"]
    assert props["EventSourceArn"] == {"Fn::GetAtt": [requests, "StreamArn"]}
    assert json.dumps({"Fn::GetAtt": ["FollowUp", "Arn"]}) in json.dumps(props["FunctionName"])
    assert props["StartingPosition"] == "TRIM_HORIZON"
    assert props["BatchSize"] == 100
    assert 0 < props["MaximumBatchingWindowInSeconds"] <= 5
    assert props["BisectBatchOnFunctionError"] is True
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 0 <= props["MaximumRetryAttempts"] <= 10
    # Bounded, and well inside the stream's 24-hour retention so a failed batch can still be read from its pointer.
    assert 60 <= props["MaximumRecordAgeInSeconds"] <= 12 * 3600
    assert props["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": [dlq, "Arn"]}}}
    # The mapping is validated against the role's policy when it is created.
    depends = mapping.get("DependsOn", [])
    assert logical_id(resources, "AWS::IAM::Policy", "FollowUpRoleDefaultPolicy") in depends
    # One stream consumer, no other trigger on the function.
    stream_mappings = [
        m for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if "StreamArn" in json.dumps(m["Properties"]["EventSourceArn"])
    ]
    assert len(stream_mappings) == 1
    assert not resources["FollowUp"]["Properties"].get("Events")


def test_follow_up_dead_letter_queue(dev):
    resources = dev.resources
    dlq = resources[logical_id(resources, "AWS::SQS::Queue", "FollowUpDeadLetterQueue")]
    props = dlq["Properties"]
    assert props["SqsManagedSseEnabled"] is True
    assert props["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert "RedrivePolicy" not in props
    policies = [
        p for p in of_type(resources, "AWS::SQS::QueuePolicy").values()
        if {"Ref": logical_id(resources, "AWS::SQS::Queue", "FollowUpDeadLetterQueue")} in p["Properties"]["Queues"]
    ]
    assert len(policies) == 1


def test_cleanup_schedule(dev):
    # The schedule comes from app.py's @app.schedule (SAM event on the function).
    events = dev.resources["Cleanup"]["Properties"]["Events"]
    assert [e["Type"] for e in events.values()] == ["Schedule"]


def test_an_uploaded_list_runs_the_ingestion_with_retries_and_a_dead_letter_queue(dev):
    lists = logical_id(dev.resources, "AWS::S3::Bucket", "ListsBucket")
    bucket = dev.resources[lists]["Properties"]
    assert bucket["NotificationConfiguration"] == {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    assert not of_type(dev.resources, "Custom::S3BucketNotifications")  # no custom resource to deploy it
    (rule,) = of_type(dev.resources, "AWS::Events::Rule").values()
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.s3"] and pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": lists}]
    assert pattern["detail"]["object"]["key"] == [{"prefix": "uploads/"}]  # never the reports it writes
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["IngestList", "Arn"]}
    dlq = logical_id(dev.resources, "AWS::SQS::Queue", "IngestListDeadLetterQueue")
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [dlq, "Arn"]}}
    (invoke,) = of_type(dev.resources, "AWS::Lambda::EventInvokeConfig").values()
    assert invoke["Properties"]["MaximumRetryAttempts"] == 2
    assert invoke["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": [dlq, "Arn"]}
    assert dev.resources["IngestList"]["Properties"]["Timeout"] == 300


# -- the keys' secret -----------------------------------------------------------------------------------------

def test_secret_has_three_generated_keys(dev):
    (app_secret,) = [
        v for v in of_type(dev.resources, "AWS::SecretsManager::Secret").values() if "SecretString" in v["Properties"]
    ]
    text = json.dumps(app_secret["Properties"]["SecretString"])
    for key in ("token_key", "passcode_key", "otp_key"):
        assert f'\\"{key}\\":\\"{{{{resolve:secretsmanager:' in text
    assert app_secret["DeletionPolicy"] == "Retain"


def _keys_module():
    """chalicelib/domain/keys.py, by path (it has no dependencies): the app's key format."""
    spec = importlib.util.spec_from_file_location("app_key_format", REPO / "chalicelib" / "domain" / "keys.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_keys_match_the_apps_key_format(dev):
    """What Secrets Manager generates is what chalicelib/domain/keys.py reads: KEY_LENGTH characters, all from
    KEY_ALPHABET (letters and digits: ExcludePunctuation, no space, nothing else excluded)."""
    keys = _keys_module()
    # The signing chain's secret is generated too, as a placeholder the operator replaces (stacks/signing.py).
    generators = [v["Properties"]["GenerateSecretString"]
                  for k, v in of_type(dev.resources, "AWS::SecretsManager::Secret").items()
                  if "GenerateSecretString" in v["Properties"] and not k.startswith("SigningChain")]
    assert len(generators) == len(keys.KEY_NAMES) == 3
    for generator in generators:
        assert generator == {"PasswordLength": keys.KEY_LENGTH, "ExcludePunctuation": True, "IncludeSpace": False}
    produced = set(string.ascii_letters + string.digits)  # what those settings can produce
    assert set(keys.KEY_ALPHABET) == produced
    assert keys.KEY_LENGTH == 64


def test_secret_parts_keep_their_names(dev):
    """Renaming a part would generate new keys and invalidate every token and passcode."""
    ids = list(of_type(dev.resources, "AWS::SecretsManager::Secret"))
    for prefix in ("KeyPartTokenKey", "KeyPartPasscodeKey", "KeyPartOtpKey", "SabegheKeys"):
        assert [i for i in ids if i.startswith(prefix)], prefix


# -- structure ------------------------------------------------------------------------------------------------

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


def test_no_dependency_cycle(stage):
    resources = stage.resources
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


def test_outputs(stage):
    outputs = stage.template.to_json()["Outputs"]
    for key in ("Stage", "ApiUrl", "InquiryFunctionUrl", "InquiryPublicUrl", "AlarmTopicArn", "DocumentsBucketName",
                "ListsBucketName", "AccessLogsBucketName", "SecretsId", "SmsQueueUrl", "SmsDeadLetterQueueUrl",
                "UsersTableName", "RecordsTableName", "RequestsTableName", "GrantsTableName", "ActivityTableName",
                "ThrottlesTableName", "InquiryLogGroupName", "SendSmsLogGroupName", "ApiAccessLogGroupName"):
        assert key in outputs, key
    assert ("InquiryDistributionId" in outputs) == (stage.settings.stage == "prod")


# -- variations -----------------------------------------------------------------------------------------------

def test_public_verify_base_url_from_settings(tmp_path):
    resources = synth(tmp_path, "dev", public_verify_base_url="https://verify.example/").resources
    for spec in FUNCTIONS.values():
        variables = resources[spec.logical_id]["Properties"]["Environment"]["Variables"]
        assert variables["PUBLIC_VERIFY_BASE_URL"] == "https://verify.example"


def test_missing_function_is_reported(tmp_path):
    source = STUB_APP.replace('@app.lambda_function(name="send_sms")', '@app.lambda_function(name="other")')
    with pytest.raises(Exception, match=r"send_sms \(SendSms\)"):
        synth(tmp_path, "dev", source)


def test_unknown_function_is_refused(tmp_path):
    """A function the stack does not know would deploy with no role, logs or alarms: synthesis says so."""
    source = STUB_APP + '\n\n@app.lambda_function(name="surprise")\ndef surprise(event, context):\n    return None\n'
    with pytest.raises(Exception, match=r"does not know: Surprise"):
        synth(tmp_path, "dev", source)
