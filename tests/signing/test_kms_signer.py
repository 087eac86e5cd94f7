"""Signing with a KMS key (moto's KMS, which tells DIGEST from RAW once devstack/moto_kms.py has taught it): the key
never leaves KMS, the certificate a CA issued for its public key comes from the chain secret, and the signature
validates with pyHanko's validator exactly as the development key's does. Also the CSR an operator hands a real CA
(scripts/kms_csr.py)."""
from __future__ import annotations

import importlib.util
import os

import pytest

from .conftest import ISSUED_AT, pyhanko_status

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def kms(monkeypatch):
    from moto import mock_aws

    from chalicelib.storage.aws import client, reset_clients
    from devstack.moto_kms import kms_signs_digests

    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    kms_signs_digests(monkeypatch.setattr)
    with mock_aws():
        reset_clients()
        calls = []
        for service in ("kms", "secretsmanager"):
            client(service).meta.events.register(
                f"before-parameter-build.{service}.*",
                lambda model, params, service=service, **_: calls.append((service, model.name, dict(params))))
        yield client("kms"), calls
        reset_clients()


def kms_key(kms_client) -> tuple[str, object]:
    """An asymmetric key as the stack makes it (RSA_2048, SIGN_VERIFY), and its public key."""
    from cryptography.hazmat.primitives import serialization

    key_id = kms_client.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    public = serialization.load_der_public_key(kms_client.get_public_key(KeyId=key_id)["PublicKey"])
    return key_id, public


def chain_secret(chain_pem: bytes) -> str:
    """What the operator does once the CA has answered: the chain, PEM, into the stack's secret."""
    from chalicelib.storage.aws import client

    return client("secretsmanager").create_secret(Name="sabeghe/signing-chain", SecretString=chain_pem.decode())["ARN"]


def kms_documents(key_id: str, secret_arn: str):
    from chalicelib.signing.chain_secret import SecretChain
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.kms_pdf_signer import KmsPdfSigner

    return PadesDocuments(KmsPdfSigner(key_id, SecretChain(secret_arn)))


def test_a_statement_signed_by_kms_validates_with_pyhankos_validator(kms, signing_ca, statement_pdf):
    kms_client, calls = kms
    key_id, public = kms_key(kms_client)
    certificate = signing_ca.issue(public, "Sabeghe KMS Signing")  # the test CA stands in for the real one
    documents = kms_documents(key_id, chain_secret(certificate + signing_ca.root_pem()))

    signed = documents.sign(statement_pdf, ISSUED_AT)
    embedded, status = pyhanko_status(signed.pdf, signing_ca)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Sabeghe KMS Signing"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signed.signature.signer == "Sabeghe KMS Signing" and signed.signature.valid
    # KMS signed a SHA-256 digest, once (pyHanko's dry run that sizes the signature asks KMS nothing).
    (sign,) = [params for service, operation, params in calls if operation == "Sign"]
    assert sign["MessageType"] == "DIGEST" and sign["SigningAlgorithm"] == "RSASSA_PKCS1_V1_5_SHA_256"
    assert sign["KeyId"] == key_id and len(sign["Message"]) == 32


def test_kms_signatures_are_deterministic_and_the_chain_is_read_once(kms, signing_ca, statement_pdf):
    kms_client, calls = kms
    key_id, public = kms_key(kms_client)
    documents = kms_documents(key_id, chain_secret(signing_ca.issue(public, "Sabeghe KMS Signing")
                                                   + signing_ca.root_pem()))
    first = documents.sign(statement_pdf, ISSUED_AT)
    second = documents.sign(statement_pdf, ISSUED_AT)
    assert first == second  # PKCS#1 v1.5: a redelivered render gives the same bytes on AWS too
    assert [o for s, o, _ in calls if s == "secretsmanager"] == ["CreateSecret", "GetSecretValue"]


def test_a_chain_that_is_not_the_kms_keys_stops_the_statement(kms, signing_ca, statement_pdf):
    from chalicelib.signing.documents import SignatureRefused

    kms_client, _ = kms
    key_id, _ = kms_key(kms_client)
    _, other_public = kms_key(kms_client)
    wrong = signing_ca.issue(other_public, "Sabeghe KMS Signing")  # certifies another key
    with pytest.raises(SignatureRefused):
        kms_documents(key_id, chain_secret(wrong + signing_ca.root_pem())).sign(statement_pdf, ISSUED_AT)


def test_a_chain_secret_left_as_the_stack_made_it_says_what_to_do(kms, statement_pdf):
    from chalicelib.signing.certificates import ChainError

    kms_client, _ = kms
    key_id, _ = kms_key(kms_client)
    placeholder = chain_secret(b"b8Zq0fWm3N")  # generated by Secrets Manager: no chain put in yet
    with pytest.raises(ChainError, match="docs/deploy.md"):
        kms_documents(key_id, placeholder).sign(statement_pdf, ISSUED_AT)


def test_the_csr_for_the_kms_key_is_signed_by_it(kms):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    spec = importlib.util.spec_from_file_location("kms_csr", os.path.join(ROOT, "scripts", "kms_csr.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    kms_client, _ = kms
    key_id, public = kms_key(kms_client)

    request = x509.load_pem_x509_csr(script.signing_request(kms_client, key_id))
    assert request.is_signature_valid  # KMS signed it with the key the CSR asks a certificate for
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert request.public_key().public_bytes(*der) == public.public_bytes(*der)
    assert request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Social Security Organization"
    usage = request.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
