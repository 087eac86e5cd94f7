"""Registering, activating, logging in and out, and resetting a forgotten password (insured people)."""
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

    request = accounts.current_request
    body = parse_body(request, Register)
    answer = services().accounts.register(body.national_code, body.mobile, body.birth_date, body.password,
                                          client_ip(request))
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
    return json_response(200, services().accounts.login(body.national_code, body.password, client_ip(request),
                                                        body.device_token))


@route("/v1/me/password", methods=["POST"])
def change_password():
    from chalicelib.http.schemas import PasswordChange

    request = accounts.current_request
    person = insured(request)
    body = parse_body(request, PasswordChange)
    return json_response(200, services().accounts.change_password(person, body.current_password, body.new_password,
                                                                  client_ip(request)))


@route("/v1/auth/password-reset", methods=["POST"])
def password_reset():
    from chalicelib.http.schemas import PasswordReset

    request = accounts.current_request
    body = parse_body(request, PasswordReset)
    return json_response(202, services().accounts.start_password_reset(body.national_code, body.mobile,
                                                                       client_ip(request)))


@route("/v1/auth/password-reset/confirm", methods=["POST"])
def password_reset_confirm():
    from chalicelib.http.schemas import PasswordResetConfirm

    request = accounts.current_request
    body = parse_body(request, PasswordResetConfirm)
    return json_response(200, services().accounts.confirm_password_reset(body.national_code, body.otp,
                                                                         body.new_password, client_ip(request)))


@route("/v1/auth/logout", methods=["POST"])
def logout():
    services().accounts.logout(insured(accounts.current_request))
    return json_response(204)
