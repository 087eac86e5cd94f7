"""What a PDF's signature says and whether it holds, with pyHanko's validator against the service's own trust
root(s): used right after signing (nothing badly signed is issued) and on a file someone holds (the inquiry's
POST /verify/{id}/signature).

Offline by design: no revocation fetching (B-B carries no revocation data; a Lambda should not fetch CRLs per check)
and validation at the present moment, as any PDF reader does for a signature without a timestamp."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from chalicelib.domain.model.signatures import SignatureReport
from chalicelib.logs import log
from chalicelib.signing.certificates import fingerprint, subject_names


class UnreadablePdf(ValueError):
    """Bytes a PDF reader cannot make sense of."""


def check_pdf(pdf: bytes, trust_roots) -> SignatureReport:
    """The report on the PDF's first signature (a statement has one), judged against `trust_roots` (asn1crypto
    certificates)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if pdf.lstrip()[:5] != b"%PDF-":
        raise UnreadablePdf("the file does not start as a PDF does")
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_regular_signatures
    except Exception as exc:  # noqa: BLE001 - untrusted bytes: whatever the reader trips on, it is not a PDF to check
        log("pdf_unreadable", error=type(exc).__name__)
        raise UnreadablePdf("the file is not a readable PDF") from None
    if not signatures:
        return SignatureReport(signed=False)
    embedded = signatures[0]
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001 - a signature too damaged to evaluate is a signature that does not hold
        log("signature_unreadable", error=type(exc).__name__)
        return SignatureReport(signed=True, **_who(embedded))
    return SignatureReport(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        **_who(embedded, status.signer_reported_dt),
    )


def _who(embedded, reported: dt.datetime | None = None) -> dict:
    """The signer's names and fingerprint, and the signing time the signature states (/M)."""
    try:
        certificate = embedded.signer_cert
        signer, organisation = subject_names(certificate)
        digest = fingerprint(certificate)
    except Exception:  # noqa: BLE001 - no readable certificate: the report says who is unknown
        signer, organisation, digest = "", "", ""
    if reported is None:
        try:
            reported = embedded.self_reported_timestamp
        except Exception:  # noqa: BLE001
            reported = None
    return {"signer": signer, "organisation": organisation, "certificate_sha256": digest,
            "signed_at": _iso(reported) if reported else None}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
