"""Desks: one clerk's browser, or one program, at an institution.

A bank branch sends every clerk's inquiries from one address, so a limit per address would let one clerk's typos
(or one stranger on the branch's network) lock out the whole branch. A desk token gives each desk its own count of
wrong passcodes inside its address's record (domain/throttling.py). Only a right answer earns one, so a stranger
without a passcode of their own never gets more than the address's shared count; and all desks behind one address
together stop at the address's limit, so holding many tokens buys an attacker at most that much more.

A token is `d1.<desk>.<expires>.<signature>`: HMAC-SHA256 with a key derived from the passcode key (so the
inquiry function needs no other secret). It names nothing about the institution or the person: it only tells one
desk from another. Every answer renews it, so a desk in daily use keeps its own count."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

DESK_DAYS = 90
SHARED = "-"  # the count kept for everyone behind an address without a (valid) token
_DESK = re.compile(r"^[A-Za-z0-9_-]{16}$")


def signing_key(passcode_key: bytes) -> bytes:
    return hmac.new(passcode_key, b"sabeghe desk tokens v1", hashlib.sha256).digest()


def _signature(key: bytes, desk: str, expires: int) -> str:
    digest = hmac.new(key, f"d1.{desk}.{expires}".encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def issue(key: bytes, desk: str | None, now: int) -> str:
    """A token for `desk` (a new desk when None), good for DESK_DAYS from `now`."""
    desk = desk if desk and _DESK.match(desk) else secrets.token_urlsafe(12)
    expires = now + DESK_DAYS * 86400
    return f"d1.{desk}.{expires}.{_signature(key, desk, expires)}"


def read(key: bytes, token: str | None, now: int) -> str | None:
    """The desk a token names, or None when there is no token or it is forged, altered or expired: such a caller
    simply shares its address's count (a stale token must never stop a clerk)."""
    parts = (token or "").split(".")
    if len(parts) != 4 or parts[0] != "d1" or not _DESK.match(parts[1]) or not parts[2].isdigit() \
            or len(parts[2]) > 12:
        return None
    desk, expires = parts[1], int(parts[2])
    if expires <= now or not hmac.compare_digest(_signature(key, desk, expires), parts[3]):
        return None
    return desk


def count_key(desk: str | None) -> str:
    """The desk's count inside its address's record (identifiers there are bare digits, so these never collide)."""
    return f"desk:{desk or SHARED}"
