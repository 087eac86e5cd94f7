"""Iranian identifiers: national code, legal-entity ID, workshop code, mobile number.

The inquiry panel accepts "an identifier" (national code / legal-entity code /
workshop code) in a single field, so the kind has to be inferred from the
digits. Checksums are the published ones (see docs/domain-notes): they catch
typos before we spend a storage lookup, and keep the error message specific.
"""
from __future__ import annotations

import re

from .digits import normalize_code
from .errors import InvalidValue

_TEN = re.compile(r"[0-9]{10}")
_ELEVEN = re.compile(r"[0-9]{11}")
_LEGAL_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)

NATIONAL_CODE = "national_code"
LEGAL_ENTITY = "legal_entity"
WORKSHOP = "workshop"


def national_code_check_digit(first_nine: str) -> int:
    """Check digit for the first nine digits: r = sum(d[i]*(10-i)) mod 11; r if r < 2 else 11 - r."""
    s = sum(int(d) * (10 - i) for i, d in enumerate(first_nine[:9]))
    r = s % 11
    return r if r < 2 else 11 - r


def national_code_is_valid(code: str) -> bool:
    """True for exactly ten ASCII digits with a correct check digit, not all the same digit."""
    if not isinstance(code, str) or not _TEN.fullmatch(code):
        return False
    if len(set(code)) == 1:
        return False
    return national_code_check_digit(code[:9]) == int(code[9])


def normalize_national_code(raw: str) -> str:
    """Canonical 10-digit national code; 8/9-digit inputs lost their leading zeros (e.g. in spreadsheets)."""
    code = normalize_code(raw)
    if code.isascii() and code.isdigit() and len(code) in (8, 9):
        code = code.zfill(10)
    if not national_code_is_valid(code):
        raise InvalidValue("National code must be 10 digits with a valid check digit.",
                           code="invalid_national_code")
    return code


def legal_entity_check_digit(first_ten: str) -> int:
    """Check digit of an 11-digit legal-entity ID (weights 29,27,23,19,17 twice, offset d[9] + 2)."""
    a = int(first_ten[9]) + 2
    s = sum((int(d) + a) * w for d, w in zip(first_ten[:10], _LEGAL_WEIGHTS))
    r = s % 11
    return 0 if r == 10 else r


def legal_entity_id_is_valid(code: str) -> bool:
    """True for exactly eleven ASCII digits whose last digit matches the legal-entity checksum."""
    if not isinstance(code, str) or not _ELEVEN.fullmatch(code):
        return False
    return legal_entity_check_digit(code[:10]) == int(code[10])


def normalize_workshop_code(raw: str) -> str:
    """Canonical workshop code: exactly 10 digits (no public checksum exists, so only the shape is checked)."""
    code = normalize_code(raw)
    if not _TEN.fullmatch(code):
        raise InvalidValue("Workshop code must be exactly 10 digits.", code="invalid_workshop_code")
    return code


def classify_identifier(raw: str) -> tuple[str, str]:
    """(kind, normalized) for the single identifier field of the inquiry panel.

    Ten digits that pass the national-code checksum are a national code (a
    workshop code can collide with it, but the person is the common case);
    other ten-digit values are workshop codes; eleven digits must be a valid
    legal-entity ID. Eight or nine digits are accepted only when they become a
    valid national code after restoring leading zeros.
    """
    code = normalize_code(raw)
    if _TEN.fullmatch(code):
        return (NATIONAL_CODE, code) if national_code_is_valid(code) else (WORKSHOP, code)
    if _ELEVEN.fullmatch(code) and legal_entity_id_is_valid(code):
        return LEGAL_ENTITY, code
    if re.fullmatch(r"[0-9]{8,9}", code) and national_code_is_valid(code.zfill(10)):
        return NATIONAL_CODE, code.zfill(10)
    raise InvalidValue("Identifier must be a national code (10 digits), a legal-entity ID (11 digits) "
                       "or a workshop code (10 digits).", code="invalid_identifier")


def normalize_mobile(raw: str) -> str:
    """Canonical Iranian mobile number 09xxxxxxxxx from local, +98 or 0098 forms."""
    code = normalize_code(raw).replace("(", "").replace(")", "")
    if code.startswith("+98"):
        code = code[3:]
    elif code.startswith("0098"):
        code = code[4:]
    elif code.startswith("98") and len(code) == 12:
        code = code[2:]
    if code.startswith("0"):
        code = code[1:]  # local trunk prefix, also tolerated after a country code ("+98 0912...")
    if not re.fullmatch(r"9[0-9]{9}", code):
        raise InvalidValue("Mobile number must look like 09xxxxxxxxx.", code="invalid_mobile")
    return "0" + code


def mask_national_code(code: str) -> str:
    """Keep the first and last three digits ("049****899") so people recognise their code in lists."""
    c = normalize_code(code)
    if len(c) <= 6:
        return "*" * len(c)
    return c[:3] + "*" * (len(c) - 6) + c[-3:]


def mask_mobile(mobile: str) -> str:
    """0912***4567: enough to recognise one's own number in a record, not to text it."""
    m = normalize_code(mobile)
    return m[:4] + "*" * max(0, len(m) - 8) + m[-4:] if len(m) > 8 else "*" * len(m)
