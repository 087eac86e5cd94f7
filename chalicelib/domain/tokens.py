"""Short-lived bearer tokens: `v1.<payload>.<signature>`, HMAC-SHA256 over the payload with a key kept in
Secrets Manager. Each token names a server-side session (jti), so logging out really ends it."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from chalicelib.domain.errors import Unauthenticated


@dataclass(frozen=True)
class Principal:
    subject: str  # national code, or staff username
    role: str  # "insured" or "staff"
    session_id: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_session_id() -> str:
    return secrets.token_urlsafe(18)


def issue(key: bytes, principal: Principal) -> str:
    payload = _b64(json.dumps(
        {"sub": principal.subject, "role": principal.role, "sid": principal.session_id, "exp": principal.expires_at},
        separators=(",", ":"),
    ).encode())
    signature = _b64(hmac.new(key, f"v1.{payload}".encode(), hashlib.sha256).digest())
    return f"v1.{payload}.{signature}"


def verify(key: bytes, token: str, now: int) -> Principal:
    try:
        version, payload, signature = token.split(".")
        expected = _b64(hmac.new(key, f"{version}.{payload}".encode(), hashlib.sha256).digest())
        if version != "v1" or not hmac.compare_digest(expected, signature):
            raise ValueError("signature")
        claims = json.loads(_unb64(payload))
        principal = Principal(str(claims["sub"]), str(claims["role"]), str(claims["sid"]), int(claims["exp"]))
    except (ValueError, KeyError, TypeError):
        raise Unauthenticated("The token is not valid; log in again.", code="invalid_token") from None
    if principal.expires_at <= now:
        raise Unauthenticated("The session has expired; log in again.", code="token_expired")
    return principal
