"""Password rules and hashing. argon2id (RFC 9106's second recommended profile: 64 MiB, 3 passes) makes each
guess against a stolen table cost real memory; argon2 is imported on first use to keep cold starts light."""
from __future__ import annotations

from chalicelib.domain.errors import InvalidValue

MIN_LENGTH = 10
MAX_LENGTH = 128
_hasher = None


def _argon():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)
    return _hasher


def check_strength(password: str, *, national_code: str = "", mobile: str = "") -> None:
    """At least 10 characters from at least three of: lower case, upper case, digits, other symbols
    (Persian letters count as 'other'), and not built around the person's own codes."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"The password must have at least {MIN_LENGTH} characters.", code="weak_password")
    if len(password) > MAX_LENGTH:
        raise InvalidValue(f"The password must have at most {MAX_LENGTH} characters.", code="weak_password")
    classes = [
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() for c in password),
        any(not (c.isascii() and c.isalnum()) for c in password),
    ]
    if sum(classes) < 3:
        raise InvalidValue(
            "The password needs three of: lower-case letters, upper-case letters, digits, other symbols.",
            code="weak_password",
        )
    lowered = password.lower()
    for own in (national_code, mobile, mobile[1:] if mobile else ""):
        if own and own in lowered:
            raise InvalidValue("The password must not contain your national code or mobile number.",
                               code="weak_password")
    if len(set(password)) < 5:
        raise InvalidValue("The password repeats too few distinct characters.", code="weak_password")


def hash_password(password: str) -> str:
    return _argon().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: a missing hash is checked against a dummy one."""
    from argon2.exceptions import InvalidHashError, VerificationError

    candidate = stored_hash or _dummy_hash()
    try:
        ok = _argon().verify(candidate, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None


_dummy = None


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = _argon().hash("not-a-real-password-0")
    return _dummy
