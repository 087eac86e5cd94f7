"""A deployment that needs no AWS: the dev stage's template synthesized, its tables, buckets, queues and secrets made
on moto as the template describes them (the keys generated as Secrets Manager would, from the template's own
settings), every Lambda function booted with exactly the environment the template gives it, and a person's whole
round run through them: registration by SMS (refused for a line in someone else's name), login, a statement, a
permit, an institution's inquiry and its first-view SMS, the national e-mailbox, deletion, the hourly cleanup and a
password reset by SMS. The SMS and e-mailbox providers and the operators' mobile ownership match are HTTPS
stand-ins that check the credentials the operator put in the providers' secret. Then every AWS call each function
made is held against what its role allows."""
from __future__ import annotations

import fnmatch
import json
import os
import re
import types

import sys

import pytest
import requests

from deployed import REGION, Deployment, app_module
from support import REPO, synth

if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # the project itself: its app, chalicelib and devstack
NATIONAL_CODE = "0013542419"
BIRTH_DATE = "1370/01/15"
MOBILE = "09121234567"  # the line the operators' directory has in his name
OTHER_MOBILE = "09351112233"  # a line in someone else's name
PASSWORD = "Kh0shbakht-2024"
NEW_PASSWORD = "Tazeh-Ramz-1403!"

FUNCTIONS = {"api_handler": "APIHandler", "inquiry": "Inquiry", "render_statement": "RenderStatement",
             "deliver_mailbox": "DeliverMailbox", "cleanup": "Cleanup", "follow_up": "FollowUp", "send_sms": "SendSms"}


def providers_with_ownership(**kwargs):
    """devstack's SMS and e-mailbox stand-ins plus the operators' national-code/mobile match (Shahkar, through an
    aggregator), as chalicelib/storage/mobile_ownership.py calls it: `POST /ownership` with
    `{"national_code", "mobile"}` and `Authorization: Bearer <mobile_ownership_api_key>`, answering
    `{"match": true|false}` from the lines registered in each person's name (`lines`)."""
    from devstack.fake_providers import FakeProviders

    class Providers(FakeProviders):
        def __init__(self, ownership_api_key: str = "ownership-test-key", **kw):
            super().__init__(**kw)
            self.ownership_api_key = ownership_api_key
            self.lines: dict[str, set[str]] = {}
            self.ownership: list[dict] = []  # every question answered, with its answer
            self.ownership_refused: list[dict] = []  # questions without the right key or shape

        @property
        def ownership_url(self) -> str:
            return self.base_url + "/ownership"

        def handle(self, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
            if path != "/ownership":
                return super().handle(path, headers, body)
            headers = {k.lower(): v for k, v in headers.items()}
            with self._lock:
                if headers.get("authorization") != f"Bearer {self.ownership_api_key}":
                    self.ownership_refused.append({"why": "key", "authorization": headers.get("authorization")})
                    return 401, {"error": "unauthorised"}
                try:
                    asked = json.loads(body)
                    national_code, mobile = asked["national_code"], asked["mobile"]
                except (ValueError, KeyError, TypeError):
                    self.ownership_refused.append({"why": "shape", "body": body[:200]})
                    return 400, {"error": "national_code and mobile are required"}
                match = mobile in self.lines.get(national_code, set())
                self.ownership.append({"national_code": national_code, "mobile": mobile, "match": match})
                return 200, {"match": match}

    return Providers(**kwargs)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    from moto import mock_aws

    from devstack.fake_providers import self_signed_certificate
    from devstack.moto_atomic import atomic_dynamodb_calls
    from devstack.moto_kms import kms_signs_digests

    folder = tmp_path_factory.mktemp("deployment")
    certificate, key = self_signed_certificate(str(folder))
    saved = dict(os.environ)
    os.environ.update({"AWS_ACCESS_KEY_ID": "deployment", "AWS_SECRET_ACCESS_KEY": "deployment",
                       "AWS_DEFAULT_REGION": REGION})
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[name]
    atomic_dynamodb_calls()
    kms_signs_digests()  # moto's KMS signs a DIGEST as KMS does (devstack/moto_kms.py)
    providers = providers_with_ownership(tls=(certificate, key)).start()
    providers.lines[NATIONAL_CODE] = {MOBILE}  # the operators' directory: this line is in the newcomer's name
    try:
        with mock_aws():
            import boto3

            # What the operator makes before deploying (docs/deploy.md): the providers' credentials.
            providers_arn = boto3.client("secretsmanager", region_name=REGION).create_secret(
                Name="sabeghe/providers", SecretString=json.dumps(
                    {"sms_api_key": providers.sms_api_key, "mailbox_credentials": providers.mailbox_credentials,
                     "mobile_ownership_api_key": providers.ownership_api_key}))["ARN"]
            built = synth(folder, "dev", providers_secret_arn=providers_arn, sms_gateway_url=providers.sms_url,
                          mailbox_gateway_url=providers.mailbox_url, mobile_ownership_url=providers.ownership_url)
            for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
                del os.environ[name]  # chalice package leaves the stub's local config in the environment
            running = Deployment(built.template.to_json(), str(REPO), {providers_arn: "given"})
            running.provision()
            running.signing_ca = certify_signing_key(running, folder)
            running.providers = providers
            # The machine's trust store knows the providers' certificate, as a real one would be known.
            running.base_environment = {"SSL_CERT_FILE": certificate}
            yield running
    finally:
        providers.stop()
        os.environ.clear()
        os.environ.update(saved)


def certify_signing_key(running: Deployment, folder):
    """The operator's step after the first deploy (docs/deploy.md, "Signing statements"): a CSR signed by the stack's
    KMS key (scripts/kms_csr.py), answered by a CA (here a development CA standing in for it), and the chain put into
    the stack's chain secret. Returns the CA, whose root is the one the statements must chain to."""
    import importlib.util

    import boto3
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from devstack.dev_ca import create

    def physical(kind: str, prefix: str) -> dict:
        (name,) = [k for k, v in running.resources.items() if v["Type"] == kind and k.startswith(prefix)]
        return running.physical[name]

    spec = importlib.util.spec_from_file_location("kms_csr", str(REPO / "scripts" / "kms_csr.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    kms = boto3.client("kms", region_name=REGION)
    request = x509.load_pem_x509_csr(script.signing_request(kms, physical("AWS::KMS::Key", "SigningKey")["Arn"]))
    assert request.is_signature_valid
    ca = create(str(folder / "operator-ca"))
    name = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    chain = ca.issue(request.public_key(), name) + ca.root_pem()
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(
        SecretId=physical("AWS::SecretsManager::Secret", "SigningChain")["Ref"], SecretString=chain.decode())
    return ca


class Lambda:
    """Invokes the functions as their triggers would, each in its own container with its own environment."""

    def __init__(self, deployment: Deployment):
        self.d = deployment
        self.token = None
        self.reader = None

    def run(self, function: str):
        return self.d.running(function, FUNCTIONS[function], self.d.base_environment)

    def api(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict | None]:
        from chalice.local import LambdaEventConverter, RouteMatcher

        with self.run("api_handler") as app:
            sent = {"content-type": "application/json", **(headers or {})}
            if self.token:
                sent["authorization"] = f"Bearer {self.token}"
            converter = LambdaEventConverter(RouteMatcher(list(app.app.routes)))
            event = converter.create_lambda_event(method, path, sent, json.dumps(body).encode() if body else None)
            event["requestContext"]["identity"]["sourceIp"] = "203.0.113.20"
            event["requestContext"]["requestId"] = os.urandom(8).hex()
            answer = app.app(event, context())
        text = answer.get("body") or ""
        return answer["statusCode"], json.loads(text) if text.startswith("{") else None

    def consume(self, function: str, queue_prefix: str) -> list:
        """Every message on a queue handed to its consumer, as the event source mapping would."""
        import boto3

        sqs = boto3.client("sqs", region_name=REGION)
        (url,) = [v["Ref"] for k, v in self.d.physical.items()
                  if k.startswith(queue_prefix) and "DeadLetter" not in k and "QueueUrl" in v]
        outcomes = []
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                           AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
            if not messages:
                return outcomes
            event = {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                                  "attributes": m["Attributes"], "eventSource": "aws:sqs"} for m in messages]}
            with self.run(function) as app:
                result = getattr(app, function)(event, context())
            failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
            outcomes.append(result)
            for m in messages:
                if m["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            assert not failed, f"{function} failed on {failed}"

    def follow_up(self) -> int:
        from devstack.workers import StreamReader

        def handler(event, _context):
            with self.run("follow_up") as app:
                return app.follow_up(event, context())

        if self.reader is None:
            table = self.d.function_environment("FollowUp").get("REQUESTS_TABLE") or \
                self.d.function_environment("APIHandler")["REQUESTS_TABLE"]
            self.reader = StreamReader(table, handler)
        return self.reader.drain()

    def inquire(self, identifier: str, passcode: str, content_type: str = "application/json") -> tuple[int, dict]:
        from devstack.workers import function_url_event

        body = json.dumps({"identifier": identifier, "passcode": passcode}).encode()
        event = function_url_event("POST", "/", "", {"Host": "abcdef.lambda-url.eu-central-1.on.aws",
                                                     "Content-Type": content_type,
                                                     "User-Agent": "BankMelli-Inquiry/2.1"}, body, "198.51.100.9")
        with self.run("inquiry") as app:
            answer = app.inquiry(event, context())
        return answer["statusCode"], json.loads(answer["body"])

    def cleanup(self) -> dict:
        with self.run("cleanup") as app:
            return app.cleanup({"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
                                "account": "123456789012", "time": "2026-11-26T09:00:00Z", "region": REGION,
                                "resources": ["arn:aws:events:eu-central-1:123456789012:rule/cleanup"],
                                "detail": {}}, context())


def context():
    return types.SimpleNamespace(aws_request_id=os.urandom(8).hex(), get_remaining_time_in_millis=lambda: 25_000,
                                 function_name="deployment", memory_limit_in_mb=256)


@pytest.fixture(scope="module")
def round_trip(deployment):
    """A newcomer's whole round through the deployed functions; returns what each step answered."""
    from devstack.seed import newcomer_contributions, seed_registry_person

    aws = Lambda(deployment)
    steps = {}
    with deployment.running("operations", "APIHandler", deployment.base_environment):  # the fund's registry
        from chalicelib import bootstrap

        seed_registry_person(bootstrap.services(), NATIONAL_CODE, BIRTH_DATE, "رضا", "کریمی",
                             newcomer_contributions())
    # A line in someone else's name: the operators' match says no, and no code is texted anywhere.
    steps["register_other_line"] = aws.api("POST", "/v1/auth/register", {
        "national_code": NATIONAL_CODE, "mobile": OTHER_MOBILE, "birth_date": BIRTH_DATE, "password": PASSWORD})
    aws.consume("send_sms", "SmsQueue")
    steps["other_line_sms"] = list(deployment.providers.sms)
    steps["register"] = aws.api("POST", "/v1/auth/register", {"national_code": NATIONAL_CODE, "mobile": MOBILE,
                                                              "birth_date": BIRTH_DATE, "password": PASSWORD})
    aws.consume("send_sms", "SmsQueue")
    codes = [re.search(r"(\d{6})", m["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
             for m in deployment.providers.sms]
    steps["otp_sms"] = list(deployment.providers.sms)
    steps["activate"] = aws.api("POST", "/v1/auth/activate", {"national_code": NATIONAL_CODE,
                                                              "otp": codes[0].group(1) if codes and codes[0] else ""})
    steps["login"] = aws.api("POST", "/v1/auth/login", {"national_code": NATIONAL_CODE, "password": PASSWORD})
    aws.token = (steps["login"][1] or {}).get("token")
    steps["statement"] = aws.api("POST", "/v1/me/statements", {"kind": "combined", "agree": True},
                                 {"idempotency-key": "first-statement-01"})
    assert steps["statement"][0] == 201, steps
    tracking_no = steps["statement"][1]["tracking_no"]
    aws.follow_up()
    aws.consume("render_statement", "RenderQueue")
    steps["ready"] = aws.api("GET", f"/v1/me/inbox/{tracking_no}")
    steps["document"] = aws.api("GET", f"/v1/me/inbox/{tracking_no}/document")
    steps["pdf"] = requests.get(steps["document"][1]["url"], timeout=10).content  # moto answers the presigned GET
    steps["verify"] = aws.api("GET", f"/verify/{steps['document'][1]['document_id']}")
    steps["permit"] = aws.api("POST", f"/v1/me/inbox/{tracking_no}/permits", {"validity": "week"},
                              {"idempotency-key": "first-permit-0001"})
    # text/plain is what another site's page may POST without a CORS preflight: refused, the passcode not tried.
    steps["inquiry_as_text"] = aws.inquire(NATIONAL_CODE, steps["permit"][1]["passcode"], "text/plain")
    steps["inquiry"] = aws.inquire(NATIONAL_CODE, steps["permit"][1]["passcode"])
    aws.follow_up()
    aws.consume("send_sms", "SmsQueue")
    steps["view_sms"] = list(deployment.providers.sms)
    steps["mailbox"] = aws.api("POST", f"/v1/me/inbox/{tracking_no}/mailbox")
    aws.follow_up()
    aws.consume("deliver_mailbox", "MailboxQueue")
    steps["delivered"] = aws.api("GET", f"/v1/me/inbox/{tracking_no}")
    steps["activity"] = aws.api("GET", "/v1/me/activity")
    steps["delete"] = aws.api("DELETE", f"/v1/me/inbox/{tracking_no}")
    aws.follow_up()
    steps["cleanup"] = aws.cleanup()
    steps["tracking_no"] = tracking_no
    # A forgotten password, reset by SMS: asked for without a session, the code texted to the line on the account
    # (once more the operators' match is asked), then confirmed; every session opened before it has ended.
    old_token, aws.token = aws.token, None
    steps["reset"] = aws.api("POST", "/v1/auth/password-reset", {"national_code": NATIONAL_CODE, "mobile": MOBILE})
    texted = len(deployment.providers.sms)
    aws.consume("send_sms", "SmsQueue")
    steps["reset_sms"] = deployment.providers.sms[texted:]
    code = [re.search(r"(\d{6})", m["text"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
            for m in steps["reset_sms"]]
    steps["reset_confirm"] = aws.api("POST", "/v1/auth/password-reset/confirm", {
        "national_code": NATIONAL_CODE, "otp": code[0].group(1) if code and code[0] else "",
        "new_password": NEW_PASSWORD})
    aws.token = old_token
    steps["old_token_after_reset"] = aws.api("GET", "/v1/me/activity")
    aws.token = None
    steps["old_password_after_reset"] = aws.api("POST", "/v1/auth/login", {"national_code": NATIONAL_CODE,
                                                                         "password": PASSWORD})
    steps["login_after_reset"] = aws.api("POST", "/v1/auth/login", {"national_code": NATIONAL_CODE,
                                                                  "password": NEW_PASSWORD})
    aws.token = (steps["login_after_reset"][1] or {}).get("token")
    steps["activity_after_reset"] = aws.api("GET", "/v1/me/activity")
    return steps


def test_a_newcomer_registers_with_the_code_the_sms_provider_delivered(round_trip, deployment):
    assert round_trip["register"][0] == 202
    (otp_sms,) = round_trip["otp_sms"]
    assert otp_sms["to"] == "+989121234567" and otp_sms["from"] == "+983000505"
    assert round_trip["activate"] == (200, {"status": "active"})
    # The keys Secrets Manager generated from the template's settings sign the session.
    assert round_trip["login"][0] == 200 and round_trip["login"][1]["token"].startswith("v1.")


def test_a_line_in_someone_elses_name_is_refused_and_texted_nothing(round_trip, deployment):
    status, answer = round_trip["register_other_line"]
    assert status == 422 and answer["error"]["code"] == "mobile_not_owned"
    assert answer["error"]["message_fa"]
    assert round_trip["other_line_sms"] == []  # no code went to the stranger's line (nor anywhere)
    assert not [m for m in deployment.providers.sms if m["to"] == "+989351112233"]
    # The operators' match was asked with the key from the providers' secret, and answered no, then yes.
    assert deployment.providers.ownership_refused == []
    asked = deployment.providers.ownership
    assert asked[0] == {"national_code": NATIONAL_CODE, "mobile": OTHER_MOBILE, "match": False}
    assert asked[1] == {"national_code": NATIONAL_CODE, "mobile": MOBILE, "match": True}


def test_a_forgotten_password_is_reset_by_sms_and_ends_every_session(round_trip, deployment):
    assert round_trip["reset"][0] == 202
    (reset_sms,) = round_trip["reset_sms"]
    assert reset_sms["to"] == "+989121234567" and reset_sms["from"] == "+983000505"
    assert {"national_code": NATIONAL_CODE, "mobile": MOBILE, "match": True} == deployment.providers.ownership[-1]
    assert round_trip["reset_confirm"] == (200, {"status": "reset"})
    status, answer = round_trip["old_token_after_reset"]
    assert status == 401 and answer["error"]["code"] == "session_ended"
    status, answer = round_trip["old_password_after_reset"]
    assert status == 401 and answer["error"]["code"] == "invalid_credentials"
    assert round_trip["login_after_reset"][0] == 200 and round_trip["login_after_reset"][1]["token"].startswith("v1.")
    kinds = [i["kind"] for i in round_trip["activity_after_reset"][1]["items"]]
    assert "password_reset" in kinds


def test_a_statement_is_drawn_shared_viewed_and_mailed_through_the_deployed_functions(round_trip, deployment):
    assert round_trip["statement"][0] == 201
    assert round_trip["ready"][1]["status"] == "ready"
    assert round_trip["permit"][0] == 201
    status, answer = round_trip["inquiry_as_text"]
    assert status == 415 and answer["error"]["code"] == "unsupported_media_type" and answer["error"]["message_fa"]
    status, answer = round_trip["inquiry"]
    assert status == 200 and answer["tracking_no"] == round_trip["tracking_no"]
    assert answer["verify_url"].startswith("https://abcdef.lambda-url.eu-central-1.on.aws/verify/")
    first_view = [m for m in round_trip["view_sms"] if round_trip["tracking_no"] in m["text"]]
    assert len(first_view) == 1 and first_view[0]["to"] == "+989121234567"
    assert round_trip["mailbox"][0] == 202
    assert round_trip["delivered"][1]["mailbox"]["status"] == "delivered"
    (delivery,) = deployment.providers.mailbox
    assert delivery["tracking_no"] == round_trip["tracking_no"] and delivery["pdf_base64"]
    kinds = [i["kind"] for i in round_trip["activity"][1]["items"]]
    assert {"registered", "login", "statement_requested", "statement_ready", "permit_issued", "institution_view",
            "mailbox_delivery"} <= set(kinds)
    assert round_trip["delete"][0] == 204
    assert round_trip["cleanup"]["complete"] is True


def test_the_statement_is_signed_with_the_kms_key_under_the_operators_certificate(round_trip, deployment):
    from io import BytesIO

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(pem.unarmor(deployment.signing_ca.root_pem())[2])
    (embedded,) = PdfFileReader(BytesIO(round_trip["pdf"])).embedded_regular_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.trusted
    assert status.signing_cert.subject.native["organization_name"] == "Social Security Organization"
    status, answer = round_trip["verify"]
    assert status == 200 and answer["signature"]["valid"] is True
    assert answer["signature"]["signer"] == "Social Security Organization - Sabeghe statements"
    # Only the PDF worker signed, with the key the stack made, by digest; nobody else touched KMS.
    signs = [params for function, calls in deployment.calls.items() for service, operation, params in calls
             if service == "kms"]
    assert [p["MessageType"] for p in signs] == ["DIGEST"]
    assert {f for f, calls in deployment.calls.items() if any(c[0] == "kms" for c in calls)} == {"render_statement"}


def test_every_call_a_function_made_is_one_its_role_allows(round_trip, deployment):
    refused = {}
    for function, logical_id in FUNCTIONS.items():
        allowed = deployment.role_statements(logical_id)
        for service, operation, params in deployment.calls.get(function, []):
            for action, resource in needed(deployment, service, operation, params):
                if not any(_matches(action, resource, statement) for statement in allowed):
                    refused.setdefault(function, set()).add(f"{action} on {resource}")
    assert not refused, refused
    assert set(deployment.calls) >= set(FUNCTIONS)  # every function really ran


def test_the_round_made_the_calls_the_new_grants_are_for(round_trip, deployment):
    """The replay above only proves the calls that were made: these are the ones behind grants.py's newest lines."""
    def made(function):
        return {(need[0], need[1].rsplit("/", 1)[-1] if need[0].startswith("dynamodb") else need[1])
                for service, operation, params in deployment.calls.get(function, [])
                for need in needed(deployment, service, operation, params)}

    tables = {name: deployment.function_environment("APIHandler")[f"{name.upper()}_TABLE"]
              for name in ("users", "throttles", "requests", "activity")}
    providers = deployment.function_environment("APIHandler")["PROVIDERS_SECRET_ID"]
    api = made("api_handler")
    assert ("dynamodb:BatchGetItem", tables["users"]) in api  # the session and its reset cut
    assert ("secretsmanager:GetSecretValue", providers) in api  # the ownership match's key
    assert ("dynamodb:UpdateItem", tables["users"]) in api and ("dynamodb:PutItem", tables["users"]) in api
    inquiry = made("inquiry")
    assert ("dynamodb:UpdateItem", tables["throttles"]) in inquiry  # the client's mark before a view
    assert ("dynamodb:UpdateItem", tables["requests"]) in inquiry
    assert not [n for n in inquiry if n[0] == "secretsmanager:GetSecretValue" and n[1] == providers]


def needed(deployment: Deployment, service: str, operation: str, params: dict) -> list[tuple[str, str]]:
    """The IAM actions (and resources) one AWS call needs."""
    if service == "dynamodb":
        table_arn = lambda name: deployment.physical[name]["Arn"]  # noqa: E731 - tables are named by logical id
        if operation == "TransactWriteItems":
            kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck":
                     "ConditionCheckItem"}
            return [(f"dynamodb:{kinds[kind]}", table_arn(body["TableName"]))
                    for write in params["TransactItems"] for kind, body in write.items()]
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(f"dynamodb:{operation}", table_arn(name)) for name in params["RequestItems"]]
        if "TableName" not in params:
            raise AssertionError(f"an unexpected DynamoDB call: {operation}")
        arn = table_arn(params["TableName"])
        if params.get("IndexName"):
            arn += f"/index/{params['IndexName']}"
        return [(f"dynamodb:{operation}", arn)]
    if service == "s3":
        return [(f"s3:{operation}", f"arn:aws:s3:::{params['Bucket']}/{params.get('Key', '')}")]
    if service == "sqs":
        url = params["QueueUrl"]
        (arn,) = [v["Arn"] for v in deployment.physical.values() if v.get("QueueUrl") == url]
        return [(f"sqs:{operation}", arn)]
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", params["SecretId"])]
    if service == "kms":
        return [(f"kms:{operation}", params["KeyId"])]
    return [(f"{service}:{operation}", "*")]


def _matches(action: str, resource: str, statement: dict) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return any(fnmatch.fnmatchcase(action, a) for a in actions) and \
        any(fnmatch.fnmatchcase(resource, r) for r in resources)


def test_the_app_is_the_one_packaged(deployment):
    assert app_module(str(REPO)).__file__ == os.path.join(str(REPO), "app.py")
