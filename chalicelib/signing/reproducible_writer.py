"""pyHanko's incremental writer, made reproducible: the same PDF signed as of the same time gives the same bytes.

Left alone, the writer takes two things from outside the input: the document /ID's second half from os.urandom
(IncrementalPdfFileWriter._handle_id) and the modification time (/ModDate, and XMP's ModifyDate when the file has
XMP) from the clock (BasePdfFileWriter._update_meta sets it to 'now' just before writing). The PDF worker may draw
the same statement twice (SQS delivers at least once) and relies on the second copy being the first, byte for byte:
so the /ID is derived from the input and the time, and the modification time is the signing time.
tests/signing/test_pades.py signs twice and compares, so a pyHanko upgrade that adds another source of change fails
there first."""
from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata


class _PinnedMetadata(DocumentMetadata):
    """Document metadata whose "last modified: now" means the moment given."""

    def __init__(self, moment: dt.datetime):
        object.__setattr__(self, "_moment", moment)
        super().__init__(last_modified=moment)

    def __setattr__(self, name, value):
        if name == "last_modified" and value == "now":
            value = self._moment
        super().__setattr__(name, value)


class ReproducibleWriter(IncrementalPdfFileWriter):
    def __init__(self, pdf: bytes, moment: dt.datetime):
        super().__init__(BytesIO(pdf), strict=True)
        self._meta = _PinnedMetadata(moment)
        # The first half of /ID names the document and stays (ISO 32000 §14.4); the second names this revision.
        try:
            self.prev.trailer["/ID"]
            first = self._document_id[0]
        except KeyError:  # an input without /ID: the writer would invent its first half at random too
            first = generic.ByteStringObject(hashlib.sha256(pdf).digest()[:16])
        revision = hashlib.sha256(pdf + moment.isoformat().encode()).digest()[:16]
        self._document_id = generic.ArrayObject([first, generic.ByteStringObject(revision)])
