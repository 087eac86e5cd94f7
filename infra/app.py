#!/usr/bin/env python3
"""CDK app for Sabeghe. The one way in is the Makefile (docs/deploy.md):

    make synth STAGE=dev            # or prod; CDK_ARGS='-c key=value' for one-off settings
    make deploy STAGE=dev
    make deploy-edge STAGE=prod     # once, before prod's first deploy: the WAF web ACL in us-east-1

which run the pinned CDK CLI (cdk.json `sabeghe:cdkCliVersion`) with `-c stage=<stage>`; cdk.json runs this file with
infra/.venv's Python. Before loading the CDK, this file refuses a run that would give another template than that
one: without the CLI (cdk.json's feature flags would be dropped), with another CLI version, with another Python than
the Lambda runtime's (chalice packages the running Python's wheels), or without a region in the stage's settings
(the CLI would quietly pick us-east-1).

Context: `stage` (dev|prod, required); `edge_only=true` (only the edge stack, for make deploy-edge); `bootstrap=true`
(only empty stacks in the stage's environments, for make bootstrap); any setting of infra/stacks/settings.py
(`-c sms_sender=...`), which wins over infra/settings/<stage>.json.
"""
import os
import re
import shutil
import sys

from stacks.settings import (EDGE_REGION, STAGES, SettingsError, context_from_environ, entry_problems,
                             partial_values, read_settings_file, resolve)


def fail(message: str) -> None:
    sys.exit(f"infra/app.py: {message}")


context = context_from_environ()
problems = entry_problems(os.environ, sys.version_info[:2], context if "CDK_OUTDIR" in os.environ else None)
if problems:
    fail("\n  - ".join(["cannot synthesize:", *problems]))

stage = context.get("stage")
if not stage:
    fail(f"no stage: pass -c stage=<{'|'.join(STAGES)}> (make synth STAGE=dev)")
# Settings given as `-c name=value` (a misspelt name is reported by resolve(); CDK's own context keys have ':').
overrides = {k: v for k, v in context.items()
             if re.fullmatch(r"[a-z][a-z0-9_]*", k) and k not in ("stage", "edge_only", "bootstrap")}
# make deploy-edge: only the edge stack (its web ACL's ARN is a setting of the main stack);
# make bootstrap: only empty stacks in the stage's environments, for `cdk bootstrap` to find them.
mode = "edge_only" if str(context.get("edge_only", "")).lower() == "true" else \
    "bootstrap" if str(context.get("bootstrap", "")).lower() == "true" else "full"
try:
    if mode == "full":
        settings = resolve(stage, read_settings_file(stage), overrides)
        names = {"stack_name": settings.stack_name, "account": settings.account, "region": settings.region}
    else:
        settings = None
        names = partial_values(stage, read_settings_file(stage), overrides, need_region=(mode == "bootstrap"))
        if mode == "edge_only" and STAGES[stage].edge is None:
            raise SettingsError(f"stage {stage} has no edge stack (CloudFront + WAF)")
except SettingsError as exc:
    fail(str(exc))

if names["region"]:
    # `chalice package` needs a region, and it must be the stage's: never the CLI's us-east-1 default.
    os.environ["AWS_DEFAULT_REGION"] = names["region"]
    os.environ.pop("AWS_REGION", None)
if names["account"] and os.environ.get("CDK_DEFAULT_ACCOUNT") not in (None, str(names["account"])):
    fail(f"the credentials are for account {os.environ['CDK_DEFAULT_ACCOUNT']}, the {stage} stage's settings "
         f"say {names['account']}")
account = names["account"] or os.environ.get("CDK_DEFAULT_ACCOUNT")

import aws_cdk as cdk  # noqa: E402 - after the checks above, which must not pay for loading the CDK
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from stacks.edge import EdgeStack  # noqa: E402
from stacks.sabeghe_stack import SabegheStack, default_source_dir  # noqa: E402

# The chalice construct leaves a new package folder in ./chalice.out on every synth; CDK copies what it needs
# into cdk.out, so old ones are only clutter.
shutil.rmtree(os.path.join(os.getcwd(), "chalice.out"), ignore_errors=True)

app = cdk.App()
design = STAGES[stage]
main_name = names["stack_name"]
if mode == "bootstrap":
    for region in sorted({names["region"], *([EDGE_REGION] if design.edge else [])}):
        cdk.Stack(app, f"{main_name}-bootstrap-{region}", env=cdk.Environment(account=account, region=region))
    app.synth()
    sys.exit(0)
if design.edge is not None:
    EdgeStack(
        app,
        f"{main_name}-edge",
        design=design.edge,
        main_stack_name=main_name,
        env=cdk.Environment(account=account, region=EDGE_REGION),
        description=f"Sabeghe {stage}: WAF web ACL in front of the inquiry distribution (CloudFront scope)",
    )
if settings is not None:
    SabegheStack(
        app,
        main_name,
        source_dir=default_source_dir(),
        settings=settings,
        env=cdk.Environment(account=account, region=settings.region),
        description=f"Sabeghe {stage}: insurance history statements (Chalice API, inquiry function, PDF rendering)",
    )
# cdk-nag's AWS Solutions pack: any finding not acknowledged in the stack (stacks/compliance.py) fails the synth.
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
app.synth()
