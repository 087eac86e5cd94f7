"""How a statement's signature reads in /verify's answers: the signature recorded at issue, and what a check of a
file someone holds found, with Jalali dates beside the ISO ones."""
from __future__ import annotations

from chalicelib.domain.model.signatures import DocumentSignature, SignatureReport
from chalicelib.domain.presenting import jalali_or_none

SIGNATURE_FORMAT = "PAdES-B-B"  # ETSI EN 319 142: a CAdES signature embedded in the PDF, without a timestamp


def recorded_signature(signature: DocumentSignature | None) -> dict | None:
    """None for a document published before statements were signed: it still verifies by its SHA-256."""
    if signature is None:
        return None
    return {"format": SIGNATURE_FORMAT, "signer": signature.signer, "organisation": signature.organisation,
            "signed_at": signature.signed_at, "signed_at_jalali": jalali_or_none(signature.signed_at),
            "certificate_sha256": signature.certificate_sha256, "valid": signature.valid}


def file_signature(report: SignatureReport, recorded: DocumentSignature | None) -> dict:
    """A file's signature as checked now. `same_certificate`: signed with the certificate the issued document was
    (None when the document was published unsigned)."""
    return {"signed": report.signed, "valid": report.sound, "intact": report.intact,
            "cryptographically_valid": report.valid, "trusted": report.trusted, "whole_file": report.whole_file,
            "signer": report.signer or None, "organisation": report.organisation or None,
            "signed_at": report.signed_at, "signed_at_jalali": jalali_or_none(report.signed_at),
            "certificate_sha256": report.certificate_sha256 or None,
            "same_certificate": (report.certificate_sha256 == recorded.certificate_sha256) if recorded else None}
