"""Findings of cdk-nag (AwsSolutions) and checkov that the stack accepts, each with its reason, written where the
resource is made.

`waive(construct, reason, nag=[...], checkov=[...])`:
- acknowledges the cdk-nag findings (cdk-nag 3: `Validations.of(construct).acknowledge`, so `make synth` and the
  tests fail on any finding not acknowledged);
- writes the checkov skips into the resource's `Metadata.checkov.skip` (checkov reads them, with the reason as the
  comment);
- on the SAM resources Chalice emits (`AWS::Serverless::*`), which cdk-nag does not look inside, also writes the
  cdk-nag ids into `Metadata.cdk_nag.rules_to_suppress`: the SAM transform carries a function's and an API's
  Metadata over to the Lambda function and the RestApi it makes, and the check of the transformed template
  (infra/tests/template_checks.py) acknowledges them there (and copies the API's onto the Stage and Deployment
  SAM makes from it).
"""
from __future__ import annotations

from aws_cdk import Acknowledgment, CfnResource, Validations
from constructs import IConstruct

NAG_METADATA = "cdk_nag"
CHECKOV_METADATA = "checkov"


def _resource(construct: IConstruct) -> CfnResource | None:
    if isinstance(construct, CfnResource):
        return construct
    child = construct.node.default_child
    return child if isinstance(child, CfnResource) else None


def waive(construct: IConstruct, reason: str, *, nag: list[str] = (), checkov: list[str] = ()) -> None:
    if not reason or len(reason) < 20:
        raise ValueError("a waived finding needs a written reason")
    for rule in nag:
        Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))
    resource = _resource(construct)
    if resource is None:
        if checkov:
            raise ValueError(f"{construct.node.path}: checkov skips need a CloudFormation resource")
        return
    if checkov:
        entry = resource.get_metadata(CHECKOV_METADATA) or {"skip": []}
        entry = {"skip": [*entry.get("skip", []), *({"id": c, "comment": reason} for c in checkov)]}
        resource.add_metadata(CHECKOV_METADATA, entry)
    if nag and resource.cfn_resource_type.startswith("AWS::Serverless::"):
        entry = resource.get_metadata(NAG_METADATA) or {"rules_to_suppress": []}
        entry = {"rules_to_suppress": [*entry.get("rules_to_suppress", []),
                                       *({"id": rule, "reason": reason} for rule in nag)]}
        resource.add_metadata(NAG_METADATA, entry)
