"""Signing on AWS: kms_signer.py's pyHanko signer and chain_secret.py's certificate chain, built on the first
signature and kept for the life of the container. Light to import (bootstrap builds it where no PDF is ever signed)."""
from __future__ import annotations

from typing import Callable

from chalicelib.signing.port import PyHankoPdfSigner


class KmsPdfSigner(PyHankoPdfSigner):
    def __init__(self, key_id: str, chain_pem: Callable[[], bytes]):
        super().__init__()
        self.key_id = key_id
        self._chain_pem = chain_pem

    def chain_pem(self) -> bytes:
        return self._chain_pem()

    def _build(self):
        from chalicelib.signing.certificates import CertificateChain
        from chalicelib.signing.kms_signer import KmsSigner

        return KmsSigner(self.key_id, CertificateChain.from_pem(self.chain_pem()))
