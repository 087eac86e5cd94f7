"""Schemathesis against the running local stack: every operation of the API's document (GET /openapi.json on the
API address) and of the inquiry function's (GET /openapi.json on its address).

For each operation, in this order:
1. cases with the ids of real things made first (a ready statement, its permit and document, an objection, a list;
   the inquiry with the real passcode), so the success answers are checked too;
2. Schemathesis's coverage cases (boundary values, missing fields, wrong types), a bounded share of them;
3. cases Hypothesis generates from the document, positive and negative; for the routes that take a national code or
   a passcode, also with well-formed ones (a valid check digit, 15 digits), which reach the service behind the
   validation: wrong passwords, wrong passcodes and the throttles they set off.

What must hold for every case: no 5xx, a status code the document lists for the operation, the content type it
lists, a body that matches the schema it lists, and the headers it requires (Retry-After on a 429).

Deterministic: a fixed seed (SABEGHE_FUZZ_SEED, default 1403), no example database, no shrinking; the number of
cases per operation is bounded (SABEGHE_FUZZ_EXAMPLES per mode, default 12; SABEGHE_FUZZ_COVERAGE coverage cases,
default 12). Authenticated as the demo person (from a device that logged in before, so the fuzzed wrong passwords
never lock it out) and as the demo staff user for /v1/staff, logging in again whenever a session ends; the operations
that end a session or delete what others use run last. Locally every client is 127.0.0.1 (chalice local fills
sourceIp itself and X-Forwarded-For is not read), so the throttles soon answer fuzzed cases 429, which the documents
list: the cases with real credentials run before them."""
from __future__ import annotations

import json
import os
import time

import pytest
import requests

from tests.stack.conftest import RunningStack

pytestmark = pytest.mark.stack

SEED = int(os.environ.get("SABEGHE_FUZZ_SEED", "1403"))
EXAMPLES = int(os.environ.get("SABEGHE_FUZZ_EXAMPLES", "12"))
COVERAGE = int(os.environ.get("SABEGHE_FUZZ_COVERAGE", "12"))
ANCHORED = max(2, EXAMPLES // 3)
DEMO = {"national_code": "0499370899", "password": "Sabeghe-demo-1403"}
STAFF = {"username": "staff", "password": "Sabeghe-staff-1403"}

# Run after everything else, in this order: they revoke, delete, decide or log out.
LAST = ["revokePermit", "deleteStatement", "decideObjection", "logout", "staffLogout"]
ENDS_SESSION = {"insured": "logout", "staff": "staffLogout"}
# The methods the local servers implement: chalice local's, and devstack's stand-in for the function URL.
SERVED_BY_CHALICE_LOCAL = frozenset({"GET", "PUT", "POST", "HEAD", "DELETE", "PATCH", "OPTIONS"})
SERVED_BY_FUNCTION_URL_SERVER = frozenset({"GET", "POST", "PUT", "DELETE", "OPTIONS"})


def national_codes():
    """Well-formed national codes (the check digit right): the demo person's, or anyone's."""
    from hypothesis import strategies as st

    def with_check_digit(first_nine: int) -> str:
        digits = f"{first_nine:09d}"
        rest = sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
        return digits + str(rest if rest < 2 else 11 - rest)

    return st.one_of(st.just(DEMO["national_code"]),
                     st.integers(1, 10**9 - 1).map(with_check_digit).filter(lambda code: len(set(code)) > 1))


def well_formed_fields() -> dict:
    """Body fields that pass validation, per operation: the cases reach the service behind it."""
    from hypothesis import strategies as st

    passcodes = st.from_regex(r"\A[0-9]{5}-[0-9]{5}-[0-9]{5}\Z")
    otps = st.from_regex(r"\A[0-9]{6}\Z")
    mobiles = st.from_regex(r"\A09[0-9]{9}\Z")
    demo = st.just(DEMO["national_code"])  # wrong passcodes and passwords for one person set off the throttles
    return {
        "inquire": {"identifier": demo, "passcode": passcodes},
        "login": {"national_code": demo},
        "activate": {"national_code": national_codes(), "otp": otps},
        "register": {"national_code": national_codes(), "mobile": mobiles,
                     "birth_date": st.from_regex(r"\A13[0-9]{2}/(0[1-9]|1[0-2])/(0[1-9]|1[0-9]|2[0-9])\Z")},
        "passwordReset": {"national_code": national_codes(), "mobile": mobiles},
        "passwordResetConfirm": {"national_code": national_codes(), "otp": otps},
    }


class Sessions:
    """Bearer tokens of the demo person and the demo staff user; a new login whenever one has ended."""

    def __init__(self, stack: RunningStack):
        self.stack = stack
        self.tokens: dict[str, str] = {}
        self.device_token = None
        self.logins = 0

    def login(self, role: str) -> str:
        if role == "insured":
            path = "/v1/auth/login"
            body = {"national_code": DEMO["national_code"], "password": DEMO["password"]}
            if self.device_token:
                body["device_token"] = self.device_token
        else:
            path, body = "/v1/staff/auth/login", STAFF
        answer = requests.post(self.stack.api + path, json=body, timeout=30)
        # A 429 here: the run spent the per-client quota of password hashes (every client is 127.0.0.1 locally).
        assert answer.status_code == 200, f"{role} login: {answer.status_code} {answer.text[:300]}"
        self.tokens[role] = answer.json()["token"]
        if role == "insured":  # from now on a known device: fuzzed wrong passwords do not hold it up
            self.device_token = answer.json().get("device_token") or self.device_token
        self.logins += 1
        return self.tokens[role]

    def headers(self, role: str | None) -> dict:
        if role is None:
            return {}
        return {"Authorization": f"Bearer {self.tokens.get(role) or self.login(role)}"}

    def ended(self, role: str) -> None:
        self.tokens.pop(role, None)


class Anchors:
    """Real things made on the stack before fuzzing, whose ids some cases use."""

    def __init__(self, stack: RunningStack, sessions: Sessions):
        api = stack.api
        me, staff = sessions.headers("insured"), sessions.headers("staff")
        made = requests.post(f"{api}/v1/me/statements", json={"kind": "combined", "agree": True}, headers=me,
                             timeout=30)
        assert made.status_code == 201, made.text
        self.tracking_no = made.json()["tracking_no"]
        deadline = time.monotonic() + 60
        while True:
            item = requests.get(f"{api}/v1/me/inbox/{self.tracking_no}", headers=me, timeout=30).json()
            if item["status"] != "pending" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert item["status"] == "ready", item
        self.document_id = item["document_id"]
        link = requests.get(f"{api}/v1/me/inbox/{self.tracking_no}/document", headers=me, timeout=30).json()
        self.pdf = requests.get(link["url"], timeout=30).content  # the signed statement, as its holder downloads it
        permit = requests.post(f"{api}/v1/me/inbox/{self.tracking_no}/permits", json={"validity": "week"},
                               headers=me, timeout=30).json()
        self.permit_id, self.passcode = permit["permit_id"], permit["passcode"]
        objection = requests.post(f"{api}/v1/me/objections", headers=me, timeout=30, json={
            "kind": "deficient", "workshop_code": "2000300040", "from": "1402/01", "to": "1402/02",
            "description": "fuzzing"})
        assert objection.status_code == 201, objection.text
        self.objection = objection.json()["tracking_no"]
        listed = requests.post(f"{api}/v1/staff/lists", json={"filename": "list.zip", "size": 1000}, headers=staff,
                               timeout=30)
        assert listed.status_code == 201, listed.text
        self.list_id = listed.json()["list_id"]

    def path_parameters(self, operation_id: str) -> dict:
        return {"tracking_no": self.objection if operation_id == "decideObjection" else self.tracking_no,
                "permit_id": self.permit_id, "document_id": self.document_id, "list_id": self.list_id,
                "name": "common.js"}

    def inquiry_body(self) -> dict:
        return {"identifier": DEMO["national_code"], "passcode": self.passcode}

    def pdfs(self):
        """Bodies for the file check (application/pdf): the real statement, it changed or extended, a PDF without a
        signature, and bytes that only start like a PDF, or not even that."""
        from hypothesis import strategies as st

        from tests.services.helpers import minimal_pdf

        changed = bytearray(self.pdf)
        changed[len(changed) // 10] ^= 0x01
        return st.one_of(st.sampled_from([self.pdf, bytes(changed), self.pdf + b"\n% added\n",
                                          minimal_pdf("unsigned")]),
                         st.binary(max_size=2000).map(lambda tail: b"%PDF-1.7\n" + tail), st.binary(max_size=500))


class Fuzzer:
    def __init__(self, sessions: Sessions):
        from schemathesis.checks import not_a_server_error
        from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                                       response_schema_conformance, status_code_conformance)

        self.checks = [not_a_server_error, status_code_conformance, content_type_conformance,
                       response_schema_conformance, response_headers_conformance]
        self.sessions = sessions
        self.sent: set[str] = set()
        self.operations: set[tuple[str, str]] = set()
        self.cases = 0
        self.statuses: dict[int, int] = {}
        self.by_operation: dict[str, dict[int, int]] = {}
        self.succeeded: set[tuple[str, str]] = set()  # (address, operationId) that answered 2xx at least once
        self.failures: dict[tuple, str] = {}  # (operation, failure title, status) -> the first report

    # --- where cases come from ----------------------------------------------------------------------------------
    def generated(self, operation, base_url: str, role: str | None, mode, examples: int, fields=None,
                  **fixed) -> None:
        import hypothesis
        from hypothesis import HealthCheck, Phase, Verbosity
        from hypothesis import strategies as st

        strategy = operation.as_strategy(generation_mode=mode, **fixed)
        if fields:
            strategy = st.tuples(strategy, st.fixed_dictionaries(fields)).map(_with_fields)

        @hypothesis.settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                             verbosity=Verbosity.quiet, report_multiple_bugs=False, print_blob=False)
        @hypothesis.seed(SEED)
        @hypothesis.given(case=strategy)
        def each(case):
            self.call(case, operation, base_url, role)

        try:
            each()
        except hypothesis.errors.Unsatisfiable:
            pass  # nothing of this operation can be made invalid (or valid) in this mode

    def coverage(self, operation, base_url: str, role: str | None, limit: int, served: frozenset) -> None:
        """Schemathesis's coverage cases (deterministic): every request-shape probe (a method the operation does not
        have, a body that is not JSON) and `limit` of the others (boundaries, missing fields, wrong types), spread
        over the whole list."""
        from schemathesis import GenerationMode
        from schemathesis.generation.meta import REQUEST_SHAPE_PROBES, coverage_scenario

        schema = operation.schema
        cases = list(schema.iter_coverage_cases(operation, generation_modes=list(GenerationMode),
                                                generation_config=schema.config.generation_for(operation=operation)))
        probes = [case for case in cases if coverage_scenario(case) in REQUEST_SHAPE_PROBES]
        others = [case for case in cases if coverage_scenario(case) not in REQUEST_SHAPE_PROBES]
        step = max(1, len(others) / max(1, limit))
        for case in probes + [others[int(index * step)] for index in range(min(limit, len(others)))]:
            # A method the local server itself does not implement gets the standard library's 501 page before
            # anything of the service runs (on AWS the gateway or the function answers): not the service's answer.
            if case.method.upper() in served:
                self.call(case, operation, base_url, role)

    # --- one case -----------------------------------------------------------------------------------------------
    def call(self, case, operation, base_url: str, role: str | None) -> None:
        from schemathesis.core.failures import FailureGroup

        operation_id = operation.definition.raw.get("operationId")
        self.operations.add((base_url, operation.label))
        # Cases that differ only in what is replaced before sending (a generated bearer token) are sent once.
        request = case.as_transport_kwargs(base_url, headers=self.sessions.headers(role))
        request["headers"] = {k: v for k, v in request["headers"].items() if k != "X-Schemathesis-TestCaseId"}
        request = repr(sorted((k, v) for k, v in request.items() if k != "timeout"))
        if request in self.sent and operation_id not in ENDS_SESSION.values():
            return
        self.sent.add(request)
        self.cases += 1
        try:
            # A new connection each time (no session): chalice local writes an answer's head and body apart, and a
            # kept-alive connection waits ~40 ms for the delayed ACK between them.
            response = case.call(base_url=base_url, headers=self.sessions.headers(role), timeout=30)
        except requests.RequestException as exc:
            self.failures[(operation.label, "no answer", type(exc).__name__)] = f"{case.as_curl_command()}\n{exc}"
            return
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        seen = self.by_operation.setdefault(operation.label, {})
        seen[status] = seen.get(status, 0) + 1
        if 200 <= status < 300:
            self.succeeded.add((base_url, operation_id))
        found = []
        try:
            case.validate_response(response, checks=self.checks)
        except FailureGroup as group:
            found = [(failure.title, failure.message) for failure in group.exceptions]
        shape = contract_error_shape(response)
        if shape:  # checked for every case, the request-shape probes too (Schemathesis checks only their 5xx)
            found.append(("Error not in the contract's shape", shape))
        for title, message in found:
            self.failures.setdefault((f"{case.method.upper()} {operation.path}", title, status),
                                     f"{case.as_curl_command(headers=dict(response.request.headers))}\n"
                                     f"-> {status} {response.headers.get('content-type')}: {response.text[:600]}\n"
                                     f"{title}: {message[:1500]}")
        if role and self.ended_session(response, operation_id, role):
            self.sessions.ended(role)  # logged out, or the session ran out: the next case logs in again

    def ended_session(self, response, operation_id: str, role: str) -> bool:
        if operation_id == ENDS_SESSION.get(role) and response.status_code == 204:
            return True
        # Negative cases may drop or change the Authorization header: only our own token's 401 tells.
        ours = response.request.headers.get("Authorization") == self.sessions.headers(role)["Authorization"]
        return ours and response.status_code == 401 and "session_ended" in response.text

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(self.statuses.items()))
        return (f"fuzzing: {len(self.operations)} operations fuzzed, {self.cases} cases generated, "
                f"{len(self.failures)} failures (seed {SEED}; per operation up to {EXAMPLES} cases per mode and "
                f"{COVERAGE} coverage cases; answers {statuses}; {self.sessions.logins} logins)")


def contract_error_shape(response) -> str | None:
    """What is wrong with a 4xx answer, held to the contract: `{"error": {"code", "message"}}` as JSON."""
    if response.status_code < 400 or response.status_code >= 500 or response.request.method == "HEAD":
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/json"):
        return f"Content-Type {content_type!r}"
    try:
        body = json.loads(response.text)
    except ValueError:
        return "the body is not JSON"
    error = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)):
        return f"the body is {response.text[:200]!r}"
    return None


def _with_fields(pair):
    case, fields = pair
    if isinstance(case.body, dict):
        case.body = {**case.body, **fields}
    return case


def role_of(operation) -> str | None:
    if not operation.definition.raw.get("security"):
        return None
    return "staff" if operation.path.startswith("/v1/staff") else "insured"


@pytest.fixture
def same_cases_in_any_process(monkeypatch):
    """Hypothesis also draws constants found in the project's modules that the process has loaded, and under xdist
    which those are depends on the tests that ran before in the same worker: with none of them, a seed makes the same
    cases wherever the test runs. (Hypothesis internals, pinned with hypothesis in requirements-dev.txt.)"""
    from hypothesis.internal.conjecture import providers

    empty = providers.Constants()
    monkeypatch.setattr(providers, "_get_local_constants", lambda: empty)
    providers.CONSTANTS_CACHE.cache.clear()
    yield
    providers.CONSTANTS_CACHE.cache.clear()


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("fuzz-stack"))
    yield running
    running.stop()


def test_schemathesis_finds_no_server_error_and_no_answer_the_documents_do_not_describe(fuzz_stack,
                                                                                       same_cases_in_any_process):
    import schemathesis
    from schemathesis import GenerationMode

    started = time.monotonic()
    sessions = Sessions(fuzz_stack)
    anchors = Anchors(fuzz_stack, sessions)
    schemathesis.openapi.media_type("application/pdf", anchors.pdfs())
    queue = []
    for base_url in (fuzz_stack.inquiry, fuzz_stack.api):
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
        queue += [(result.ok(), base_url) for result in schema.get_all_operations()]
    assert len(queue) >= 35, [operation.label for operation, _ in queue]
    order = {operation_id: place for place, operation_id in enumerate(LAST, 1)}
    queue.sort(key=lambda item: order.get(item[0].definition.raw.get("operationId"), 0))
    shaped = well_formed_fields()
    fuzzer = Fuzzer(sessions)
    for operation, base_url in queue:
        operation_id = operation.definition.raw.get("operationId")
        role = role_of(operation)
        if operation_id == "inquire":
            fuzzer.generated(operation, base_url, role, GenerationMode.POSITIVE, ANCHORED, body=anchors.inquiry_body())
        elif operation_id == "checkDocumentSignature":  # the statement itself, then any file, against its own id
            fuzzer.generated(operation, base_url, role, GenerationMode.POSITIVE, ANCHORED, body=anchors.pdf,
                             path_parameters=anchors.path_parameters(operation_id))
            fuzzer.generated(operation, base_url, role, GenerationMode.POSITIVE, EXAMPLES,
                             path_parameters=anchors.path_parameters(operation_id))
        elif operation.path_parameters:
            fuzzer.generated(operation, base_url, role, GenerationMode.POSITIVE, ANCHORED,
                             path_parameters=anchors.path_parameters(operation_id))
        # Each case of these logs in again (a password hash): a few show what they answer.
        few = operation_id in ENDS_SESSION.values()
        served = SERVED_BY_FUNCTION_URL_SERVER if base_url == fuzz_stack.inquiry else SERVED_BY_CHALICE_LOCAL
        fuzzer.coverage(operation, base_url, role, ANCHORED if few else COVERAGE, served)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzzer.generated(operation, base_url, role, mode, ANCHORED if few else EXAMPLES)
        if operation_id in shaped:
            fuzzer.generated(operation, base_url, role, GenerationMode.POSITIVE, EXAMPLES, shaped[operation_id])
    summary = fuzzer.summary() + f", {time.monotonic() - started:.0f} s"
    print("\n" + summary)
    if os.environ.get("SABEGHE_FUZZ_REPORT"):  # where to write the summary and each operation's answers, as JSON
        with open(os.environ["SABEGHE_FUZZ_REPORT"], "w", encoding="utf-8") as out:
            json.dump({"summary": summary, "answers": fuzzer.by_operation,
                       "failures": {" | ".join(map(str, key)): detail for key, detail in fuzzer.failures.items()}},
                      out, ensure_ascii=False, indent=1)
    report = "\n\n".join(f"{op} — {title} ({status}):\n{detail}" for (op, title, status), detail in
                         sorted(fuzzer.failures.items(), key=str))
    assert not fuzzer.failures, f"{summary}\n\n{report}\n\nstack log tail:\n{''.join(fuzz_stack.tail)[-3000:]}"
    assert len(fuzzer.operations) == len(queue), "an operation got no case"
    # The success answers of what was made first were checked against their schemas.
    wanted = {(fuzz_stack.inquiry, "inquire"), (fuzz_stack.inquiry, "inquiryVerifyDocument"),
              (fuzz_stack.inquiry, "checkDocumentSignature")} | {
        (fuzz_stack.api, operation_id) for operation_id in (
            "inboxItem", "statementDocument", "issuePermit", "deliverToMailbox", "verifyDocument", "listReport",
            "revokePermit", "deleteStatement", "requestStatement", "records", "wages", "activity", "inbox",
            "waitingObjections", "startListUpload", "passwordReset", "logout", "staffLogout")}
    assert wanted - fuzzer.succeeded == set(), "no success answer was checked for these"
