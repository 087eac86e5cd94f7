"""The pyHanko signer for a development key read from a PEM file: loaded once, signing digests as KMS does."""
from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils

from chalicelib.signing.certificates import CertificateChain
from chalicelib.signing.digest_signer import DigestSigner


class FileKeySigner(DigestSigner):
    def __init__(self, key_pem: bytes, chain: CertificateChain):
        super().__init__(chain)
        self._key = serialization.load_pem_private_key(key_pem, password=None)

    def sign_digest(self, digest: bytes) -> bytes:
        return self._key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
