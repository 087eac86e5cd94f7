"""A certificate chain in PEM (the signing certificate first, then its issuers), as the operator keeps it beside the
KMS key and devstack/dev_ca.py writes it: parsed once, with the trust roots a signature of ours must chain to."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass


class ChainError(ValueError):
    """The configured chain cannot sign anything: not PEM certificates, or empty."""


@dataclass(frozen=True)
class CertificateChain:
    certificates: tuple  # asn1crypto x509.Certificate, the signing certificate first

    @classmethod
    def from_pem(cls, pem: bytes) -> "CertificateChain":
        from asn1crypto import pem as armour
        from asn1crypto import x509

        try:
            found = tuple(x509.Certificate.load(der) for kind, _, der in armour.unarmor(pem, multiple=True)
                          if kind == "CERTIFICATE")
            for certificate in found:
                certificate.native  # noqa: B018 - parse every field now: a damaged chain fails here, not mid-sign
        except ValueError as exc:
            raise ChainError(f"the signing chain is not a list of PEM certificates ({exc}): put the CA's answer in "
                             "(docs/deploy.md, Signing statements)") from None
        if not found:
            raise ChainError("the signing chain holds no certificate (docs/deploy.md: Signing statements)")
        return cls(found)

    @property
    def signing_certificate(self):
        return self.certificates[0]

    @property
    def issuers(self) -> tuple:
        return self.certificates[1:]

    @property
    def trust_roots(self) -> tuple:
        """The self-signed certificates of the chain; when the operator kept only intermediates, the topmost one.
        A signature is ours when it chains to one of these, whatever else a reader's trust store holds."""
        roots = tuple(c for c in self.certificates[1:] if c.self_signed != "no")
        return roots or (self.certificates[-1],)


def fingerprint(certificate) -> str:
    """SHA-256 of the certificate's DER, in hex: what a person compares with a PDF reader's certificate viewer."""
    return hashlib.sha256(certificate.dump()).hexdigest()


def subject_names(certificate) -> tuple[str, str]:
    """(common name, organisation) of a certificate's subject."""
    subject = certificate.subject.native
    return _text(subject.get("common_name")), _text(subject.get("organization_name"))


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value or "")
