"""Sabeghe's HTTP API and Lambda functions. Each handler parses input, calls one domain service, shapes the
answer; the services are wired in chalicelib/wiring.py.

Heavy libraries stay out of this module's import: pydantic (request bodies) is imported inside the handlers
that take a body, and fpdf2 lives only in the PDF Lambda."""
from chalice import Chalice

from chalicelib.domain.errors import InvalidValue
from chalicelib.http.handling import handled, request_logger
from chalicelib.http.parsing import bearer_token, client_ip, parse_body
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
