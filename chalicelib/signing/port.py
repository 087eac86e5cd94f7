"""What signs a PDF: in domain-free terms (bytes, a time, certificates), so the same port serves the KMS key on AWS
and the development key locally, and the domain's `DocumentSigner` is built on it (documents.py)."""
from __future__ import annotations

import datetime as dt
import threading
from abc import ABC, abstractmethod


class PdfSigner(ABC):
    @abstractmethod
    def sign(self, pdf: bytes, signing_time: dt.datetime) -> bytes:
        """The PDF with a PAdES signature dated `signing_time`. Deterministic: the same PDF and time give the same
        bytes (RSA PKCS#1 v1.5, no timestamp authority, nothing random in the file)."""

    @abstractmethod
    def chain_pem(self) -> bytes:
        """The signing certificate, then the certificates that issued it up to (and usually including) the root."""


class PyHankoPdfSigner(PdfSigner):
    """A PdfSigner whose pyHanko signer is built on the first signature and kept for the life of the process: the
    key and chain are read once, and nothing of pyHanko is imported where no PDF is ever signed."""

    def __init__(self):
        self._signer = None
        self._lock = threading.Lock()  # the local stack's workers are threads

    def sign(self, pdf: bytes, signing_time: dt.datetime) -> bytes:
        from chalicelib.signing.pades import sign_pades

        with self._lock:
            if self._signer is None:
                self._signer = self._build()
        return sign_pades(pdf, signing_time, self._signer)

    @abstractmethod
    def _build(self):
        """The pyHanko signer for this key and chain."""
