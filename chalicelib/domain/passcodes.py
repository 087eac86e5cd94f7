"""Inquiry passcodes: 15 random digits (≈50 bits), read aloud and typed as three groups of five.

Digits because every keyboard in the country types them (Persian digits are accepted too). Only a keyed
hash is stored: the HMAC binds the passcode to the holder's identifier, so the hash is also the grant's
DynamoDB key and an inquiry is a single GetItem."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from chalicelib.domain.digits import normalize_code

LENGTH = 15
GROUP = 5
ENTROPY_BITS = 49.8  # log2(10 ** 15)


_SEPARATORS = re.compile(r"[/\\.,،٫٬_|:;+]")
_DIGITS = re.compile(r"[0-9]+")


def new_passcode() -> str:
    digits = "".join(str(secrets.randbelow(10)) for _ in range(LENGTH))
    return "-".join(digits[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize_passcode(raw: str) -> str | None:
    """ASCII digits without separators, or None when it cannot be a passcode at all. People copy it with dashes,
    spaces, slashes, dots or commas between the groups (and Persian or Arabic digits): any of those will do."""
    text = _SEPARATORS.sub("", normalize_code(raw or ""))
    return text if len(text) == LENGTH and _DIGITS.fullmatch(text) else None


def grant_hash(key: bytes, identifier: str, passcode: str) -> str:
    return hmac.new(key, f"v1|{identifier}|{passcode}".encode(), hashlib.sha256).hexdigest()


def derived_passcode(key: bytes, material: str) -> str:
    """The passcode a retried issuing (same idempotency key) must show again, without it ever being stored: derived
    from the service's secret key and what identifies that one issuing. 15 digits from 256 bits (the bias of the
    modulo is below 2**-200)."""
    number = int.from_bytes(hmac.new(key, f"passcode|{material}".encode(), hashlib.sha256).digest(), "big")
    digits = f"{number % 10 ** LENGTH:0{LENGTH}d}"
    return "-".join(digits[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def derived_permit_id(key: bytes, material: str) -> str:
    return hmac.new(key, f"permit|{material}".encode(), hashlib.sha256).hexdigest()[:12]
