"""Item 10: checked by the field's own tools. cdk-nag (AwsSolutions) on the CDK stacks and on what the SAM transform
makes of Chalice's resources, checkov (offline) on both forms of every template, cfn-lint: no finding left, every
accepted one waived in the stack with its reason (stacks/compliance.py)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cdk_nag import AwsSolutionsChecks

from template_checks import checkov, nag_on_transformed, sam_made, sam_transform


def _templates(synth) -> list[Path]:
    files = [synth.template_file()]
    if synth.edge is not None:
        files.append(synth.template_file(synth.edge.stack_name))
    return files


def test_cdk_nag_finds_nothing_unacknowledged(stage):
    report = AwsSolutionsChecks(stage.app).validate_scope(stage.app)
    findings = [(v.rule_name, r.construct_path) for v in report.violations for r in v.violating_resources]
    assert findings == []
    assert report.success


def test_cdk_nag_on_the_sam_transformed_template(stage):
    before = json.loads(stage.template_file().read_text())
    after = sam_transform(before)
    made = sam_made(before, after)
    assert {"APIHandler", "Inquiry", "SendSms", "RestAPI", "RestAPIapiStage"} <= set(made)
    assert nag_on_transformed(before, after) == []


def test_every_waiver_has_a_reason(stage):
    for name, resource in stage.resources.items():
        metadata = resource.get("Metadata", {})
        for skip in metadata.get("checkov", {}).get("skip", []):
            assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]) and len(skip["comment"]) >= 40, name
        for rule in metadata.get("cdk_nag", {}).get("rules_to_suppress", []):
            assert rule["id"].startswith("AwsSolutions-") and len(rule["reason"]) >= 40, name


@pytest.fixture(scope="module")
def checkov_result(dev, prod, tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkov")
    files = []
    for synth in (dev, prod):
        for path in _templates(synth):
            copy = folder / f"{synth.settings.stage}-{path.name}"
            shutil.copy(path, copy)
            transformed = folder / f"{synth.settings.stage}-{path.stem}.transformed.json"
            transformed.write_text(json.dumps(sam_transform(json.loads(path.read_text()))))
            files += [copy, transformed]
    return checkov(files)


def test_checkov_offline_finds_nothing(checkov_result):
    summary = checkov_result["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] > 300
    assert checkov_result["failed"] == [], "\n".join(map(str, checkov_result["failed"]))


def _cfn_lint() -> str:
    beside = Path(sys.executable).with_name("cfn-lint")  # infra/.venv/bin/cfn-lint
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed: it is in infra/requirements.txt"
    return found


def test_cfn_lint_finds_no_errors(stage):
    """cfn-lint (SAM-aware) on the templates CDK wrote to cdk.out: no error, no warning."""
    for template in _templates(stage):
        region = "us-east-1" if template.name.endswith("-edge.template.json") else stage.settings.region
        # `--` ends the option lists (`--regions` takes several), so the file is not read as a region.
        result = subprocess.run(
            [_cfn_lint(), "--format", "parseable", "--regions", region, "--", str(template)],
            capture_output=True, text=True, timeout=300,
        )
        # Exit code bits: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
        assert not result.returncode & 3, f"cfn-lint exit {result.returncode}\n{result.stdout}{result.stderr}"
        assert not result.returncode & 4, f"cfn-lint warnings:\n{result.stdout}"
