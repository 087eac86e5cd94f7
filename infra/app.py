#!/usr/bin/env python3
"""CDK app for Sabeghe: `npx aws-cdk@2 synth` / `deploy` from this folder (see docs/deploy.md).

Context values (`-c key=value`):
- `stack_name`: stack (and chalice stage) name, default `Sabeghe`.
- `public_verify_base_url`: base URL printed on statements for `GET /verify/{document_id}` (for example a custom
  domain in front of the inquiry function URL). Without it, the inquiry function URL is used.
- `source_dir`: the chalice project, default the folder above infra/.
"""
import os
import shutil
import sys

import aws_cdk as cdk

from stacks.sabeghe_stack import SabegheStack, default_source_dir

# `chalice package` needs a region; the CDK CLI sets CDK_DEFAULT_REGION from the profile.
if not os.environ.get("AWS_DEFAULT_REGION"):
    if os.environ.get("CDK_DEFAULT_REGION"):
        os.environ["AWS_DEFAULT_REGION"] = os.environ["CDK_DEFAULT_REGION"]
    else:
        sys.exit("Set AWS_DEFAULT_REGION (chalice packaging needs it), e.g. export AWS_DEFAULT_REGION=eu-central-1")

# The chalice construct leaves a new package folder in ./chalice.out on every synth; CDK copies what it needs
# into cdk.out, so old ones are only clutter.
shutil.rmtree(os.path.join(os.getcwd(), "chalice.out"), ignore_errors=True)

app = cdk.App()
stack_name = app.node.try_get_context("stack_name") or "Sabeghe"
SabegheStack(
    app,
    stack_name,
    source_dir=app.node.try_get_context("source_dir") or default_source_dir(),
    public_verify_base_url=app.node.try_get_context("public_verify_base_url"),
    env=cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
        region=os.environ.get("CDK_DEFAULT_REGION") or os.environ["AWS_DEFAULT_REGION"],
    ),
    description="Sabeghe: insurance history statements (Chalice API, inquiry function URL, PDF rendering)",
)
app.synth()
