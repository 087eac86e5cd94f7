"""The institution inquiry function's routes (a Lambda function URL): the panel page, its assets, the inquiry
itself, /verify, which sends a browser that scanned a PDF's QR code to the panel's verification view, and the check
of a file someone holds against what was issued (its bytes and its signature)."""
from __future__ import annotations

from chalicelib.bootstrap import services
from chalicelib.http.function_url import Event, Router, respond


def institution_page(event: Event):
    from chalicelib.web.pages import html, security_headers

    return respond(200, html("institution"), "text/html; charset=utf-8", security_headers("institution"))


def page_asset(event: Event, name: str):
    from chalicelib.web.pages import asset

    body, headers = asset(name)
    return respond(200, body, headers["Content-Type"], headers)


def inquire(event: Event):
    from chalicelib.http.parsing import validate
    from chalicelib.http.schemas import Inquiry

    body = validate(Inquiry, event.json())
    answer = services().inquiry.inquire(body.identifier, body.passcode, event.source_ip, event.user_agent,
                                        verify_base(event), body.desk_token)
    return respond(200, answer)


def verify(event: Event, document_id: str):
    if "text/html" in event.headers.get("accept", ""):
        return respond(302, "", headers={"Location": f"/?verify={document_id}"})
    return respond(200, services().statements.verify(document_id))


# Far above any statement (a combined one over 35 years at three workshops is under 100 KB), and below what a
# function URL takes once the body is base64 (6 MB).
MAX_PDF_BYTES = 3 * 1024 * 1024


def check_signature(event: Event, document_id: str):
    return respond(200, services().statements.check_file(document_id, event.pdf(MAX_PDF_BYTES)))


def verify_base(event: Event) -> str:
    # On AWS the function knows its own URL only from the request; locally the adapter sets the host.
    settings = services().settings
    return settings.public_verify_base_url if settings.is_local else event.base_url


def institution_router() -> Router:
    routes = Router()
    routes.add("GET", "/", institution_page)
    routes.add("GET", r"/assets/(?P<name>[a-z0-9_.-]{1,40})", page_asset)
    routes.add("POST", "/", inquire)
    routes.add("GET", r"/verify/(?P<document_id>[A-Za-z0-9]{1,40})", verify)
    routes.add("POST", r"/verify/(?P<document_id>[A-Za-z0-9]{1,40})/signature", check_signature)
    return routes
