"""What an operator watches: log groups with retention, metric filters on the app's JSON log lines, and the alarms
worth paging on, all sent to one SNS topic (`AlarmTopicArn` output).

The app's log lines (chalicelib/logs.py: one JSON object per line on stdout) that alarms read:
- inquiry: `{"event": "request", "function": "inquiry", "method": ..., "status": <int>, ...}` per request;
- cleanup: `{"event": "cleanup", "complete": true|false, ...}` per run (it raises on an error);
- send_sms: `{"event": "sms_sent", ...}` per message, `{"event": "sms_cap_reached", ...}` when the day's cap stops it.
"""
from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.compliance import waive

FIVE_MINUTES = Duration.minutes(5)

# Inquiry failure share: page when, for 3 five-minute periods in a row with at least MIN_INQUIRIES inquiries each,
# more than REFUSED_SHARE_PERCENT of them were refused (404: no such identifier/passcode, expired, revoked; 429:
# throttled). A share, not a count, so the alarm means the same at 3 a.m. and at noon; the floor keeps a handful of
# typos from paging. It catches passcode guessing (many 404s from a few clients, then 429s) and a broken release
# (every inquiry 404: e.g. a changed passcode key or hashing).
MIN_INQUIRIES = 20
REFUSED_SHARE_PERCENT = 50
# Lambda errors are unhandled exceptions only (handlers catch and log what they expect), so one is worth a look.
ERRORS_THRESHOLD = 1
THROTTLES_THRESHOLD = 1
API_5XX_THRESHOLD = 5  # per 5 minutes: a Lambda crash or timeout behind the API (the app answers its own 500s)
INQUIRY_5XX_THRESHOLD = 5  # per 5 minutes
CLEANUP_WINDOW = Duration.hours(3)  # cleanup runs hourly: no complete run for 3 hours is worth a page
# SMS spend: page when one hour sends a quarter of the day's cap (a runaway loop or a flood of sign-ups), and
# when the cap is reached (then nobody gets codes until the next day).
SMS_HOURLY_SHARE_OF_CAP = 0.25

INQUIRY_REQUESTS = '{ $.event = "request" && $.function = "inquiry" && $.method = "POST" }'
INQUIRY_REFUSED = ('{ $.event = "request" && $.function = "inquiry" && $.method = "POST" && '
                   '($.status = 404 || $.status = 429) }')
INQUIRY_SERVER_ERRORS = '{ $.event = "request" && $.function = "inquiry" && $.status >= 500 }'
CLEANUP_COMPLETE = '{ $.event = "cleanup" && $.complete IS TRUE }'
SMS_SENT = '{ $.event = "sms_sent" }'
SMS_CAP_REACHED = '{ $.event = "sms_cap_reached" }'


# CloudWatch's allowed retention periods (days) as the CDK's enum names them.
RETENTION = {1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
             60: "TWO_MONTHS", 90: "THREE_MONTHS", 120: "FOUR_MONTHS", 150: "FIVE_MONTHS", 180: "SIX_MONTHS",
             365: "ONE_YEAR", 400: "THIRTEEN_MONTHS", 545: "EIGHTEEN_MONTHS", 731: "TWO_YEARS"}


def log_group(scope: Construct, construct_id: str, *, retention_days: int, keep: bool) -> logs.LogGroup:
    from aws_cdk import RemovalPolicy

    group = logs.LogGroup(
        scope,
        construct_id,
        retention=getattr(logs.RetentionDays, RETENTION[retention_days]),
        removal_policy=RemovalPolicy.RETAIN if keep else RemovalPolicy.DESTROY,
    )
    waive(group,
          "CloudWatch Logs encrypts every log group at rest; a customer-managed key would add a key per stage and "
          "a key policy for the logs service without changing who can read the logs (IAM decides that)",
          checkov=["CKV_AWS_158"])
    return group


@dataclass
class Watched:
    """A function the alarms know: its logical id (SAM), its FunctionName (a Ref) and its log group."""
    name: str
    logical_id: str
    function_name: str
    log_group: logs.ILogGroup


class Alarms(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, prefix: str, namespace: str,
                 emails: tuple[str, ...]) -> None:
        super().__init__(scope, construct_id)
        self.prefix = prefix
        self.namespace = namespace
        self.topic = sns.Topic(self, "Topic", display_name=f"{prefix} alarms", enforce_ssl=True)
        waive(self.topic,
              "Alarm notifications carry alarm names and states only; CloudWatch cannot publish to a topic encrypted "
              "with the AWS-managed aws/sns key, and a customer-managed key would cost a key per stage for no data",
              checkov=["CKV_AWS_26"])
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        self.alarms: dict[str, cloudwatch.Alarm] = {}

    def alarm(self, key: str, metric: cloudwatch.IMetric, *, threshold: float, description: str,
              comparison=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
              evaluation_periods: int = 1, missing=cloudwatch.TreatMissingData.NOT_BREACHING) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            key,
            alarm_name=f"{self.prefix}-{key}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=evaluation_periods,
            treat_missing_data=missing,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms[key] = alarm
        return alarm

    def count(self, watched: Watched, key: str, pattern: str) -> cloudwatch.Metric:
        """A metric filter counting the JSON log lines that match `pattern` (Sum per period)."""
        logs.MetricFilter(
            self,
            f"{key}Filter",
            log_group=watched.log_group,
            filter_pattern=logs.FilterPattern.literal(pattern),
            metric_namespace=self.namespace,
            metric_name=key,
            metric_value="1",
        )
        return cloudwatch.Metric(namespace=self.namespace, metric_name=key, statistic="Sum", period=FIVE_MINUTES)

    # -- the alarms ------------------------------------------------------------------------------------------

    def function(self, watched: Watched) -> None:
        for metric_name, threshold in (("Errors", ERRORS_THRESHOLD), ("Throttles", THROTTLES_THRESHOLD)):
            self.alarm(
                f"{watched.logical_id}{metric_name}",
                cloudwatch.Metric(namespace="AWS/Lambda", metric_name=metric_name, statistic="Sum",
                                  period=FIVE_MINUTES, dimensions_map={"FunctionName": watched.function_name}),
                threshold=threshold,
                description=f"{watched.name}: {metric_name.lower()} in 5 minutes (log group "
                            f"{watched.logical_id}LogGroup)",
            )

    def dead_letters(self, name: str, queue: sqs.IQueue) -> None:
        self.alarm(
            f"{name}DeadLetters",
            queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, statistic="Maximum"),
            threshold=1,
            description=f"Messages are waiting in the {name} dead-letter queue: see docs/deploy.md (Operations) "
                        "to read and redrive them",
        )

    def api_5xx(self, api_name: str, stage: str) -> None:
        self.alarm(
            "Api5xx",
            cloudwatch.Metric(namespace="AWS/ApiGateway", metric_name="5XXError", statistic="Sum",
                              period=FIVE_MINUTES, dimensions_map={"ApiName": api_name, "Stage": stage}),
            threshold=API_5XX_THRESHOLD,
            description=f"The API answered {API_5XX_THRESHOLD} or more 5xx in 5 minutes",
        )

    def inquiry(self, watched: Watched) -> None:
        requests = self.count(watched, "InquiryRequests", INQUIRY_REQUESTS)
        refused = self.count(watched, "InquiriesRefused", INQUIRY_REFUSED)
        errors = self.count(watched, "InquiryServerErrors", INQUIRY_SERVER_ERRORS)
        share = cloudwatch.MathExpression(
            expression=f"IF(FILL(requests, 0) >= {MIN_INQUIRIES}, 100 * FILL(refused, 0) / requests, 0)",
            using_metrics={"requests": requests, "refused": refused},
            period=FIVE_MINUTES,
            label="Refused inquiries (%)",
        )
        self.alarm(
            "InquiryRefusedShare", share, threshold=REFUSED_SHARE_PERCENT, evaluation_periods=3,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            description=f"More than {REFUSED_SHARE_PERCENT}% of inquiries refused (404/429) for 15 minutes, with at "
                        f"least {MIN_INQUIRIES} inquiries per 5 minutes: guessing, or a broken release",
        )
        self.alarm("InquiryServerErrors", errors, threshold=INQUIRY_5XX_THRESHOLD,
                   description=f"The inquiry function answered {INQUIRY_5XX_THRESHOLD} or more 5xx in 5 minutes")

    def cleanup(self, watched: Watched) -> None:
        logs.MetricFilter(
            self, "CleanupCompleteFilter", log_group=watched.log_group,
            filter_pattern=logs.FilterPattern.literal(CLEANUP_COMPLETE),
            metric_namespace=self.namespace, metric_name="CleanupComplete", metric_value="1",
        )
        self.alarm(
            "CleanupNotCompleting",
            cloudwatch.Metric(namespace=self.namespace, metric_name="CleanupComplete", statistic="Sum",
                              period=CLEANUP_WINDOW),
            threshold=1,
            comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            missing=cloudwatch.TreatMissingData.BREACHING,
            description="No cleanup run completed in 3 hours (it failed, ran out of time every hour, or is not "
                        "scheduled): expired permits and PDFs are piling up",
        )

    def sms(self, watched: Watched, daily_cap: int) -> None:
        sent = self.count(watched, "SmsSent", SMS_SENT)
        capped = self.count(watched, "SmsCapReached", SMS_CAP_REACHED)
        hourly = max(1, int(daily_cap * SMS_HOURLY_SHARE_OF_CAP))
        self.alarm(
            "SmsSpendHigh", sent.with_(period=Duration.hours(1)), threshold=hourly,
            description=f"{hourly} or more SMS in one hour (a quarter of the daily cap of {daily_cap})",
        )
        self.alarm("SmsCapReached", capped, threshold=1,
                   description=f"The daily SMS cap ({daily_cap}) was reached: no SMS (one-time codes included) "
                               "until the next day, unless SMS_DAILY_CAP is raised (sms_daily_cap)")
