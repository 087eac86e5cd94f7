"""Registering, activating, logging in and out (insured people)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.http.handling import router
from chalicelib.routes.callers import insured
from chalicelib.http.parsing import client_ip, parse_body
from chalicelib.http.responses import json_response

accounts = Blueprint(__name__)
route = router(accounts)


@route("/v1/auth/register", methods=["POST"])
def register():
    from chalicelib.http.schemas import Register

    body = parse_body(accounts.current_request, Register)
    answer = services().accounts.register(body.national_code, body.mobile, body.birth_date, body.password)
    return json_response(202, answer)


@route("/v1/auth/activate", methods=["POST"])
def activate():
    from chalicelib.http.schemas import Activate

    body = parse_body(accounts.current_request, Activate)
    return json_response(200, services().accounts.activate(body.national_code, body.otp))


@route("/v1/auth/login", methods=["POST"])
def login():
    from chalicelib.http.schemas import Login

    request = accounts.current_request
    body = parse_body(request, Login)
    return json_response(200, services().accounts.login(body.national_code, body.password, client_ip(request)))


@route("/v1/auth/logout", methods=["POST"])
def logout():
    services().accounts.logout(insured(accounts.current_request))
    return json_response(204)
