"""The statements' signing key and its certificate chain (stacks/signing.py): an asymmetric RSA key for signing only,
that only the PDF worker may sign with; the chain's secret, readable by the worker and the inquiry function (which
checks files people hold); both named to every function, as the app's settings require."""
from __future__ import annotations

import json

from support import logical_id, of_type
from stacks.functions import FUNCTIONS


def _key(resources) -> tuple[str, dict]:
    (name,) = of_type(resources, "AWS::KMS::Key")
    return name, resources[name]


def test_the_signing_key_is_an_asymmetric_rsa_key_for_signing(stage):
    name, key = _key(stage.resources)
    props = key["Properties"]
    assert props["KeySpec"] == "RSA_2048" and props["KeyUsage"] == "SIGN_VERIFY"
    assert not props.get("EnableKeyRotation")  # KMS cannot rotate an asymmetric key...
    assert "checkov" not in key.get("Metadata", {})  # ...and neither checkov nor cdk-nag asks it to (no waiver)
    assert key["DeletionPolicy"] == "Retain" and key["UpdateReplacePolicy"] == "Retain"


def test_the_key_policy_leaves_the_use_of_the_key_to_iam(stage):
    """The key policy names the account only (administration through IAM); nobody is given the key in it, so the
    roles' policies below are the whole story of who may sign."""
    _, key = _key(stage.resources)
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert len(statements) == 1
    (statement,) = statements
    principal = json.dumps(statement["Principal"])
    assert list(statement["Principal"]) == ["AWS"] and principal.endswith(':root"]]}}') and "123456789012" in principal


def _policies_mentioning(resources, action: str) -> dict[str, list]:
    found = {}
    for name, policy in of_type(resources, "AWS::IAM::Policy").items():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(a == action or a in ("kms:*", "*") or (a.endswith("*") and action.startswith(a[:-1]))
                   for a in actions):
                roles = [r["Ref"] for r in policy["Properties"]["Roles"]]
                resources_ = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                found.setdefault(tuple(roles), []).extend(resources_)
    return found


def test_only_the_render_function_may_sign(stage):
    key_name, _ = _key(stage.resources)
    render_role = logical_id(stage.resources, "AWS::IAM::Role", f"{FUNCTIONS['render_statement'].logical_id}Role")
    assert _policies_mentioning(stage.resources, "kms:Sign") == {(render_role,): [{"Fn::GetAtt": [key_name, "Arn"]}]}
    text = json.dumps([p["Properties"]["PolicyDocument"] for p in of_type(stage.resources, "AWS::IAM::Policy").values()])
    assert "kms:GetPublicKey" not in text and "kms:Decrypt" not in text  # signing needs Sign, nothing else


def test_the_chain_is_read_by_the_worker_and_the_inquiry_only(stage):
    chain = logical_id(stage.resources, "AWS::SecretsManager::Secret", "SigningChain")
    readers = {roles for roles, resources in _policies_mentioning(stage.resources,
                                                                  "secretsmanager:GetSecretValue").items()
               if {"Ref": chain} in resources}
    expected = {logical_id(stage.resources, "AWS::IAM::Role", f"{FUNCTIONS[f].logical_id}Role")
                for f in ("render_statement", "inquiry")}
    assert {role for roles in readers for role in roles} == expected
    secret = stage.resources[chain]
    assert secret["DeletionPolicy"] == "Retain"
    assert "SecretString" not in secret["Properties"]  # the operator's value, never overwritten by a deploy


def test_every_function_is_told_the_key_and_the_chain(stage):
    key_name, _ = _key(stage.resources)
    chain = logical_id(stage.resources, "AWS::SecretsManager::Secret", "SigningChain")
    for name, fn in FUNCTIONS.items():
        variables = stage.resources[fn.logical_id]["Properties"]["Environment"]["Variables"]
        assert variables["SIGNING_KEY_ID"] == {"Fn::GetAtt": [key_name, "Arn"]}, name
        assert variables["SIGNING_CHAIN_SECRET_ID"] == {"Ref": chain}, name
        assert "SIGNING_DIR" not in variables, name  # a development key never reaches AWS


def test_the_outputs_name_the_key_and_the_chain_for_the_operator(stage):
    outputs = stage.template.to_json()["Outputs"]
    assert outputs["SigningKeyArn"]["Value"] == {"Fn::GetAtt": [_key(stage.resources)[0], "Arn"]}
    assert "SigningChainSecretArn" in outputs
