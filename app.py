"""Sabeghe's HTTP API and Lambda functions. Each handler parses input, calls one domain service, shapes the
answer; the services are wired in chalicelib/wiring.py.

Heavy libraries stay out of this module's import: pydantic (request bodies) is imported inside the handlers
that take a body, and fpdf2 lives only in the PDF Lambda."""
from chalice import Chalice

from chalicelib.domain.errors import InvalidValue
from chalicelib.http.handling import handled, request_logger
from chalicelib.http.parsing import bearer_token, client_ip, idempotency_key, parse_body
from chalicelib.http.responses import json_response
from chalicelib.wiring import services

app = Chalice(app_name="sabeghe")
app.debug = False  # tracebacks never reach clients
app.register_middleware(request_logger, "http")


def route(path, **options):
    def register(view):
        return app.route(path, **options)(handled(view))

    return register


def request():
    return app.current_request


def insured():
    return services().accounts.authenticate(bearer_token(request()), "insured")


def staff():
    return services().accounts.authenticate(bearer_token(request()), "staff")


# --- pages and documentation ---------------------------------------------------------------------------
@route("/", methods=["GET"])
def portal_page():
    from chalicelib.web.pages import page

    return page("portal")


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


# --- accounts ------------------------------------------------------------------------------------------
@route("/v1/auth/register", methods=["POST"])
def register():
    from chalicelib.http.schemas import Register

    body = parse_body(request(), Register)
    answer = services().accounts.register(body.national_code, body.mobile, body.birth_date, body.password)
    return json_response(202, answer)


@route("/v1/auth/activate", methods=["POST"])
def activate():
    from chalicelib.http.schemas import Activate

    body = parse_body(request(), Activate)
    return json_response(200, services().accounts.activate(body.national_code, body.otp))


@route("/v1/auth/login", methods=["POST"])
def login():
    from chalicelib.http.schemas import Login

    body = parse_body(request(), Login)
    return json_response(200, services().accounts.login(body.national_code, body.password, client_ip(request())))


@route("/v1/auth/logout", methods=["POST"])
def logout():
    services().accounts.logout(insured())
    return json_response(204)


@route("/v1/staff/auth/login", methods=["POST"])
def staff_login():
    from chalicelib.http.schemas import StaffLogin

    body = parse_body(request(), StaffLogin)
    return json_response(200, services().accounts.staff_login(body.username, body.password, client_ip(request())))


@route("/v1/staff/auth/logout", methods=["POST"])
def staff_logout():
    services().accounts.logout(staff())
    return json_response(204)


# --- the insured person's own data ---------------------------------------------------------------------
@route("/v1/me", methods=["GET"])
def me():
    return json_response(200, services().accounts.profile(insured().subject))


@route("/v1/me/records", methods=["GET"])
def my_records():
    return json_response(200, services().records.history(insured().subject))


@route("/v1/me/records/wages", methods=["GET"])
def my_wages():
    person = insured()
    return json_response(200, services().records.wages(person.subject, _year_param()))


@route("/v1/me/activity", methods=["GET"])
def my_activity():
    person = insured()
    params = request().query_params or {}
    return json_response(200, services().timeline.page(person.subject, params.get("cursor"), _limit_param()))


def _year_param():
    from chalicelib.domain.digits import to_ascii_digits

    raw = (request().query_params or {}).get("year")
    if raw is None:
        return None
    text = to_ascii_digits(raw).strip()
    if not text.isdigit():
        raise InvalidValue("The year must be a Jalali year such as 1402.", code="invalid_year")
    return int(text)


def _limit_param(default=20, largest=100):
    raw = (request().query_params or {}).get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= largest:
        raise InvalidValue(f"limit must be a whole number from 1 to {largest}.", code="invalid_limit")
    return int(raw)


# --- statements and the personal inbox -----------------------------------------------------------------
@route("/v1/agreement", methods=["GET"])
def agreement():
    from chalicelib.domain.statement_kinds import agreement as current_agreement

    return json_response(200, current_agreement())


@route("/v1/me/statements", methods=["POST"])
def request_statement():
    from chalicelib.http.schemas import StatementRequest

    person = insured()
    body = parse_body(request(), StatementRequest)
    key = idempotency_key(request())
    return json_response(201, services().statements.request(person.subject, body.kind, body.agree, key))


@route("/v1/me/inbox", methods=["GET"])
def inbox():
    person = insured()
    params = request().query_params or {}
    return json_response(200, services().statements.inbox(person.subject, params.get("cursor"), _limit_param()))


@route("/v1/me/inbox/{tracking_no}", methods=["GET"])
def inbox_item(tracking_no):
    return json_response(200, services().statements.item(insured().subject, tracking_no))


@route("/v1/me/inbox/{tracking_no}", methods=["DELETE"])
def delete_statement(tracking_no):
    services().statements.delete(insured().subject, tracking_no)
    return json_response(204)


@route("/v1/me/inbox/{tracking_no}/document", methods=["GET"])
def statement_document(tracking_no):
    return json_response(200, services().statements.document_url(insured().subject, tracking_no))


@route("/v1/me/inbox/{tracking_no}/permits", methods=["POST"])
def issue_permit(tracking_no):
    from chalicelib.http.schemas import PermitRequest

    person = insured()
    body = parse_body(request(), PermitRequest)
    return json_response(201, services().permits.issue(person.subject, tracking_no, body.validity))


@route("/v1/me/inbox/{tracking_no}/permits/{permit_id}", methods=["DELETE"])
def revoke_permit(tracking_no, permit_id):
    services().permits.revoke(insured().subject, tracking_no, permit_id)
    return json_response(204)


@route("/v1/me/inbox/{tracking_no}/mailbox", methods=["POST"])
def deliver_to_mailbox(tracking_no):
    return json_response(202, services().statements.request_mailbox(insured().subject, tracking_no))


@route("/verify/{document_id}", methods=["GET"])
def verify_on_api(document_id):
    return json_response(200, services().statements.verify(document_id))


# --- the institution inquiry function (a Lambda function URL) ------------------------------------------
def _institution_page(event):
    from chalicelib.http.function_url import respond
    from chalicelib.web.pages import html, security_headers

    return respond(200, html("institution"), "text/html; charset=utf-8", security_headers())


def _asset(event, name):
    from chalicelib.http.function_url import respond
    from chalicelib.web.pages import asset

    body, headers = asset(name)
    return respond(200, body, headers["Content-Type"], headers)


def _inquire(event):
    from chalicelib.http.function_url import respond
    from chalicelib.http.parsing import validate
    from chalicelib.http.schemas import Inquiry

    body = validate(Inquiry, event.json())
    answer = services().inquiry.inquire(body.identifier, body.passcode, event.source_ip, event.user_agent,
                                        _verify_base(event))
    return respond(200, answer)


def _verify(event, document_id):
    from chalicelib.http.function_url import respond

    if "text/html" in event.headers.get("accept", ""):
        # A person who scanned the PDF's QR code: show the panel's verification view, not raw JSON.
        return respond(302, "", headers={"Location": f"/?verify={document_id}"})
    return respond(200, services().statements.verify(document_id))


def _verify_base(event):
    # On AWS the function knows its own URL only from the request; locally the adapter sets the host.
    return services().settings.public_verify_base_url if services().settings.is_local else event.base_url


_inquiry_router = None


@app.lambda_function(name="inquiry")
def inquiry(event, context):
    global _inquiry_router
    if _inquiry_router is None:
        from chalicelib.http.function_url import Router

        _inquiry_router = Router()
        _inquiry_router.add("GET", "/", _institution_page)
        _inquiry_router.add("GET", r"/assets/(?P<name>[a-z0-9_.-]{1,40})", _asset)
        _inquiry_router.add("POST", "/", _inquire)
        _inquiry_router.add("GET", r"/verify/(?P<document_id>[A-Za-z0-9]{1,40})", _verify)
    return _inquiry_router(event)


# --- workers: SQS consumers wired by the CDK stack, and the schedule -----------------------------------
@app.lambda_function(name="render_statement")
def render_statement(event, context):
    from chalicelib.http.workers import each_message

    return each_message(event, lambda body, _attempt: services().rendering.render(body["national_code"],
                                                                                 body["tracking_no"]))


@app.lambda_function(name="deliver_mailbox")
def deliver_mailbox(event, context):
    from chalicelib.http.workers import each_message

    return each_message(event, lambda body, attempt: services().mailbox.deliver(body["national_code"],
                                                                               body["tracking_no"], attempt))


@app.schedule("rate(1 hour)", name="cleanup")
def cleanup(event):
    import os

    # Chalice hands schedules no Lambda context: the budget stays well below the 300 s timeout set in infra/.
    return services().cleanup.run(budget_seconds=float(os.environ.get("CLEANUP_BUDGET_SECONDS", "240")))
