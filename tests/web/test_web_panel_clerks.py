"""The institution panel as a bank clerk uses it (issue 12, items 2, 3, 5, 7, 11 and 12): the form's shape is checked
in the page before anything is sent, any separator in the passcode will do, errors are in the page's language, the
statement's totals are in view at phone width, and the technical details wait behind a toggle.

Both languages, at 1280 and 360 px; every screen leaves a screenshot (conftest.shot)."""
from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, Demo, national_code, shot, to_fa

pytestmark = pytest.mark.browser

KINDS = {"fa": {"summary": "خلاصه سوابق و جمع کل", "wages": "روزها و دستمزد ماهانه",
                "combined": "سوابق کامل با دستمزد ماهانه"},
         "en": {"summary": "Summary of insured days with totals", "wages": "Monthly days and wages",
                "combined": "Full record with monthly wages"}}
SCREENS = [("fa", 1280), ("en", 1280), ("fa", 360), ("en", 360)]


def open_panel(new_page, stack, lang, width):
    page = new_page(width=width, height=800 if width > 500 else 740)
    page.goto(stack.inquiry + "/")
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()
    assert page.evaluate("document.documentElement.lang") == lang
    return page


def count_inquiries(page, stack) -> list:
    sent = []
    page.on("request", lambda request: sent.append(request.post_data)
            if request.method == "POST" and request.url.rstrip("/") == stack.inquiry.rstrip("/") else None)
    return sent


def fill(page, identifier, passcode):
    page.locator("#identifier").fill(identifier)
    page.locator("#passcode").fill(passcode)
    page.locator("#inquiry-submit").click()


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def cut_numbers(page) -> list:
    """Numbers in the result that reach past the screen's edges or past the box that scrolls them."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth, out = [];
      for (const el of document.querySelectorAll('#result .nums, #result bdi')) {
        const r = el.getBoundingClientRect();
        if (!r.width || !el.offsetParent) continue;
        if (r.left < -0.5 || r.right > width + 0.5) out.push(el.textContent);
        const wrap = el.closest('.tbl-wrap');
        if (wrap) {
          const w = wrap.getBoundingClientRect();
          if (r.left < w.left - 0.5 || r.right > w.right + 0.5) out.push(el.textContent);
        }
      }
      return out;
    }""")


@pytest.fixture(scope="module")
def combined_permit(web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("combined")
    return demo.permit(item["tracking_no"])


# ---- the page runs no inline script: everything is in /assets/institution.js, under script-src 'self' ----------
def test_the_panel_has_no_inline_script(web_stack):
    page = requests.get(web_stack.inquiry + "/", timeout=30)
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts), scripts
    assert '<script src="/assets/institution.js"></script>' in page.text
    assert re.search(r"script-src 'self';", page.headers["Content-Security-Policy"])
    assert not re.search(r"\son[a-z]+=", page.text)  # no inline event handlers
    script = requests.get(web_stack.inquiry + "/assets/institution.js", timeout=30)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("application/javascript")


# ---- item 12: the form's shape, before anything is sent --------------------------------------------------------
FIELD_ERRORS = {
    "fa": {"nc": "این کد ملی معتبر نیست", "short": "کد ملی ۱۰ رقم است، اما ۹ رقم وارد شده است",
           "passcode": "کد رمز ۱۵ رقم است (سه دسته پنج‌رقمی)، اما ۱۴ رقم وارد شده است"},
    "en": {"nc": "This national code is not valid", "short": "A national code has 10 digits, but 9 were typed",
           "passcode": "The passcode has 15 digits (three groups of five), but 14 were typed"},
}


@pytest.mark.parametrize("lang,width", SCREENS)
def test_a_typo_is_named_in_the_field_and_nothing_is_sent(new_page, web_stack, lang, width):
    good = national_code("271828182")
    typo = good[:9] + str((int(good[9]) + 1) % 10)  # one wrong check digit
    nine = next(c for c in (good[:9], good[1:], "123456789") if national_code(c.zfill(10)[:9]) != c.zfill(10))
    page = open_panel(new_page, web_stack, lang, width)
    sent = count_inquiries(page, web_stack)
    identifier_error, passcode_error = page.get_by_test_id("identifier-error"), page.get_by_test_id("passcode-error")
    digits = to_fa if lang == "fa" else str

    fill(page, digits(typo), "12345-67890-12345")
    expect(identifier_error).to_contain_text(FIELD_ERRORS[lang]["nc"])
    expect(page.locator("#identifier")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#identifier")).to_be_focused()
    expect(passcode_error).to_be_hidden()
    expect(page.locator("#inquiry-err")).to_be_hidden()  # no "wait N seconds", no "wrong passcode"
    shot(page, f"panel-form-error-{lang}-{width}")

    fill(page, digits(nine), "12345-67890-12345")
    expect(identifier_error).to_contain_text(FIELD_ERRORS[lang]["short"])

    fill(page, digits(good), "12345 67890 1234")
    expect(identifier_error).to_be_hidden()
    expect(passcode_error).to_contain_text(FIELD_ERRORS[lang]["passcode"])
    expect(page.locator("#passcode")).to_be_focused()
    page.locator("#passcode").type("5")  # typing again clears the message
    expect(passcode_error).to_be_hidden()

    page.wait_for_timeout(200)
    assert sent == [], sent


def test_any_separator_is_accepted_and_normalised_before_sending(new_page, web_stack, combined_permit):
    digits = combined_permit["passcode"].replace("-", "")
    slashed = "/".join(digits[i:i + 5] for i in range(0, 15, 5))
    page = open_panel(new_page, web_stack, "fa", 1280)
    sent = count_inquiries(page, web_stack)
    fill(page, to_fa(DEMO_NATIONAL_CODE), to_fa(slashed))  # "۷۰۱۳۶/۶۴۶۴۰/۱۸۶۹۶", as a clerk copies it from a note
    expect(page.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    assert [json.loads(body) for body in sent] == [
        {"identifier": DEMO_NATIONAL_CODE, "passcode": f"{digits[:5]}-{digits[5:10]}-{digits[10:]}"}]
    for typed in (f"{digits[:5]}.{digits[5:10]}.{digits[10:]}", f" {digits[:5]} {digits[5:10]} {digits[10:]} ",
                  f"{digits[:5]}،{digits[5:10]}،{digits[10:]}"):
        page.get_by_role("button", name="استعلام جدید").click()
        fill(page, DEMO_NATIONAL_CODE, typed)
        expect(page.get_by_test_id("holder-name")).to_have_text("مریم رضایی")


# ---- item 3: errors in the page's language ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_servers_refusal_is_shown_in_the_page_language(new_page, web_stack, lang):
    """A form of the right shape that the server still refuses (here: the request is altered on its way, so the real
    server answers 422) shows `message_fa` in Persian and `message` in English."""
    page = open_panel(new_page, web_stack, lang, 360 if lang == "fa" else 1280)

    def garble(route):
        body = json.loads(route.request.post_data)
        body["identifier"] = body["identifier"][:5]  # five digits: no identifier at all
        route.continue_(post_data=json.dumps(body))

    page.route(web_stack.inquiry + "/", lambda route: garble(route) if route.request.method == "POST" else route.continue_())
    fill(page, national_code("987654321"), "12345-67890-12345")
    alert = page.locator("#inquiry-err")
    if lang == "fa":
        expect(alert).to_have_text("شناسه باید کد ملی، کد اشخاص حقوقی یا کد کارگاه معتبر باشد.")
        assert not re.search(r"[A-Za-z]", alert.inner_text())
    else:
        expect(alert).to_contain_text("Identifier must be a national code")
    shot(page, f"panel-server-error-{lang}-{360 if lang == 'fa' else 1280}")
    # switching the language redraws the message on screen
    page.get_by_test_id("lang-toggle").click()
    if lang == "fa":
        expect(alert).to_contain_text("Identifier must be a national code")
    else:
        expect(alert).to_have_text("شناسه باید کد ملی، کد اشخاص حقوقی یا کد کارگاه معتبر باشد.")


def test_a_real_wait_is_said_in_minutes_and_seconds(new_page, web_stack):
    page = open_panel(new_page, web_stack, "fa", 360)
    page.route(web_stack.inquiry + "/", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "125", "Content-Type": "application/json"},
        body=json.dumps({"error": {"code": "too_many_attempts", "message": "Too many failed inquiries from this address; "
                                   "try again later.", "message_fa": "تلاش‌های ناموفق زیاد بوده است."}}))
               if route.request.method == "POST" else route.continue_())
    fill(page, national_code("314159265"), "12345-67890-12345")
    alert = page.locator("#inquiry-err")
    expect(alert).to_contain_text(re.compile(r"[۰-۹] دقیقه و [۰-۹]+ ثانیه دیگر دوباره تلاش کنید"))
    assert "۲ دقیقه و ۵ ثانیه" in alert.inner_text() or "۲ دقیقه و ۴ ثانیه" in alert.inner_text()
    expect(page.locator("#inquiry-submit")).to_be_disabled()
    shot(page, "panel-wait-fa-360")


# ---- items 2, 5, 7, 11: the statement as the clerk reads it ----------------------------------------------------
@pytest.mark.parametrize("lang,width", SCREENS)
def test_the_statement_fits_names_its_kind_and_folds_the_details(new_page, web_stack, combined_permit, lang, width):
    page = open_panel(new_page, web_stack, lang, width)
    fill(page, DEMO_NATIONAL_CODE, combined_permit["passcode"].replace("-", "/"))
    expect(page.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    expect(page.get_by_test_id("statement-kind")).to_have_text(KINDS[lang]["combined"])

    # item 11: words a clerk reads; the technical details behind a toggle
    note = page.get_by_test_id("pdf-note")
    expect(note).to_contain_text("۵ دقیقه" if lang == "fa" else "5 minutes")
    result = page.locator("#result")
    assert "SHA-256" not in result.inner_text() and "ثانیه" not in result.inner_text()
    details = page.get_by_test_id("result-details")
    expect(details.get_by_test_id("document-id")).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator("summary")).to_have_text("جزئیات" if lang == "fa" else "Details")
    expect(details.get_by_test_id("document-id")).to_be_visible()
    expect(details).to_contain_text("کد بررسی فایل" if lang == "fa" else "File check code")
    expect(details.get_by_test_id("sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    details.locator("summary").click()

    # item 7: a Persian workshop name on the English page is isolated from the numbers beside it
    assert page.locator(".ws-line bdi").count() > 0

    # item 2: the totals and Esfand in view, no sideways scrolling, no number cut
    assert horizontal_overflow(page) <= 0
    if width >= 1000:
        for wrap in page.locator(".tbl-wrap").all():
            assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "a statement table scrolls sideways"
        esfand = page.get_by_test_id("records-table").get_by_role("columnheader", name="اسفند" if lang == "fa" else "Esfand")
        esfand.scroll_into_view_if_needed()
        expect(esfand).to_be_in_viewport()
        box = esfand.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        expect(page.get_by_test_id("records-cards")).to_be_hidden()
    else:
        expect(page.get_by_test_id("records-table")).to_be_hidden()
        total = page.get_by_test_id("records-total")
        expect(total).to_be_visible()
        box = total.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        expect(total).to_contain_text("جمع روزهای قابل احتساب" if lang == "fa" else "Credited days in total")
        expect(page.get_by_test_id("wages-total")).to_be_visible()
        cards = page.get_by_test_id("records-cards")
        expect(cards.locator(".rec-card").first).to_contain_text("اسفند" if lang == "fa" else "Esfand")
    assert cut_numbers(page) == []

    # item 4: a month without days (the demo person's 1395/07, between two jobs) is a clear dash, said in words
    empty = page.locator(".tbl td.zero" if width >= 1000 else ".months-grid .zero dd").first
    expect(empty).to_contain_text("–")
    expect(empty.locator(".sr-only")).to_have_text("بدون روز کارکرد" if lang == "fa" else "no days")
    shot(page, f"panel-result-{lang}-{width}")


@pytest.mark.parametrize("lang,width", [("fa", 360), ("en", 1280)])
def test_verify_view_uses_the_clerks_words(new_page, web_stack, lang, width):
    demo = Demo(web_stack)
    item = demo.ready_statement("wages")
    page = new_page(width=width)
    page.goto(f"{web_stack.inquiry}/?verify={item['document_id']}")
    if lang == "en":
        page.get_by_test_id("lang-toggle").click()
    expect(page.get_by_test_id("verify-status")).to_have_text("معتبر" if lang == "fa" else "Valid")
    box = page.locator("#verify-result")
    expect(box).to_contain_text(KINDS[lang]["wages"])
    assert "SHA-256" not in box.inner_text() and "اثر انگشت" not in box.inner_text()
    page.get_by_test_id("verify-details").locator("summary").click()
    expect(page.get_by_test_id("verify-sha256")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    shot(page, f"panel-verify-{lang}-{width}")


# ---- item 12: one clerk's typos do not lock the whole branch behind its one address ----------------------------
@pytest.fixture
def branch_address(web_stack):
    """Every browser here reaches the local function from 127.0.0.1, like a branch's clerks from its one address.
    The address's count starts clean (earlier tests' wrong passcodes count too) and is forgotten afterwards, so the
    tests after it start clean as well."""
    import boto3

    dynamodb = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{web_stack.moto_port}",
                            region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")

    def forget():
        dynamodb.delete_item(TableName="sabeghe-throttles", Key={"pk": {"S": "inq-ip#127.0.0.1"}})

    forget()
    yield "127.0.0.1"
    forget()


def test_a_clerk_whose_desk_has_answered_before_is_not_locked_by_another_desks_typos(
        new_page, web_stack, combined_permit, branch_address):
    clerk = open_panel(new_page, web_stack, "fa", 1280)
    fill(clerk, DEMO_NATIONAL_CODE, combined_permit["passcode"])
    expect(clerk.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    desk = clerk.evaluate("localStorage.getItem('sabeghe.desk')")
    assert desk and desk.startswith("d1.")

    for n in range(20):  # someone at another desk of the branch (or a stranger on its network), without a token
        wrong = requests.post(web_stack.inquiry + "/", json={"identifier": national_code(f"{300000000 + n:09d}"),
                                                             "passcode": "12345-67890-12345"}, timeout=30)
        assert wrong.status_code == 404
    newcomer = open_panel(new_page, web_stack, "fa", 1280)  # a desk that never had an answer shares that lock
    fill(newcomer, DEMO_NATIONAL_CODE, combined_permit["passcode"])
    expect(newcomer.locator("#inquiry-err")).to_contain_text(re.compile(r"[۰-۹]+ (ثانیه|دقیقه)"))

    sent = count_inquiries(clerk, web_stack)
    clerk.get_by_role("button", name="استعلام جدید").click()
    fill(clerk, DEMO_NATIONAL_CODE, combined_permit["passcode"])
    expect(clerk.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    assert json.loads(sent[0])["desk_token"] == desk
    renewed = clerk.evaluate("localStorage.getItem('sabeghe.desk')")
    assert renewed.split(".")[1] == desk.split(".")[1]
