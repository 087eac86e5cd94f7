"""Every screen people meet, in both languages, on a phone and a desktop: nothing reaches past the screen's edge,
and each leaves a screenshot in .local/screenshots/ (`gallery-<screen>-<lang>-<width>.png`) to be looked at
before a change to the pages is called done (issue 12)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, Demo, login, shot

pytestmark = pytest.mark.browser

SCREENS = [("fa", 360), ("en", 360), ("fa", 1280), ("en", 1280)]
LOADING = re.compile("Loading|در حال بارگذاری")
PORTAL = ("records", "statement", "inbox", "objections", "activity", "profile")


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def switch(page, lang: str) -> None:
    page.get_by_test_id("lang-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.fixture(scope="module")
def permit(web_stack):
    """A combined statement with a permit, so the inbox and the panel show what people usually see."""
    demo = Demo(web_stack)
    return demo.permit(demo.ready_statement("combined")["tracking_no"])


@pytest.mark.parametrize("lang,width", SCREENS)
def test_every_portal_screen_fits_and_is_pictured(new_page, web_stack, permit, lang, width):
    page = new_page(width=width, height=800)
    page.goto(web_stack.api + "/")
    if lang == "en":
        switch(page, "en")
    wide = {}
    for screen in ("login", "register", "forgot"):
        page.goto(f"{web_stack.api}/#{screen}")
        expect(page.locator(f'[data-screen="{screen}"]')).to_be_visible()
        wide[screen] = overflow(page)
        shot(page, f"gallery-{screen}-{lang}-{width}")
    if lang == "en":
        switch(page, "fa")  # the login helper reads Persian labels
    login(page, web_stack)
    if lang == "en":
        switch(page, "en")
    for screen in PORTAL:
        page.locator(f'[data-screen-link="{screen}"]').first.click()
        section = page.locator(f'[data-screen="{screen}"]')
        expect(section).to_be_visible()
        expect(section.get_by_text(LOADING)).to_have_count(0)
        wide[screen] = overflow(page)
        shot(page, f"gallery-{screen}-{lang}-{width}")
    assert {screen: px for screen, px in wide.items() if px > 0} == {}


@pytest.mark.parametrize("lang,width", SCREENS)
def test_the_panel_fits_and_is_pictured(new_page, web_stack, permit, lang, width):
    page = new_page(width=width, height=800)
    page.goto(web_stack.inquiry + "/")
    if lang == "en":
        switch(page, "en")
    wide = {"panel": overflow(page)}
    shot(page, f"gallery-panel-{lang}-{width}")
    page.locator("#identifier").fill(DEMO_NATIONAL_CODE)
    page.locator("#passcode").fill(permit["passcode"])
    page.locator("#inquiry-submit").click()
    expect(page.get_by_test_id("holder-name")).to_be_visible()
    wide["result"] = overflow(page)
    shot(page, f"gallery-panel-result-{lang}-{width}")
    assert {screen: px for screen, px in wide.items() if px > 0} == {}


@pytest.mark.parametrize("width", [360, 1280])
def test_the_staff_page_fits_and_is_pictured(new_page, web_stack, width):
    from tests.web.test_web_staff import staff_login

    page = new_page(width=width, height=800)
    page.goto(web_stack.api + "/staff")
    wide = {"staff-login": overflow(page)}
    shot(page, f"gallery-staff-login-fa-{width}")
    staff_login(page, web_stack)
    page.wait_for_load_state("networkidle")
    wide["staff"] = overflow(page)
    shot(page, f"gallery-staff-fa-{width}")
    assert {screen: px for screen, px in wide.items() if px > 0} == {}
