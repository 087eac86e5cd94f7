"""The whole Sabeghe service in one stack: data stores, queues, secrets, and the Chalice app.

The Chalice construct runs `chalice package` on the project root during synthesis and imports the resulting SAM
template. Everything Chalice cannot express (function URL, SQS, DynamoDB stream and S3 triggers, per-function IAM
roles, per-function memory and timeouts) is wired here on the imported resources.

Facts about the `chalice.cdk.Chalice` construct (chalice 1.34.0) that shape this file:
- `stage_config` is applied as top-level chalice config only: a nested `lambda_functions` block in it is ignored.
  Per-function settings are therefore set here as CloudFormation property overrides on the packaged functions.
- The chalice stage name is the stack's construct path (e.g. `Sabeghe`), so `.chalice/config.json`'s
  `stages.dev` block never reaches a deployment, but its top-level `environment_variables` do: any
  `AWS_ENDPOINT_URL*` found there is stripped from every deployed function.
- `Chalice.get_function()` imports functions in a way that cannot create Lambda permissions; this file imports them
  with `same_environment=True` so the function URL and the S3 notification get their invoke permissions.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from aws_cdk import (
    CfnOutput,
    Duration,
    Fn,
    RemovalPolicy,
    Stack,
)
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as lambda_event_sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from stacks.functions import FOLLOW_UP_BATCH_SIZE, FUNCTIONS, FunctionSpec  # noqa: F401 - FunctionSpec for callers


# Key prefixes the functions and the buckets agree on.
STATEMENTS_PREFIX = "statements/"
LIST_UPLOADS_PREFIX = "uploads/"

# Environment variables that must never reach a deployed function (they point boto3 at a local emulator).
FORBIDDEN_ENV_PREFIXES = ("AWS_ENDPOINT_URL",)

RENDER_BATCH_SIZE = 5
MAILBOX_BATCH_SIZE = 10
MAX_RECEIVES = 3

# follow_up reads the requests table's stream. A stream keeps records for 24 hours; the on-failure destination gets
# only a pointer to the failed batch (shard, sequence numbers), so records must fail well before they leave the
# stream to be read again from that pointer.
FOLLOW_UP_MAX_BATCHING_WINDOW = Duration.seconds(2)
FOLLOW_UP_RETRY_ATTEMPTS = 5
FOLLOW_UP_MAX_RECORD_AGE = Duration.hours(6)


class SabegheStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source_dir: str,
        public_verify_base_url: str | None = None,
        log_level: str = "INFO",
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.tables = self._tables()
        self.documents_bucket = self._bucket(
            "DocumentsBucket",
            cors_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-statements-backstop",
                    prefix=STATEMENTS_PREFIX,
                    expiration=Duration.days(400),
                ),
            ],
        )
        self.lists_bucket = self._bucket(
            "ListsBucket",
            cors_methods=[s3.HttpMethods.PUT],
            lifecycle_rules=[],
        )
        self.secret = self._secret()
        self.render_queue, self.render_dlq = self._queue("Render", function_timeout=FUNCTIONS["render_statement"].timeout)
        self.mailbox_queue, self.mailbox_dlq = self._queue(
            "Mailbox", function_timeout=FUNCTIONS["deliver_mailbox"].timeout
        )
        self.follow_up_dlq = self._dead_letter_queue("FollowUp")

        # One role per function; a log-only fallback for any function app.py adds that this stack does not know.
        self.roles = {name: self._role(spec.logical_id) for name, spec in FUNCTIONS.items()}
        fallback_role = self._role("Fallback")

        common_env = {
            "APP_ENV": "aws",
            "LOG_LEVEL": log_level,
            "USERS_TABLE": self.tables["users"].table_name,
            "RECORDS_TABLE": self.tables["records"].table_name,
            "REQUESTS_TABLE": self.tables["requests"].table_name,
            "GRANTS_TABLE": self.tables["grants"].table_name,
            "ACTIVITY_TABLE": self.tables["activity"].table_name,
            "THROTTLES_TABLE": self.tables["throttles"].table_name,
            "DOCUMENTS_BUCKET": self.documents_bucket.bucket_name,
            "LISTS_BUCKET": self.lists_bucket.bucket_name,
            "SECRETS_ID": self.secret.secret_arn,
            "RENDER_QUEUE_URL": self.render_queue.queue_url,
            "MAILBOX_QUEUE_URL": self.mailbox_queue.queue_url,
        }
        if public_verify_base_url:
            common_env["PUBLIC_VERIFY_BASE_URL"] = public_verify_base_url.rstrip("/")

        self.chalice = Chalice(
            self,
            "Api",
            source_dir=source_dir,
            stage_config={
                "api_gateway_stage": "api",
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

        # Institution inquiry: a public function URL (the function checks passcodes and throttles itself).
        self.inquiry_url = lambda_.FunctionUrl(
            self,
            "InquiryUrl",
            function=self.functions["inquiry"],
            auth_type=lambda_.FunctionUrlAuthType.NONE,
            cors=lambda_.FunctionUrlCorsOptions(
                allowed_origins=["*"],
                allowed_methods=[lambda_.HttpMethod.GET, lambda_.HttpMethod.POST],
                allowed_headers=["content-type"],
                max_age=Duration.hours(1),
            ),
        )
        # https://<id>.lambda-url.<region>.on.aws/ -> https://<id>.lambda-url.<region>.on.aws (no trailing slash)
        inquiry_base = Fn.join("", ["https://", Fn.select(2, Fn.split("/", self.inquiry_url.url))])
        for name, spec in FUNCTIONS.items():
            if name == "inquiry":
                continue  # its own URL would make the function depend on itself
            self.chalice.add_environment_variable("INQUIRY_URL", inquiry_base, spec.logical_id)
            if not public_verify_base_url:
                self.chalice.add_environment_variable("PUBLIC_VERIFY_BASE_URL", inquiry_base, spec.logical_id)

        self._queue_trigger("render_statement", self.render_queue, RENDER_BATCH_SIZE)
        self._queue_trigger("deliver_mailbox", self.mailbox_queue, MAILBOX_BATCH_SIZE)
        self._stream_trigger("follow_up", self.tables["requests"], self.follow_up_dlq)
        if "ingest_list" in self.functions:
            self.lists_bucket.add_event_notification(
                s3.EventType.OBJECT_CREATED,
                s3n.LambdaDestination(self.functions["ingest_list"]),
                s3.NotificationKeyFilter(prefix=LIST_UPLOADS_PREFIX),
            )

        self._grant()
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
        )
        if expiry_index:
            # KEYS_ONLY already projects the table keys (pk, and sk where the table has one) next to the index keys.
            table.add_global_secondary_index(
                index_name="by_expiry",
                partition_key=dynamodb.Attribute(name="expiry_bucket", type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name="expires_at_epoch", type=dynamodb.AttributeType.NUMBER),
                projection_type=dynamodb.ProjectionType.KEYS_ONLY,
            )
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

    def _bucket(
        self,
        construct_id: str,
        *,
        cors_methods: list[s3.HttpMethods],
        lifecycle_rules: list[s3.LifecycleRule],
    ) -> s3.Bucket:
        return s3.Bucket(
            self,
            construct_id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=False,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            # Browsers use presigned URLs straight against the bucket; the signature is the authorisation.
            cors=[
                s3.CorsRule(
                    allowed_methods=cors_methods,
                    allowed_origins=["*"],
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ],
            lifecycle_rules=[
                *lifecycle_rules,
                s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(7)),
            ],
        )

    def _secret(self) -> secretsmanager.Secret:
        # Secrets Manager generates one random string per secret, so each key is generated in its own secret and
        # the app's secret is composed from them by CloudFormation dynamic references (never in the template text).
        # Do not rename these constructs: new parts would give new keys and invalidate every token and passcode.
        parts = {
            key: secretsmanager.Secret(
                self,
                f"KeyPart{''.join(w.capitalize() for w in key.split('_'))}",
                description=f"Sabeghe: generated material for {key} (read only through the SabegheKeys secret)",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=64, exclude_punctuation=True, include_space=False
                ),
                removal_policy=RemovalPolicy.RETAIN,
            )
            for key in ("token_key", "passcode_key", "otp_key")
        }
        return secretsmanager.Secret(
            self,
            "SabegheKeys",
            description="Sabeghe application keys: token_key, passcode_key, otp_key",
            secret_object_value={key: part.secret_value for key, part in parts.items()},
            removal_policy=RemovalPolicy.RETAIN,
        )

    def _dead_letter_queue(self, name: str) -> sqs.Queue:
        return sqs.Queue(
            self,
            f"{name}DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )

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
        return queue, dlq

    # -- functions --------------------------------------------------------------------------------------------

    def _role(self, name: str) -> iam.Role:
        return iam.Role(
            self,
            f"{name}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Sabeghe {name} Lambda",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSLambdaBasicExecutionRole")
            ],
        )

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
        for logical_id, cfn in packaged.items():
            if logical_id in by_logical_id:
                name, spec = by_logical_id[logical_id]
                cfn.add_property_override("Role", self.roles[name].role_arn)
                cfn.add_property_override("MemorySize", spec.memory)
                cfn.add_property_override("Timeout", spec.timeout)
                cfn.add_property_override("LoggingConfig", {"LogFormat": "JSON",
                                                            "SystemLogLevel": spec.system_log_level})
            # Local-only settings from .chalice/config.json's top level must not ship.
            env = getattr(cfn, "environment", None)
            variables = getattr(env, "variables", None) or {}
            for key in variables:
                if key.startswith(FORBIDDEN_ENV_PREFIXES):
                    cfn.add_property_deletion_override(f"Environment.Variables.{key}")

    def _queue_trigger(self, function: str, queue: sqs.Queue, batch_size: int) -> None:
        mapping = lambda_.EventSourceMapping(
            self,
            f"{FUNCTIONS[function].logical_id}QueueTrigger",
            target=self.functions[function],
            event_source_arn=queue.queue_arn,
            batch_size=batch_size,
            report_batch_item_failures=True,
        )
        # The mapping is checked against the role's policy when it is created.
        queue.grant_consume_messages(self.roles[function])
        mapping.node.add_dependency(self.roles[function])

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
        table.grant_stream_read(role)
        # The mapping is checked against the role's policy when it is created.
        mapping.node.add_dependency(role)

    def _grant(self) -> None:
        t, r = self.tables, self.roles
        docs, lists, secret = self.documents_bucket, self.lists_bucket, self.secret

        # api_handler: the whole insured and staff API.
        role = r["api_handler"]
        for table in t.values():
            table.grant_read_write_data(role)
        docs.grant_read(role, f"{STATEMENTS_PREFIX}*")  # presigned GET
        docs.grant_delete(role, f"{STATEMENTS_PREFIX}*")  # DELETE /v1/me/inbox/{tracking_no}
        lists.grant_put(role)  # presigned PUT for employer lists
        lists.grant_read(role)  # processing reports
        secret.grant_read(role)
        self.render_queue.grant_send_messages(role)
        self.mailbox_queue.grant_send_messages(role)
        self._allow_sms(role)  # one-time codes at registration

        # inquiry: institutions look up a statement by passcode; records the view on the permit's small item in
        # the requests table, logs activity, throttles.
        role = r["inquiry"]
        t["grants"].grant_read_data(role)
        self._allow_items(role, t["requests"], "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem")
        t["throttles"].grant_read_write_data(role)
        t["users"].grant_read_data(role)
        self._allow_items(role, t["activity"], "dynamodb:PutItem")
        docs.grant_read(role, f"{STATEMENTS_PREFIX}*")
        secret.grant_read(role)
        self._allow_sms(role)  # someone keeps guessing passcodes

        # render_statement: builds the PDF for one request.
        role = r["render_statement"]
        for name in ("users", "records", "grants"):
            t[name].grant_read_data(role)
        for name in ("requests", "activity"):
            t[name].grant_read_write_data(role)
        docs.grant_put(role, f"{STATEMENTS_PREFIX}*")
        docs.grant_delete(role, f"{STATEMENTS_PREFIX}*")  # a PDF drawn for a request deleted meanwhile
        secret.grant_read(role)
        self.mailbox_queue.grant_send_messages(role)  # a mailbox delivery asked for before the PDF was ready

        # deliver_mailbox: sends a ready statement to the national e-mailbox.
        role = r["deliver_mailbox"]
        t["users"].grant_read_data(role)
        for name in ("requests", "activity"):
            t[name].grant_read_write_data(role)
        docs.grant_read(role, f"{STATEMENTS_PREFIX}*")
        secret.grant_read(role)

        # cleanup: deletes expired requests and grants (via the by_expiry indexes) and their PDFs.
        role = r["cleanup"]
        for name in ("users", "requests", "grants", "activity", "throttles"):
            t[name].grant_read_write_data(role)
        docs.grant_read(role, f"{STATEMENTS_PREFIX}*")
        docs.grant_delete(role, f"{STATEMENTS_PREFIX}*")

        # follow_up: what follows a change in the requests table (a timeline entry, the first-view SMS). Reading
        # the stream and sending failures to its DLQ are granted with the trigger (_stream_trigger).
        role = r["follow_up"]
        self._allow_items(role, t["activity"], "dynamodb:PutItem")
        self._allow_sms(role)

        # ingest_list: reads an uploaded employer list, writes records and a processing report.
        if "ingest_list" in r:
            role = r["ingest_list"]
            t["records"].grant_read_write_data(role)
            t["users"].grant_read_data(role)
            lists.grant_read(role)
            lists.grant_put(role)  # reports go outside uploads/, so they never trigger the function again

    @staticmethod
    def _allow_items(role: iam.Role, table: dynamodb.Table, *actions: str) -> None:
        # On the table only: `Table.grant` would add its indexes too.
        role.add_to_policy(iam.PolicyStatement(actions=list(actions), resources=[table.table_arn]))

    @staticmethod
    def _allow_sms(role: iam.Role) -> None:
        # SMS to a phone number has no topic ARN to scope to; deny topic publishing so only direct SMS remains.
        role.add_to_policy(iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]))
        role.add_to_policy(iam.PolicyStatement(effect=iam.Effect.DENY, actions=["sns:Publish"],
                                               resources=["arn:aws:sns:*:*:*"]))

    def _outputs(self) -> None:
        CfnOutput(self, "ApiUrl", value=self.chalice.sam_template.get_output("EndpointURL").value,
                  description="REST API (insured portal, staff API)")
        CfnOutput(self, "InquiryFunctionUrl", value=self.inquiry_url.url, description="Institution inquiry URL")
        CfnOutput(self, "DocumentsBucketName", value=self.documents_bucket.bucket_name)
        CfnOutput(self, "ListsBucketName", value=self.lists_bucket.bucket_name)
        CfnOutput(self, "SecretsId", value=self.secret.secret_arn)
        CfnOutput(self, "RenderQueueUrl", value=self.render_queue.queue_url)
        CfnOutput(self, "MailboxQueueUrl", value=self.mailbox_queue.queue_url)
        for name, table in self.tables.items():
            CfnOutput(self, f"{name.capitalize()}TableName", value=table.table_name)


def default_source_dir() -> str:
    """The project root: the folder above infra/."""
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
