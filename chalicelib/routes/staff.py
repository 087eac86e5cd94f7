"""Staff of the fund: their login (the staff panel's routes join here)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.http.handling import router
from chalicelib.routes.callers import staff
from chalicelib.http.parsing import client_ip, parse_body
from chalicelib.http.responses import json_response

staff_routes = Blueprint(__name__)
route = router(staff_routes)


@route("/v1/staff/auth/login", methods=["POST"])
def staff_login():
    from chalicelib.http.schemas import StaffLogin

    request = staff_routes.current_request
    body = parse_body(request, StaffLogin)
    return json_response(200, services().accounts.staff_login(body.username, body.password, client_ip(request)))


@route("/v1/staff/auth/logout", methods=["POST"])
def staff_logout():
    services().accounts.logout(staff(staff_routes.current_request))
    return json_response(204)
