"""The service's secret keys (tokens, passcode hashes, one-time codes), as one format everywhere: text of 64 letters
and digits, used as the UTF-8 bytes of that text. Secrets Manager generates exactly that on AWS (64 characters,
no punctuation, no spaces: infra/ reads these constants), and the local stack generates the same."""
from __future__ import annotations

import secrets
import string

KEY_NAMES = ("token_key", "passcode_key", "otp_key")
KEY_LENGTH = 64
KEY_ALPHABET = string.ascii_letters + string.digits  # ~5.95 bits a character: 64 characters give ~380 bits
MIN_KEY_LENGTH = 32


class KeyFormatError(ValueError):
    """A configured key is not one this service generates (too short, or with characters it never uses)."""


def generate_key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def key_bytes(name: str, text: str) -> bytes:
    if not isinstance(text, str) or len(text) < MIN_KEY_LENGTH or any(ch not in KEY_ALPHABET for ch in text):
        raise KeyFormatError(f"{name} must be at least {MIN_KEY_LENGTH} letters and digits")
    return text.encode("utf-8")
