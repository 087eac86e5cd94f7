"""The web pages: static HTML shipped with the code (Persian first, right-to-left), served by the API (portal)
and by the inquiry function (institution panel)."""
from __future__ import annotations

import os


_HERE = os.path.dirname(__file__)
_cache: dict[str, str] = {}


def html(name: str) -> str:
    if name not in _cache:
        with open(os.path.join(_HERE, f"{name}.html"), encoding="utf-8") as source:
            _cache[name] = source.read()
    return _cache[name]


def security_headers(name: str | None = None, uploads: bool = False) -> dict:
    """A page may run only its own scripts (its inline script by hash, never injected ones) and talk only to its
    own origin and, for a page that uploads files, to the storage endpoint its presigned PUTs point at."""
    scripts = " ".join(["'self'", *_script_hashes(name)]) if name else "'self'"
    connect = " ".join(["'self'", *([_storage_origin()] if uploads else [])])
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": f"default-src 'self'; script-src {scripts}; "
                                   "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                                   f"connect-src {connect}; base-uri 'none'; form-action 'self'; "
                                   "object-src 'none'; frame-ancestors 'none'",
    }


def _script_hashes(name: str) -> list[str]:
    key = f"hashes/{name}"
    if key not in _cache:
        import base64
        import hashlib
        import re

        bodies = re.findall(r"<script>(.*?)</script>", html(name), flags=re.S)
        _cache[key] = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
                               for b in bodies)
    return _cache[key].split() if _cache[key] else []


def _storage_origin() -> str:
    """Where presigned URLs point (path-style: one origin for both buckets), from the client that signs them."""
    if "storage_origin" not in _cache:
        from urllib.parse import urlsplit

        from chalicelib.storage.aws import client

        endpoint = urlsplit(client("s3").meta.endpoint_url)
        _cache["storage_origin"] = f"{endpoint.scheme}://{endpoint.netloc}"
    return _cache["storage_origin"]


INQUIRY_META = '<meta name="sabeghe-inquiry" content="http://127.0.0.1:8001">'


def page(name: str, uploads: bool = False):
    from chalice import Response

    body = html(name)
    if INQUIRY_META in body:  # where institutions ask: the panel's address, shown with each passcode
        from html import escape

        from chalicelib.config import load_settings

        address = load_settings().public_verify_base_url or "http://127.0.0.1:8001"
        body = body.replace(INQUIRY_META, f'<meta name="sabeghe-inquiry" content="{escape(address)}">')
    return Response(body=body, status_code=200, headers=security_headers(name, uploads))


_SCRIPT = "application/javascript; charset=utf-8"
_ASSETS = {"common.js": _SCRIPT, "portal.js": _SCRIPT, "institution.js": _SCRIPT, "staff.js": _SCRIPT,
           "fonts.css": "text/css; charset=utf-8"}
FONTS_VERSION = "1"  # pages link /assets/fonts.css?v=FONTS_VERSION: a new font is a new version
_LONG_LIVED = {"fonts.css": "public, max-age=31536000, immutable"}


def asset(name: str) -> tuple[str, dict]:
    """A static file shared by the pages; only the listed names are served."""
    from chalicelib.domain.errors import NotFound

    if name not in _ASSETS or not os.path.isfile(os.path.join(_HERE, "assets", name)):
        raise NotFound("There is nothing at this address.", code="not_found")
    key = f"assets/{name}"
    if key not in _cache:
        with open(os.path.join(_HERE, "assets", name), encoding="utf-8") as source:
            _cache[key] = source.read()
    headers = {**security_headers(), "Content-Type": _ASSETS[name],
               "Cache-Control": _LONG_LIVED.get(name, "public, max-age=300")}
    return _cache[key], headers
