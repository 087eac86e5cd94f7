"""The insured person's own data: profile, contribution records and the timeline ("My Social Security")."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.http.handling import router
from chalicelib.routes.callers import insured
from chalicelib.http.parsing import cursor_param, limit_param, parse_body, year_param
from chalicelib.http.responses import json_response

my_data = Blueprint(__name__)
route = router(my_data)


@route("/v1/me", methods=["GET"])
def me():
    return json_response(200, services().accounts.profile(insured(my_data.current_request).subject))


@route("/v1/me/records", methods=["GET"])
def my_records():
    return json_response(200, services().records.history(insured(my_data.current_request).subject))


@route("/v1/me/records/wages", methods=["GET"])
def my_wages():
    request = my_data.current_request
    person = insured(request)
    return json_response(200, services().records.wages(person.subject, year_param(request)))


@route("/v1/me/activity", methods=["GET"])
def my_activity():
    request = my_data.current_request
    person = insured(request)
    return json_response(200, services().timeline.page(person.subject, cursor_param(request), limit_param(request)))


@route("/v1/me/objections", methods=["POST"])
def file_objection():
    from chalicelib.http.schemas import ObjectionRequest

    request = my_data.current_request
    person = insured(request)
    body = parse_body(request, ObjectionRequest)
    attachment = body.attachment.model_dump() if body.attachment else None
    return json_response(201, services().objections.file(person.subject, body.kind, body.workshop_code, body.from_,
                                                         body.to, body.description, attachment))


@route("/v1/me/objections", methods=["GET"])
def my_objections():
    return json_response(200, services().objections.mine(insured(my_data.current_request).subject))
