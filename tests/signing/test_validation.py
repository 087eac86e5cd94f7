"""The report on a file's signature (chalicelib/signing/validation.py): one byte changed, bytes appended, an
incremental update, another CA's root, no signature at all, not a PDF. Each case is also held against pyHanko's own
validator, so the report never says more than pyHanko does."""
from __future__ import annotations

import hashlib
from io import BytesIO

import pytest

from .conftest import ISSUED_AT, pyhanko_status, root_of


def test_the_report_on_a_sound_signature(documents, signed, signing_ca):
    from asn1crypto import pem

    report = documents.check(signed)
    assert report.sound
    assert (report.signed, report.intact, report.valid, report.trusted, report.whole_file) == (True,) * 5
    assert (report.signer, report.organisation) == ("Sabeghe Development Signing", "Social Security Organization")
    assert report.signed_at == ISSUED_AT
    leaf = next(pem.unarmor(signing_ca.chain_pem(), multiple=True))[2]
    assert report.certificate_sha256 == hashlib.sha256(leaf).hexdigest()


def _signed_range(pdf: bytes) -> tuple[int, int]:
    """Where the signature's /Contents hex string starts and ends: outside it every byte is signed."""
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    return start, pdf.index(b">", start)


@pytest.mark.parametrize("where", ["header", "page content", "a third of the way", "signature dictionary",
                                   "end of file"])
def test_one_byte_changed_in_the_signed_range_breaks_it(documents, signed, signing_ca, where):
    from chalicelib.domain.errors import InvalidValue

    start, end = _signed_range(signed)
    position = {"header": 5, "page content": len(signed) // 10, "a third of the way": len(signed) // 3,
                "signature dictionary": start - 40, "end of file": len(signed) - 3}[where]
    assert not start <= position <= end
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    try:
        report = documents.check(bytes(tampered))
    except InvalidValue:  # the change broke the file's structure: no reader gets as far as the signature
        return
    # A byte in the signature dictionary can also unmake the signature itself (/SubFilter misspelt): no signature.
    assert not report.sound and not (report.signed and report.intact and report.valid)
    try:
        _, status = pyhanko_status(bytes(tampered), signing_ca)
    except Exception:  # noqa: BLE001 - too damaged for pyHanko to evaluate: broken all the same
        return
    assert not status.bottom_line


def test_one_byte_changed_in_the_page_is_not_intact(documents, signed, signing_ca):
    """The case a forger is after: the statement's content changed, its structure left alone."""
    tampered = bytearray(signed)
    tampered[len(signed) // 10] ^= 0x01
    report = documents.check(bytes(tampered))
    assert report.signed and not report.intact and not report.sound
    assert report.signer == "Sabeghe Development Signing"  # who claims to have signed, still readable
    _, status = pyhanko_status(bytes(tampered), signing_ca)
    assert not status.intact and not status.bottom_line


def test_one_byte_changed_in_the_signature_value_breaks_it(documents, signed, signing_ca):
    embedded, _ = pyhanko_status(signed, signing_ca)
    value = embedded.signer_info["signature"].native.hex().encode()
    at = signed.lower().index(value) + len(value) // 2
    tampered = bytearray(signed)
    tampered[at] = ord("0") if tampered[at] != ord("0") else ord("1")
    report = documents.check(bytes(tampered))
    assert report.signed and report.intact and not report.valid and not report.sound
    assert not pyhanko_status(bytes(tampered), signing_ca)[1].bottom_line


def test_bytes_appended_after_signing_are_seen(documents, signed):
    report = documents.check(signed + b"\n% added afterwards\n")
    assert report.intact and report.valid and report.trusted  # what was signed is still what was signed...
    assert not report.whole_file and not report.sound  # ...but it is no longer the whole file


def _updated(signed: bytes, change) -> bytes:
    """The signed file with an incremental update appended, as a PDF editor saves a change."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed))
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_after_signing_is_seen(documents, signed, signing_ca):
    """Even one pyHanko's diff policy lets pass (a new title: metadata): the file is no longer what was issued."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.validation import SignatureCoverageLevel

    def retitle(writer):
        info = writer.trailer["/Info"]
        info[generic.NameObject("/Title")] = generic.TextStringObject("Amended by someone else")
        writer.update_container(info)

    updated = _updated(signed, retitle)
    report = documents.check(updated)
    assert report.intact and report.valid and report.trusted and not report.whole_file and not report.sound
    _, status = pyhanko_status(updated, signing_ca)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION


def test_a_page_changed_by_an_incremental_update_fails_pyhankos_own_judgement_too(documents, signed, signing_ca):
    from pyhanko.pdf_utils import generic

    def crop(writer):
        page = writer.root["/Pages"]["/Kids"][0]
        page[generic.NameObject("/MediaBox")] = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 100, 100)])
        writer.update_container(page)

    updated = _updated(signed, crop)
    assert not documents.check(updated).sound
    _, status = pyhanko_status(updated, signing_ca)
    assert not status.docmdp_ok and not status.bottom_line


def test_a_root_that_is_not_the_services_is_not_trusted(signed, other_ca, signing_ca):
    from chalicelib.signing.validation import check_pdf

    report = check_pdf(signed, [root_of(other_ca)])
    assert report.intact and report.valid and report.whole_file  # a sound signature...
    assert not report.trusted and not report.sound  # ...by someone these roots do not vouch for
    assert check_pdf(signed, [root_of(signing_ca)]).sound


def test_a_file_signed_under_another_ca_is_not_ours(other_ca, statement_pdf, documents):
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.local_signer import LocalPdfSigner

    foreign = PadesDocuments(LocalPdfSigner(other_ca.folder)).sign(statement_pdf, ISSUED_AT).pdf
    report = documents.check(foreign)
    assert report.signed and report.intact and report.valid and not report.trusted and not report.sound


def test_a_key_with_someone_elses_certificate_is_refused_at_signing(tmp_path, signing_ca, other_ca, statement_pdf):
    """The deployment mistake signing guards against: a chain that is not the key's. Nothing is issued."""
    import shutil

    from chalicelib.signing.documents import PadesDocuments, SignatureRefused
    from chalicelib.signing.local_signer import LocalPdfSigner

    shutil.copy(other_ca.key_path, tmp_path / "signing-key.pem")  # another key...
    shutil.copy(signing_ca.chain_path, tmp_path / "chain.pem")  # ...under our certificate
    with pytest.raises(SignatureRefused):
        PadesDocuments(LocalPdfSigner(str(tmp_path))).sign(statement_pdf, ISSUED_AT)


def test_an_unsigned_pdf_says_so(documents, statement_pdf):
    report = documents.check(statement_pdf)
    assert not report.signed and not report.sound and report.signer == "" and report.signed_at is None


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\nnothing else", b"\x00" * 1000, b"%PDF-" + bytes(range(256))])
def test_what_is_not_a_readable_pdf_is_refused_as_such(documents, data):
    from chalicelib.domain.errors import InvalidValue

    with pytest.raises(InvalidValue) as refused:
        documents.check(data)
    assert refused.value.code == "invalid_pdf" and refused.value.status == 422


def test_a_missing_development_key_says_how_to_make_one(tmp_path, statement_pdf):
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.local_signer import LocalPdfSigner, MissingSigningKey

    with pytest.raises(MissingSigningKey, match="make run"):
        PadesDocuments(LocalPdfSigner(str(tmp_path / "nothing"))).sign(statement_pdf, ISSUED_AT)
