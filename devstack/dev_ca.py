"""A development certificate authority for signing statements locally (`make run`, the tests): a root CA and a
signing certificate it issues, kept under `.local/signing/` and reused on every start.

On AWS none of this exists: the key lives in KMS and a real CA certifies it (docs/deploy.md). Here the key is a PEM
file, so that the local stack signs exactly as the deployed one does, with a chain that validates against its own
root. Only `cryptography` is needed; nothing here is packaged into the Lambda functions (devstack/ never is)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass

ROOT_NAME = "Sabeghe Development Root CA"
SIGNING_NAME = "Sabeghe Development Signing"
ORGANISATION = "Social Security Organization"
COUNTRY = "IR"

KEY_FILE = "signing-key.pem"  # the signing certificate's private key (PKCS#8, unencrypted: a development key)
CHAIN_FILE = "chain.pem"  # the signing certificate, then the root: the same layout as the chain kept beside KMS
ROOT_KEY_FILE = "root-key.pem"  # kept so that tests can issue more certificates from the same root

ROOT_YEARS = 10
SIGNING_YEARS = 3
RENEW_BEFORE = dt.timedelta(days=30)  # a certificate this close to its end is replaced, not reused


@dataclass(frozen=True)
class DevCa:
    folder: str

    @property
    def key_path(self) -> str:
        return os.path.join(self.folder, KEY_FILE)

    @property
    def chain_path(self) -> str:
        return os.path.join(self.folder, CHAIN_FILE)

    @property
    def root_key_path(self) -> str:
        return os.path.join(self.folder, ROOT_KEY_FILE)

    def chain_pem(self) -> bytes:
        with open(self.chain_path, "rb") as source:
            return source.read()

    def root_pem(self) -> bytes:
        """The last certificate of the chain: the root."""
        marker = b"-----BEGIN CERTIFICATE-----"
        return marker + self.chain_pem().split(marker)[-1]

    def issue(self, public_key, common_name: str, organisation: str = ORGANISATION) -> bytes:
        """A signing certificate (PEM) from this root for another key: the KMS tests' stand-in for the real CA."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        with open(self.root_key_path, "rb") as source:
            root_key = serialization.load_pem_private_key(source.read(), password=None)
        root = x509.load_pem_x509_certificate(self.root_pem())
        return _signing_certificate(public_key, root, root_key, common_name, organisation).public_bytes(
            serialization.Encoding.PEM)


def ensure(folder: str) -> DevCa:
    """The development CA in `folder`, made on first use and reused while its signing certificate is good. Several
    processes may start at once (the test workers, a stack): the files are written in a folder of their own and moved
    into place in one step, so nobody reads half a key, and whoever comes second uses the first one's."""
    ca = DevCa(folder)
    if _usable(ca):
        return ca
    parent = os.path.dirname(os.path.abspath(folder)) or "."
    os.makedirs(parent, exist_ok=True)
    staged = tempfile.mkdtemp(prefix=".signing-", dir=parent)
    try:
        _write(DevCa(staged))
        if os.path.isdir(folder) and not _usable(ca):
            shutil.rmtree(folder, ignore_errors=True)  # expired or damaged: replaced
        try:
            os.rename(staged, folder)
        except OSError:
            if not _usable(ca):  # not another process's fresh CA either: something is wrong with the folder
                raise
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return ca


def create(folder: str) -> DevCa:
    """A new, separate development CA in an empty folder (tests: a second CA whose root nobody trusts)."""
    os.makedirs(folder, exist_ok=True)
    ca = DevCa(folder)
    _write(ca)
    return ca


def _usable(ca: DevCa) -> bool:
    if not all(os.path.isfile(p) for p in (ca.key_path, ca.chain_path, ca.root_key_path)):
        return False
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        leaf = x509.load_pem_x509_certificate(ca.chain_pem())
        with open(ca.key_path, "rb") as source:
            key = serialization.load_pem_private_key(source.read(), password=None)
    except (OSError, ValueError):
        return False
    same_key = key.public_key().public_numbers() == leaf.public_key().public_numbers()
    return same_key and leaf.not_valid_after_utc - _now() > RENEW_BEFORE


def _write(ca: DevCa) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _root_certificate(root_key)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _signing_certificate(key.public_key(), root, root_key, SIGNING_NAME, ORGANISATION)
    pem = serialization.Encoding.PEM
    pkcs8 = dict(encoding=pem, format=serialization.PrivateFormat.PKCS8,
                 encryption_algorithm=serialization.NoEncryption())
    _write_private(ca.key_path, key.private_bytes(**pkcs8))
    _write_private(ca.root_key_path, root_key.private_bytes(**pkcs8))
    with open(ca.chain_path, "wb") as out:
        out.write(leaf.public_bytes(pem) + root.public_bytes(pem))


def _write_private(path: str, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _name(common_name: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _root_certificate(key):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    name = _name(ROOT_NAME, ORGANISATION)
    now = _now()
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))


def _signing_certificate(public_key, issuer, issuer_key, common_name: str, organisation: str):
    """Key usage digitalSignature and nonRepudiation (contentCommitment): what a document signature needs, and what
    pyHanko's validator asks of a signer's certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = _now()
    return (x509.CertificateBuilder()
            .subject_name(_name(common_name, organisation)).issuer_name(issuer.subject).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(min(now + dt.timedelta(days=365 * SIGNING_YEARS), issuer.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                           critical=False)
            .sign(issuer_key, hashes.SHA256()))
