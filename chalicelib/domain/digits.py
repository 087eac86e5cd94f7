"""Digit and code normalisation.

Users type identifiers on Persian keyboards and paste them from documents, so the
same code arrives with Persian (U+06F0..) or Arabic-Indic (U+0660..) digits,
non-breaking spaces, zero-width joiners, bidi marks and assorted dashes. Every
identifier is funnelled through :func:`normalize_code` before validation so that
the checksum logic only ever sees ASCII.
"""
from __future__ import annotations

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS, PERSIAN_DIGITS)

# Characters that carry no meaning inside a code: whitespace of every kind
# (str.isspace covers NBSP, U+2000.. spaces, etc.), zero-width and bidi marks,
# hyphen-like dashes, minus sign and Arabic tatweel (kashida).
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u0640\ufe63\uff0d"
_STRIP_RE = re.compile("[\\s" + re.escape(_INVISIBLE + _DASHES) + "]", re.UNICODE)


def to_ascii_digits(s: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII; other characters are kept."""
    return str(s).translate(_TO_ASCII)


def to_persian_digits(s: str | int) -> str:
    """Render ASCII digits (of a str or an int) as Persian digits for Persian-facing text."""
    return str(s).translate(_TO_PERSIAN)


def normalize_code(raw: str) -> str:
    """ASCII digits with separators and invisible marks removed; does not validate."""
    if raw is None:
        return ""
    return _STRIP_RE.sub("", to_ascii_digits(str(raw)))
