"""What the statements are signed with on AWS (chalicelib/signing/): an asymmetric KMS key whose private half never
leaves KMS, and a secret beside it for the certificate chain a CA issued for the key's public half.

The stack makes both; the certificate cannot be made by the stack, since a CA has to certify the key first: after
the first deploy the operator asks for a CSR signed by the key (scripts/kms_csr.py), has a CA answer it and puts the
chain in the secret (docs/deploy.md, "Signing statements"). Until then the PDF worker refuses to issue statements
(the chain secret holds a placeholder) and its dead-letter alarm says so."""
from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from stacks.compliance import waive

# RSA 2048: what CAs certify for document signing today and what every PDF reader validates; KMS signs with it in
# RSASSA_PKCS1_V1_5_SHA_256, which is deterministic (a redelivered render gives the same bytes).
KEY_SPEC = kms.KeySpec.RSA_2048


def signing_key(scope: Construct) -> kms.Key:
    key = kms.Key(
        scope,
        "SigningKey",
        description="Sabeghe: signs the statement PDFs (PAdES); only the render_statement function may use it",
        key_spec=KEY_SPEC,
        key_usage=kms.KeyUsage.SIGN_VERIFY,
        # KMS rotates symmetric keys only; cdk-nag (AwsSolutions-KMS5) and checkov (CKV_AWS_7) know it and ask
        # nothing of an asymmetric key. A signing key is certified by a CA: replacing it is a planned operation with
        # a new certificate (docs/deploy.md, Signing statements), never a schedule.
        enable_key_rotation=False,
        # A key that signed statements stays: deleting it is irreversible, and a renewed certificate may be
        # issued for the same key.
        removal_policy=RemovalPolicy.RETAIN,
    )
    return key


def signing_chain_secret(scope: Construct) -> secretsmanager.Secret:
    secret = secretsmanager.Secret(
        scope,
        "SigningChain",
        description="Sabeghe: the signing key's certificate chain (PEM: the signing certificate, then its issuers); "
                    "put in by the operator once a CA has certified the key",
        removal_policy=RemovalPolicy.RETAIN,
    )
    waive(secret,
          "It holds public certificates, replaced when the CA renews the signing certificate: nothing to rotate on a "
          "schedule, and a new value is a planned operation (docs/deploy.md, Signing statements)",
          nag=["AwsSolutions-SMG4"], checkov=["CKV_AWS_149"])
    return secret
