"""What the signing tests share, made once per session: a real statement as fpdf2 draws it, the development CA every
test signs with (tests/conftest.py's `signing_ca`), a second CA nobody trusts, and signers over them."""
from __future__ import annotations

import datetime as dt

import pytest

ISSUED_AT = "2025-06-15T08:30:00Z"
MOMENT = dt.datetime(2025, 6, 15, 8, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def statement_pdf() -> bytes:
    from chalicelib.pdf.render import render_statement
    from devstack.samples import sample_statement, uniform_career

    return render_statement(sample_statement("summary", uniform_career(3)),
                            "https://inquiry.sabeghe.test/verify/Q7K2M9XD4PRT")


@pytest.fixture(scope="session")
def documents(signing_ca):
    """The adapter behind the DocumentSigner and SignatureChecker ports, on the development key."""
    from chalicelib.signing.documents import PadesDocuments
    from chalicelib.signing.local_signer import LocalPdfSigner

    return PadesDocuments(LocalPdfSigner(signing_ca.folder))


@pytest.fixture(scope="session")
def signed(documents, statement_pdf) -> bytes:
    return documents.sign(statement_pdf, ISSUED_AT).pdf


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory):
    """A CA that is not the service's: its root is nobody's trust root here."""
    from devstack.dev_ca import create

    return create(str(tmp_path_factory.mktemp("other-ca")))


def root_of(ca):
    from asn1crypto import pem, x509

    return x509.Certificate.load(pem.unarmor(ca.root_pem())[2])


def pyhanko_status(pdf: bytes, ca):
    """pyHanko's own validator, straight: the status of the file's signature against `ca`'s root."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (embedded,) = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures
    return embedded, validate_pdf_signature(embedded, ValidationContext(trust_roots=[root_of(ca)]))
