"""Page cursors: where the last page ended (a tracking number, a timeline entry id), wrapped so clients treat it
as opaque. A cursor only ever continues within the caller's own data: storage reads it inside their partition."""
from __future__ import annotations

import base64
import json
import re

from chalicelib.domain.errors import InvalidValue


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": position}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, max_length: int = 64, pattern: str = r"[\x21-\x7e]+") -> str:
    try:
        if len(cursor) > 4 * max_length:  # no cursor this service gives out is longer; never decode a big one
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = data["k"]
        if not isinstance(position, str) or len(position) > max_length or not re.fullmatch(pattern, position):
            raise ValueError
        return position
    except (ValueError, KeyError, TypeError, RecursionError):
        raise InvalidValue("The cursor is not one this service gave out.", code="invalid_cursor") from None
