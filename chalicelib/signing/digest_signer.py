"""A pyHanko signer that signs a SHA-256 digest with RSA PKCS#1 v1.5, wherever the key is: KMS (kms_signer.py) or a
development key file (local_signer.py). Both sign exactly alike, so the local stack and the tests exercise the same
PAdES path as AWS, with only `sign_digest` between them.

pyHanko's SimpleSigner would do for a key file, but it loads the key again and really signs on each of its two calls
(the dry run that sizes the signature, then the signature): three times slower per statement."""
from __future__ import annotations

import hashlib

from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from chalicelib.signing.certificates import CertificateChain
from chalicelib.signing.pades import DIGEST, rsa_sha256


class DigestSigner(Signer):
    def __init__(self, chain: CertificateChain):
        super().__init__(signing_cert=chain.signing_certificate, signature_mechanism=rsa_sha256(),
                         cert_registry=SimpleCertificateStore.from_certs(chain.issuers), embed_roots=True)
        # The dry run only needs the signature's length: an RSA signature is as long as the modulus.
        self._signature_bytes = (chain.signing_certificate.public_key.bit_size + 7) // 8

    def sign_digest(self, digest: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5 over a SHA-256 digest."""
        raise NotImplementedError

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if digest_algorithm != DIGEST:
            raise SigningError(f"statements are signed with SHA-256 only, not {digest_algorithm}")
        if dry_run:
            return bytes(self._signature_bytes)
        return self.sign_digest(hashlib.sha256(data).digest())
