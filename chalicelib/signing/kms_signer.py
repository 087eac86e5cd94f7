"""The pyHanko signer whose private key is an asymmetric KMS key (RSA, SIGN_VERIFY): the key never leaves KMS.
pyHanko hands over the bytes to sign (the CMS signed attributes); KMS gets their SHA-256 (`MessageType=DIGEST`, a
fixed 32 bytes whatever pyHanko signs) and signs it with RSASSA_PKCS1_V1_5_SHA_256.

Imports pyHanko: only kms_pdf_signer.py loads this module, on the first signature."""
from __future__ import annotations

from chalicelib.signing.certificates import CertificateChain
from chalicelib.signing.digest_signer import DigestSigner
from chalicelib.storage.aws import client

KMS_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256"  # deterministic, unlike PSS: the same statement, the same bytes


class KmsSigner(DigestSigner):
    def __init__(self, key_id: str, chain: CertificateChain):
        super().__init__(chain)
        self.key_id = key_id

    def sign_digest(self, digest: bytes) -> bytes:
        # A blocking call inside pyHanko's event loop: one signature per document, and nothing else waits on it.
        answer = client("kms").sign(KeyId=self.key_id, Message=digest, MessageType="DIGEST",
                                    SigningAlgorithm=KMS_ALGORITHM)
        return answer["Signature"]
