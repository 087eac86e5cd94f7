"""A deployment without AWS: the synthesized template's resources made on moto as the template describes them, and
each Lambda function booted with exactly the environment the template gives it.

Used by test_deployment.py: it resolves the template's intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
Fn::Split, Fn::Sub) against what it made, generates the secrets the way Secrets Manager would from their
GenerateSecretString settings (and composes the app's secret from its dynamic references), and records every AWS
call each function makes, so the test can hold them against the function's role."""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import string
import sys

REGION = "eu-central-1"
ACCOUNT = "123456789012"
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


class Deployment:
    def __init__(self, template: dict, root: str, given: dict[str, str]):
        self.template = template
        self.resources = template["Resources"]
        self.root = root
        self.given = given  # what the operator supplies outside the stack (the providers' secret), by ARN
        self.physical: dict[str, dict] = {}  # logical id -> {"Ref": ..., attribute: ...}
        self.secret_values: dict[str, str] = {}  # secret ARN -> SecretString
        self.calls: dict[str, list[tuple[str, str, dict]]] = {}  # function -> [(service, operation, parameters)]

    # --- making the resources -----------------------------------------------------------------------------
    def provision(self) -> None:
        import boto3

        for logical, resource in self._of("AWS::SecretsManager::Secret"):
            if "GenerateSecretString" in resource["Properties"]:
                self._secret(logical, generated(resource["Properties"]["GenerateSecretString"]))
        for logical, resource in self._of("AWS::SecretsManager::Secret"):
            if "SecretString" in resource["Properties"]:
                self._secret(logical, self._compose(self.resolve(resource["Properties"]["SecretString"])))
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        for logical, resource in self._of("AWS::DynamoDB::Table"):
            self._table(dynamodb, logical, resource["Properties"])
        s3 = boto3.client("s3", region_name=REGION)
        for logical, _resource in self._of("AWS::S3::Bucket"):
            name = re.sub(r"[^a-z0-9-]", "-", logical.lower())[:63]
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
            self.physical[logical] = {"Ref": name, "Arn": f"arn:aws:s3:::{name}"}
        sqs = boto3.client("sqs", region_name=REGION)
        for logical, _resource in self._of("AWS::SQS::Queue"):
            url = sqs.create_queue(QueueName=logical)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            self.physical[logical] = {"Ref": url, "QueueUrl": url, "Arn": arn, "QueueName": logical}
        kms = boto3.client("kms", region_name=REGION)
        for logical, resource in self._of("AWS::KMS::Key"):
            props = resource["Properties"]
            made = kms.create_key(KeySpec=props.get("KeySpec", "SYMMETRIC_DEFAULT"),
                                  KeyUsage=props.get("KeyUsage", "ENCRYPT_DECRYPT"),
                                  Description=props.get("Description", ""))["KeyMetadata"]
            self.physical[logical] = {"Ref": made["KeyId"], "Arn": made["Arn"], "KeyId": made["KeyId"]}
        for logical, resource in self._of("AWS::Lambda::Url"):
            self.physical[logical] = {"FunctionUrl": f"https://{logical.lower()}.lambda-url.{REGION}.on.aws/"}

    def _of(self, kind: str):
        return [(k, v) for k, v in self.resources.items() if v["Type"] == kind]

    def _secret(self, logical: str, value: str) -> None:
        import boto3

        arn = boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name=logical, SecretString=value)["ARN"]
        self.secret_values[arn] = value
        self.physical[logical] = {"Ref": arn}

    def _compose(self, text: str) -> str:
        """{{resolve:secretsmanager:<arn>:SecretString:::}} -> that secret's value, as CloudFormation does."""
        def value(match):
            return self.secret_values[match.group(1)]

        return re.sub(r"\{\{resolve:secretsmanager:(arn:[^:]+:[^:]+:[^:]+:[^:]+:[^:]+:[^:]+):SecretString:::\}\}",
                      value, text)

    def _table(self, dynamodb, logical: str, props: dict) -> None:
        request = {"TableName": logical, "KeySchema": props["KeySchema"],
                   "AttributeDefinitions": props["AttributeDefinitions"], "BillingMode": "PAY_PER_REQUEST"}
        if props.get("GlobalSecondaryIndexes"):
            request["GlobalSecondaryIndexes"] = [
                {k: v for k, v in gsi.items() if k in ("IndexName", "KeySchema", "Projection")}
                for gsi in props["GlobalSecondaryIndexes"]]
        if props.get("StreamSpecification"):
            request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        dynamodb.create_table(**request)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=logical, TimeToLiveSpecification=ttl)
        described = dynamodb.describe_table(TableName=logical)["Table"]
        self.physical[logical] = {"Ref": logical, "Arn": described["TableArn"],
                                  "StreamArn": described.get("LatestStreamArn", "")}

    # --- reading the template ------------------------------------------------------------------------------
    def resolve(self, node):
        if isinstance(node, dict):
            if "Ref" in node:
                name = node["Ref"]
                if name == "AWS::Region":
                    return REGION
                if name == "AWS::AccountId":
                    return ACCOUNT
                if name in ("AWS::Partition",):
                    return "aws"
                if name == "AWS::URLSuffix":
                    return "amazonaws.com"
                if name == "AWS::StackName":
                    return "Sabeghe"
                return self.physical.get(name, {}).get("Ref", f"unresolved:{name}")
            if "Fn::GetAtt" in node:
                logical, attribute = node["Fn::GetAtt"] if isinstance(node["Fn::GetAtt"], list) \
                    else node["Fn::GetAtt"].split(".", 1)
                return self.physical.get(logical, {}).get(attribute, f"unresolved:{logical}.{attribute}")
            if "Fn::Join" in node:
                separator, parts = node["Fn::Join"]
                return separator.join(str(self.resolve(p)) for p in parts)
            if "Fn::Select" in node:
                index, items = node["Fn::Select"]
                return self.resolve(items)[int(index)]
            if "Fn::Split" in node:
                separator, text = node["Fn::Split"]
                return str(self.resolve(text)).split(separator)
            if "Fn::Sub" in node:
                text, variables = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
                return re.sub(r"\$\{([^}]+)\}", lambda m: str(
                    self.resolve(variables[m.group(1)]) if m.group(1) in variables
                    else self.resolve({"Ref": m.group(1)} if "." not in m.group(1)
                                      else {"Fn::GetAtt": m.group(1).split(".", 1)})), text)
            return {k: self.resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        return node

    def function_environment(self, logical_id: str) -> dict[str, str]:
        props = self.resources[logical_id]["Properties"]
        variables = self.resolve((props.get("Environment") or {}).get("Variables") or {})
        unresolved = {k: v for k, v in variables.items() if "unresolved:" in str(v)}
        assert not unresolved, f"{logical_id}: environment the deployment cannot resolve: {unresolved}"
        return {k: str(v) for k, v in variables.items()}

    # --- running a function --------------------------------------------------------------------------------
    def role_statements(self, logical_id: str) -> list[dict]:
        """Every statement of the function's role (its policies and inline policies), resolved."""
        role = self.resources[logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
        statements = []
        for resource in self.resources.values():
            if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role} in resource["Properties"].get("Roles", []):
                statements += resource["Properties"]["PolicyDocument"]["Statement"]
        for policy in self.resources[role]["Properties"].get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
        return self.resolve(statements)

    @contextlib.contextmanager
    def running(self, function: str, logical_id: str, extra: dict | None = None):
        """The app's handlers with exactly this function's environment, in a fresh container, every AWS call
        recorded under the function's name."""
        environment = self.function_environment(logical_id)
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update({"AWS_ACCESS_KEY_ID": "deployment", "AWS_SECRET_ACCESS_KEY": "deployment",
                           "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "PATH": saved.get("PATH", ""),
                           **(extra or {}), **environment})
        from chalicelib import bootstrap
        from chalicelib.storage.aws import client

        bootstrap.reset()
        recorded = self.calls.setdefault(function, [])
        hooks = []
        for service in ("dynamodb", "s3", "sqs", "secretsmanager", "kms"):
            def record(model, params, service=service, **_):
                recorded.append((service, model.name, params))
            client(service).meta.events.register(f"before-parameter-build.{service}.*", record)
            hooks.append((service, record))
        try:
            yield app_module(self.root)
        finally:
            for service, hook in hooks:
                client(service).meta.events.unregister(f"before-parameter-build.{service}.*", hook)
            bootstrap.reset()
            os.environ.clear()
            os.environ.update(saved)


def generated(settings: dict) -> str:
    """A secret value as Secrets Manager's GenerateSecretString makes one."""
    alphabet = string.ascii_letters + string.digits
    if not settings.get("ExcludePunctuation"):
        alphabet += PUNCTUATION
    if settings.get("IncludeSpace"):
        alphabet += " "
    alphabet = "".join(ch for ch in alphabet if ch not in settings.get("ExcludeCharacters", ""))
    value = "".join(secrets.choice(alphabet) for _ in range(int(settings.get("PasswordLength", 32))))
    if settings.get("SecretStringTemplate") and settings.get("GenerateStringKey"):
        return json.dumps({**json.loads(settings["SecretStringTemplate"]), settings["GenerateStringKey"]: value})
    return value


_app = None


def app_module(root: str):
    """The project's app.py, imported once under its own name (infra's tests import a stub app as `app`)."""
    global _app
    if _app is None:
        if root not in sys.path:
            sys.path.insert(0, root)
        spec = importlib.util.spec_from_file_location("sabeghe_app", os.path.join(root, "app.py"))
        _app = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_app)
    return _app
