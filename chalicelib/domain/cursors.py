"""Page cursors: the last sort key of a page, wrapped so clients treat it as opaque. Decoding checks the
prefix, so a cursor can only continue within the caller's own partition and item type."""
from __future__ import annotations

import base64
import json

from chalicelib.domain.errors import InvalidValue


def encode_cursor(sort_key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": sort_key}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, prefix: str = "") -> str:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = data["k"]
        if not isinstance(key, str) or not key.startswith(prefix) or len(key) > 200:
            raise ValueError
        return key
    except (ValueError, KeyError, TypeError):
        raise InvalidValue("The cursor is not one this service gave out.", code="invalid_cursor") from None
