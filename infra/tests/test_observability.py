"""Item 4: something to watch. Log groups with retention, tracing, the API stage's throttling and access log (and no
extra `Stage` stage), the inquiry function's concurrency brake, CORS from configured origins only, and the alarms."""
from __future__ import annotations

import json

import pytest

from support import logical_id, of_type
from stacks import observability
from stacks.functions import FUNCTIONS
from template_checks import sam_transform


def test_every_function_logs_to_its_own_log_group_with_the_stages_retention(stage):
    resources = stage.resources
    retention = stage.settings.design.log_retention_days
    assert retention == {"dev": 14, "prod": 365}[stage.settings.stage]
    groups = of_type(resources, "AWS::Logs::LogGroup")
    assert len(groups) == len(FUNCTIONS) + 1  # + the API's access log
    for group in groups.values():
        assert group["Properties"]["RetentionInDays"] == retention
        assert group["DeletionPolicy"] == ("Retain" if stage.settings.stage == "prod" else "Delete")
    for spec in FUNCTIONS.values():
        group = logical_id(resources, "AWS::Logs::LogGroup", f"{spec.logical_id}LogGroup")
        assert resources[spec.logical_id]["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": group}


def test_functions_are_traced_but_the_per_view_hot_paths_only_when_asked(stage):
    for name, spec in FUNCTIONS.items():
        expected = "PassThrough" if name in ("inquiry", "follow_up") else "Active"
        assert stage.resources[spec.logical_id]["Properties"]["Tracing"] == expected, name


def test_api_stage_throttling_tracing_and_access_log(stage):
    props = stage.resources["RestAPI"]["Properties"]
    design = stage.settings.design
    assert props["Name"] == stage.settings.stack_name
    assert props["TracingEnabled"] is True
    (method,) = props["MethodSettings"]
    assert (method["ResourcePath"], method["HttpMethod"]) == ("/*", "*")
    assert method["ThrottlingRateLimit"] == design.api_rate_limit
    assert method["ThrottlingBurstLimit"] == design.api_burst_limit
    assert (design.api_rate_limit, design.api_burst_limit) == {"dev": (20, 40), "prod": (200, 400)}[design.name]
    access_log = logical_id(stage.resources, "AWS::Logs::LogGroup", "ApiAccessLogGroup")
    assert props["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": [access_log, "Arn"]}
    line = json.loads(props["AccessLogSetting"]["Format"].replace("$context.status", "200")
                      .replace("$context.responseLatency", "1"))
    assert {"requestId", "ip", "method", "resourcePath", "status", "integrationError"} <= set(line)


def test_api_answers_on_one_stage_only(stage):
    """SAM adds a stage named `Stage` unless OpenApiVersion is set: after the transform only `api` is left."""
    transformed = sam_transform(stage.template.to_json())
    stages = of_type(transformed["Resources"], "AWS::ApiGateway::Stage")
    assert [s["Properties"]["StageName"] for s in stages.values()] == ["api"]
    for deployment in of_type(transformed["Resources"], "AWS::ApiGateway::Deployment").values():
        assert "StageName" not in deployment["Properties"]
    (api_stage,) = stages.values()
    assert api_stage["Properties"]["TracingEnabled"] is True
    assert api_stage["Properties"]["MethodSettings"][0]["ThrottlingRateLimit"] == stage.settings.design.api_rate_limit
    assert "AccessLogSetting" in api_stage["Properties"]


def test_api_gateway_logging_role(stage):
    (account,) = of_type(stage.resources, "AWS::ApiGateway::Account").values()
    role = account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
    assert account["DeletionPolicy"] == "Retain" and stage.resources[role]["DeletionPolicy"] == "Retain"
    account_id = logical_id(stage.resources, "AWS::ApiGateway::Account", "ApiGatewayAccount")
    assert account_id in stage.resources["RestAPI"]["DependsOn"]


def test_inquiry_has_a_concurrency_brake_in_every_stage(stage):
    reserved = stage.resources["Inquiry"]["Properties"]["ReservedConcurrentExecutions"]
    assert reserved == {"dev": 5, "prod": 50}[stage.settings.stage]
    others = [s.logical_id for n, s in FUNCTIONS.items() if n != "inquiry"]
    assert not [f for f in others if "ReservedConcurrentExecutions" in stage.resources[f]["Properties"]]


def test_cors_only_from_configured_origins(stage):
    text = json.dumps(stage.resources)
    assert '"AllowOrigins": ["*"]' not in text and '"AllowedOrigins": ["*"]' not in text
    (url,) = of_type(stage.resources, "AWS::Lambda::Url").values()
    origins = stage.settings.allowed_origins
    if origins:
        assert url["Properties"]["Cors"]["AllowOrigins"] == list(origins)
        assert set(url["Properties"]["Cors"]["AllowMethods"]) == {"GET", "POST"}
    else:
        assert "Cors" not in url["Properties"]
    assert origins == {"dev": ("http://127.0.0.1:8001", "http://localhost:8001"), "prod": ()}[stage.settings.stage]


# -- alarms ---------------------------------------------------------------------------------------------------

def _alarms(stage) -> dict[str, dict]:
    return {a["Properties"]["AlarmName"]: a["Properties"] for a in of_type(stage.resources, "AWS::CloudWatch::Alarm").values()}


def test_every_alarm_notifies_the_alarm_topic(stage):
    topic = logical_id(stage.resources, "AWS::SNS::Topic", "AlarmsTopic")
    alarms = _alarms(stage)
    assert alarms
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == [{"Ref": topic}], name
        assert alarm["OKActions"] == [{"Ref": topic}], name
        assert name.startswith(stage.settings.stack_name + "-")


def test_alarms_an_operator_pages_on(stage):
    prefix = stage.settings.stack_name
    names = set(_alarms(stage))
    expected = {f"{prefix}-{s.logical_id}{m}" for s in FUNCTIONS.values() for m in ("Errors", "Throttles")}
    expected |= {f"{prefix}-{q}DeadLetters" for q in ("Render", "Mailbox", "Sms", "FollowUp")}
    expected |= {f"{prefix}-{n}" for n in ("Api5xx", "InquiryRefusedShare", "InquiryServerErrors",
                                           "CleanupNotCompleting", "SmsSpendHigh", "SmsCapReached")}
    assert names == expected


def test_dead_letter_alarms_watch_each_dlq(stage):
    alarms = _alarms(stage)
    for queue in ("Render", "Mailbox", "Sms", "FollowUp"):
        alarm = alarms[f"{stage.settings.stack_name}-{queue}DeadLetters"]
        dlq = logical_id(stage.resources, "AWS::SQS::Queue", f"{queue}DeadLetterQueue")
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq, "QueueName"]}}]
        assert alarm["Threshold"] == 1


def test_function_error_and_throttle_alarms(stage):
    alarms = _alarms(stage)
    for spec in FUNCTIONS.values():
        for metric in ("Errors", "Throttles"):
            alarm = alarms[f"{stage.settings.stack_name}-{spec.logical_id}{metric}"]
            assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/Lambda", metric, "Sum")
            assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": spec.logical_id}}]
            assert alarm["Period"] == 300 and alarm["Threshold"] == 1


def test_api_5xx_alarm(stage):
    alarm = _alarms(stage)[f"{stage.settings.stack_name}-Api5xx"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"ApiName": stage.settings.stack_name, "Stage": "api"}


def _filters(stage) -> dict[str, dict]:
    return {f["Properties"]["MetricTransformations"][0]["MetricName"]: f["Properties"]
            for f in of_type(stage.resources, "AWS::Logs::MetricFilter").values()}


def test_metric_filters_read_the_apps_json_lines(stage):
    filters = _filters(stage)
    group = lambda name: {"Ref": logical_id(stage.resources, "AWS::Logs::LogGroup", f"{name}LogGroup")}  # noqa: E731
    expected = {
        "InquiryRequests": ("Inquiry", observability.INQUIRY_REQUESTS),
        "InquiriesRefused": ("Inquiry", observability.INQUIRY_REFUSED),
        "InquiryServerErrors": ("Inquiry", observability.INQUIRY_SERVER_ERRORS),
        "CleanupComplete": ("Cleanup", observability.CLEANUP_COMPLETE),
        "SmsSent": ("SendSms", observability.SMS_SENT),
        "SmsCapReached": ("SendSms", observability.SMS_CAP_REACHED),
    }
    assert set(filters) == set(expected)
    for metric, (function, pattern) in expected.items():
        assert filters[metric]["LogGroupName"] == group(function), metric
        assert filters[metric]["FilterPattern"] == pattern
        assert filters[metric]["MetricTransformations"][0]["MetricNamespace"] == f"Sabeghe/{stage.settings.stack_name}"
    assert '$.status = 404 || $.status = 429' in observability.INQUIRY_REFUSED


def test_inquiry_refused_share_alarm(stage):
    alarm = _alarms(stage)[f"{stage.settings.stack_name}-InquiryRefusedShare"]
    (expression,) = [m for m in alarm["Metrics"] if "Expression" in m]
    assert expression["Expression"] == "IF(FILL(requests, 0) >= 20, 100 * FILL(refused, 0) / requests, 0)"
    inputs = {m["Id"]: m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert inputs == {"requests": "InquiryRequests", "refused": "InquiriesRefused"}
    assert (alarm["Threshold"], alarm["EvaluationPeriods"], alarm["ComparisonOperator"]) == (
        50, 3, "GreaterThanThreshold")


def test_cleanup_alarm_breaches_when_no_run_completes(stage):
    alarm = _alarms(stage)[f"{stage.settings.stack_name}-CleanupNotCompleting"]
    assert (alarm["MetricName"], alarm["Period"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "CleanupComplete", 3 * 3600, "LessThanThreshold", 1)
    assert alarm["TreatMissingData"] == "breaching"


def test_sms_spend_alarms_follow_the_cap(stage):
    alarms = _alarms(stage)
    cap = stage.settings.sms_daily_cap
    high = alarms[f"{stage.settings.stack_name}-SmsSpendHigh"]
    assert (high["MetricName"], high["Period"], high["Threshold"]) == ("SmsSent", 3600, int(cap * 0.25))
    capped = alarms[f"{stage.settings.stack_name}-SmsCapReached"]
    assert (capped["MetricName"], capped["Threshold"]) == ("SmsCapReached", 1)


def test_alarm_topic_subscriptions(tmp_path):
    from support import synth

    resources = synth(tmp_path, "dev", alarm_emails="oncall@example.ir,second@example.ir").resources
    subscriptions = of_type(resources, "AWS::SNS::Subscription")
    assert sorted(s["Properties"]["Endpoint"] for s in subscriptions.values()) == ["oncall@example.ir",
                                                                                  "second@example.ir"]


@pytest.mark.parametrize("pattern", [observability.INQUIRY_REQUESTS, observability.INQUIRY_REFUSED,
                                     observability.CLEANUP_COMPLETE, observability.SMS_SENT])
def test_filter_patterns_are_json_patterns(pattern):
    assert pattern.startswith("{ $.") and pattern.endswith(" }")
