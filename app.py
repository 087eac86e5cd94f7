"""Sabeghe's HTTP API and Lambda functions.

The API's routes live in blueprints, one per section (chalicelib/routes/); the Lambda functions below are a few
lines each. Every handler reaches its service through `services()`, built by chalicelib/bootstrap.py.

Heavy libraries stay out of this module's import: pydantic (request bodies) is imported inside the handlers
that take a body, and fpdf2 lives only in the PDF Lambda."""
from chalice import Chalice

from chalicelib.bootstrap import services
from chalicelib.http.handling import contract_errors, request_logger
from chalicelib.routes.accounts import accounts
from chalicelib.routes.my_data import my_data
from chalicelib.routes.pages import pages
from chalicelib.routes.staff import staff_routes
from chalicelib.routes.statements import statements

app = Chalice(app_name="sabeghe")
app.debug = False  # tracebacks never reach clients
app.register_middleware(request_logger, "http")
app.register_middleware(contract_errors, "http")
for blueprint in (pages, accounts, my_data, statements, staff_routes):
    app.register_blueprint(blueprint)

_institution = None


@app.lambda_function(name="inquiry")
def inquiry(event, context):
    """The institution inquiry function, behind its function URL (routes: chalicelib/routes/institution.py)."""
    global _institution
    if _institution is None:
        from chalicelib.http.openapi import serve_inquiry_document
        from chalicelib.routes.institution import institution_router

        _institution = institution_router()
        _institution.add("GET", "/openapi.json", serve_inquiry_document)  # this function's own OpenAPI document
    return _institution(event)


@app.lambda_function(name="render_statement")
def render_statement(event, context):
    """SQS consumer: draws the PDF of a requested statement."""
    from chalicelib.http.workers import each_message

    return each_message(event, lambda body, _attempt: services().rendering.render(body["national_code"],
                                                                                 body["tracking_no"]))


@app.lambda_function(name="deliver_mailbox")
def deliver_mailbox(event, context):
    """SQS consumer: hands a ready statement to the national e-mailbox."""
    from chalicelib.http.workers import each_message

    return each_message(event, lambda body, attempt: services().mailbox.deliver(body["national_code"],
                                                                               body["tracking_no"], attempt),
                        context, reserve_seconds=15)  # the gateway's 10 s timeout, and the PDF's read


@app.lambda_function(name="send_sms")
def send_sms(event, context):
    """SQS consumer: hands a queued text message to the SMS provider, once, within the day's cap."""
    from chalicelib.http.workers import each_message

    return each_message(event, lambda message, attempt: services().sms.deliver(message, attempt),
                        context, reserve_seconds=12)  # the provider's 8 s timeout, and the records


@app.lambda_function(name="follow_up")
def follow_up(event, context):
    """The requests table's stream: what follows a change (tasks left by a change, a view's timeline entry and
    first-view SMS)."""
    from chalicelib.http.workers import each_change
    from chalicelib.storage.dynamodb.changes import change_of

    def handle(record):
        change = change_of(record)
        return services().follow_up.changed(*change) if change else "ignored"

    return each_change(event, handle)


@app.lambda_function(name="ingest_list")
def ingest_list(event, context):
    """The lists bucket's object-created events (EventBridge's, or a bucket notification's): an employer's monthly
    list into the registry, with its report. A list another list of the same month is writing raises, and Lambda
    tries the event again later."""
    from chalicelib.http.workers import uploaded_keys

    lists = services().lists
    return [lists.ingest(key) for key in uploaded_keys(event)]


@app.schedule("rate(1 hour)", name="cleanup")
def cleanup(event):
    """Expires permits and requests that are due and removes PDFs nobody can reach any more."""
    import os

    # Chalice hands schedules no Lambda context: the budget stays well below the 300 s timeout set in infra/.
    return services().cleanup.run(budget_seconds=float(os.environ.get("CLEANUP_BUDGET_SECONDS", "240")))
