"""The statement's signature as pyHanko's validator sees it: PAdES B-B, valid, trusted through the development root,
covering the whole file, saying who signed and when; and the same bytes every time the same statement is signed."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from .conftest import ISSUED_AT, MOMENT, pyhanko_status


def test_a_signed_statement_validates_with_pyhankos_validator(signed, signing_ca):
    from pyhanko.sign.validation import SignatureCoverageLevel

    embedded, status = pyhanko_status(signed, signing_ca)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE and status.docmdp_ok
    assert status.md_algorithm == "sha256" and status.pkcs7_signature_mechanism in ("rsassa_pkcs1v15", "sha256_rsa")
    assert status.signing_cert.subject.native["common_name"] == "Sabeghe Development Signing"
    assert status.signing_cert.subject.native["organization_name"] == "Social Security Organization"
    assert status.signer_reported_dt == MOMENT  # the issue time the caller gave, not the clock


def test_it_is_pades_baseline_b_in_an_invisible_field_with_the_chain_embedded(signed, signing_ca):
    from chalicelib.signing import identity

    embedded, _ = pyhanko_status(signed, signing_ca)
    dictionary = embedded.sig_object
    assert dictionary["/SubFilter"] == "/ETSI.CAdES.detached"
    assert dictionary["/Reason"] == identity.REASON and dictionary["/Location"] == identity.LOCATION
    assert dictionary["/Name"] == identity.SIGNER_NAME
    assert embedded.field_name == identity.FIELD_NAME
    widget = embedded.sig_field
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]  # invisible
    embedded_certs = {c.chosen.subject.native["common_name"] for c in embedded.signed_data["certificates"]}
    assert embedded_certs == {"Sabeghe Development Signing", "Sabeghe Development Root CA"}
    # PAdES: the time is the signature dictionary's /M, never a CMS signing-time attribute; no timestamp token.
    signer_info = embedded.signer_info
    attributes = {a["type"].native for a in signer_info["signed_attrs"]}
    assert "signing_time" not in attributes and "signing_certificate_v2" in attributes
    assert not signer_info["unsigned_attrs"].native
    assert embedded.docmdp_level is not None  # a certification signature: any later change shows


def test_signing_the_same_statement_as_of_the_same_time_gives_the_same_bytes(documents, statement_pdf, signed):
    again = documents.sign(statement_pdf, ISSUED_AT)
    assert again.pdf == signed
    assert hashlib.sha256(again.pdf).digest() == hashlib.sha256(signed).digest()


def test_another_time_is_another_signature(documents, statement_pdf, signed):
    later = documents.sign(statement_pdf, "2025-06-15T08:31:00Z")
    assert later.pdf != signed and later.signature.signed_at == "2025-06-15T08:31:00Z"


def test_the_signed_file_is_the_drawing_with_the_signature_appended(signed, statement_pdf):
    assert signed.startswith(statement_pdf)  # an incremental update: the drawing itself is untouched


def test_a_signing_time_must_say_its_time_zone(documents, statement_pdf):
    with pytest.raises(ValueError, match="time zone"):
        documents.signer.sign(statement_pdf, dt.datetime(2025, 6, 15, 8, 30))


def test_the_recorded_signature_says_who_signed_and_with_which_certificate(documents, statement_pdf, signing_ca):
    from asn1crypto import pem

    signature = documents.sign(statement_pdf, ISSUED_AT).signature
    leaf_der = pem.unarmor(signing_ca.chain_pem(), multiple=True).__next__()[2]
    assert signature.signer == "Sabeghe Development Signing"
    assert signature.organisation == "Social Security Organization"
    assert signature.signed_at == ISSUED_AT and signature.valid is True
    assert signature.certificate_sha256 == hashlib.sha256(leaf_der).hexdigest()
