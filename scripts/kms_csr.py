"""A certificate signing request (PKCS#10, PEM) for the statements' KMS signing key, signed by KMS itself: what the
operator hands a CA to certify the key, since the private key can never leave KMS (docs/deploy.md, "Signing
statements").

    .venv/bin/python scripts/kms_csr.py --key-id <SigningKeyArn output> --region eu-central-1 > signing.csr

The request names the Organization and asks for the key usages a document signature needs (digitalSignature and
nonRepudiation); the CA decides what the certificate finally says. Needs only credentials allowed kms:GetPublicKey
and kms:Sign on the key."""
from __future__ import annotations

import argparse
import hashlib
import sys

ORGANISATION = "Social Security Organization"
COMMON_NAME = "Social Security Organization - Sabeghe statements"


def signing_request(kms, key_id: str, common_name: str = COMMON_NAME, organisation: str = ORGANISATION,
                    country: str = "IR") -> bytes:
    from asn1crypto import csr, keys, pem, x509

    public_key = keys.PublicKeyInfo.load(kms.get_public_key(KeyId=key_id)["PublicKey"])
    extensions = x509.Extensions([
        {"extn_id": "key_usage", "critical": True,
         "extn_value": x509.KeyUsage({"digital_signature", "non_repudiation"})},
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": False}},
    ])
    info = csr.CertificationRequestInfo({
        "version": "v1",
        "subject": x509.Name.build({"country_name": country, "organization_name": organisation,
                                    "common_name": common_name}),
        "subject_pk_info": public_key,
        "attributes": [{"type": "extension_request", "values": [extensions]}],
    })
    signature = kms.sign(KeyId=key_id, Message=hashlib.sha256(info.dump()).digest(), MessageType="DIGEST",
                         SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["Signature"]
    request = csr.CertificationRequest({"certification_request_info": info,
                                        "signature_algorithm": {"algorithm": "sha256_rsa"}, "signature": signature})
    return pem.armor("CERTIFICATE REQUEST", request.dump())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key-id", required=True, help="the KMS key's id or ARN (the stack's SigningKeyArn output)")
    parser.add_argument("--region", help="the stage's region (else the AWS configuration's)")
    parser.add_argument("--common-name", default=COMMON_NAME)
    parser.add_argument("--organisation", default=ORGANISATION)
    args = parser.parse_args(argv)
    import boto3

    kms = boto3.client("kms", region_name=args.region)
    sys.stdout.write(signing_request(kms, args.key_id, args.common_name, args.organisation).decode())


if __name__ == "__main__":
    main()
