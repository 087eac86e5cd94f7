"""Item 5: each role is exactly what its function calls (stacks/grants.py), plus what Lambda uses on its behalf."""
from __future__ import annotations

import json

import pytest

from support import PROVIDERS_SECRET_ARN, logical_id, of_type
from stacks.functions import FUNCTIONS
from stacks.grants import CONSUMES, GRANTS, LOGS, SQS_CONSUME, XRAY


def _render(node) -> str:
    """A policy resource as text: logical ids stay, `Fn::GetAtt` becomes `Id.Attr`."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref":
            return value
        if key == "Fn::GetAtt":
            return ".".join(value) if isinstance(value, list) else value
        if key == "Fn::Join":
            separator, parts = value
            return separator.join(_render(part) for part in parts)
    return json.dumps(node, sort_keys=True)


def _policy(resources: dict, role_prefix: str) -> dict[str, set[tuple[str, str]]]:
    """Every (action, resource) pair a role's policies allow and deny; fails on conditions or other policies."""
    role = logical_id(resources, "AWS::IAM::Role", f"{role_prefix}Role")
    attached = [
        k for k, v in of_type(resources, "AWS::IAM::Policy").items() if {"Ref": role} in v["Properties"]["Roles"]
    ]
    assert attached == [logical_id(resources, "AWS::IAM::Policy", f"{role_prefix}RoleDefaultPolicy")]
    assert "ManagedPolicyArns" not in resources[role]["Properties"]  # no AWS-managed policy: logs are granted below
    assert "Policies" not in resources[role]["Properties"]
    pairs: dict[str, set[tuple[str, str]]] = {"Allow": set(), "Deny": set()}
    for statement in resources[attached[0]]["Properties"]["PolicyDocument"]["Statement"]:
        assert "Condition" not in statement and "NotAction" not in statement and "NotResource" not in statement
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        pairs[statement["Effect"]].update((a, _render(r)) for a in actions for r in targets)
    return pairs


def _on(actions, *targets: str) -> set[tuple[str, str]]:
    return {(a, t) for a in actions for t in targets}


def _target(resources: dict, target: str) -> str:
    """The rendered ARN of a grants.py key in this template."""
    kind, _, name = target.partition(":")
    if kind in ("table", "index"):
        table, _, index = name.partition("/")
        table_id = logical_id(resources, "AWS::DynamoDB::Table", f"{table.capitalize()}Table")
        return f"{table_id}.Arn" + (f"/index/{index}" if index else "")
    if kind == "statements":
        return f"{logical_id(resources, 'AWS::S3::Bucket', 'DocumentsBucket')}.Arn/statements/*"
    if kind == "objections":
        return f"{logical_id(resources, 'AWS::S3::Bucket', 'DocumentsBucket')}.Arn/objections/*"
    if kind == "lists":
        return f"{logical_id(resources, 'AWS::S3::Bucket', 'ListsBucket')}.Arn/{name}*"
    if kind == "queue":
        return f"{logical_id(resources, 'AWS::SQS::Queue', name.capitalize() + 'Queue')}.Arn"
    if kind == "secret":
        if name == "signing_chain":
            return logical_id(resources, "AWS::SecretsManager::Secret", "SigningChain")
        return logical_id(resources, "AWS::SecretsManager::Secret", "SabegheKeys") if name == "keys" \
            else PROVIDERS_SECRET_ARN
    if kind == "key":
        return f"{logical_id(resources, 'AWS::KMS::Key', 'SigningKey')}.Arn"
    raise AssertionError(target)


def expected_policy(resources: dict, function: str) -> set[tuple[str, str]]:
    spec = FUNCTIONS[function]
    pairs = set()
    for target, actions in GRANTS[function].items():
        pairs |= _on(actions, _target(resources, target))
    pairs |= _on(LOGS, f"{logical_id(resources, 'AWS::Logs::LogGroup', spec.logical_id + 'LogGroup')}.Arn")
    pairs |= _on(XRAY, "*")
    if function in CONSUMES:
        pairs |= _on(SQS_CONSUME, _target(resources, f"queue:{CONSUMES[function]}"))
    if function == "follow_up":
        requests = logical_id(resources, "AWS::DynamoDB::Table", "RequestsTable")
        dlq = logical_id(resources, "AWS::SQS::Queue", "FollowUpDeadLetterQueue")
        pairs |= _on({"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
                     f"{requests}.StreamArn")
        pairs |= _on({"dynamodb:ListStreams"}, "*")  # grant_stream_read: ListStreams has no resource to scope to
        pairs |= _on({"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"}, f"{dlq}.Arn")  # on-failure
    if function == "ingest_list":  # the on-failure destination of its asynchronous invocations
        dlq = logical_id(resources, "AWS::SQS::Queue", "IngestListDeadLetterQueue")
        pairs |= _on({"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"}, f"{dlq}.Arn")
    return pairs


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_role_is_exactly_its_grants(stage, function):
    policy = _policy(stage.resources, FUNCTIONS[function].logical_id)
    assert policy["Deny"] == set()
    assert policy["Allow"] == expected_policy(stage.resources, function)


def test_grants_cover_every_deployed_function():
    assert set(FUNCTIONS) <= set(GRANTS)


def _allowed(resources: dict, function: str) -> set[tuple[str, str]]:
    return _policy(resources, FUNCTIONS[function].logical_id)["Allow"]


def test_no_sns_anywhere(stage):
    """SMS goes through the Sms queue and send_sms (SNS cannot deliver to Iranian mobiles)."""
    for policy in of_type(stage.resources, "AWS::IAM::Policy").values():
        assert "sns:" not in json.dumps(policy["Properties"]["PolicyDocument"])


def test_only_the_functions_that_call_a_provider_read_the_providers_secret(stage):
    """send_sms (the SMS provider), deliver_mailbox (the national e-mailbox) and api_handler (the operators' mobile
    ownership match, asked at registration and password reset); never the public inquiry function."""
    readers = {f for f in FUNCTIONS if ("secretsmanager:GetSecretValue", PROVIDERS_SECRET_ARN) in _allowed(stage.resources, f)}
    assert readers == {"send_sms", "deliver_mailbox", "api_handler"}
    assert "inquiry" not in readers
    for policy in of_type(stage.resources, "AWS::IAM::Policy").values():
        text = json.dumps(policy["Properties"]["PolicyDocument"])
        assert "secretsmanager:DescribeSecret" not in text


def test_functions_that_text_people_send_to_the_sms_queue(stage):
    sms = _target(stage.resources, "queue:sms")
    senders = {f for f in FUNCTIONS if ("sqs:SendMessage", sms) in _allowed(stage.resources, f)}
    assert senders == {"api_handler", "inquiry", "follow_up"}


def test_no_scan_no_stream_reading_except_follow_up(stage):
    for function in FUNCTIONS:
        actions = {a for a, _ in _allowed(stage.resources, function)}
        assert "dynamodb:Scan" not in actions, function
        assert "dynamodb:ConditionCheckItem" not in actions, function
        assert "dynamodb:DescribeTable" not in actions, function
        if function != "follow_up":
            assert not actions & {"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream",
                                  "dynamodb:ListStreams"}, function


def test_the_inquiry_writes_throttle_records_and_the_permits_view_only(stage):
    """A right passcode: the client's conditional mark (UpdateItem) and the permit's view (UpdateItem); a wrong one:
    the client's record put back by compare-and-set (GetItem, PutItem) and the identifier's count (UpdateItem)."""
    throttles = _target(stage.resources, "table:throttles")
    inquiry = _allowed(stage.resources, "inquiry")
    assert {("dynamodb:UpdateItem", _target(stage.resources, "table:requests")),
            ("dynamodb:GetItem", throttles), ("dynamodb:UpdateItem", throttles), ("dynamodb:PutItem", throttles),
            ("dynamodb:BatchGetItem", throttles)} <= inquiry
    # The inquiry never deletes a throttle record, and never puts a permit.
    assert not {("dynamodb:DeleteItem", throttles),
                ("dynamodb:PutItem", _target(stage.resources, "table:requests"))} & inquiry


def test_api_handler_reads_sessions_in_one_batch_on_the_users_table_only(stage):
    """Every authenticated call reads its session and the subject's reset cut with one BatchGetItem (users)."""
    batch = {r for a, r in _allowed(stage.resources, "api_handler") if a == "dynamodb:BatchGetItem"}
    assert batch == {_target(stage.resources, "table:users")}


def test_grant_actions_are_real_iam_action_names():
    """The constants of grants.py are spelled as IAM spells them (a typo would grant nothing, silently)."""
    from stacks import grants

    known = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
             "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "s3:GetObject",
             "s3:PutObject", "s3:DeleteObject", "sqs:SendMessage", "secretsmanager:GetSecretValue", "kms:Sign"}
    used = {a for targets in GRANTS.values() for actions in targets.values() for a in actions}
    assert used <= known, used - known
    assert grants.GET == "dynamodb:GetItem"


def test_least_privilege_examples(dev):
    """The issue's examples of more access than used, one by one."""
    resources = dev.resources
    allowed = {f: _allowed(resources, f) for f in FUNCTIONS}
    tables = {n: _target(resources, f"table:{n}") for n in ("users", "records", "requests", "grants", "activity", "throttles")}
    # cleanup neither reads nor writes users or throttles
    assert not [p for p in allowed["cleanup"] if p[1] in (tables["users"], tables["throttles"])]
    # the renderer reads no users, records or grants, and sends to no queue
    assert not [p for p in allowed["render_statement"] if p[1] in (tables["users"], tables["records"], tables["grants"])]
    assert not [a for a, _ in allowed["render_statement"] if a == "sqs:SendMessage"]
    # the API only signs uploads of lists and keeps their reports; it never reads an uploaded list
    lists = logical_id(resources, "AWS::S3::Bucket", "ListsBucket")
    assert {p for p in allowed["api_handler"] if lists in p[1]} == {
        ("s3:PutObject", f"{lists}.Arn/uploads/*"), ("s3:GetObject", f"{lists}.Arn/reports/*"),
        ("s3:PutObject", f"{lists}.Arn/reports/*")}
    # only the ingestion reads uploaded lists, and it reaches no person's account
    readers = {f for f, pairs in allowed.items() if ("s3:GetObject", f"{lists}.Arn/uploads/*") in pairs}
    assert readers == {"ingest_list"}
    assert not [p for p in allowed["ingest_list"] if p[1] in (tables["users"], tables["grants"], tables["activity"])]
    # wildcard S3 actions are gone
    for function, pairs in allowed.items():
        assert not [a for a, _ in pairs if a.startswith("s3:") and "*" in a], function
    # indexes only where the function queries them
    for function, pairs in allowed.items():
        if function != "cleanup":
            assert not [r for _, r in pairs if "/index/" in r], function


def test_fallback_role_has_no_permissions(stage):
    role = logical_id(stage.resources, "AWS::IAM::Role", "FallbackRole")
    assert "ManagedPolicyArns" not in stage.resources[role]["Properties"]
    assert not [p for p in of_type(stage.resources, "AWS::IAM::Policy").values() if {"Ref": role} in p["Properties"]["Roles"]]
