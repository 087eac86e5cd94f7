"""The whole Sabeghe service of one stage in one stack: data stores, queues, secrets, the Chalice app, its triggers,
per-function roles, logs and alarms, and (prod) CloudFront with a WAF in front of the inquiry function.

The Chalice construct runs `chalice package` on the project root during synthesis and imports the resulting SAM
template. Everything Chalice cannot express (function URL, SQS, DynamoDB stream and S3 triggers, per-function IAM
roles, memory, timeouts, runtime, tracing, log groups, the API stage's throttling and access log) is wired here on
the imported resources.

Facts about the `chalice.cdk.Chalice` construct (chalice 1.34.0) that shape this file:
- `stage_config` is applied as top-level chalice config only: a nested `lambda_functions` block in it is ignored.
  Per-function settings are therefore set here as CloudFormation property overrides on the packaged functions.
- The chalice stage name is the stack's construct path (e.g. `Sabeghe-dev`), so `.chalice/config.json`'s
  `stages.dev` block never reaches a deployment, but its top-level `environment_variables` do: any
  `AWS_ENDPOINT_URL*` found there is stripped from every deployed function.
- `Chalice.get_function()` imports functions in a way that cannot create Lambda permissions; this file imports them
  with `same_environment=True` so the function URL and the S3 notification get their invoke permissions.
- SAM's `AWS::Serverless::Api` makes an extra stage named `Stage` unless `OpenApiVersion` is set: it is set, so the
  API answers only on its `api` stage, the one that has throttling, tracing and the access log.
"""
from __future__ import annotations

import importlib.util
import os
import string

from aws_cdk import (
    CfnOutput,
    Duration,
    Fn,
    RemovalPolicy,
    Stack,
)
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as lambda_destinations
from aws_cdk import aws_lambda_event_sources as lambda_event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from stacks import observability
from stacks.compliance import waive
from stacks.edge import inquiry_distribution
from stacks.functions import FOLLOW_UP_BATCH_SIZE, FUNCTIONS, LAMBDA_RUNTIME
from stacks.gateway_responses import sam_gateway_responses
from stacks.grants import CONSUMES, GRANTS, LOGS, SQS_CONSUME, XRAY
from stacks.settings import Settings
from stacks.signing import signing_chain_secret, signing_key

# Key prefixes the functions and the buckets agree on.
STATEMENTS_PREFIX = "statements/"
LIST_UPLOADS_PREFIX = "uploads/"
OBJECTIONS_PREFIX = "objections/"  # people's attachments to their objections, in the documents bucket
EXPIRY_INDEX = "by_expiry"
API_STAGE = "api"

# What a browser page on an allowed origin may send the inquiry URL beyond the CORS-safelisted headers (Accept is
# one): the JSON body's Content-Type, and the body's SHA-256, which the panel (chalicelib/web/institution.html)
# sends on every POST because origin access control needs it behind CloudFront. Nothing else, and never
# credentials: the inquiry takes no cookies or Authorization.
INQUIRY_CORS_HEADERS = ("content-type", "x-amz-content-sha256")
INQUIRY_CORS_METHODS = (lambda_.HttpMethod.GET, lambda_.HttpMethod.POST)

# Environment variables that must never reach a deployed function (they point boto3 at a local emulator).
FORBIDDEN_ENV_PREFIXES = ("AWS_ENDPOINT_URL",)

# A batch must fit the function's timeout even when every message takes its gateway's whole timeout: the mailbox
# gateway waits up to 10 s (30 s function: 2 a batch), the SMS provider 8 s (30 s function: 3 a batch). The workers
# also hand back, untouched, what they cannot finish in time (chalicelib/http/workers.py).
RENDER_BATCH_SIZE = 5
MAILBOX_BATCH_SIZE = 2
SMS_BATCH_SIZE = 3
MAX_RECEIVES = 3

# follow_up reads the requests table's stream. A stream keeps records for 24 hours; the on-failure destination gets
# only a pointer to the failed batch (shard, sequence numbers), so records must fail well before they leave the
# stream to be read again from that pointer.
FOLLOW_UP_MAX_BATCHING_WINDOW = Duration.seconds(2)
FOLLOW_UP_RETRY_ATTEMPTS = 5
FOLLOW_UP_MAX_RECORD_AGE = Duration.hours(6)

# One JSON object per API request in the access log (no bodies, no headers but the user agent).
API_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId",'
    '"ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","method":"$context.httpMethod",'
    '"resourcePath":"$context.resourcePath","status":$context.status,"protocol":"$context.protocol",'
    '"responseLength":"$context.responseLength","responseLatency":$context.responseLatency,'
    '"integrationLatency":"$context.integrationLatency","integrationStatus":"$context.integrationStatus",'
    '"integrationError":"$context.integration.error","userAgent":"$context.identity.userAgent"}'
)

def default_source_dir() -> str:
    """The project root: the folder above infra/."""
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def key_format(project_root: str | None = None) -> tuple[int, str]:
    """KEY_LENGTH and KEY_ALPHABET from chalicelib/domain/keys.py (loaded by path: it has no dependencies), the one
    place the app and the stack read the keys' format from."""
    path = os.path.join(project_root or default_source_dir(), "chalicelib", "domain", "keys.py")
    spec = importlib.util.spec_from_file_location("sabeghe_key_format", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.KEY_LENGTH, module.KEY_ALPHABET


class SabegheStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, source_dir: str, settings: Settings, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.settings = settings
        design = settings.design
        keep = design.deletion_protection  # prod keeps its logs when the stack goes

        self.access_logs = self._access_logs_bucket()
        self.tables = self._tables()
        self.documents_bucket = self._bucket(
            "DocumentsBucket",
            cors_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.PUT],  # PUT: attachments
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-statements-backstop", prefix=STATEMENTS_PREFIX,
                                 expiration=Duration.days(400)),
            ],
        )
        self.lists_bucket = self._bucket(
            "ListsBucket",
            cors_methods=[s3.HttpMethods.PUT],
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-uploaded-lists", prefix=LIST_UPLOADS_PREFIX,
                                 expiration=Duration.days(design.list_upload_expiry_days)),
            ],
        )
        self.secret = self._secret()
        self.signing_key = signing_key(self)
        self.signing_chain = signing_chain_secret(self)
        self.render_queue, self.render_dlq = self._queue("Render", function_timeout=FUNCTIONS["render_statement"].timeout)
        self.mailbox_queue, self.mailbox_dlq = self._queue(
            "Mailbox", function_timeout=FUNCTIONS["deliver_mailbox"].timeout)
        self.sms_queue, self.sms_dlq = self._queue("Sms", function_timeout=FUNCTIONS["send_sms"].timeout)
        self.follow_up_dlq = self._dead_letter_queue("FollowUp")
        waive(self.follow_up_dlq,
              "It is the on-failure destination of follow_up's stream trigger (Lambda sends it pointers to failed "
              "batches), not a queue with consumers that would need a dead-letter queue of its own",
              nag=["AwsSolutions-SQS3"])

        # One log group and one role per function; a role with no permissions for any function app.py adds that
        # this stack does not know (synthesis refuses such a function, see _configure_functions).
        self.log_groups = {
            name: observability.log_group(self, f"{spec.logical_id}LogGroup",
                                          retention_days=design.log_retention_days, keep=keep)
            for name, spec in FUNCTIONS.items()
        }
        self.roles = {name: self._role(spec.logical_id, self.log_groups[name]) for name, spec in FUNCTIONS.items()}
        fallback_role = iam.Role(self, "FallbackRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                                 description="Sabeghe: no permissions (placeholder for chalice's stage role)")

        common_env = {
            "APP_ENV": "aws",
            "LOG_LEVEL": design.log_level,
            "USERS_TABLE": self.tables["users"].table_name,
            "RECORDS_TABLE": self.tables["records"].table_name,
            "REQUESTS_TABLE": self.tables["requests"].table_name,
            "GRANTS_TABLE": self.tables["grants"].table_name,
            "ACTIVITY_TABLE": self.tables["activity"].table_name,
            "THROTTLES_TABLE": self.tables["throttles"].table_name,
            "DOCUMENTS_BUCKET": self.documents_bucket.bucket_name,
            "LISTS_BUCKET": self.lists_bucket.bucket_name,
            "SECRETS_ID": self.secret.secret_arn,
            "PROVIDERS_SECRET_ID": settings.providers_secret_arn,
            "RENDER_QUEUE_URL": self.render_queue.queue_url,
            "MAILBOX_QUEUE_URL": self.mailbox_queue.queue_url,
            "SMS_QUEUE_URL": self.sms_queue.queue_url,
            "SMS_GATEWAY_URL": settings.sms_gateway_url,
            "SMS_SENDER": settings.sms_sender,
            "MAILBOX_GATEWAY_URL": settings.mailbox_gateway_url,
            "MOBILE_OWNERSHIP_URL": settings.mobile_ownership_url,
            "SMS_DAILY_CAP": str(settings.sms_daily_cap),
            # The statements' signing key and its certificate chain: ids, not secrets (only render_statement may sign,
            # and it and the inquiry function may read the chain: stacks/grants.py).
            "SIGNING_KEY_ID": self.signing_key.key_arn,
            "SIGNING_CHAIN_SECRET_ID": self.signing_chain.secret_arn,
            # How the inquiry function is reached: `cloudfront` (read the client's address and host from the
            # x-sabeghe-viewer-* headers, see stacks/edge.py) or `function_url` (requestContext as it comes).
            "INQUIRY_EDGE": "cloudfront" if settings.edge else "function_url",
        }
        if settings.public_verify_base_url:
            common_env["PUBLIC_VERIFY_BASE_URL"] = settings.public_verify_base_url

        self.chalice = Chalice(
            self,
            "Api",
            source_dir=source_dir,
            stage_config={
                "api_gateway_stage": API_STAGE,
                "api_gateway_endpoint_type": "REGIONAL",
                "manage_iam_role": False,
                "iam_role_arn": fallback_role.role_arn,
                "autogen_policy": False,
                "lambda_memory_size": 256,
                "lambda_timeout": 30,
                "environment_variables": common_env,
            },
        )

        self._configure_functions()
        self.functions = {
            name: lambda_.Function.from_function_attributes(
                self,
                f"{spec.logical_id}Ref",
                function_arn=self.chalice.get_resource(spec.logical_id).get_att("Arn").to_string(),
                role=self.roles[name],  # grants made through the function (SqsDlq's) land on its role
                same_environment=True,
            )
            for name, spec in FUNCTIONS.items()
        }
        self.rest_api = self._configure_api()

        # Institution inquiry: a function URL (the function checks passcodes and throttles itself). Behind
        # CloudFront (prod) the URL is AWS_IAM and only the distribution, signing with OAC, may call it.
        # CORS only for the configured origins (settings.py refuses `*`); none at all when there are none (prod's
        # default: the panel is served by the function itself, same origin).
        cors = None
        if settings.allowed_origins:
            if "*" in "".join(settings.allowed_origins):
                raise ValueError("allowed_origins must name origins, never '*'")
            cors = lambda_.FunctionUrlCorsOptions(
                allowed_origins=list(settings.allowed_origins),
                allowed_methods=list(INQUIRY_CORS_METHODS),
                allowed_headers=list(INQUIRY_CORS_HEADERS),
                allow_credentials=False,
                max_age=Duration.hours(1),
            )
        self.inquiry_url = lambda_.FunctionUrl(
            self,
            "InquiryUrl",
            function=self.functions["inquiry"],
            auth_type=lambda_.FunctionUrlAuthType.AWS_IAM if settings.edge else lambda_.FunctionUrlAuthType.NONE,
            cors=cors,
        )
        self.distribution = None
        if settings.edge:
            self.distribution = inquiry_distribution(
                self, url=self.inquiry_url, design=settings.edge, web_acl_arn=settings.edge_web_acl_arn,
                log_bucket=self.access_logs, domain_name=settings.edge_domain_name,
                certificate_arn=settings.edge_certificate_arn)
            public_host = settings.edge_domain_name or self.distribution.distribution_domain_name
            inquiry_base = Fn.join("", ["https://", public_host])
        else:
            waive(self.inquiry_url,
                  f"The {settings.stage} stage has no CloudFront in front (see settings.py): the URL is public by "
                  "design, the function checks passcodes and throttles failures per identifier and client, and "
                  "its reserved concurrency caps what a flood can take",
                  checkov=["CKV_AWS_258"])
            # https://<id>.lambda-url.<region>.on.aws/ -> https://<id>.lambda-url.<region>.on.aws (no trailing slash)
            inquiry_base = Fn.join("", ["https://", Fn.select(2, Fn.split("/", self.inquiry_url.url))])
        self.inquiry_base = inquiry_base
        for name, spec in FUNCTIONS.items():
            if name == "inquiry":
                continue  # its own URL would make the function depend on itself
            self.chalice.add_environment_variable("INQUIRY_URL", inquiry_base, spec.logical_id)
            if not settings.public_verify_base_url:
                self.chalice.add_environment_variable("PUBLIC_VERIFY_BASE_URL", inquiry_base, spec.logical_id)

        self._queue_trigger("render_statement", "render", self.render_queue, RENDER_BATCH_SIZE)
        self._queue_trigger("deliver_mailbox", "mailbox", self.mailbox_queue, MAILBOX_BATCH_SIZE)
        self._queue_trigger("send_sms", "sms", self.sms_queue, SMS_BATCH_SIZE)
        self._stream_trigger("follow_up", self.tables["requests"], self.follow_up_dlq)
        self._list_trigger()

        self._grant()
        self.alarms = self._alarms()
        self._outputs()

    # -- data stores ------------------------------------------------------------------------------------------

    def _table(
        self,
        construct_id: str,
        *,
        sort_key: bool,
        ttl: bool,
        expiry_index: bool = False,
        stream: dynamodb.StreamViewType | None = None,
    ) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            construct_id,
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING) if sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute="expires_at_epoch" if ttl else None,
            stream=stream,
            removal_policy=RemovalPolicy.RETAIN,
            deletion_protection=self.settings.design.deletion_protection,
        )
        if expiry_index:
            # KEYS_ONLY already projects the table keys (pk, and sk where the table has one) next to the index keys.
            table.add_global_secondary_index(
                index_name=EXPIRY_INDEX,
                partition_key=dynamodb.Attribute(name="expiry_bucket", type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name="expires_at_epoch", type=dynamodb.AttributeType.NUMBER),
                projection_type=dynamodb.ProjectionType.KEYS_ONLY,
            )
        waive(table,
              "Encrypted at rest with the AWS-owned/managed DynamoDB key; a customer-managed key per table adds "
              "$1/month per key and KMS calls on every read and write without changing who can read (IAM does)",
              checkov=["CKV_AWS_119"])
        return table

    def _tables(self) -> dict[str, dynamodb.Table]:
        return {
            "users": self._table("UsersTable", sort_key=False, ttl=True),
            "records": self._table("RecordsTable", sort_key=True, ttl=False),
            # The stream drives follow_up (what follows a change to a request or permit, e.g. a first view).
            "requests": self._table(
                "RequestsTable",
                sort_key=True,
                ttl=True,
                expiry_index=True,
                stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            ),
            "grants": self._table("GrantsTable", sort_key=False, ttl=True, expiry_index=True),
            "activity": self._table("ActivityTable", sort_key=True, ttl=True),
            "throttles": self._table("ThrottlesTable", sort_key=False, ttl=True),
        }

    def _access_logs_bucket(self) -> s3.Bucket:
        """S3 server access logs of the documents and lists buckets, and (prod) CloudFront's standard logs."""
        design = self.settings.design
        bucket = s3.Bucket(
            self,
            "AccessLogsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,  # S3 server access logging cannot write to SSE-KMS buckets
            enforce_ssl=True,
            # CloudFront's standard logs are delivered with ACLs; S3 server access logs use the bucket policy.
            object_ownership=(s3.ObjectOwnership.BUCKET_OWNER_PREFERRED if design.edge
                              else s3.ObjectOwnership.BUCKET_OWNER_ENFORCED),
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-access-logs", expiration=Duration.days(design.access_log_retention_days)),
                s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(7)),
            ],
        )
        waive(bucket,
              "This is the access-log bucket itself: logging its own accesses into itself would log the log writes",
              checkov=["CKV_AWS_18"])
        waive(bucket,
              "Access logs are written once and expire by lifecycle; versions would only keep expired logs longer",
              checkov=["CKV_AWS_21"])
        return bucket

    def _bucket(
        self,
        construct_id: str,
        *,
        cors_methods: list[s3.HttpMethods],
        lifecycle_rules: list[s3.LifecycleRule],
    ) -> s3.Bucket:
        design = self.settings.design
        origins = list(self.settings.allowed_origins)
        return s3.Bucket(
            self,
            construct_id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # Versioned: an overwritten or deleted object (a statement PDF, an uploaded list) can be restored for
            # noncurrent_version_days, then it is gone for good.
            versioned=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=f"s3/{construct_id}/",
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            # Browsers use presigned URLs straight against the bucket (the signature is the authorisation): only
            # the configured origins may do it from a page's script; opening a PDF link needs no CORS.
            cors=[s3.CorsRule(allowed_methods=cors_methods, allowed_origins=origins, allowed_headers=["*"],
                              max_age=3000)] if origins else None,
            lifecycle_rules=[
                *lifecycle_rules,
                s3.LifecycleRule(id="expire-old-versions",
                                 noncurrent_version_expiration=Duration.days(design.noncurrent_version_days)),
                s3.LifecycleRule(id="remove-expired-delete-markers", expired_object_delete_marker=True),
                s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(7)),
            ],
        )

    def _secret(self) -> secretsmanager.Secret:
        # Secrets Manager generates one random string per secret, so each key is generated in its own secret and
        # the app's secret is composed from them by CloudFormation dynamic references (never in the template text).
        # Do not rename these constructs: new parts would give new keys and invalidate every token and passcode.
        # The format (64 letters and digits, read by the app as the UTF-8 bytes of that text) is the app's
        # chalicelib/domain/keys.py; changing the generator here would also regenerate every key.
        length, alphabet = key_format()
        if set(alphabet) != set(string.ascii_letters + string.digits):
            raise ValueError("chalicelib/domain/keys.py's KEY_ALPHABET is not letters and digits: Secrets Manager "
                             "generates keys of letters and digits only (ExcludePunctuation, no space)")
        reason = ("The keys sign session tokens and key the passcode and one-time-code hashes: rotating one "
                  "invalidates every token, issued passcode or pending code at once, so rotation is a planned "
                  "operation (docs/deploy.md), not a schedule; the secret uses the AWS-managed Secrets Manager key")
        parts = {}
        for key in ("token_key", "passcode_key", "otp_key"):
            parts[key] = secretsmanager.Secret(
                self,
                f"KeyPart{''.join(w.capitalize() for w in key.split('_'))}",
                description=f"Sabeghe: generated material for {key} (read only through the SabegheKeys secret)",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=length, exclude_punctuation=True, include_space=False
                ),
                removal_policy=RemovalPolicy.RETAIN,
            )
            waive(parts[key], reason, nag=["AwsSolutions-SMG4"], checkov=["CKV_AWS_149"])
        secret = secretsmanager.Secret(
            self,
            "SabegheKeys",
            description="Sabeghe application keys: token_key, passcode_key, otp_key",
            secret_object_value={key: part.secret_value for key, part in parts.items()},
            removal_policy=RemovalPolicy.RETAIN,
        )
        waive(secret, reason, nag=["AwsSolutions-SMG4"], checkov=["CKV_AWS_149"])
        return secret

    def _dead_letter_queue(self, name: str) -> sqs.Queue:
        queue = sqs.Queue(
            self,
            f"{name}DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        self._waive_queue_encryption(queue)
        return queue

    def _queue(self, name: str, *, function_timeout: int) -> tuple[sqs.Queue, sqs.Queue]:
        dlq = self._dead_letter_queue(name)
        queue = sqs.Queue(
            self,
            f"{name}Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            # AWS's advice for Lambda consumers: at least six times the function timeout.
            visibility_timeout=Duration.seconds(6 * function_timeout),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=MAX_RECEIVES),
        )
        self._waive_queue_encryption(queue)
        return queue, dlq

    @staticmethod
    def _waive_queue_encryption(queue: sqs.Queue) -> None:
        waive(queue,
              "False positive: the queue is encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); "
              "this checkov check only recognises a KMS key (KmsMasterKeyId)",
              checkov=["CKV_AWS_27"])

    # -- functions --------------------------------------------------------------------------------------------

    def _role(self, name: str, log_group: logs.LogGroup) -> iam.Role:
        role = iam.Role(
            self,
            f"{name}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Sabeghe {name} Lambda",
        )
        # Logs go to the function's own log group (LoggingConfig.LogGroup), which the stack creates: no
        # CreateLogGroup, no other group. The log group's Arn attribute already ends in `:*` (its streams).
        role.add_to_policy(iam.PolicyStatement(actions=list(LOGS), resources=[log_group.log_group_arn]))
        role.add_to_policy(iam.PolicyStatement(actions=list(XRAY), resources=["*"]))
        waive(role,
              "Only actions that have no resource to scope to are on '*': X-Ray's PutTraceSegments and "
              "PutTelemetryRecords (this function's traces) and, for follow_up, dynamodb:ListStreams (part of "
              "reading a stream, as in AWSLambdaDynamoDBExecutionRole; the stream's own actions are scoped to it)",
              nag=["AwsSolutions-IAM5[Resource::*]"])
        return role

    def _packaged_functions(self) -> dict[str, object]:
        found = {}
        for child in self.chalice.sam_template.node.children:
            if getattr(child, "cfn_resource_type", None) == "AWS::Serverless::Function":
                found[child.node.id] = child
        return found

    def _configure_functions(self) -> None:
        packaged = self._packaged_functions()
        missing = sorted(
            f"{name} ({spec.logical_id})" for name, spec in FUNCTIONS.items() if spec.logical_id not in packaged
        )
        if missing:
            raise ValueError(
                "app.py does not define these functions the stack wires up: "
                + ", ".join(missing)
                + f"; `chalice package` produced: {', '.join(sorted(packaged)) or 'none'}"
            )
        by_logical_id = {spec.logical_id: (name, spec) for name, spec in FUNCTIONS.items()}
        unknown = sorted(set(packaged) - set(by_logical_id))
        if unknown:
            raise ValueError(
                "app.py defines functions the stack does not know: " + ", ".join(unknown)
                + ": give each a FunctionSpec in infra/stacks/functions.py and its grants in "
                  "infra/stacks/sabeghe_stack.py (_grant), or it would deploy with no role, logs or alarms"
            )
        design = self.settings.design
        for logical_id, cfn in packaged.items():
            name, spec = by_logical_id[logical_id]
            cfn.add_property_override("Role", self.roles[name].role_arn)
            cfn.add_property_override("Runtime", LAMBDA_RUNTIME)
            cfn.add_property_override("MemorySize", spec.memory)
            cfn.add_property_override("Timeout", spec.timeout)
            cfn.add_property_override("Tracing", spec.tracing)
            if spec.tracing != "Active":
                waive(cfn, "a per-view hot path: Lambda traces an active function at 1 request a second and 5% of "
                           "the rest, which no sampling rule changes and which would cost more than the view "
                           "itself; its request log lines carry latency and status, watched by alarms",
                      checkov=["CKV_AWS_50"])
            cfn.add_property_override("LoggingConfig", {
                "LogFormat": "JSON",
                "LogGroup": self.log_groups[name].log_group_name,
                "SystemLogLevel": spec.system_log_level,
                "ApplicationLogLevel": "DEBUG" if design.log_level == "DEBUG" else "INFO",
            })
            if name == "inquiry":
                cfn.add_property_override("ReservedConcurrentExecutions", design.inquiry_reserved_concurrency)
            else:
                waive(cfn,
                      "No reserved concurrency (it would take from the account's unreserved pool): the API handler "
                      "is capped by the API stage's throttling, the queue consumers by their event source mapping's "
                      "MaximumConcurrency, follow_up by the stream's shards, cleanup by its hourly schedule; "
                      "only the public inquiry function has a reserve, as its brake",
                      checkov=["CKV_AWS_115"])
            waive(cfn,
                  "A function dead-letter queue only catches asynchronous invocations: these functions are called "
                  "synchronously (API, function URL) or by event source mappings whose queues and stream trigger have "
                  "their own dead-letter queues; cleanup (EventBridge schedule) re-reads from its checkpoint the next "
                  "hour and its failures page (CleanupNotCompleting)",
                  checkov=["CKV_AWS_116"])
            waive(cfn,
                  f"The runtime is pinned ({LAMBDA_RUNTIME}, supported by Lambda until 2028-10-31) to the Python "
                  "that packages the wheels (infra/app.py refuses any other); moving it is a planned change of "
                  "the infra virtualenv's Python and this pin together (stacks/functions.py)",
                  nag=["AwsSolutions-L1"])
            waive(cfn,
                  "No VPC: the functions use only AWS APIs (DynamoDB, S3, SQS, Secrets Manager) and the SMS and "
                  "mailbox providers' public HTTPS APIs; a VPC would add NAT gateways (about $35/month each) and "
                  "endpoints without narrowing what the roles allow",
                  checkov=["CKV_AWS_117"])
            waive(cfn,
                  "The environment holds resource names, URLs and the ARNs of the secrets, never a secret (keys and "
                  "provider credentials are read from Secrets Manager); Lambda encrypts it at rest with its own key",
                  checkov=["CKV_AWS_173"])
            # Local-only settings from .chalice/config.json's top level must not ship.
            env = getattr(cfn, "environment", None)
            variables = getattr(env, "variables", None) or {}
            for key in variables:
                if key.startswith(FORBIDDEN_ENV_PREFIXES):
                    cfn.add_property_deletion_override(f"Environment.Variables.{key}")

    def _configure_api(self):
        """The API's only stage (`api`): throttling, X-Ray, an access log; no extra `Stage` stage; API Gateway's own
        errors in the app's error shape (stacks/gateway_responses.py)."""
        settings, design = self.settings, self.settings.design
        api = self.chalice.get_resource("RestAPI")
        self.api_log_group = observability.log_group(self, "ApiAccessLogGroup",
                                                     retention_days=design.log_retention_days,
                                                     keep=design.deletion_protection)
        api.add_property_override("Name", settings.stack_name)  # the ApiName dimension of the API's metrics
        api.add_property_override("OpenApiVersion", "2.0")  # any value stops SAM from adding a stage named Stage
        api.add_property_override("TracingEnabled", True)
        # What API Gateway answers itself (unknown route, throttling, too large, the function failing): the app's
        # JSON error shape and headers, fixed texts that never echo the request (its default for an unknown route
        # repeats the Authorization header). Read from the app's sources like key_format(): the project's root.
        api.add_property_override("GatewayResponses", sam_gateway_responses(default_source_dir()))
        api.add_property_override("MethodSettings", [{
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": design.api_rate_limit,
            "ThrottlingBurstLimit": design.api_burst_limit,
            "LoggingLevel": "OFF",
            "MetricsEnabled": False,
            "DataTraceEnabled": False,
        }])
        api.add_property_override("AccessLogSetting", {
            "DestinationArn": self.api_log_group.log_group_arn,
            "Format": API_ACCESS_LOG_FORMAT,
        })
        if settings.manage_api_gateway_account:
            # API Gateway writes access logs with one role per account and region (AWS::ApiGateway::Account).
            role = iam.Role(
                self, "ApiGatewayCloudWatchRole",
                assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
                description="API Gateway's CloudWatch Logs role (account-wide setting, kept on stack deletion)",
                managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
            )
            role.apply_removal_policy(RemovalPolicy.RETAIN)
            waive(role,
                  "AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for API Gateway's account-wide "
                  "logging role; API Gateway, not our code, uses it to write the access log",
                  nag=["AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                       "AmazonAPIGatewayPushToCloudWatchLogs]"])
            account = apigateway.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
            account.apply_removal_policy(RemovalPolicy.RETAIN)
            api.add_resource_dependency(account) if hasattr(api, "add_resource_dependency") else api.add_dependency(account)  # the stage's access log needs the role set first
        api_reason = ("Request bodies are validated by the app's pydantic schemas (chalicelib/http/schemas.py), with "
                      "the contract's error answers; API Gateway's validators would need the schemas twice")
        waive(api, api_reason, nag=["AwsSolutions-APIG2"])
        waive(api,
              "Responses are per user and per request (tokens, personal data): an API cache would serve one person's "
              "answer to another",
              checkov=["CKV_AWS_120"])
        waive(api,
              "Execution logs are off: API Gateway would create their log group itself, outside the stack, with no "
              "retention; the access log (one JSON line per request with status, latencies and integration error) "
              "and the function's own logs cover each request",
              nag=["AwsSolutions-APIG6"])
        waive(api,
              "No WAF on the API stage: it is throttled per stage, logins and one-time codes are throttled per "
              "account and client in the app, and every other route needs a session. The public, unauthenticated "
              "inquiry has its WAF (CloudFront, prod). A regional web ACL can be associated later",
              nag=["AwsSolutions-APIG3"])
        return api

    def _queue_trigger(self, function: str, name: str, queue: sqs.Queue, batch_size: int) -> None:
        role = self.roles[function]
        mapping = lambda_.EventSourceMapping(
            self,
            f"{FUNCTIONS[function].logical_id}QueueTrigger",
            target=self.functions[function],
            event_source_arn=queue.queue_arn,
            batch_size=batch_size,
            report_batch_item_failures=True,
            max_concurrency=self.settings.design.worker_max_concurrency,
        )
        # Lambda's poller reads with the function's role; the mapping is checked against that policy when created.
        assert CONSUMES[function] == name
        role.add_to_policy(iam.PolicyStatement(actions=list(SQS_CONSUME), resources=[queue.queue_arn]))
        mapping.node.add_dependency(role)

    def _stream_trigger(self, function: str, table: dynamodb.Table, dlq: sqs.Queue) -> None:
        role = self.roles[function]
        mapping = lambda_.EventSourceMapping(
            self,
            f"{FUNCTIONS[function].logical_id}StreamTrigger",
            target=self.functions[function],
            event_source_arn=table.table_stream_arn,
            starting_position=lambda_.StartingPosition.TRIM_HORIZON,
            batch_size=FOLLOW_UP_BATCH_SIZE,
            max_batching_window=FOLLOW_UP_MAX_BATCHING_WINDOW,
            bisect_batch_on_error=True,
            report_batch_item_failures=True,  # the handler names the first failed record's SequenceNumber
            retry_attempts=FOLLOW_UP_RETRY_ATTEMPTS,
            max_record_age=FOLLOW_UP_MAX_RECORD_AGE,
            # Lambda sends a pointer to the failed records with the function's role; SqsDlq grants it the sending.
            on_failure=lambda_event_sources.SqsDlq(dlq),
        )
        table.grant_stream_read(role)  # dynamodb:ListStreams on '*': waived with the role (_role)
        # The mapping is checked against the role's policy when it is created.
        mapping.node.add_dependency(role)

    def _list_trigger(self) -> None:
        """An upload under uploads/ runs ingest_list, through EventBridge rather than a bucket notification: the
        bucket's own setting (no custom resource to deploy it), and retries that outlast another list's claim of
        the same month (ListBusy) for up to six hours, then the dead-letter queue with its alarm."""
        bucket = self.lists_bucket.node.default_child
        bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            event_bridge_configuration=s3.CfnBucket.EventBridgeConfigurationProperty(event_bridge_enabled=True))
        self.ingest_dlq = self._dead_letter_queue("IngestList")
        waive(self.ingest_dlq, "It is the dead-letter queue of the ingestion's EventBridge target (events that "
                               "could not be delivered or kept failing), not a queue with consumers of its own",
              nag=["AwsSolutions-SQS3"])
        rule = events.Rule(
            self, "ListUploaded",
            description="Sabeghe: an employer's list uploaded to the lists bucket",
            event_pattern=events.EventPattern(
                source=["aws.s3"], detail_type=["Object Created"],
                detail={"bucket": {"name": [self.lists_bucket.bucket_name]},
                        "object": {"key": [{"prefix": LIST_UPLOADS_PREFIX}]}}))
        rule.add_target(events_targets.LambdaFunction(
            self.functions["ingest_list"], retry_attempts=20, max_event_age=Duration.hours(6),
            dead_letter_queue=self.ingest_dlq))
        # EventBridge retries only its delivery; the function's own failures (another list writing the month) are
        # Lambda's asynchronous retries, two, a minute or more apart, then the same dead-letter queue.
        lambda_.EventInvokeConfig(
            self, "IngestListRetries", function=self.functions["ingest_list"], retry_attempts=2,
            max_event_age=Duration.hours(6), on_failure=lambda_destinations.SqsDestination(self.ingest_dlq))

    # -- least privilege: what each function calls (stacks/grants.py) ------------------------------------------

    def _grant(self) -> None:
        for function, grants in GRANTS.items():
            for target, actions in grants.items():
                resource = self._grant_target(function, target)
                self.roles[function].add_to_policy(iam.PolicyStatement(actions=list(actions), resources=[resource]))

    def _grant_target(self, function: str, target: str) -> str:
        kind, _, name = target.partition(":")
        if kind == "table":
            return self.tables[name].table_arn  # the table only: `Table.grant*` would add its indexes too
        if kind == "index":
            table, index = name.split("/")
            return f"{self.tables[table].table_arn}/index/{index}"
        if kind == "statements":
            self._waive_prefix(function, self.documents_bucket, STATEMENTS_PREFIX)
            return self.documents_bucket.arn_for_objects(f"{STATEMENTS_PREFIX}*")
        if kind == "objections":
            self._waive_prefix(function, self.documents_bucket, OBJECTIONS_PREFIX)
            return self.documents_bucket.arn_for_objects(f"{OBJECTIONS_PREFIX}*")
        if kind == "lists":
            self._waive_prefix(function, self.lists_bucket, name)
            return self.lists_bucket.arn_for_objects(f"{name}*")
        if kind == "queue":
            return {"render": self.render_queue, "mailbox": self.mailbox_queue, "sms": self.sms_queue}[name].queue_arn
        if kind == "secret":
            return {"keys": self.secret.secret_arn, "providers": self.settings.providers_secret_arn,
                    "signing_chain": self.signing_chain.secret_arn}[name]
        if kind == "key":
            return {"signing": self.signing_key.key_arn}[name]
        raise ValueError(f"unknown grant target {target!r}")

    def _waive_prefix(self, function: str, bucket: s3.Bucket, prefix: str) -> None:
        bucket_id = self.get_logical_id(bucket.node.default_child)
        waive(self.roles[function],
              f"Object actions are scoped to the {prefix} prefix of one bucket: object keys are made per "
              "statement (or upload), so the key can only be matched by prefix",
              nag=[f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}*]"])

    # -- watching ---------------------------------------------------------------------------------------------

    def _alarms(self) -> observability.Alarms:
        settings = self.settings
        alarms = observability.Alarms(self, "Alarms", prefix=settings.stack_name,
                                      namespace=f"Sabeghe/{settings.stack_name}", emails=settings.alarm_emails)
        watched = {
            name: observability.Watched(name, spec.logical_id, self.chalice.get_resource(spec.logical_id).ref,
                                        self.log_groups[name])
            for name, spec in FUNCTIONS.items()
        }
        for item in watched.values():
            alarms.function(item)
        for name, queue in (("Render", self.render_dlq), ("Mailbox", self.mailbox_dlq), ("Sms", self.sms_dlq),
                            ("FollowUp", self.follow_up_dlq)):
            alarms.dead_letters(name, queue)
        alarms.api_5xx(settings.stack_name, API_STAGE)
        alarms.inquiry(watched["inquiry"])
        alarms.cleanup(watched["cleanup"])
        alarms.sms(watched["send_sms"], settings.sms_daily_cap)
        return alarms

    def _outputs(self) -> None:
        CfnOutput(self, "Stage", value=self.settings.stage, description="Stage (infra/stacks/settings.py)")
        CfnOutput(self, "ApiUrl", value=self.chalice.sam_template.get_output("EndpointURL").value,
                  description="REST API (insured portal, staff API)")
        CfnOutput(self, "InquiryFunctionUrl", value=self.inquiry_url.url,
                  description="The inquiry function URL (AWS_IAM behind CloudFront in prod: use InquiryPublicUrl)")
        CfnOutput(self, "InquiryPublicUrl", value=self.inquiry_base,
                  description="Where institutions inquire (and /verify links point)")
        if self.distribution is not None:
            CfnOutput(self, "InquiryDistributionId", value=self.distribution.distribution_id)
        CfnOutput(self, "AlarmTopicArn", value=self.alarms.topic.topic_arn,
                  description="Every alarm notifies this SNS topic: subscribe the on-call")
        CfnOutput(self, "DocumentsBucketName", value=self.documents_bucket.bucket_name)
        CfnOutput(self, "ListsBucketName", value=self.lists_bucket.bucket_name)
        CfnOutput(self, "AccessLogsBucketName", value=self.access_logs.bucket_name)
        CfnOutput(self, "SecretsId", value=self.secret.secret_arn)
        CfnOutput(self, "SigningKeyArn", value=self.signing_key.key_arn,
                  description="The statements' signing key: make its CSR with scripts/kms_csr.py (docs/deploy.md)")
        CfnOutput(self, "SigningChainSecretArn", value=self.signing_chain.secret_arn,
                  description="Put the CA's certificate chain (PEM, signing certificate first) in this secret")
        CfnOutput(self, "RenderQueueUrl", value=self.render_queue.queue_url)
        CfnOutput(self, "MailboxQueueUrl", value=self.mailbox_queue.queue_url)
        CfnOutput(self, "SmsQueueUrl", value=self.sms_queue.queue_url)
        for name, dlq in (("Render", self.render_dlq), ("Mailbox", self.mailbox_dlq), ("Sms", self.sms_dlq),
                          ("FollowUp", self.follow_up_dlq)):
            CfnOutput(self, f"{name}DeadLetterQueueUrl", value=dlq.queue_url)
        for name, table in self.tables.items():
            CfnOutput(self, f"{name.capitalize()}TableName", value=table.table_name)
        for name, spec in FUNCTIONS.items():
            CfnOutput(self, f"{spec.logical_id}LogGroupName", value=self.log_groups[name].log_group_name)
        CfnOutput(self, "ApiAccessLogGroupName", value=self.api_log_group.log_group_name)
