"""Items 7 and 8: stages as context with their differences written down, operator values required (never a
fallback), and one way in (make synth): the CLI, its pinned version, the Lambda runtime's Python, a region."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from support import EDGE_VALUES, INFRA, OPERATOR_VALUES, REPO
from stacks.functions import LAMBDA_PYTHON
from stacks.settings import (CLI_VERSION_KEY, OPTIONAL, REQUIRED, STAGES, SettingsError, cdk_json, entry_problems,
                             pinned_cli_version, read_settings_file, resolve)


def test_stage_differences():
    dev, prod = STAGES["dev"], STAGES["prod"]
    assert (dev.log_retention_days, prod.log_retention_days) == (14, 365)
    assert (dev.deletion_protection, prod.deletion_protection) == (False, True)
    assert (dev.log_level, prod.log_level) == ("DEBUG", "INFO")
    assert (dev.inquiry_reserved_concurrency, prod.inquiry_reserved_concurrency) == (5, 50)
    assert (dev.sms_daily_cap, prod.sms_daily_cap) == (500, 200_000)
    assert dev.allowed_origins and prod.allowed_origins == ()
    assert dev.edge is None and prod.edge is not None


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_required_value_missing_is_one_error(stage):
    with pytest.raises(SettingsError) as caught:
        resolve(stage, {})
    for key in REQUIRED:
        assert key in str(caught.value)
    if STAGES[stage].edge:
        assert "edge_web_acl_arn" in str(caught.value) and "make deploy-edge" in str(caught.value)


@pytest.mark.parametrize("key,value,why", [
    ("region", "Frankfurt", "region"),
    ("sms_gateway_url", "http://edge.ippanel.com/v1", "https"),
    ("mailbox_gateway_url", "ftp://x", "https"),
    ("mobile_ownership_url", "http://shahkar.example.ir/v1/match", "https"),
    ("mobile_ownership_url", "shahkar.example.ir", "https"),
    ("sms_sender", "sabeghe", "sender"),
    ("providers_secret_arn", "sabeghe/providers", "full ARN"),
    ("providers_secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:p-AbC123", "region"),
    ("sms_daily_cap", "lots", "positive whole number"),
    ("sms_daily_cap", "0", "positive whole number"),
    ("allowed_origins", "*", "not origins"),
    ("allowed_origins", '["https://bank.example/path"]', "not origins"),
    ("edge_web_acl_arn", "arn:aws:wafv2:eu-central-1:123456789012:regional/webacl/x/y", "edge stack"),
    ("sms_gateway", "https://x", "unknown settings"),
])
def test_malformed_values_are_errors(key, value, why):
    with pytest.raises(SettingsError, match=why):
        resolve("prod", OPERATOR_VALUES, EDGE_VALUES, {key: value})


def test_values_from_the_command_line_win():
    settings = resolve("dev", OPERATOR_VALUES, {"sms_daily_cap": "1000", "allowed_origins": "https://a.example,https://b.example"})
    assert settings.sms_daily_cap == 1000
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.stack_name == "Sabeghe-dev"


def test_mobile_ownership_url_is_required_and_reaches_the_settings():
    """Every deployed function refuses to start without MOBILE_OWNERSHIP_URL (chalicelib/config.py): a stage
    without it must fail at synth, not at the first request."""
    values = {k: v for k, v in OPERATOR_VALUES.items() if k != "mobile_ownership_url"}
    with pytest.raises(SettingsError, match="missing mobile_ownership_url"):
        resolve("dev", values)
    with pytest.raises(SettingsError, match="missing mobile_ownership_url"):
        resolve("dev", values, {"mobile_ownership_url": None})  # null in the settings file is unset
    assert resolve("dev", OPERATOR_VALUES).mobile_ownership_url == OPERATOR_VALUES["mobile_ownership_url"]
    # `-c mobile_ownership_url=...` (a later source) wins over the settings file.
    settings = resolve("dev", OPERATOR_VALUES, {"mobile_ownership_url": "https://aggregator.example.ir/shahkar"})
    assert settings.mobile_ownership_url == "https://aggregator.example.ir/shahkar"


def test_committed_settings_files_have_known_keys_and_no_secrets():
    for stage in STAGES:
        data = json.loads((INFRA / "settings" / f"{stage}.json").read_text())
        assert set(k for k in data if not k.startswith("_")) <= set(REQUIRED) | set(OPTIONAL)
        assert not [k for k in data if "key" in k.lower() or "password" in k.lower()]
        assert set(REQUIRED) <= set(data), f"{stage}.json: every required value has its (null) placeholder"
        read_settings_file(stage)  # parses


# -- the one way in -------------------------------------------------------------------------------------------

def test_cdk_json_runs_the_virtualenvs_python_and_pins_the_cli():
    config = cdk_json()
    assert config["app"] == ".venv/bin/python app.py"
    assert config["context"][CLI_VERSION_KEY] == pinned_cli_version() == "2.1148.1"


def test_entry_problems():
    context = {k: v for k, v in cdk_json()["context"].items()}
    cli = {"CDK_OUTDIR": "cdk.out", "CDK_CLI_VERSION": pinned_cli_version()}
    assert entry_problems(cli, LAMBDA_PYTHON, context) == []
    (problem,) = entry_problems({}, LAMBDA_PYTHON, None)
    assert "make synth" in problem
    (problem,) = entry_problems({**cli, "CDK_CLI_VERSION": "2.1000.0"}, LAMBDA_PYTHON, context)
    assert "not the pinned 2.1148.1" in problem
    (problem,) = entry_problems(cli, (3, 11), context)
    assert "Python 3.12" in problem and "INFRA_PYTHON" in problem
    (problem,) = entry_problems(cli, LAMBDA_PYTHON, {})
    assert "feature flags did not arrive" in problem and "@aws-cdk/aws-iam:minimizePolicies" in problem


def _run_app(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CDK_", "AWS_"))}
    return subprocess.run([sys.executable, "app.py"], cwd=INFRA, env={**base, **env}, capture_output=True,
                          text=True, timeout=120)


def test_python_app_py_alone_is_refused():
    result = _run_app({})
    assert result.returncode != 0
    assert "runs only under the CDK CLI" in result.stderr


def test_no_region_is_an_error_even_when_the_cli_defaults_one(tmp_path):
    """The CLI hands the app CDK_DEFAULT_REGION=us-east-1 when nothing says otherwise: the app ignores it and wants
    the stage's region from its settings."""
    context = {**cdk_json()["context"], "stage": "dev", **{k: v for k, v in OPERATOR_VALUES.items() if k != "region"}}
    env = {"CDK_OUTDIR": str(tmp_path), "CDK_CLI_VERSION": pinned_cli_version(), "CDK_DEFAULT_REGION": "us-east-1",
           "CDK_CONTEXT_JSON": json.dumps(context)}
    result = _run_app(env)
    if sys.version_info[:2] != LAMBDA_PYTHON:
        assert "synthesize with Python 3.12" in result.stderr
        pytest.skip(f"infra/.venv is Python {sys.version_info[0]}.{sys.version_info[1]}, not the runtime's 3.12")
    assert result.returncode != 0
    assert "missing region" in result.stderr


def test_no_stage_is_an_error(tmp_path):
    env = {"CDK_OUTDIR": str(tmp_path), "CDK_CLI_VERSION": pinned_cli_version(),
           "CDK_CONTEXT_JSON": json.dumps(cdk_json()["context"])}
    result = _run_app(env)
    assert result.returncode != 0
    if sys.version_info[:2] == LAMBDA_PYTHON:
        assert "no stage" in result.stderr


def test_makefile_goes_through_the_pinned_cli():
    out = subprocess.run(["make", "-n", "synth", "STAGE=prod"], cwd=REPO, capture_output=True, text=True,
                         timeout=60).stdout
    assert f"aws-cdk@{pinned_cli_version()} synth" in out
    assert "-c stage=prod" in out
    out = subprocess.run(["make", "-n", "deploy", "STAGE=dev"], cwd=REPO, capture_output=True, text=True,
                         timeout=60).stdout
    assert f"aws-cdk@{pinned_cli_version()} deploy" in out and "-c stage=dev" in out
    result = subprocess.run(["make", "-n", "deploy"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "STAGE" in result.stderr


def _cli_env(tmp_path, **context) -> dict:
    return {"CDK_OUTDIR": str(tmp_path), "CDK_CLI_VERSION": pinned_cli_version(),
            "CDK_CONTEXT_JSON": json.dumps({**cdk_json()["context"], **context})}


needs_runtime_python = pytest.mark.skipif(sys.version_info[:2] != LAMBDA_PYTHON,
                                          reason="infra/app.py runs only on the Lambda runtime's Python")


@needs_runtime_python
def test_bootstrap_mode_names_the_stages_environments(tmp_path):
    """make bootstrap: only the region is needed (prod's edge ARN cannot exist before its first bootstrap)."""
    result = _run_app(_cli_env(tmp_path, stage="prod", bootstrap="true", region="eu-central-1"))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    environments = sorted(a["environment"] for a in manifest["artifacts"].values()
                          if a["type"] == "aws:cloudformation:stack")
    assert environments == ["aws://unknown-account/eu-central-1", "aws://unknown-account/us-east-1"]


@needs_runtime_python
def test_edge_only_mode_synthesizes_the_web_acl_alone(tmp_path):
    result = _run_app(_cli_env(tmp_path, stage="prod", edge_only="true"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.template.json")) == ["Sabeghe-prod-edge.template.json"]
    template = json.loads((tmp_path / "Sabeghe-prod-edge.template.json").read_text())
    assert [r["Type"] for r in template["Resources"].values() if r["Type"] != "AWS::CDK::Metadata"] == ["AWS::WAFv2::WebACL"]
    result = _run_app(_cli_env(tmp_path / "dev", stage="dev", edge_only="true"))
    assert result.returncode != 0 and "no edge stack" in result.stderr


@needs_runtime_python
def test_missing_settings_are_listed_by_the_app(tmp_path):
    result = _run_app(_cli_env(tmp_path, stage="prod", region="eu-central-1", sms_sender="+983000505"))
    assert result.returncode != 0
    for key in ("sms_gateway_url", "mailbox_gateway_url", "mobile_ownership_url", "providers_secret_arn",
                "edge_web_acl_arn"):
        assert key in result.stderr
    assert "region" not in result.stderr.split("missing", 1)[1].split(";", 1)[0]
