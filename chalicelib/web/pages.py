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


def security_headers() -> dict:
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                   "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                   "connect-src *; frame-ancestors 'none'",
    }


def page(name: str):
    from chalice import Response

    return Response(body=html(name), status_code=200, headers=security_headers())


_ASSETS = {"common.js": "application/javascript; charset=utf-8"}


def asset(name: str) -> tuple[str, dict]:
    """A static file shared by both pages; only the listed names are served."""
    from chalicelib.domain.errors import NotFound

    if name not in _ASSETS:
        raise NotFound("There is nothing at this address.", code="not_found")
    key = f"assets/{name}"
    if key not in _cache:
        with open(os.path.join(_HERE, "assets", name), encoding="utf-8") as source:
            _cache[key] = source.read()
    headers = {**security_headers(), "Content-Type": _ASSETS[name], "Cache-Control": "public, max-age=300"}
    return _cache[key], headers
