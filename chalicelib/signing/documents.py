"""The domain's DocumentSigner and SignatureChecker ports, on a PdfSigner (KMS on AWS, a file locally).

Every signature is checked right after it is made, with the same validator and trust roots a file check uses: a
chain that does not belong to the key, an expired certificate or a KMS key swapped under us stops the statement from
being issued (the worker fails, SQS retries, the dead-letter alarm calls the operator) instead of issuing a document
whose signature no reader would accept."""
from __future__ import annotations

import datetime as dt
import threading

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.model.signatures import DocumentSignature, SignatureReport, SignedDocument
from chalicelib.domain.ports import DocumentSigner, SignatureChecker
from chalicelib.logs import log
from chalicelib.signing.port import PdfSigner


class SignatureRefused(RuntimeError):
    """The signature just made does not hold: the statement is not issued with it."""


class PadesDocuments(DocumentSigner, SignatureChecker):
    def __init__(self, signer: PdfSigner):
        self.signer = signer
        self._roots = None
        self._lock = threading.Lock()

    def sign(self, pdf: bytes, signed_at: str) -> SignedDocument:
        signed = self.signer.sign(pdf, _moment(signed_at))
        report = self.check(signed)
        if not report.sound or report.signed_at != signed_at:
            log("signature_refused", level="ERROR", signed=report.signed, intact=report.intact, valid=report.valid,
                trusted=report.trusted, whole_file=report.whole_file, signer=report.signer,
                certificate_sha256=report.certificate_sha256)
            raise SignatureRefused("the statement's signature does not validate against the service's trust root: "
                                   "is the certificate chain the KMS key's, and still valid? (docs/deploy.md)")
        return SignedDocument(signed, DocumentSignature(signer=report.signer, organisation=report.organisation,
                                                        signed_at=report.signed_at,
                                                        certificate_sha256=report.certificate_sha256, valid=True))

    def check(self, pdf: bytes) -> SignatureReport:
        from chalicelib.signing.validation import UnreadablePdf, check_pdf

        try:
            return check_pdf(pdf, self._trust_roots())
        except UnreadablePdf as exc:
            raise InvalidValue(f"The file is not a PDF that can be checked: {exc}.", code="invalid_pdf") from None

    def _trust_roots(self):
        with self._lock:
            if self._roots is None:
                from chalicelib.signing.certificates import CertificateChain

                self._roots = CertificateChain.from_pem(self.signer.chain_pem()).trust_roots
            return self._roots


def _moment(iso_utc: str) -> dt.datetime:
    return dt.datetime.strptime(iso_utc[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
