"""What a statement's signature says about itself, in the words a PDF reader shows beside it (Acrobat's signature
panel: "Reason", "Location", "Signed by"). The organisation and the name proper come from the certificate."""
from __future__ import annotations

FIELD_NAME = "SSO-Statement-Signature"  # the invisible signature field; fixed, so the bytes are too
REASON = "Statement of social-security contribution history issued by the Social Security Organization"
LOCATION = "Tehran, Iran"
SIGNER_NAME = "Social Security Organization (Sabeghe e-service)"
CONTACT = "https://www.tamin.ir"
