"""Phone-width layout: the pages fit 375 px without sideways scrolling of the page itself (wide tables scroll
inside their own box), and screenshots are kept in /tmp for a person to look at."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, Demo, login

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SABEGHE_SCREENSHOTS", "/tmp")


def page_width_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_records_and_inbox_at_phone_width(new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    demo.permit(item["tracking_no"])

    page = new_page(width=375, height=812, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, web_stack)
    expect(page.locator("[data-testid=wages-table]")).to_be_visible()
    assert page_width_overflow(page) <= 0
    # the records are cards that fit the phone (no number cut, nothing to scroll sideways), in a region keyboard
    # users can reach
    region = page.locator("#records-table-wrap")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    for link in ("سوابق من", "اعلام سابقه به موسسات", "صندوق شخصی من", "تامین اجتماعی من"):
        box = page.get_by_role("navigation").get_by_role("link", name=link, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (link, box)
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-records-375.png"), full_page=False)
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-records-375-full.png"), full_page=True)

    page.get_by_role("link", name="صندوق شخصی من").click()
    row = page.locator(f'tr[data-tracking="{item["tracking_no"]}"]')
    expect(row).to_have_attribute("data-status", "ready")
    assert page_width_overflow(page) <= 0
    # each request is a card: every value carries its column name
    sent = row.locator("td").first
    assert sent.evaluate("el => getComputedStyle(el, '::before').content") == '"تاریخ ارسال"'
    row.locator("summary").click()
    expect(row.get_by_role("button", name="صدور مجوز استعلام")).to_be_visible()
    assert page_width_overflow(page) <= 0
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-inbox-375.png"), full_page=False)
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-inbox-375-full.png"), full_page=True)

    row.get_by_role("button", name="صدور مجوز استعلام").click()
    dialog = page.get_by_role("dialog", name="مجوز استعلام")
    dialog.get_by_role("button", name="صدور مجوز استعلام").click()
    expect(dialog.get_by_test_id("passcode")).to_be_visible()
    box = dialog.get_by_test_id("passcode").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-passcode-375.png"))


def test_institution_panel_at_phone_width(new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("combined")
    permit = demo.permit(item["tracking_no"])
    page = new_page(width=375, height=812, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(web_stack.inquiry + "/")
    assert page_width_overflow(page) <= 0
    page.get_by_label("شناسه (کد ملی / کد اشخاص حقوقی / کد کارگاه)").fill(DEMO_NATIONAL_CODE)
    page.get_by_role("textbox", name="کد رمز", exact=True).fill(permit["passcode"])
    page.get_by_role("button", name="جستجو").click()
    expect(page.get_by_test_id("holder-name")).to_be_visible()
    assert page_width_overflow(page) <= 0
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-institution-375.png"), full_page=False)


def test_desktop_inbox_fits_without_sideways_scrolling(new_page, web_stack):
    demo = Demo(web_stack)
    demo.ready_statement("wages")
    page = new_page(width=1280, height=900)
    login(page, web_stack)
    page.get_by_role("link", name="صندوق شخصی من").click()
    table = page.get_by_test_id("inbox-table")
    expect(table).to_be_visible()
    assert page_width_overflow(page) <= 0
    wrap = page.locator("#inbox-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    page.locator("details.ops summary").first.click()
    expect(page.locator("details.ops[open] .ops-menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("details.ops[open]")).to_have_count(0)
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-inbox-1280.png"), full_page=True)
