"""Signing with a key kept in files (`.local/signing/`, made by devstack/dev_ca.py): the local stack and the tests.
Never used on AWS (chalicelib/bootstrap.py chooses KMS there, and refuses to start without it)."""
from __future__ import annotations

import os

from chalicelib.signing.port import PyHankoPdfSigner

KEY_FILE = "signing-key.pem"
CHAIN_FILE = "chain.pem"


class MissingSigningKey(RuntimeError):
    """No development key where the settings point: `make run` makes one (devstack/dev_ca.py)."""


class LocalPdfSigner(PyHankoPdfSigner):
    def __init__(self, folder: str):
        super().__init__()
        self.folder = folder

    def chain_pem(self) -> bytes:
        return self._read(CHAIN_FILE)

    def _build(self):
        from chalicelib.signing.certificates import CertificateChain
        from chalicelib.signing.file_key_signer import FileKeySigner

        return FileKeySigner(self._read(KEY_FILE), CertificateChain.from_pem(self.chain_pem()))

    def _read(self, name: str) -> bytes:
        path = os.path.join(self.folder, name)
        try:
            with open(path, "rb") as source:
                return source.read()
        except FileNotFoundError:
            raise MissingSigningKey(f"no development signing key at {path}: `make run` makes one "
                                    "(devstack/dev_ca.py), or point SIGNING_DIR at one") from None
