"""Statements for institutions: the agreement, asking for a statement, the inbox, the PDF, permits, the
e-mailbox, deleting, and /verify on the API's address."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.http.handling import router
from chalicelib.routes.callers import insured
from chalicelib.http.parsing import cursor_param, idempotency_key, limit_param, parse_body
from chalicelib.http.responses import json_response

statements = Blueprint(__name__)
route = router(statements)


def _me():
    return insured(statements.current_request).subject


@route("/v1/agreement", methods=["GET"])
def agreement():
    from chalicelib.domain.statement_kinds import agreement as current_agreement

    return json_response(200, current_agreement())


@route("/v1/me/statements", methods=["POST"])
def request_statement():
    from chalicelib.http.schemas import StatementRequest

    request = statements.current_request
    person = _me()
    body = parse_body(request, StatementRequest)
    answer = services().statements.request(person, body.kind, body.agree, idempotency_key(request), body.language)
    return json_response(201, answer)


@route("/v1/me/inbox", methods=["GET"])
def inbox():
    request = statements.current_request
    person = _me()
    return json_response(200, services().statements.inbox(person, cursor_param(request), limit_param(request)))


@route("/v1/me/inbox/{tracking_no}", methods=["GET"])
def inbox_item(tracking_no):
    return json_response(200, services().statements.item(_me(), tracking_no))


@route("/v1/me/inbox/{tracking_no}", methods=["DELETE"])
def delete_statement(tracking_no):
    services().statements.delete(_me(), tracking_no)
    return json_response(204)


@route("/v1/me/inbox/{tracking_no}/document", methods=["GET"])
def statement_document(tracking_no):
    return json_response(200, services().statements.document_url(_me(), tracking_no))


@route("/v1/me/inbox/{tracking_no}/permits", methods=["POST"])
def issue_permit(tracking_no):
    from chalicelib.http.schemas import PermitRequest

    request = statements.current_request
    person = _me()
    body = parse_body(request, PermitRequest)
    return json_response(201, services().permits.issue(person, tracking_no, body.validity, idempotency_key(request),
                                                       body.label))


@route("/v1/me/inbox/{tracking_no}/permits/{permit_id}", methods=["DELETE"])
def revoke_permit(tracking_no, permit_id):
    services().permits.revoke(_me(), tracking_no, permit_id)
    return json_response(204)


@route("/v1/me/inbox/{tracking_no}/mailbox", methods=["POST"])
def deliver_to_mailbox(tracking_no):
    return json_response(202, services().statements.request_mailbox(_me(), tracking_no))


@route("/verify/{document_id}", methods=["GET"])
def verify_on_api(document_id):
    return json_response(200, services().statements.verify(document_id))
