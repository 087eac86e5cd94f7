"""axe-core (WCAG 2.1 A and AA rules) finds nothing on any screen, in both languages, on a phone and a desktop."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login

pytestmark = pytest.mark.browser

AXE = os.path.join(os.path.dirname(__import__("axe_playwright_python").__file__), "axe.min.js")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    page.add_script_tag(path=AXE)  # the context bypasses the page's CSP for the checker alone
    found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
                          ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
                          RULES)
    return found


@pytest.mark.parametrize("lang,width", [("fa", 360), ("en", 1280)])
def test_every_portal_screen_passes_axe(new_page, web_stack, lang, width):
    page = new_page(width=width, height=900, bypass_csp=True)
    page.goto(web_stack.api + "/")
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    problems = {"login": violations(page)}
    page.goto(web_stack.api + "/#register")
    problems["register"] = violations(page)
    page.goto(web_stack.api + "/#forgot")
    problems["forgot"] = violations(page)
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()  # the login helper speaks Persian
    login(page, web_stack)
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()
    for screen in ("records", "statement", "inbox", "objections", "activity", "profile"):
        link = page.locator(f'[data-screen-link="{screen}"]')
        link.first.click()
        page.wait_for_timeout(400)
        problems[screen] = violations(page)
    assert {screen: found for screen, found in problems.items() if found} == {}


@pytest.mark.parametrize("lang,width", [("fa", 360), ("en", 1280)])
def test_the_panel_and_the_staff_login_pass_axe(new_page, web_stack, lang, width):
    page = new_page(width=width, height=900, bypass_csp=True)
    page.goto(web_stack.inquiry + "/")
    if lang == "en":
        page.get_by_role("button", name="English").click()
    problems = {"panel": violations(page)}
    page.goto(web_stack.api + "/staff")
    problems["staff"] = violations(page)
    assert {screen: found for screen, found in problems.items() if found} == {}
    # The checker itself sees what it should: an image without words is reported.
    page.evaluate("document.body.append(Object.assign(document.createElement('img'), {src: 'data:,'}))")
    assert any(found.startswith("image-alt") for found in violations(page))
