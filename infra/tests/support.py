"""Synthesizing SabegheStack against a stub chalice app, with explicit test settings: shared by the infra tests.

The stub app has no requirements.txt, so `chalice package` downloads nothing; the app gets cdk.json's context
(feature flags) as the CDK CLI would pass it, so the template is the deployed one."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

INFRA = Path(__file__).resolve().parents[1]
REPO = INFRA.parent
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))

import aws_cdk as cdk  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from stacks.edge import EdgeStack  # noqa: E402
from stacks.sabeghe_stack import SabegheStack  # noqa: E402
from stacks.settings import EDGE_REGION, STAGES, Settings, resolve  # noqa: E402

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


@app.schedule(Rate(1, unit=Rate.HOURS), name="cleanup")
def cleanup(event):
    return None


@app.lambda_function(name="follow_up")
def follow_up(event, context):
    return {"batchItemFailures": []}


@app.lambda_function(name="send_sms")
def send_sms(event, context):
    return {"batchItemFailures": []}


@app.lambda_function(name="ingest_list")
def ingest_list(event, context):
    return []
'''

# Local-development settings at the top level of config.json: they must not reach the deployed functions.
STUB_CONFIG = {
    "version": "2.0",
    "app_name": "sabeghe",
    "environment_variables": {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "APP_ENV": "local"},
    "stages": {"dev": {"api_gateway_stage": "api"}},
}

ACCOUNT = "123456789012"
REGION = "eu-central-1"
ENV = cdk.Environment(account=ACCOUNT, region=REGION)
PROVIDERS_SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:sabeghe/providers-AbC123"
WEB_ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/Sabeghe-prod-inquiry/0123abcd-4567-89ef-0123-456789abcdef"

# Explicit test values for what the operator sets per stage (infra/settings/<stage>.json).
OPERATOR_VALUES = {
    "region": REGION,
    "sms_gateway_url": "https://edge.ippanel.com/v1",
    "sms_sender": "+983000505",
    "mailbox_gateway_url": "https://mailbox.example.ir/api",
    "mobile_ownership_url": "https://shahkar.example.ir/v1/match",
    "providers_secret_arn": PROVIDERS_SECRET_ARN,
}
EDGE_VALUES = {"edge_web_acl_arn": WEB_ACL_ARN}

# What the CDK CLI passes to `python app.py` from cdk.json (running the app without the CLI would drop it).
CDK_CONTEXT = json.loads((INFRA / "cdk.json").read_text())["context"]


def settings_for(stage: str, **values) -> Settings:
    extra = EDGE_VALUES if STAGES[stage].edge else {}
    return resolve(stage, OPERATOR_VALUES, extra, {"stack_name": "Sabeghe", **values})


def make_app(root: Path, source: str = STUB_APP) -> Path:
    (root / ".chalice").mkdir(parents=True)
    (root / "app.py").write_text(source)
    (root / ".chalice" / "config.json").write_text(json.dumps(STUB_CONFIG))
    return root


class Synth:
    """One synthesized app: the main stack (and the edge stack where the stage has one), as templates and files."""

    def __init__(self, tmp: Path, source_dir: Path, settings: Settings):
        os.environ.setdefault("AWS_DEFAULT_REGION", settings.region)
        # chalice imports the project as the module `app` (with the project on sys.path): forget the previous one.
        sys.modules.pop("app", None)
        cwd = os.getcwd()
        os.chdir(tmp)  # the chalice construct writes chalice.out/ into the working folder
        try:
            self.app = cdk.App(outdir=str(tmp / "cdk.out"), context=CDK_CONTEXT)
            self.edge = None
            if settings.edge:
                self.edge = EdgeStack(self.app, f"{settings.stack_name}-edge", design=settings.edge,
                                      main_stack_name=settings.stack_name,
                                      env=cdk.Environment(account=ACCOUNT, region=EDGE_REGION))
            self.stack = SabegheStack(self.app, settings.stack_name, source_dir=str(source_dir), settings=settings,
                                      env=ENV)
            self.template = Template.from_stack(self.stack)
            self.edge_template = Template.from_stack(self.edge) if self.edge else None
            self.assembly = self.app.synth()
        finally:
            os.chdir(cwd)
            if str(source_dir) in sys.path:
                sys.path.remove(str(source_dir))
        self.outdir = tmp / "cdk.out"
        self.settings = settings

    @property
    def resources(self) -> dict:
        return self.template.to_json()["Resources"]

    def template_file(self, stack_name: str | None = None) -> Path:
        return self.outdir / f"{stack_name or self.settings.stack_name}.template.json"


def synth(tmp: Path, stage: str = "dev", source: str = STUB_APP, **values) -> Synth:
    return Synth(tmp, make_app(tmp / "project", source), settings_for(stage, **values))


def of_type(resources: dict, type_: str) -> dict:
    return {k: v for k, v in resources.items() if v["Type"] == type_}


def logical_id(resources: dict, type_: str, prefix: str) -> str:
    (match,) = [k for k in of_type(resources, type_) if k.startswith(prefix)]
    return match
