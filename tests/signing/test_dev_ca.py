"""The development CA behind `make run` (devstack/dev_ca.py): made once, reused, replaced when it is no use, and
safe when several processes start at once."""
from __future__ import annotations

import os
import threading

from devstack import dev_ca


def _certificates(ca):
    from cryptography import x509

    return x509.load_pem_x509_certificates(ca.chain_pem())


def test_a_root_and_a_signing_certificate_for_document_signatures(signing_ca):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    leaf, root = _certificates(signing_ca)
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Sabeghe Development Root CA"
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Sabeghe Development Signing"
    assert leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Social Security Organization"
    assert leaf.issuer == root.subject and leaf.public_key().key_size == 2048
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    leaf.verify_directly_issued_by(root)
    assert oct(os.stat(signing_ca.key_path).st_mode & 0o777) == "0o600"


def test_made_once_and_reused(tmp_path):
    folder = str(tmp_path / "signing")
    first = dev_ca.ensure(folder)
    chain = first.chain_pem()
    assert dev_ca.ensure(folder).chain_pem() == chain  # the next start keeps it: old PDFs still validate


def test_a_damaged_or_mismatched_ca_is_replaced(tmp_path, other_ca):
    import shutil

    folder = str(tmp_path / "signing")
    chain = dev_ca.ensure(folder).chain_pem()
    shutil.copy(other_ca.key_path, os.path.join(folder, dev_ca.KEY_FILE))  # a key its certificate is not for
    assert dev_ca.ensure(folder).chain_pem() != chain
    fixed = dev_ca.ensure(folder).chain_pem()
    with open(os.path.join(folder, dev_ca.CHAIN_FILE), "wb") as damaged:
        damaged.write(b"not a certificate")
    assert dev_ca.ensure(folder).chain_pem() not in (fixed, b"not a certificate")


def test_processes_starting_at_once_share_one_ca(tmp_path):
    folder = str(tmp_path / "signing")
    made, errors = [], []

    def start():
        try:
            made.append(dev_ca.ensure(folder).chain_pem())
        except Exception as exc:  # noqa: BLE001 - collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(made)) == 1 and made[0] == dev_ca.ensure(folder).chain_pem()
    assert [name for name in os.listdir(tmp_path) if name.startswith(".signing-")] == []  # nothing left behind
