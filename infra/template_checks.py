#!/usr/bin/env python3
"""The field's own checks on synthesized templates, beyond what the synth itself runs (cdk-nag on the CDK stack):

1. the SAM transform (aws-sam-translator, offline): Chalice's `AWS::Serverless::*` resources become the Lambda
   functions, REST API, stage, deployment, permissions and schedule CloudFormation really deploys;
2. cdk-nag (AwsSolutions) on what that transform made, which cdk-nag cannot see in the CDK stack; the waivers
   written on the SAM resources (`Metadata.cdk_nag`, stacks/compliance.py) are acknowledged there;
3. checkov, offline (`--skip-download`), on both the template as synthesized and the transformed one; it honours
   `Metadata.checkov.skip` (SAM carries a function's and an API's Metadata over; the API's is copied here onto the
   stage and deployment SAM makes from it, which SAM leaves without);
4. cfn-lint on each synthesized template, for the region its stack deploys to (cdk.out/manifest.json).

    infra/.venv/bin/python infra/template_checks.py infra/cdk.out/*.template.json     # run by `make synth`

Used by infra/tests/test_compliance.py too. checkov runs from its own virtualenv (infra/.venv-checkov, see
requirements-checkov.txt) or $CHECKOV.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

INFRA = Path(__file__).resolve().parent
SAM = "AWS::Serverless::"
NAG_METADATA = "cdk_nag"


class _NoManagedPolicies:
    """The transform asks for AWS managed policies only for SAM-made roles; every function here has its own role."""

    def load(self):
        return {}


def sam_transform(template: dict, region: str = "eu-central-1") -> dict:
    """The template as CloudFormation's AWS::Serverless-2016-10-31 transform would deploy it (offline)."""
    import logging

    from samtranslator.translator.transform import transform

    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # "unpublished metrics": SAM's own telemetry
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    if "Transform" not in template:
        return copy.deepcopy(template)
    out = transform(copy.deepcopy(template), {}, _NoManagedPolicies())
    sources = {k for k, v in template["Resources"].items() if v["Type"].startswith(SAM)}
    made = sam_made(template, out)
    for logical in made:
        resource = out["Resources"][logical]
        source = max((s for s in sources if logical.startswith(s)), key=len, default=None)
        if source and "Metadata" not in resource and "Metadata" in template["Resources"][source]:
            resource["Metadata"] = copy.deepcopy(template["Resources"][source]["Metadata"])
    return out


def sam_made(before: dict, after: dict) -> list[str]:
    """Resources the transform made (or rewrote from a SAM resource)."""
    old = before["Resources"]
    return sorted(k for k in after["Resources"] if k not in old or old[k]["Type"].startswith(SAM))


def nag_on_transformed(before: dict, after: dict) -> list[tuple[str, str]]:
    """cdk-nag's unacknowledged findings on the resources the SAM transform made: [(rule, logical id)]."""
    import aws_cdk as cdk
    from aws_cdk import Acknowledgment, Validations
    from aws_cdk import cloudformation_include as cfn_inc
    from cdk_nag import AwsSolutionsChecks

    made = set(sam_made(before, after))
    folder = Path(tempfile.mkdtemp(prefix="sam-nag-"))
    try:
        path = folder / "transformed.json"
        path.write_text(json.dumps(after))
        app = cdk.App(outdir=str(folder / "out"))
        stack = cdk.Stack(app, "Transformed")
        included = cfn_inc.CfnInclude(stack, "Template", template_file=str(path))
        for logical in made:
            resource = included.get_resource(logical)
            for rule in (after["Resources"][logical].get("Metadata", {}).get(NAG_METADATA, {})
                         .get("rules_to_suppress", [])):
                Validations.of(resource).acknowledge(Acknowledgment(id=rule["id"], reason=rule["reason"]))
        report = AwsSolutionsChecks(app).validate_scope(app)
        findings = []
        for violation in report.violations:
            for where in violation.violating_resources:
                logical = where.construct_path.split("/")[-1]
                if logical in made:
                    findings.append((violation.rule_name, logical))
        return sorted(set(findings))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def checkov_binary() -> str:
    found = os.environ.get("CHECKOV") or str(INFRA / ".venv-checkov" / "bin" / "checkov")
    if not Path(found).exists():
        raise FileNotFoundError(f"checkov not found at {found}: `make infra-test` installs it "
                                "(infra/requirements-checkov.txt into infra/.venv-checkov)")
    return found


def checkov(paths: list[Path]) -> dict:
    """checkov (offline) on CloudFormation templates: {'summary': {...}, 'failed': [...], 'skipped': [...]}."""
    args = [checkov_binary(), "--skip-download", "--framework", "cloudformation", "--quiet", "-o", "json",
            "--soft-fail"]
    for path in paths:
        args += ["-f", str(path)]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"checkov gave no JSON (exit {result.returncode}):\n{result.stdout[-2000:]}\n"
                           f"{result.stderr[-2000:]}") from exc
    reports = data if isinstance(data, list) else [data]
    summary = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0}
    failed, skipped = [], []
    for report in reports:
        for key in summary:
            summary[key] += report.get("summary", {}).get(key, 0)
        results = report.get("results", {})
        failed += [(c["check_id"], c["resource"], c["file_path"], c["check_name"])
                   for c in results.get("failed_checks", [])]
        skipped += [(c["check_id"], c["resource"], c["file_path"]) for c in results.get("skipped_checks", [])]
    return {"summary": summary, "failed": sorted(set(failed)), "skipped": sorted(set(skipped))}


def stack_regions(cdk_out: Path) -> dict[str, str]:
    """Template file name -> the region its stack deploys to, from the cloud assembly's manifest."""
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    regions = {}
    for artifact in manifest.get("artifacts", {}).values():
        if artifact.get("type") == "aws:cloudformation:stack":
            region = artifact.get("environment", "").rsplit("/", 1)[-1]
            regions[artifact["properties"]["templateFile"]] = region if region != "unknown-region" else "us-east-1"
    return regions


def cfn_lint(path: Path, region: str) -> list[str]:
    """cfn-lint's errors and warnings (it validates the SAM resources against SAM's own schema)."""
    binary = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(binary if binary.exists() else "cfn-lint"), "--format", "parseable",
                             "--regions", region, "--", str(path)], capture_output=True, text=True, timeout=300)
    if result.returncode & 1:
        return [f"cfn-lint failed on {path.name}: {result.stderr[-1000:]}"]
    return [f"cfn-lint {line}" for line in result.stdout.splitlines() if line.strip()]


def check(templates: list[Path], workdir: Path) -> list[str]:
    """Every problem found on these templates (empty when all is well); writes the transformed templates."""
    problems = []
    manifest = templates[0].parent / "manifest.json"
    regions = stack_regions(templates[0].parent) if manifest.exists() else {}
    for path in templates:
        problems += cfn_lint(path, regions.get(path.name, "us-east-1"))
    transformed_paths = []
    for path in templates:
        before = json.loads(path.read_text())
        after = sam_transform(before)
        out = workdir / f"{path.stem}.transformed.json"
        out.write_text(json.dumps(after, indent=1))
        transformed_paths.append(out)
        problems += [f"cdk-nag {rule} on {logical} ({path.name}, SAM-transformed)"
                     for rule, logical in nag_on_transformed(before, after)]
    result = checkov([*templates, *transformed_paths])
    if result["summary"]["parsing_errors"]:
        problems.append(f"checkov could not parse {result['summary']['parsing_errors']} template(s)")
    problems += [f"checkov {cid} {name!r} on {resource} ({Path(file).name})" for cid, resource, file, name in result["failed"]]
    return problems


def main(argv: list[str]) -> int:
    templates = [Path(p) for p in argv]
    if not templates:
        print("usage: template_checks.py TEMPLATE.json ...", file=sys.stderr)
        return 2
    workdir = templates[0].parent / "checks"
    workdir.mkdir(exist_ok=True)
    problems = check(templates, workdir)
    for problem in problems:
        print(problem)
    print(f"template checks: {len(problems)} problem(s) in {len(templates)} template(s) "
          f"(cfn-lint, cdk-nag on the SAM-transformed resources, checkov on both forms)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
