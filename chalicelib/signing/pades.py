"""The statement's signature: PAdES baseline B-B (`/SubFilter /ETSI.CAdES.detached`), SHA-256 with RSA PKCS#1 v1.5,
in an invisible field, with the certificate chain embedded, certifying the document (DocMDP: no changes allowed).

Why these choices:
- PAdES B-B is the baseline profile (ETSI EN 319 142) that PDF readers and AdES validators (Acrobat, the EU's DSS)
  check; B-T and above need a timestamp authority: a network call per statement, and bytes that differ on every draw.
- RSA PKCS#1 v1.5 is deterministic (PSS salts every signature): with the signing time given by the caller (the
  statement's issue time) and reproducible_writer.py pinning the rest, a redelivered render gives the same file.
- Certifying (rather than only approving) makes any later change visible to PDF readers and to our validator.
- Invisible: the statement already prints how to verify it (its QR code); the signature panel of any PDF reader
  shows the signer."""
from __future__ import annotations

import datetime as dt

from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import Signer

from chalicelib.signing import identity
from chalicelib.signing.reproducible_writer import ReproducibleWriter

DIGEST = "sha256"


class _SignerAtTime(signers.PdfSigner):
    """pyHanko's PdfSigner dates the signature (/M) by the clock when its session starts: here, by the time given."""

    def __init__(self, *args, signing_time: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


def signature_metadata() -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=identity.FIELD_NAME,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=identity.REASON,
        location=identity.LOCATION,
        name=identity.SIGNER_NAME,
        contact_info=identity.CONTACT,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        embed_validation_info=False,  # revocation data would be fetched over the network, and change over time
        use_pades_lta=False,
        tight_size_estimates=True,  # no timestamp authority: the dry run's size is the signature's size
    )


def sign_pades(pdf: bytes, signing_time: dt.datetime, signer: Signer) -> bytes:
    if signing_time.tzinfo is None:
        raise ValueError("the signing time must say its time zone")
    writer = ReproducibleWriter(pdf, signing_time)
    pdf_signer = _SignerAtTime(signature_metadata(), signer, signing_time=signing_time,
                               new_field_spec=fields.SigFieldSpec(identity.FIELD_NAME, box=None))
    return pdf_signer.sign_pdf(writer).getvalue()


def rsa_sha256():
    """The one signature mechanism: RSA PKCS#1 v1.5 with SHA-256 (deterministic; what KMS's
    RSASSA_PKCS1_V1_5_SHA_256 computes)."""
    from asn1crypto import algos

    return algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})
