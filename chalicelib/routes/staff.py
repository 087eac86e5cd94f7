"""Staff of the fund: their login, the objections waiting for a decision, and the employers' lists."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.http.handling import router
from chalicelib.routes.callers import staff
from chalicelib.domain.errors import InvalidValue
from chalicelib.http.parsing import client_ip, limit_param, parse_body
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


@route("/v1/staff/objections", methods=["GET"])
def waiting_objections():
    request = staff_routes.current_request
    staff(request)
    status = (request.query_params or {}).get("status", "submitted")
    if status != "submitted":
        raise InvalidValue("status: only submitted objections are queued for staff.", code="invalid_value")
    return json_response(200, services().objections.waiting(limit_param(request, default=50)))


@route("/v1/staff/objections/{tracking_no}/decision", methods=["POST"])
def decide_objection(tracking_no):
    from chalicelib.http.schemas import ObjectionDecision

    request = staff_routes.current_request
    member = staff(request)
    body = parse_body(request, ObjectionDecision)
    corrections = [c.model_dump() for c in body.corrections]
    return json_response(200, services().objections.decide(member.subject, tracking_no, body.decision, body.reason,
                                                            corrections))


@route("/v1/staff/lists", methods=["POST"])
def start_list_upload():
    from chalicelib.http.schemas import ListUpload

    request = staff_routes.current_request
    member = staff(request)
    body = parse_body(request, ListUpload)
    return json_response(201, services().lists.start(member.subject, body.wanted()))


@route("/v1/staff/lists/{list_id}", methods=["GET"])
def list_report(list_id):
    staff(staff_routes.current_request)
    return json_response(200, services().lists.report(list_id))
