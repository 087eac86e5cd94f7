"""The insured portal: logging in, reading one's records and wages, errors, language, leaving."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.web.conftest import (DEMO_NATIONAL_CODE, DEMO_PASSWORD, Demo, login, national_code, to_ascii,
                                to_fa)

pytestmark = pytest.mark.browser

ASCII_DIGIT = re.compile(r"[0-9]")


def test_login_with_persian_digits_shows_three_workshops_and_persian_totals(new_page, web_stack):
    totals = Demo(web_stack).get("/v1/me/records")["totals"]
    page = new_page()
    page.goto(web_stack.api + "/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    expect(page.get_by_role("heading", name="ورود به سامانه")).to_be_visible()

    form = page.locator("#login-form")
    form.get_by_label("کد ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    form.get_by_label("گذرواژه").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="ورود", exact=True).click()

    table = page.locator("[data-testid=records-table]")
    expect(table).to_be_visible()
    headers = table.locator("thead th").all_inner_texts()
    assert headers[3:15] == ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                             "بهمن", "اسفند"]
    codes = {to_ascii(text.strip()) for text in table.locator("tbody tr td:nth-child(2)").all_inner_texts()}
    assert len(codes) == 3 and all(re.fullmatch(r"\d{10}", code) for code in codes), codes
    assert not ASCII_DIGIT.search(table.locator("tbody").inner_text()), "the table shows ASCII digits"

    summary = page.locator("[data-testid=records-totals]")
    expected = f"{to_fa(totals['years'])} سال، {to_fa(totals['months'])} ماه و {to_fa(totals['days_remainder'])} روز"
    expect(summary.locator("[data-testid=service-span]")).to_have_text(expected)
    expect(summary).to_contain_text("۶٬۴۲۵" if totals["days"] == 6425 else to_fa(totals["days"]))
    assert not ASCII_DIGIT.search(summary.inner_text()), summary.inner_text()

    # monthly wages for the chosen year, with Persian thousands separators
    wages = page.locator("[data-testid=wages-table]")
    expect(wages).to_be_visible()
    page.get_by_label("سال", exact=True).select_option(label="۱۴۰۲")
    expect(wages.locator("tbody tr")).to_have_count(12)
    first_month = wages.locator("tbody tr").first
    expect(first_month.locator("th")).to_have_text("فروردین")
    assert re.search(r"[۰-۹]{1,3}(٬[۰-۹]{3})+", first_month.inner_text()), first_month.inner_text()
    assert not ASCII_DIGIT.search(wages.inner_text())

    # the objection button leads to the objection form
    objection = page.get_by_role("button", name="اعتراض به سوابق")
    expect(objection).to_be_enabled()
    expect(page.locator("#objection-note")).to_be_visible()


def test_wrong_password_shows_the_error_and_stays_on_login(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/")
    form = page.locator("#login-form")
    form.get_by_label("کد ملی").fill(DEMO_NATIONAL_CODE)
    form.get_by_label("گذرواژه").fill("Not-the-password-1")
    form.get_by_role("button", name="ورود", exact=True).click()
    alert = page.locator("#login-err")
    expect(alert).to_have_text("کد ملی (نام کاربری) یا گذرواژه نادرست است.")
    assert alert.get_attribute("role") == "alert"
    expect(page.locator("#nav")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('sabeghe.token')") is None

    # in English the service's own message is shown
    page.get_by_test_id("lang-toggle").click()
    form.get_by_role("button", name="Log in", exact=True).click()
    expect(alert).to_have_text("The national code or password is wrong.")


def test_repeated_login_failures_say_how_many_seconds_to_wait(new_page, web_stack):
    stranger = national_code("123456789")  # no account: the throttle still counts, the demo stays usable
    page = new_page()
    page.goto(web_stack.api + "/")
    form = page.locator("#login-form")
    form.get_by_label("کد ملی").fill(stranger)
    form.get_by_label("گذرواژه").fill("Wrong-password-1")
    button = form.get_by_role("button", name="ورود", exact=True)
    alert = page.locator("#login-err")
    for _ in range(5):
        button.click()
        expect(alert).to_have_text("کد ملی (نام کاربری) یا گذرواژه نادرست است.")
        alert.evaluate("el => el.textContent = ''")
    button.click()
    expect(alert).to_contain_text("ثانیه دیگر دوباره تلاش کنید")
    assert re.search(r"[۰-۹]+ ثانیه", alert.inner_text()), alert.inner_text()
    expect(button).to_be_disabled()


def test_english_toggle_switches_to_left_to_right_and_is_remembered(portal):
    page = portal
    page.get_by_test_id("lang-toggle").click()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
    expect(page.get_by_role("heading", name="My records")).to_be_visible()
    expect(page.locator("[data-testid=service-span]")).to_have_text("17 years, 7 months and 10 days")
    assert "1388" in page.locator("[data-testid=records-table] tbody").inner_text()
    assert page.locator("[data-testid=records-table] thead th").nth(3).inner_text() == "Farvardin"

    page.reload()
    expect(page.locator("[data-testid=records-table]")).to_be_visible()
    assert page.evaluate("document.documentElement.dir") == "ltr"
    expect(page.get_by_role("link", name="My inbox")).to_be_visible()

    page.get_by_test_id("lang-toggle").click()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    expect(page.locator("[data-testid=service-span]")).to_have_text("۱۷ سال، ۷ ماه و ۱۰ روز")


def test_logout_ends_the_session(portal, web_stack):
    page = portal
    token = page.evaluate("sessionStorage.getItem('sabeghe.token')")
    assert token
    page.get_by_role("button", name="خروج").click()
    expect(page.get_by_role("heading", name="ورود به سامانه")).to_be_visible()
    expect(page.locator("#flash")).to_have_text("از سامانه خارج شدید.")
    assert page.evaluate("sessionStorage.getItem('sabeghe.token')") is None
    page.goto(web_stack.api + "/#inbox")
    expect(page.get_by_role("heading", name="ورود به سامانه")).to_be_visible()
    # the server forgot the session too
    answer = page.request.get(web_stack.api + "/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 401


def test_a_rejected_token_sends_the_person_back_to_login(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/")
    page.evaluate("localStorage.setItem('sabeghe.token', 'not-a-token'); localStorage.setItem('sabeghe.name', 'x')")
    page.goto(web_stack.api + "/#records")
    expect(page.get_by_role("heading", name="ورود به سامانه")).to_be_visible()
    expect(page.locator("#flash")).to_have_text("نشست شما پایان یافته است؛ لطفاً دوباره وارد شوید.")
    assert page.evaluate("[localStorage.getItem('sabeghe.token'), sessionStorage.getItem('sabeghe.token')]") == [None, None]


def test_register_checks_the_password_rule_and_shows_the_service_error(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/")
    page.get_by_role("link", name="ثبت نام", exact=True).click()
    form = page.locator("#register-form")
    form.get_by_label("کد ملی").fill(to_fa(DEMO_NATIONAL_CODE))
    form.get_by_label("شماره موبایل").fill("۰۹۱۲۰۰۰۰۰۰۰")
    form.get_by_label("تاریخ تولد").fill("۱۳۶۲/۰۴/۱۲")
    form.get_by_label("گذرواژه", exact=True).fill("short")
    form.get_by_label("تکرار گذرواژه").fill("short")
    form.get_by_role("button", name="ثبت نام و دریافت کد").click()
    alert = page.locator("#register-err")
    expect(alert).to_contain_text("دست‌کم ۱۰ نویسه")
    expect(page.locator("#rule-len")).not_to_have_class(re.compile("ok"))

    form.get_by_label("گذرواژه", exact=True).fill("Another-good-1403")
    expect(page.locator("#rule-len")).to_have_class(re.compile("ok"))
    expect(page.locator("#rule-mix")).to_have_class(re.compile("ok"))
    form.get_by_label("تکرار گذرواژه").fill("Another-good-1403")
    form.get_by_role("button", name="ثبت نام و دریافت کد").click()
    expect(alert).to_have_text("با این کد ملی قبلاً ثبت‌نام شده است؛ وارد سامانه شوید.")


def test_activation_rejects_a_wrong_code(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/#activate")
    form = page.locator("#activate-form")
    form.get_by_label("کد ملی").fill(national_code("987654321"))
    form.get_by_label("کد فعال‌سازی").fill("۱۲۳۴۵۶")
    form.get_by_role("button", name="فعال‌سازی").click()
    expect(page.locator("#activate-err")).to_have_text("کد فعال‌سازی نادرست است یا منقضی شده است.")


def test_login_page_fields_are_labelled(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select')]
        .filter(el => el.type !== 'hidden' && el.type !== 'radio' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.id || el.name)""")
    assert unlabelled == []
    login(page, web_stack)
    expect(page.get_by_role("navigation")).to_be_visible()
    for screen in ("records", "statement", "inbox", "activity"):
        page.get_by_role("navigation").locator(f'[data-screen-link="{screen}"]').click()
        expect(page.locator(f'[data-screen="{screen}"]')).to_be_visible()
        duplicates = page.evaluate("""() => { const seen = new Set(), twice = [];
            document.querySelectorAll('[id]').forEach(el => { if (seen.has(el.id)) twice.push(el.id); seen.add(el.id); });
            return twice; }""")
        assert duplicates == [], (screen, duplicates)
    page.get_by_role("navigation").locator('[data-screen-link="records"]').click()
    expect(page.get_by_role("link", name="سوابق من")).to_have_attribute("aria-current", "page")


def test_a_newcomer_registers_activates_with_the_sms_code_and_sees_their_records(new_page, web_stack):
    import json

    mobile = "09121234567"  # the line the operators' directory has in his name (devstack/seed.py)
    page = new_page()
    page.goto(web_stack.api + "/")
    page.get_by_role("link", name="ثبت نام", exact=True).click()
    form = page.locator("#register-form")
    form.get_by_label("کد ملی").fill("۰۰۱۳۵۴۲۴۱۹")
    form.get_by_label("شماره موبایل").fill(to_fa(mobile))
    form.get_by_label("تاریخ تولد").fill("۱۳۷۰/۰۱/۱۵")
    form.get_by_label("گذرواژه", exact=True).fill("Tazeh-Vared-1404")
    form.get_by_label("تکرار گذرواژه").fill("Tazeh-Vared-1404")
    form.get_by_role("button", name="ثبت نام و دریافت کد").click()
    page.locator("#activate-form").wait_for()

    def sent_code():
        with open(web_stack.outbox, encoding="utf-8") as lines:
            texts = [m["text"] for m in map(json.loads, lines) if m["channel"] == "sms" and m["to"] == mobile]
        return re.search(r"\d{6}", texts[-1]).group(0) if texts else None

    deadline = time.monotonic() + 10
    while not sent_code() and time.monotonic() < deadline:
        time.sleep(0.2)
    page.locator("#activate-form").get_by_label("کد فعال‌سازی").fill(to_fa(sent_code()))
    page.locator("#activate-form").get_by_role("button", name="فعال‌سازی").click()
    page.locator("#login-form").wait_for()
    login_form = page.locator("#login-form")
    login_form.get_by_label("گذرواژه").fill("Tazeh-Vared-1404")
    login_form.get_by_role("button", name="ورود", exact=True).click()
    totals = page.locator("[data-testid=records-totals]")
    expect(totals).to_contain_text("۷ سال")  # 1398/01 to 1405/07 at one workshop
