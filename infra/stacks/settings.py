"""Stages and their settings: plain data and checks, no CDK import (infra/app.py runs these checks before it loads
the CDK; tests and benches can read them too).

Two kinds of values make a stage's template:
- the stage's design, `STAGES` below (retention, deletion protection, log level, concurrency, throttling, the SMS cap,
  CloudFront and WAF in front of the inquiry): the differences between `dev` and `prod`, written down once;
- the operator's values for the account the stage runs in, in `infra/settings/<stage>.json` (committed: URLs, the
  sender line, the providers secret's ARN and the region are not secrets) or `-c key=value` on the command line
  (`make synth STAGE=dev CDK_ARGS='-c sms_sender=+98...'`), which wins. A required value that is missing or malformed
  is a synth error listing every problem, never a fallback.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

INFRA_DIR = Path(__file__).resolve().parents[1]
SETTINGS_DIR = INFRA_DIR / "settings"
CDK_JSON = INFRA_DIR / "cdk.json"
# The pinned CDK CLI version lives in cdk.json's context, read by the Makefile and checked by infra/app.py.
CLI_VERSION_KEY = "sabeghe:cdkCliVersion"
EDGE_REGION = "us-east-1"  # CloudFront's web ACLs live there, whatever the stage's region


@dataclass(frozen=True)
class EdgeDesign:
    """CloudFront with a WAF web ACL (scope CLOUDFRONT, in us-east-1) in front of the inquiry function URL."""
    # Rate-based rules count a source IP's requests over a sliding 5-minute window (WAF's evaluation window).
    requests_per_ip_5min: int  # every request: the panel page, its assets, inquiries, /verify
    inquiries_per_ip_5min: int  # POST only: one inquiry is one POST
    price_class: str  # CloudFront price class (CDK name): PRICE_CLASS_200 includes the Middle East edges nearest Iran


@dataclass(frozen=True)
class StageDesign:
    name: str
    log_retention_days: int  # CloudWatch log groups (functions, API access log)
    log_level: str  # the app's LOG_LEVEL (and Lambda's ApplicationLogLevel)
    deletion_protection: bool  # DynamoDB tables; log groups are kept on stack deletion when true
    inquiry_reserved_concurrency: int  # the brake on the public inquiry function
    api_rate_limit: int  # API stage: steady requests per second (all routes together)
    api_burst_limit: int  # API stage: burst
    worker_max_concurrency: int  # SQS event source mappings (render, mailbox, SMS): MaximumConcurrency
    sms_daily_cap: int  # default SMS_DAILY_CAP; the operator may set another
    allowed_origins: tuple[str, ...]  # default browser origins allowed to call the inquiry URL cross-origin
    list_upload_expiry_days: int  # uploads/ in the lists bucket
    noncurrent_version_days: int  # versioned buckets: overwritten or deleted objects are kept this long
    access_log_retention_days: int  # the access-logs bucket (S3 server access logs, CloudFront logs)
    edge: EdgeDesign | None  # CloudFront + WAF in front of the inquiry URL (then AWS_IAM with OAC)


STAGES: dict[str, StageDesign] = {
    "dev": StageDesign(
        name="dev",
        log_retention_days=14,
        log_level="DEBUG",
        deletion_protection=False,
        inquiry_reserved_concurrency=5,
        api_rate_limit=20,
        api_burst_limit=40,
        worker_max_concurrency=2,
        sms_daily_cap=500,
        # The local stack's institution panel (make run), pointed at the dev stage's inquiry URL.
        allowed_origins=("http://127.0.0.1:8001", "http://localhost:8001"),
        list_upload_expiry_days=7,
        noncurrent_version_days=7,
        access_log_retention_days=30,
        edge=None,
    ),
    "prod": StageDesign(
        name="prod",
        log_retention_days=365,
        log_level="INFO",
        deletion_protection=True,
        inquiry_reserved_concurrency=50,
        api_rate_limit=200,
        api_burst_limit=400,
        worker_max_concurrency=10,
        sms_daily_cap=200_000,
        allowed_origins=(),  # the panel is served by the inquiry function itself: same origin, no CORS needed
        list_upload_expiry_days=30,
        noncurrent_version_days=30,
        access_log_retention_days=365,
        edge=EdgeDesign(requests_per_ip_5min=1000, inquiries_per_ip_5min=300, price_class="PRICE_CLASS_200"),
    ),
}

REQUIRED = ("region", "sms_gateway_url", "sms_sender", "mailbox_gateway_url", "mobile_ownership_url",
            "providers_secret_arn")
OPTIONAL = ("account", "sms_daily_cap", "allowed_origins", "public_verify_base_url", "alarm_emails",
            "edge_web_acl_arn", "edge_domain_name", "edge_certificate_arn", "manage_api_gateway_account",
            "stack_name")

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):secret:.+-[A-Za-z0-9]{6}$")
_WEB_ACL_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/.+$")
_CERT_ARN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/.+$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?$")


class SettingsError(ValueError):
    """The stage cannot be synthesized: the message lists every missing or malformed value."""


@dataclass(frozen=True)
class Settings:
    design: StageDesign
    region: str
    sms_gateway_url: str
    sms_sender: str
    mailbox_gateway_url: str
    # The operators' national-code/mobile match service (Shahkar in Iran, through a licensed aggregator): asked at
    # registration and password reset whether the mobile is the person's; its API key is in the providers secret.
    mobile_ownership_url: str
    providers_secret_arn: str
    sms_daily_cap: int
    allowed_origins: tuple[str, ...]
    stack_name: str
    account: str | None = None
    public_verify_base_url: str | None = None
    alarm_emails: tuple[str, ...] = ()
    edge_web_acl_arn: str | None = None
    edge_domain_name: str | None = None
    edge_certificate_arn: str | None = None
    # AWS::ApiGateway::Account (the CloudWatch role API Gateway logs with) is one per account and region: when two
    # stages share an account and region, only one of them may manage it.
    manage_api_gateway_account: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return self.design.name

    @property
    def edge(self) -> EdgeDesign | None:
        return self.design.edge

    def with_design(self, **changes) -> "Settings":
        return replace(self, design=replace(self.design, **changes))


def _as_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            value = json.loads(text)
        else:
            value = [part for part in (p.strip() for p in text.split(",")) if part]
    return tuple(str(v) for v in value)


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ValueError(f"not a boolean: {value!r}")


def read_settings_file(stage: str, folder: Path = SETTINGS_DIR) -> dict:
    path = folder / f"{stage}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def resolve(stage: str, *sources: dict) -> Settings:
    """The stage's settings from its design and the operator's values (later sources win; None means unset)."""
    if stage not in STAGES:
        raise SettingsError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)} (make synth STAGE=dev)")
    design = STAGES[stage]
    values: dict = {}
    for source in sources:
        values.update({k: v for k, v in source.items() if v is not None and v != ""})
    problems = []
    unknown = sorted(set(values) - set(REQUIRED) - set(OPTIONAL))
    missing = [key for key in REQUIRED if key not in values]
    if missing:
        problems.append("missing " + ", ".join(missing))

    def check(key, ok, why):
        if key in values and not ok(str(values[key])):
            problems.append(f"{key}={values[key]!r}: {why}")

    check("region", _REGION.match, "not an AWS region name (e.g. eu-central-1)")
    check("sms_gateway_url", lambda v: v.startswith("https://"), "must be an https:// URL")
    check("mailbox_gateway_url", lambda v: v.startswith("https://"), "must be an https:// URL")
    check("mobile_ownership_url", lambda v: v.startswith("https://"), "must be an https:// URL")
    check("sms_sender", lambda v: re.fullmatch(r"\+?\d{4,15}", v), "must be the sender line's number, e.g. +983000505")
    check("providers_secret_arn", _SECRET_ARN.match,
          "must be the full ARN of an existing Secrets Manager secret (ending in its 6-character suffix)")
    secret = _SECRET_ARN.match(str(values.get("providers_secret_arn", "")))
    if secret and "region" in values and secret["region"] != values["region"]:
        problems.append(f"providers_secret_arn is in {secret['region']}, the stage in {values['region']}: the "
                        "functions read it in their own region")
    if secret and values.get("account") and secret["account"] != str(values["account"]):
        problems.append("providers_secret_arn belongs to another account than `account`")
    check("account", lambda v: re.fullmatch(r"\d{12}", v), "must be a 12-digit account id")
    check("public_verify_base_url", lambda v: v.startswith("https://"), "must be an https:// URL")
    check("edge_web_acl_arn", _WEB_ACL_ARN.match, "must be the WebAclArn output of the edge stack (us-east-1)")
    check("edge_certificate_arn", _CERT_ARN.match, "must be an ACM certificate ARN in us-east-1")
    try:
        cap = int(values.get("sms_daily_cap", design.sms_daily_cap))
        if cap <= 0:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(f"sms_daily_cap={values.get('sms_daily_cap')!r}: must be a positive whole number")
        cap = design.sms_daily_cap
    origins = _as_list(values["allowed_origins"]) if "allowed_origins" in values else design.allowed_origins
    bad = [o for o in origins if not _ORIGIN.match(o) or o == "*"]
    if bad:
        problems.append(f"allowed_origins: {', '.join(bad)} are not origins (scheme://host[:port], no '*')")
    try:
        manage_account = _as_bool(values.get("manage_api_gateway_account", True))
    except ValueError as exc:
        problems.append(f"manage_api_gateway_account: {exc}")
        manage_account = True
    if design.edge is not None and "edge_web_acl_arn" not in values:
        problems.append("missing edge_web_acl_arn: deploy the edge stack first (make deploy-edge STAGE="
                        f"{stage}) and copy its WebAclArn output into infra/settings/{stage}.json")
    if bool(values.get("edge_domain_name")) != bool(values.get("edge_certificate_arn")):
        problems.append("edge_domain_name and edge_certificate_arn go together")
    if unknown:
        problems.append("unknown settings " + ", ".join(unknown) + f" (known: {', '.join(REQUIRED + OPTIONAL)})")
    if problems:
        raise SettingsError(f"stage {stage}: " + "; ".join(problems))
    return Settings(
        design=design,
        region=values["region"],
        account=str(values["account"]) if values.get("account") else None,
        sms_gateway_url=values["sms_gateway_url"].rstrip("/"),
        sms_sender=str(values["sms_sender"]),
        mailbox_gateway_url=values["mailbox_gateway_url"],
        mobile_ownership_url=values["mobile_ownership_url"],
        providers_secret_arn=values["providers_secret_arn"],
        sms_daily_cap=cap,
        allowed_origins=origins,
        stack_name=values.get("stack_name") or f"Sabeghe-{stage}",
        public_verify_base_url=(values.get("public_verify_base_url") or "").rstrip("/") or None,
        alarm_emails=_as_list(values.get("alarm_emails")),
        edge_web_acl_arn=values.get("edge_web_acl_arn"),
        edge_domain_name=values.get("edge_domain_name"),
        edge_certificate_arn=values.get("edge_certificate_arn"),
        manage_api_gateway_account=manage_account,
    )


def partial_values(stage: str, *sources: dict, need_region: bool) -> dict:
    """What `make deploy-edge` (the edge stack alone) and `make bootstrap` (the stage's environments) need: the
    stack name, the account if set and (bootstrap) the region; the other settings may still be missing then."""
    if stage not in STAGES:
        raise SettingsError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    values: dict = {}
    for source in sources:
        values.update({k: v for k, v in source.items() if v is not None and v != ""})
    region = values.get("region")
    if need_region and not (region and _REGION.match(str(region))):
        raise SettingsError(f"stage {stage}: missing or malformed region (infra/settings/{stage}.json)")
    return {"stack_name": values.get("stack_name") or f"Sabeghe-{stage}", "account": values.get("account"),
            "region": region}


# -- the one way in: checks infra/app.py makes before it loads the CDK ---------------------------------------------

def cdk_json() -> dict:
    return json.loads(CDK_JSON.read_text())


def pinned_cli_version() -> str:
    return cdk_json()["context"][CLI_VERSION_KEY]


def entry_problems(environ: dict, python: tuple[int, int], context: dict | None) -> list[str]:
    """Why this run of infra/app.py would not give the template `make synth` gives (empty when all is well).

    `context` is the context the CLI handed over (None before it is read)."""
    problems = []
    if "CDK_OUTDIR" not in environ:
        problems.append("infra/app.py runs only under the CDK CLI: use `make synth STAGE=dev` (or `make deploy`), "
                        "which also passes cdk.json's context (feature flags) that `python app.py` alone would drop")
    else:
        pinned = pinned_cli_version()
        if environ.get("CDK_CLI_VERSION") != pinned:
            problems.append(f"CDK CLI {environ.get('CDK_CLI_VERSION', '?')} is not the pinned {pinned} "
                            f"(cdk.json {CLI_VERSION_KEY}): use `make synth` / `make deploy`")
    if tuple(python[:2]) != tuple(_lambda_python()):
        want = ".".join(map(str, _lambda_python()))
        problems.append(f"synthesize with Python {want} (the Lambda runtime): chalice packages the wheels of the "
                        f"Python that runs it, and this is {python[0]}.{python[1]}. Rebuild the infra virtualenv: "
                        f"make infra-clean synth INFRA_PYTHON=python{want}")
    if context is not None:
        flags = {k: v for k, v in cdk_json()["context"].items() if k.startswith("@aws-cdk/")}
        dropped = sorted(k for k, v in flags.items() if context.get(k) != v)
        if dropped:
            problems.append("cdk.json's feature flags did not arrive: " + ", ".join(dropped))
    return problems


def _lambda_python() -> tuple[int, int]:
    from stacks.functions import LAMBDA_PYTHON

    return LAMBDA_PYTHON


def context_from_environ(environ=os.environ) -> dict:
    """The context the CDK CLI hands the app (CDK_CONTEXT_JSON, or a file when it is large)."""
    if environ.get("CDK_CONTEXT_JSON"):
        return json.loads(environ["CDK_CONTEXT_JSON"])
    overflow = environ.get("CDK_CONTEXT_OVERFLOW_LOCATION")
    if overflow and os.path.exists(overflow):
        return json.loads(Path(overflow).read_text())
    return {}
