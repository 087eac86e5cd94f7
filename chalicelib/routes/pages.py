"""The insured portal page, the assets it shares with the institution panel, and the OpenAPI document."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.http.handling import router
from chalicelib.http.responses import json_response

pages = Blueprint(__name__)
route = router(pages)


@route("/", methods=["GET"])
def portal_page():
    from chalicelib.web.pages import page

    return page("portal", uploads=True)  # objection attachments go straight to storage


@route("/staff", methods=["GET"])
def staff_page():
    from chalicelib.web.pages import page

    return page("staff", uploads=True)  # employers' lists go straight to storage


@route("/assets/{name}", methods=["GET"])
def page_asset(name):
    from chalice import Response

    from chalicelib.web.pages import asset

    body, headers = asset(name)
    return Response(body=body, status_code=200, headers=headers)


@route("/openapi.json", methods=["GET"])
def openapi_document():
    from chalicelib.http.openapi import document

    return json_response(200, document())
