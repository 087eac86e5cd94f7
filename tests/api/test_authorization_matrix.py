"""The authorization matrix: every route of the API × every kind of caller, with the answer each must get.

The rows come from the route table itself (`app.routes`, which holds every blueprint's routes), so a route added
later is in the matrix the moment it exists; a route whose path the classification below does not know fails
`test_every_route_is_classified` (and its own cases) until someone says who may call it.

The columns, relative to the route's owner (the insured person for /v1/me..., a staff member for /v1/staff/...):

    none          no Authorization header
    expired       the owner's own session, signed with the right key, its expiry in the past
    forged        the owner's exact claims (real session id, future expiry) signed with a wrong key
    tampered      another person's genuine token whose claims were edited to name the owner (signature kept)
    other-person  another insured person's valid token
    wrong-role    a valid token of the other role (staff on insured routes, the insured owner on staff routes)
    owner         the owner's valid token

Path parameters are the owner's real data (a ready statement and its permit, an objection, a list), bodies are
minimal valid JSON. Every answer, whatever the caller, must be below 500, must not echo the Authorization header,
and every 4xx must have the contract's shape {"error": {"code", "message"}}. For callers that must be refused
(401/403) the route is also called with a malformed body and a malformed Idempotency-Key: authentication has to be
decided before either is looked at.

The data is created once per module. A case that could change state (a method other than GET, by a caller with a
valid token, on a route that needs one) is followed by a check of the three sessions, and a new login replaces one
the call ended (a logout); the owner's such case works on fresh resources of its own. So the cases do not depend
on their order (or on how pytest-xdist spreads them)."""
from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass, field

import pytest

from app import app

# --- the classification -----------------------------------------------------------------------------------------
PUBLIC, INSURED, STAFF, PAGE = "public", "insured", "staff", "page"

# Exact paths are looked at first, so the exceptions to a prefix are spelt out here.
EXACT = {
    "/v1/auth/logout": INSURED,  # under /v1/auth/, but it ends the caller's own session
    "/v1/staff/auth/login": PUBLIC,
    "/v1/me": INSURED,
    "/v1/agreement": PUBLIC,  # the agreement's text, shown before login
    "/openapi.json": PUBLIC,
    "/": PAGE,
    "/staff": PAGE,
}
PREFIXES = (
    ("/v1/auth/", PUBLIC),  # register, activate, login, password reset, ...
    ("/v1/staff/", STAFF),
    ("/v1/me/", INSURED),
    ("/verify/", PUBLIC),
    ("/assets/", PAGE),
)


def classify(path: str) -> str | None:
    if path in EXACT:
        return EXACT[path]
    return next((kind for prefix, kind in PREFIXES if path.startswith(prefix)), None)


def route_table() -> list[tuple[str, str]]:
    return sorted((method, path) for path, methods in app.routes.items() for method in methods)


def path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


NONE, EXPIRED, FORGED, TAMPERED, OTHER, WRONG_ROLE, OWNER = (
    "none", "expired", "forged", "tampered", "other-person", "wrong-role", "owner")
CALLERS = (NONE, EXPIRED, FORGED, TAMPERED, OTHER, WRONG_ROLE, OWNER)
VALID_CALLERS = (OTHER, WRONG_ROLE, OWNER)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
BODY_METHODS = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class Expect:
    status: int | None = None  # exactly this status...
    code: str | None = None  # ...with this error code
    refused: frozenset = frozenset()  # or: any status but these
    success: bool = False  # or: a 2xx

    def __str__(self) -> str:
        if self.status:
            return f"{self.status} {self.code or ''}".strip()
        if self.success:
            return "2xx"
        return "not " + "/".join(map(str, sorted(self.refused))) if self.refused else "anything below 500"

    def problem(self, status: int, data) -> str | None:
        if self.status is not None:
            if status != self.status:
                return f"expected {self}, got {status}"
            got = ((data or {}).get("error") or {}).get("code") if isinstance(data, dict) else None
            if self.code and got != self.code:
                return f"expected {self}, got {status} {got}"
        if self.success and not 200 <= status < 300:
            return f"expected 2xx, got {status}"
        if status in self.refused:
            return f"expected {self}, got {status}"
        return None

    @property
    def is_refusal(self) -> bool:
        return self.status in (401, 403)


def expectation(kind: str, caller: str, method: str, path: str) -> Expect:
    if kind in (INSURED, STAFF):
        if caller == NONE:
            return Expect(401, "not_logged_in")
        if caller == EXPIRED:
            return Expect(401, "token_expired")
        if caller in (FORGED, TAMPERED):
            return Expect(401, "invalid_token")
        if caller == WRONG_ROLE or (kind == STAFF and caller == OTHER):
            return Expect(403, "wrong_role")
        if caller == OTHER:  # insured routes: a resource of the owner's is not found; one's own collections work
            return Expect(404, "not_found") if path_params(path) else Expect(refused=frozenset({401, 403}))
        # The owner, on the owner's real data: a 2xx wherever the matrix knows the route's input (every route it was
        # written for); a route added later with a body nobody described here need only get past authorization.
        if method not in BODY_METHODS or (method, path) in bodies():
            return Expect(success=True)
        return Expect(refused=frozenset({401, 403, 404}))
    if kind == PUBLIC:
        return Expect(refused=frozenset({401, 403})) if caller == NONE else Expect()
    if kind == PAGE:
        return Expect(success=True) if caller == NONE else Expect()
    raise AssertionError(f"no expectations for routes of kind {kind!r}")


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    caller: str
    kind: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path} x {self.caller}"

    @property
    def may_change(self) -> bool:
        """A call that could change data or end the caller's session (a logout): the session is checked after it."""
        return self.method not in SAFE_METHODS and self.kind in (INSURED, STAFF) and self.caller in VALID_CALLERS

    @property
    def changes_owner_data(self) -> bool:
        """The owner's own change (a delete, a revocation, a decision...): it is made on resources of its own. Other
        callers must change nothing, so they are pointed at the shared ones (if they changed them, their own case
        fails, first)."""
        return self.may_change and self.caller == OWNER


# Real authorization bugs found by the matrix: {(method, path, caller): reason}. Each stays a strict xfail so that
# fixing the app turns it into a failure that asks for the entry to be removed.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


def matrix() -> list:
    cases = []
    for method, path in route_table():
        for caller in CALLERS:
            case = Case(method, path, caller, classify(path))
            bug = KNOWN_BUGS.get((method, path, caller))
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            cases.append(pytest.param(case, id=str(case), marks=marks))
    return cases


# --- the data every route is called with ------------------------------------------------------------------------
OTHER_NC, OTHER_MOBILE, OTHER_BIRTH, OTHER_PASSWORD = "0013542419", "09121234567", "1370/01/15", "Kh0shbakht-2024"
OBJECTION = {"kind": "missing", "workshop_code": "2000300040", "from": "1395/07", "to": "1395/07",
             "description": "ماه اول کار ثبت نشده است"}


def bodies() -> dict:
    from devstack.seed import DEMO_NATIONAL_CODE, DEMO_PASSWORD, STAFF_PASSWORD, STAFF_USERNAME

    return {
        ("POST", "/v1/auth/register"): {"national_code": OTHER_NC, "mobile": OTHER_MOBILE,
                                        "birth_date": OTHER_BIRTH, "password": OTHER_PASSWORD},
        ("POST", "/v1/auth/activate"): {"national_code": OTHER_NC, "otp": "123456"},
        ("POST", "/v1/auth/login"): {"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD},
        ("POST", "/v1/auth/logout"): None,
        ("POST", "/v1/staff/auth/login"): {"username": STAFF_USERNAME, "password": STAFF_PASSWORD},
        ("POST", "/v1/staff/auth/logout"): None,
        ("POST", "/v1/me/objections"): OBJECTION,
        ("POST", "/v1/me/statements"): {"kind": "summary", "agree": True},
        ("POST", "/v1/me/inbox/{tracking_no}/permits"): {"validity": "day"},
        ("POST", "/v1/me/inbox/{tracking_no}/mailbox"): None,
        ("POST", "/v1/staff/objections/{tracking_no}/decision"): {"decision": "reject",
                                                                  "reason": "کارفرما برای این ماه لیستی نداده است"},
        ("POST", "/v1/staff/lists"): {"filename": "list.zip", "size": 100},
    }


def body_for(method: str, path: str):
    known = bodies()
    if (method, path) in known:
        return known[(method, path)]
    return {} if method in BODY_METHODS else None  # a route added later: the smallest JSON object


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class World:
    """One moto account with the demo person (the owner), another insured person, a staff member and the owner's
    data, all made through the API."""

    def __init__(self, api, services):
        from devstack.seed import DEMO_NATIONAL_CODE, STAFF_USERNAME

        self.api, self.services = api, services
        self.subjects = {"owner": DEMO_NATIONAL_CODE, "other": OTHER_NC, "staff": STAFF_USERNAME}
        self.tokens = {who: self.login(who) for who in ("owner", "other", "staff")}
        self.secrets: set[str] = {DEMO_NATIONAL_CODE}  # the owner's data nobody else may see
        self.shared = self.owner_data()
        # The ready statements the cases that may change one will take, made together (one drawing pass).
        wanted = sum(1 for p in matrix() if p.values[0].changes_owner_data and p.values[0].kind == INSURED
                     and path_params(p.values[0].path))
        self.spare_statements = self.ready_statements(wanted)

    # sessions ----------------------------------------------------------------------------------------------------
    def login(self, who: str) -> str:
        from devstack.seed import DEMO_PASSWORD, STAFF_PASSWORD, STAFF_USERNAME

        if who == "staff":
            answer = self.api.post("/v1/staff/auth/login", {"username": STAFF_USERNAME, "password": STAFF_PASSWORD})
        else:
            code, password = (self.subjects["owner"], DEMO_PASSWORD) if who == "owner" else (OTHER_NC, OTHER_PASSWORD)
            answer = self.api.post("/v1/auth/login", {"national_code": code, "password": password})
        assert answer.status_code == 200, answer.body
        return answer.data["token"]

    # the owner's data --------------------------------------------------------------------------------------------
    def ready_statements(self, count: int) -> list[str]:
        from tests.conftest import render_pending

        made = []
        for _ in range(count):
            created = self.api.post("/v1/me/statements", {"kind": "summary", "agree": True},
                                    token=self.tokens["owner"])
            assert created.status_code == 201, created.body
            made.append(created.data["tracking_no"])
        render_pending()
        self.secrets |= set(made)
        return made

    def owner_data(self) -> dict:
        """A ready statement with a live permit (the insured owner's), a submitted objection of the owner's (for the
        staff routes) and a list a staff member started."""
        from chalicelib.web import pages as web_pages

        owner, staff = self.tokens["owner"], self.tokens["staff"]
        [tracking] = self.ready_statements(1)
        item = self.api.get(f"/v1/me/inbox/{tracking}", token=owner)
        assert item.status_code == 200 and item.data["status"] == "ready", item.body
        permit = self.api.post(f"/v1/me/inbox/{tracking}/permits", {"validity": "week"}, token=owner)
        assert permit.status_code == 201, permit.body
        objection = self.api.post("/v1/me/objections", OBJECTION, token=owner)
        assert objection.status_code == 201, objection.body
        started = self.api.post("/v1/staff/lists", {"filename": "list.zip", "size": 100}, token=staff)
        assert started.status_code == 201, started.body
        data = {
            (INSURED, "tracking_no"): tracking,
            (INSURED, "permit_id"): permit.data["permit_id"],
            (STAFF, "tracking_no"): objection.data["tracking_no"],
            (STAFF, "list_id"): started.data["list_id"],
            (PUBLIC, "document_id"): item.data["document_id"],
            (PAGE, "name"): sorted(os.listdir(os.path.join(os.path.dirname(web_pages.__file__), "assets")))[0],
        }
        self.secrets |= {tracking, permit.data["permit_id"], item.data["document_id"], objection.data["tracking_no"]}
        return data

    def fresh_owner_data(self, kind: str, names: list[str]) -> dict:
        """New resources of the owner's, only those the route names (a case that may change or delete them)."""
        data = {}
        if kind == INSURED and names:
            owner = self.tokens["owner"]
            tracking = self.spare_statements.pop() if self.spare_statements else self.ready_statements(1)[0]
            data[(INSURED, "tracking_no")] = tracking
            if "permit_id" in names:
                permit = self.api.post(f"/v1/me/inbox/{tracking}/permits", {"validity": "day"}, token=owner)
                assert permit.status_code == 201, permit.body
                data[(INSURED, "permit_id")] = permit.data["permit_id"]
        if kind == STAFF and "tracking_no" in names:
            objection = self.api.post("/v1/me/objections", OBJECTION, token=self.tokens["owner"])
            assert objection.status_code == 201, objection.body
            data[(STAFF, "tracking_no")] = objection.data["tracking_no"]
        if kind == STAFF and "list_id" in names:
            started = self.api.post("/v1/staff/lists", {"filename": "list.zip", "size": 100},
                                    token=self.tokens["staff"])
            assert started.status_code == 201, started.body
            data[(STAFF, "list_id")] = started.data["list_id"]
        self.secrets |= set(data.values())
        return data

    def keep_sessions(self) -> None:
        """Log in again whoever's session a call ended (a logout), so that later cases find it open."""
        from chalicelib.domain.errors import DomainError

        for who, token in self.tokens.items():
            try:
                self.services.accounts.authenticate(token, "staff" if who == "staff" else "insured")
            except DomainError:
                self.tokens[who] = self.login(who)

    # the columns -------------------------------------------------------------------------------------------------
    def token_for(self, kind: str, caller: str) -> str | None:
        from chalicelib.domain import tokens

        owner = "staff" if kind == STAFF else "owner"
        if caller == NONE:
            return None
        if caller in VALID_CALLERS:
            who = {OWNER: owner, OTHER: "other", WRONG_ROLE: "owner" if kind == STAFF else "staff"}[caller]
            return self.tokens[who]
        claims = claims_of(self.tokens[owner])
        key = self.services.adapters.keys.key("token_key")
        principal = tokens.Principal(claims["sub"], claims["role"], claims["sid"], int(claims["exp"]))
        if caller == EXPIRED:
            now = self.services.clock.epoch()
            return tokens.issue(key, tokens.Principal(principal.subject, principal.role, principal.session_id,
                                                      now - 60))
        if caller == FORGED:
            forged = tokens.issue(bytes(b ^ 0x5A for b in key), principal)  # same length, every byte wrong
            assert forged != self.tokens[owner]
            return forged
        if caller == TAMPERED:  # the other person's genuine token, edited to name the owner
            donor = self.tokens["other"]
            edited = {**claims_of(donor), "sub": claims["sub"], "role": claims["role"]}
            version, _, signature = donor.split(".")
            return f"{version}.{b64(json.dumps(edited, separators=(',', ':')).encode())}.{signature}"
        raise AssertionError(f"unknown caller {caller!r}")

    def fill(self, kind: str, path: str, data: dict) -> str:
        def value(match):
            name = match.group(1)
            if (kind, name) in data:
                return str(data[(kind, name)])
            found = {v for (_, n), v in data.items() if n == name}  # a value another section names the same way
            if len(found) == 1:
                return str(found.pop())
            raise AssertionError(f"the matrix has no value for {{{name}}} in {path}: teach World.owner_data one")

        return re.sub(r"{(\w+)}", value, path)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """tests/conftest.py's `aws` + `api` + `demo`, once for the whole module (those fixtures are per test)."""
    from chalice.test import Client
    from moto import mock_aws

    import tests.conftest as shared
    from chalicelib import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client
    from chalicelib.storage.schema import create_all
    from devstack.moto_atomic import atomic_dynamodb_calls
    from devstack.seed import seed_active_person, seed_demo

    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
            patch.delenv(name, raising=False)
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("APP_ENV", "local")
        patch.setenv("OUTBOX_PATH", str(tmp_path_factory.mktemp("matrix") / "outbox.jsonl"))
        atomic_dynamodb_calls(patch.setattr)
        with mock_aws():
            bootstrap.reset()
            for name, value in create_all(load_settings(), client).items():
                patch.setenv(name, value)
            bootstrap.reset()
            shared._streams.clear()
            services = bootstrap.services()
            seed_demo(services)
            seed_active_person(services, OTHER_NC, OTHER_MOBILE, OTHER_BIRTH, OTHER_PASSWORD)
            try:
                with Client(app) as chalice_client:
                    yield World(shared.Api(chalice_client), services)
            finally:
                shared._streams.clear()
                bootstrap.reset()


# --- the tests --------------------------------------------------------------------------------------------------
def test_every_route_is_classified():
    unknown = [f"{m} {p}" for m, p in route_table() if classify(p) is None]
    assert not unknown, (f"routes nobody has classified as {PUBLIC}/{INSURED}/{STAFF}/{PAGE}: {unknown}; "
                         "add their paths to EXACT or PREFIXES in this module")


def test_the_matrix_is_the_route_table_times_every_caller():
    routes = route_table()
    cases = {(p.values[0].method, p.values[0].path) for p in matrix()}
    assert cases == set(routes) and len(matrix()) == len(routes) * len(CALLERS)
    assert len(routes) >= 30  # the table was read (not, say, an empty app)


def test_the_classification_knows_the_sections():
    assert classify("/v1/auth/password-reset") == classify("/v1/auth/password-reset/confirm") == PUBLIC
    assert classify("/v1/auth/logout") == classify("/v1/me/inbox/{tracking_no}") == INSURED
    assert classify("/v1/staff/auth/login") == PUBLIC and classify("/v1/staff/lists/{list_id}") == STAFF
    assert classify("/v1/somewhere-new") is None and classify("/v1/meanwhile") is None


@pytest.mark.parametrize("case", matrix())
def test_authorization(world, case):
    assert case.kind is not None, f"{case.path} is not classified: add it to EXACT or PREFIXES"
    expected = expectation(case.kind, case.caller, case.method, case.path)
    names = path_params(case.path)
    data = {**world.shared, **(world.fresh_owner_data(case.kind, names) if case.changes_owner_data else {})}
    path = world.fill(case.kind, case.path, data)
    token = world.token_for(case.kind, case.caller)
    try:
        call_and_check(world, case, expected, path, token)
    finally:
        if case.may_change:
            world.keep_sessions()


def call_and_check(world, case, expected, path, token):
    body = body_for(case.method, case.path)
    calls = [("the minimal valid body", dict(body=body))]
    if expected.is_refusal and case.method in BODY_METHODS:
        calls.append(("a malformed body and Idempotency-Key",
                      dict(raw="{not json", headers={"Idempotency-Key": "not a key!"})))
    for label, sent in calls:
        answer = world.api.call(case.method.lower(), path, token=token, **sent)
        where = f"{case.method} {path} as {case.caller}, {label}"
        text = answer.body.decode("utf-8", "replace") if isinstance(answer.body, bytes) else str(answer.body or "")
        assert answer.status_code < 500, f"{where}: {answer.status_code} {text[:300]}"
        if 400 <= answer.status_code < 500:
            error = answer.data.get("error") if isinstance(answer.data, dict) else None
            assert isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(
                error.get("message"), str), f"{where}: a {answer.status_code} not in the error shape: {text[:300]}"
        problem = expected.problem(answer.status_code, answer.data)
        assert problem is None, f"{where}: {problem}: {text[:300]}"
        if token:
            headers = " ".join(f"{k}: {v}" for k, v in answer.headers.items())
            for echoed in (f"Bearer {token}", token, token.split(".")[-1]):
                assert echoed not in text and echoed not in headers, f"{where}: the Authorization header is echoed"
        if case.caller == OTHER and case.kind in (INSURED, STAFF):
            leaked = [s for s in world.secrets if s not in path  # what one sent is no leak
                      and re.search(rf"(?<![0-9A-Za-z]){re.escape(s)}(?![0-9A-Za-z])", text)]
            assert not leaked, f"{where}: another person sees the owner's {leaked}"
