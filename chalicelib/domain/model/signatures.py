"""The electronic signature on an issued statement: what was recorded when it was signed, and what a check of a file
someone holds found. Plain values: how signatures are made and checked (PAdES, pyHanko, KMS) is chalicelib/signing's."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentSignature:
    """Recorded with the published document when its PDF was signed, and shown by /verify: anyone can read whose
    signature the issued file carries without holding the file."""

    signer: str  # the signing certificate's common name
    organisation: str  # the signing certificate's organisation
    signed_at: str  # ISO UTC: the statement's issue time, which the signature states
    certificate_sha256: str  # the signing certificate's SHA-256 fingerprint (hex)
    valid: bool  # the signature was validated right after signing, against the service's own trust root


@dataclass(frozen=True)
class SignedDocument:
    pdf: bytes
    signature: DocumentSignature


@dataclass(frozen=True)
class SignatureReport:
    """What checking one PDF's signature found. `signed` False: the file carries no signature at all."""

    signed: bool
    intact: bool = False  # the signed bytes hash to what was signed
    valid: bool = False  # the signature over that hash is cryptographically right for the certificate's key
    trusted: bool = False  # the certificate chains to the service's own trust root(s)
    whole_file: bool = False  # nothing was appended after signing (no incremental update, no trailing bytes)
    signer: str = ""
    organisation: str = ""
    signed_at: str | None = None  # ISO UTC, as the signature states it
    certificate_sha256: str = ""

    @property
    def sound(self) -> bool:
        """All of it holds: a signature of ours over exactly this file."""
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file
