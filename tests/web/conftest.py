"""The web pages in real headless Chromium, against the real local stack (`python -m devstack.stack`):
the insured portal on the API address and the institution panel on the inquiry address.

One stack serves the whole session; every test makes its own statements and permits, so the tests do not
depend on each other's order."""
from __future__ import annotations

import os
import re
import time

import pytest
import requests

from tests.stack.conftest import RunningStack

CHROMIUM = os.environ.get("SABEGHE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

DEMO_NATIONAL_CODE = "0499370899"
DEMO_PASSWORD = "Sabeghe-demo-1403"
FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
NOT_FOUND_FA = "شناسه یا کد رمز نادرست است یا مجوز منقضی شده است."


def to_fa(text) -> str:
    return "".join(FA_DIGITS[int(c)] if c.isdigit() and c.isascii() else c for c in str(text))


def to_ascii(text: str) -> str:
    return "".join(str(FA_DIGITS.index(c)) if c in FA_DIGITS else c for c in text)


def national_code(prefix9: str) -> str:
    """A national code with a valid check digit (for people who have no account and no permit)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(prefix9))
    rest = total % 11
    return prefix9 + str(rest if rest < 2 else 11 - rest)


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("web-stack"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    # Missing Chromium is a broken machine, not a reason to skip: `make test` installs it.
    assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM} (apt-get install --no-install-recommends chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageErrors(list):
    def check(self):
        assert not self, f"JavaScript errors on the page: {list(self)}"


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (separate storage, like separate people); closed afterwards.
    Any uncaught JavaScript error fails the test."""
    contexts, errors = [], PageErrors()

    def open_page(width=1280, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fa-IR", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    errors.check()


@pytest.fixture
def portal(new_page, web_stack):
    """A page on the portal, logged in as the demo person (national code typed with Persian digits)."""
    page = new_page()
    login(page, web_stack)
    return page


def login(page, stack, code=DEMO_NATIONAL_CODE, password=DEMO_PASSWORD):
    page.goto(stack.api + "/")
    form = page.locator("#login-form")
    form.get_by_label("کد ملی").fill(to_fa(code))
    form.get_by_label("گذرواژه").fill(password)
    form.get_by_role("button", name="ورود", exact=True).click()
    page.locator("[data-testid=records-table]").wait_for()


# ---- setting the scene over HTTP, where the test is about something else -------------------------------
class Demo:
    """The demo person's API session, to prepare statements and permits without clicking."""

    def __init__(self, stack):
        self.stack = stack
        answer = requests.post(f"{stack.api}/v1/auth/login",
                               json={"national_code": DEMO_NATIONAL_CODE, "password": DEMO_PASSWORD}, timeout=30)
        answer.raise_for_status()
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def get(self, path):
        answer = requests.get(self.stack.api + path, headers=self.headers, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def ready_statement(self, kind="summary") -> dict:
        answer = requests.post(f"{self.stack.api}/v1/me/statements", json={"kind": kind, "agree": True},
                               headers=self.headers, timeout=30)
        assert answer.status_code == 201, answer.text
        tracking_no = answer.json()["tracking_no"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            item = self.item(tracking_no)
            if item and item["status"] == "ready":
                return item
            time.sleep(0.3)
        raise AssertionError(f"statement {tracking_no} did not become ready")

    def wait_for_activity(self, kind: str, contains: str = "", seconds: float = 15) -> dict:
        """The newest timeline entry of a kind (what follows a change reaches the timeline a moment later)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for entry in self.get("/v1/me/activity")["items"]:
                if entry["kind"] == kind and contains in str(entry["details"]):
                    return entry
            time.sleep(0.2)
        raise AssertionError(f"no {kind} entry with {contains!r} reached the timeline")

    def item(self, tracking_no):
        cursor = None
        while True:
            page = self.get("/v1/me/inbox" + (f"?cursor={cursor}" if cursor else ""))
            for item in page["items"]:
                if item["tracking_no"] == tracking_no:
                    return item
            cursor = page.get("next")
            if not cursor:
                return None

    def permit(self, tracking_no, validity="month") -> dict:
        answer = requests.post(f"{self.stack.api}/v1/me/inbox/{tracking_no}/permits", json={"validity": validity},
                               headers=self.headers, timeout=30)
        assert answer.status_code == 201, answer.text
        return answer.json()


@pytest.fixture
def demo(web_stack):
    return Demo(web_stack)


def passcode_pattern():
    return re.compile(r"^[۰-۹]+(-[۰-۹]+)*$")


SCREENSHOTS = os.environ.get("SABEGHE_SCREENSHOTS",
                             os.path.join(os.path.dirname(__file__), "..", "..", ".local", "screenshots"))


def shot(page, name: str, full_page: bool = True) -> str:
    """Keep a screenshot for a person to look at (README: .local/screenshots/, one PNG per page, language and
    width, e.g. `portal-records-fa-360.png`)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=full_page)
    return path
