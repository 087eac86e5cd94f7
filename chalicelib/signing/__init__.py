"""PAdES signatures on the statement PDFs, and checking them.

- `port.py`: `PdfSigner`, what signs a PDF as of a time (domain-free: bytes, datetimes, certificates).
- `pades.py`: the PAdES baseline B-B signature itself (pyHanko), deterministic; `reproducible_writer.py` pins what
  pyHanko's writer would otherwise take from the clock or the random generator; `identity.py` what it says of itself.
- `digest_signer.py`: the pyHanko signer both keys share (a SHA-256 digest, RSA PKCS#1 v1.5), with
  `kms_signer.py` (AWS: the key never leaves KMS) and `file_key_signer.py` (a development key file);
  `kms_pdf_signer.py` with `chain_secret.py` (the certificate chain kept beside the KMS key) and `local_signer.py`
  (`.local/signing/`, made by devstack/dev_ca.py) are the two `PdfSigner`s.
- `certificates.py`: a PEM chain, its trust roots and fingerprints; `validation.py`: the report on one PDF's signature
  (pyHanko's validator).
- `documents.py`: the adapter behind the domain's `DocumentSigner` and `SignatureChecker` ports.

pyHanko is heavy to import: only the PDF worker (and a file check on the inquiry function) ever loads it, from inside
the functions that sign or validate. `import app`, and building the services, load nothing of it
(tests/signing/test_cold_start.py)."""
