"""The portal as people use it (issue 12), in both languages, at 1280 and 360 px: the passcode never breaks inside a
group and can be kept, the records show their totals without sideways scrolling and never cut a number, gap months
show a clear dash, Persian errors are in Persian, the login is shared by tabs and a session that ends brings the
person back where they were, the kinds have one name, and a forgotten password can be reset."""
from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, DEMO_PASSWORD, Demo, login, national_code, shot, to_ascii, to_fa

pytestmark = pytest.mark.browser

CASES = [("fa", 1280), ("fa", 360), ("en", 1280), ("en", 360)]


def open_portal(new_page, stack, lang, width):
    page = new_page(width=width, height=800)
    login(page, stack)  # in Persian: the helper knows the Persian labels
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    return page


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def within_viewport(locator, width):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5, box
    return box


def lines_of(locator) -> int:
    """How many lines an element's text takes (its text's client rects, one or more per line box)."""
    return locator.evaluate("""el => { const range = document.createRange(); range.selectNodeContents(el);
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size; }""")


@pytest.mark.parametrize("lang,width", CASES)
def test_records_show_totals_without_scrolling_and_gaps_as_a_dash(new_page, web_stack, lang, width):
    page = open_portal(new_page, web_stack, lang, width)
    table = page.get_by_test_id("records-table")
    expect(table).to_be_visible()
    expect(page.get_by_test_id("wages-table")).to_be_visible()
    assert overflow(page) <= 0
    region = page.locator("#records-table-wrap")
    # the grand total and every row's total are on screen without scrolling sideways
    within_viewport(page.get_by_test_id("grand-total"), width)
    region_box = region.bounding_box()
    for total in page.get_by_test_id("row-total").all()[:5]:
        box = total.bounding_box()
        assert box["x"] >= region_box["x"] - 0.5 and box["x"] + box["width"] <= region_box["x"] + region_box["width"] + 0.5
    if width == 1280:
        # every month up to Esfand and the totals column fit without scrolling, in English too
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        esfand = table.locator("thead th").nth(14)
        expect(esfand).to_have_text("اسفند" if lang == "fa" else "Esfand")
        within_viewport(esfand, width)
    else:
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        # the grand total comes before the cards
        assert page.get_by_test_id("grand-total").bounding_box()["y"] < table.locator("tbody tr").first.bounding_box()["y"]
    # no wage is cut: each amount is whole inside its cell
    wages = page.get_by_test_id("wages-table")
    clipped = wages.locator("td .nums, td.nums").evaluate_all("""els => els.filter(el => {
        const cell = el.closest('td'); const a = el.getBoundingClientRect(), b = cell.getBoundingClientRect();
        return a.left < b.left - 1 || a.right > b.right + 1; }).map(el => el.textContent)""")
    assert clipped == []
    # months without days: a dash with enough contrast, not a faint zero
    gap = page.get_by_test_id("gap").first
    expect(gap).to_contain_text("–")
    color = gap.evaluate("el => getComputedStyle(el).color")
    assert contrast(color, "rgb(255, 255, 255)") >= 4.5, color
    shot(page, f"portal-records-{lang}-{width}")
    if lang == "en" and width == 1280:
        # a Persian workshop name does not reorder the values beside it: days after name and code, the wage last
        line = wages.locator(".ws-line").first
        assert line.locator("bdi").count() >= 2
        assert re.search(r"\(\d{10}\) — \d+ days — [\d,]+", line.inner_text()), line.inner_text()
    if width == 360:
        # the phone's tab bar keeps its rows on every screen
        nav = page.locator("#nav")
        height = nav.bounding_box()["height"]
        page.locator('[data-screen-link="statement"]').click()
        expect(page.locator("#statement-form")).to_be_visible()
        assert abs(nav.bounding_box()["height"] - height) < 1
        assert overflow(page) <= 0


def contrast(fg: str, bg: str) -> float:
    def luminance(rgb):
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    a, b = sorted([luminance(fg), luminance(bg)], reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("lang,width", [("fa", 320), ("fa", 360), ("en", 360), ("en", 1280)])
def test_the_passcode_never_breaks_inside_a_group_and_can_be_kept(new_page, web_stack, lang, width):
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    page = open_portal(new_page, web_stack, lang, width)
    page.locator('[data-screen-link="inbox"]').click()
    row = page.locator(f'tr[data-tracking="{item["tracking_no"]}"]')
    expect(row).to_have_attribute("data-status", "ready")
    row.locator("summary").click()
    row.locator('[data-op="permit"]').click()
    expect(page.locator("details.ops[open]")).to_have_count(0)  # the menu does not stay open behind the dialog
    dialog = page.locator("#permit-dialog")
    dialog.locator("#permit-submit").click()
    passcode = dialog.get_by_test_id("passcode")
    expect(passcode).to_be_visible()
    groups = passcode.get_by_test_id("passcode-group")
    expect(groups).to_have_count(3)
    for group in groups.all():
        assert lines_of(group) == 1, group.inner_text()
        within_viewport(group, width)
        assert re.fullmatch(r"[۰-۹]{5}" if lang == "fa" else r"[0-9]{5}", group.inner_text()), group.inner_text()
    # the panel's address and ways to keep it besides copying
    address = dialog.get_by_test_id("panel-address")
    expect(address.locator("a")).to_have_attribute("href", re.compile(r"^https?://"))
    expect(dialog.locator('[data-op="print"]')).to_be_visible()
    # printing shows the passcode box alone
    page.evaluate("document.body.classList.add('print-passcode')")
    page.emulate_media(media="print")
    assert passcode.evaluate("el => getComputedStyle(el).visibility") == "visible"
    assert page.locator("#permit-list").evaluate("el => getComputedStyle(el).visibility") == "hidden"
    page.emulate_media(media="screen")
    page.evaluate("document.body.classList.remove('print-passcode')")
    shot(page, f"portal-passcode-{lang}-{width}")


def test_persian_errors_are_the_servers_persian_sentences(new_page, web_stack):
    page = new_page(width=360)
    page.goto(web_stack.api + "/")
    form = page.locator("#login-form")
    form.get_by_label("کد ملی").fill(to_fa(national_code("246813579")))
    form.get_by_label("گذرواژه").fill("Not-the-password-1")
    form.get_by_role("button", name="ورود", exact=True).click()
    expect(page.locator("#login-err")).to_have_text("کد ملی (نام کاربری) یا گذرواژه نادرست است.")
    shot(page, "portal-login-error-fa-360")
    page.get_by_test_id("lang-toggle").click()
    form.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#login-err")).to_have_text("The national code or password is wrong.")
    shot(page, "portal-login-error-en-360")


def test_login_is_shared_by_tabs_and_a_session_that_ends_returns_where_the_person_was(new_page, web_stack):
    first = new_page(width=1280)
    login(first, web_stack)
    # a new tab of the same browser is logged in too
    second = first.context.new_page()
    second.goto(web_stack.api + "/#inbox")
    expect(second.get_by_test_id("inbox-table")).to_be_visible()

    # the statement tab after a request shows the form again
    second.locator('[data-screen-link="statement"]').click()
    second.locator("#statement-submit").click()
    expect(second.get_by_test_id("statement-tracking")).to_be_visible()
    second.locator('[data-screen-link="statement"]').click()
    expect(second.locator("#statement-form")).to_be_visible()
    expect(second.get_by_test_id("statement-tracking")).to_have_count(0)

    # the session ends (the server forgot it): a warning, and logging in again comes back to the same screen
    second.locator('[data-screen-link="activity"]').click()
    expect(second.get_by_test_id("activity-item").first).to_be_visible()
    # the timeline's cards carry no list numbers hanging outside them
    assert second.get_by_test_id("activity-item").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    token = second.evaluate("localStorage.getItem('sabeghe.token')")
    answer = requests.post(f"{web_stack.api}/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code < 300, answer.text
    second.locator('[data-screen-link="activity"]').click()  # the tab again: the timeline is read afresh
    expect(second.locator("#login-form")).to_be_visible()
    flash = second.locator("#flash")
    expect(flash).to_have_text("نشست شما پایان یافته است؛ لطفاً دوباره وارد شوید.")
    assert "warn" in flash.get_attribute("class")
    shot(second, "portal-session-ended-fa-1280")
    # ... and the other tab heard of it
    expect(first.locator("#login-form")).to_be_visible()
    form = second.locator("#login-form")
    form.get_by_label("کد ملی").fill(DEMO_NATIONAL_CODE)
    form.get_by_label("گذرواژه").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="ورود", exact=True).click()
    expect(second.locator('[data-screen="activity"]')).to_be_visible()
    assert second.evaluate("location.hash") == "#activity"
    # logging in there logged this tab in as well; logging out in one tab logs out the other
    expect(first.locator("#nav")).to_be_visible()
    first.get_by_role("button", name="خروج").click()
    expect(second.locator("#login-form")).to_be_visible()
    assert second.evaluate("localStorage.getItem('sabeghe.token')") is None


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_one_name_per_kind_in_the_form_and_the_inbox(new_page, web_stack, lang):
    names = {"fa": ["خلاصه سوابق و جمع کل", "روزها و دستمزد ماهانه", "سوابق کامل با دستمزد ماهانه"],
             "en": ["Summary of insured days with totals", "Monthly days and wages", "Full record with monthly wages"]}[lang]
    Demo(web_stack).ready_statement("combined")
    page = open_portal(new_page, web_stack, lang, 360)
    page.locator('[data-screen-link="statement"]').click()
    for name in names:
        expect(page.locator("#statement-form").get_by_label(name, exact=False).first).to_be_attached()
    shot(page, f"portal-statement-{lang}-360")
    page.locator('[data-screen-link="inbox"]').click()
    expect(page.get_by_test_id("inbox-table")).to_contain_text(names[2])
    shot(page, f"portal-inbox-{lang}-360")
    # the inbox prints as a list, without the tabs and the operations menus
    page.emulate_media(media="print")
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.locator("details.ops").first).to_be_hidden()
    expect(page.get_by_test_id("inbox-table")).to_be_visible()
    page.emulate_media(media="screen")


def test_forgot_password_sets_a_new_one_with_the_sms_code(new_page, web_stack):
    page = new_page(width=360)
    page.goto(web_stack.api + "/")
    page.get_by_role("link", name="ثبت نام", exact=True).click()
    expect(page.locator("#register-guide")).to_contain_text("موبایل به نام خودتان")
    shot(page, "portal-register-fa-360")
    page.goto(web_stack.api + "/#login")
    page.get_by_role("link", name="گذرواژه را فراموش کرده‌اید؟").click()
    form = page.locator("#forgot-form")
    form.get_by_label("کد ملی").fill(to_fa(DEMO_NATIONAL_CODE))
    form.get_by_label("شماره موبایل").fill("۰۹۱۲۰۰۰۰۰۰۰")
    form.get_by_role("button", name="دریافت کد بازیابی").click()
    reset = page.locator("#reset-form")
    expect(reset).to_be_visible()
    shot(page, "portal-forgot-fa-360")
    reset.get_by_label("کد پیامک‌شده").fill("۰۰۰۰۰۰")
    reset.get_by_label("گذرواژه تازه", exact=True).fill("Another-good-1404")
    reset.get_by_label("تکرار گذرواژه تازه").fill("Another-good-1404")
    reset.get_by_role("button", name="ثبت گذرواژه تازه").click()
    expect(page.locator("#reset-err")).to_have_text("کد فعال‌سازی نادرست است یا منقضی شده است.")


def test_profile_shows_the_masked_mobile_and_a_wrong_current_password_is_said_in_persian(new_page, web_stack):
    page = open_portal(new_page, web_stack, "fa", 360)
    page.locator('[data-screen-link="profile"]').click()
    mobile = page.get_by_test_id("profile-mobile")
    expect(mobile).to_contain_text("*")
    assert "۰۹۱۲۰۰۰۰۰۰۰" not in page.get_by_test_id("profile").inner_text()
    form = page.locator("#password-form")
    form.get_by_label("گذرواژه کنونی").fill("Not-the-password-1")
    form.get_by_label("گذرواژه تازه", exact=True).fill("Another-good-1404")
    form.get_by_label("تکرار گذرواژه تازه").fill("Another-good-1404")
    form.get_by_role("button", name="تغییر گذرواژه").click()
    expect(page.locator("#password-err")).to_have_text("گذرواژه کنونی نادرست است.")
    expect(page.locator("#nav")).to_be_visible()  # still logged in
    assert overflow(page) <= 0
    shot(page, "portal-profile-fa-360")


def test_a_permit_labelled_for_its_institution_shows_the_label_and_the_viewers_browser(new_page, web_stack):
    """Issue 12, item 6: the person names the permit; the inbox and the timeline say who looked, in words."""
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    page = open_portal(new_page, web_stack, "fa", 1280)
    page.locator('[data-screen-link="inbox"]').click()
    row = page.locator(f'tr[data-tracking="{item["tracking_no"]}"]')
    expect(row).to_have_attribute("data-status", "ready")
    row.locator("summary").click()
    row.locator('[data-op="permit"]').click()
    dialog = page.locator("#permit-dialog")
    dialog.locator("#permit-label").fill("بانک ملی، وام")
    dialog.locator("#permit-submit").click()
    passcode = to_ascii(dialog.get_by_test_id("passcode").inner_text())
    chrome = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
              "Safari/537.36")
    answer = requests.post(web_stack.inquiry + "/", json={"identifier": DEMO_NATIONAL_CODE, "passcode": passcode},
                           headers={"User-Agent": chrome}, timeout=30)
    assert answer.status_code == 200 and answer.json()["tracking_no"] == item["tracking_no"]
    entry = demo.wait_for_activity("institution_view", contains=item["tracking_no"])
    assert entry["details"]["label"] == "بانک ملی، وام" and entry["details"]["browser"] == "Chrome on Windows"
    permit = dialog.locator("#permit-list li").first
    expect(permit).to_contain_text("بانک ملی، وام")
    page.reload()
    page.locator('[data-screen-link="activity"]').click()
    view = page.locator('[data-kind="institution_view"]').first
    expect(view).to_contain_text("Chrome on Windows")
    expect(view).to_contain_text("بانک ملی، وام")
    expect(view).not_to_contain_text("AppleWebKit")


# ---- issue 13: a statement in English, for an embassy ---------------------------------------------------------------
def test_a_person_asks_for_an_english_statement_and_the_clerk_sees_its_language(portal, web_stack, new_page):
    page = portal
    page.locator('[data-screen-link="statement"]').first.click()
    page.get_by_role("radio", name=re.compile("انگلیسی")).check()
    page.get_by_role("radio", name=re.compile("سوابق کامل با دستمزد ماهانه")).check()
    page.locator("#statement-submit").click()
    tracking = page.get_by_test_id("statement-tracking")
    expect(tracking).to_be_visible()
    tracking_no = to_ascii(re.search(r"[۰-۹0-9]{10}", tracking.inner_text()).group(0))
    demo = Demo(web_stack)
    deadline = time.monotonic() + 30
    while demo.item(tracking_no)["status"] != "ready":
        assert time.monotonic() < deadline, "the English statement did not become ready"
        page.wait_for_timeout(300)
    assert demo.item(tracking_no)["language"] == "en"
    page.locator('[data-screen-link="inbox"]').first.click()
    row = page.locator(f'[data-tracking="{tracking_no}"]')
    expect(row.get_by_test_id("statement-language")).to_have_text("به انگلیسی")

    permit = demo.permit(tracking_no)
    clerk = new_page(width=1280)
    clerk.goto(web_stack.inquiry + "/")
    clerk.get_by_test_id("lang-toggle").click()
    clerk.locator("#identifier").fill(DEMO_NATIONAL_CODE)
    clerk.locator("#passcode").fill(permit["passcode"])
    clerk.locator("#inquiry-submit").click()
    expect(clerk.get_by_test_id("statement-language")).to_contain_text("English")
