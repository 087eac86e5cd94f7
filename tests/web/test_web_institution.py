"""The institution panel on the inquiry address: one answer for every failed inquiry, the wait after too many,
and checking a document's authenticity by its id or verification address."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, NOT_FOUND_FA, Demo, national_code, shot, to_fa

pytestmark = pytest.mark.browser

IDENTIFIER_LABEL = "شناسه (کد ملی / کد اشخاص حقوقی / کد کارگاه)"


def inquire(page, identifier, passcode):
    page.get_by_label(IDENTIFIER_LABEL).fill(identifier)
    page.get_by_role("textbox", name="کد رمز", exact=True).fill(passcode)
    page.get_by_role("button", name="جستجو").click()


def test_panel_is_persian_and_every_field_is_labelled(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.inquiry + "/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    assert page.title() == "پنل دستگاه‌های دولتی و مراجع استعلام رسمی — استعلام سند"
    expect(page.get_by_role("tab", name="استعلام سند")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label(IDENTIFIER_LABEL)).to_be_visible()
    expect(page.get_by_role("textbox", name="کد رمز", exact=True)).to_be_visible()
    page.get_by_role("button", name="جستجو").click()
    expect(page.locator("#inquiry-err")).to_have_text("شناسه و کد رمز را وارد کنید.")

    page.get_by_test_id("lang-toggle").click()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
    expect(page.get_by_role("tab", name="Statement inquiry")).to_be_visible()
    page.get_by_test_id("lang-toggle").click()
    assert page.evaluate("document.documentElement.dir") == "rtl"


def test_a_wrong_passcode_gets_the_one_not_found_message(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.inquiry + "/")
    inquire(page, to_fa(national_code("246813579")), "۱۲۳۴۵-۶۷۸۹۰-۱۲۳۴۵")
    expect(page.locator("#inquiry-err")).to_have_text(NOT_FOUND_FA)
    expect(page.locator("#result")).to_be_hidden()


def test_too_many_failures_show_the_seconds_to_wait(new_page, web_stack):
    target = national_code("135792468")
    page = new_page()
    page.goto(web_stack.inquiry + "/")
    alert = page.locator("#inquiry-err")
    button = page.get_by_role("button", name="جستجو")
    for attempt in range(5):
        inquire(page, target, f"1111{attempt}-22222-33333")
        expect(alert).to_have_text(NOT_FOUND_FA)
        alert.evaluate("el => el.textContent = ''")
    inquire(page, target, "11119-22222-33333")
    expect(alert).to_contain_text("ثانیه دیگر دوباره تلاش کنید")
    assert re.search(r"[۰-۹]+ ثانیه", alert.inner_text()), alert.inner_text()
    expect(button).to_be_disabled()


def test_verify_by_id_by_pasted_address_and_after_deletion(new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    document_id = item["document_id"]
    assert document_id

    page = new_page()
    page.goto(f"{web_stack.inquiry}/?verify={document_id}")  # opened from a printed QR code or link: checks at once
    expect(page.get_by_role("tab", name="بررسی اصالت سند")).to_have_attribute("aria-selected", "true")
    status = page.get_by_test_id("verify-status")
    expect(status).to_have_text("معتبر")
    result = page.locator("#verify-result")
    expect(result).to_contain_text(to_fa(item["tracking_no"]))
    expect(result).to_contain_text("۰۴۹****۸۹۹")
    expect(page.get_by_test_id("verify-sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))

    # the verification address printed on the PDF, pasted whole, in lower case
    page.get_by_role("tab", name="استعلام سند").click()
    page.get_by_role("tab", name="بررسی اصالت سند").click()
    field = page.get_by_label("شناسه سند یا نشانی بررسی")
    field.fill(f"{web_stack.inquiry}/verify/{document_id.lower()}")
    page.get_by_role("button", name="بررسی", exact=True).click()
    expect(status).to_have_text("معتبر")

    demo_headers = demo.headers
    answer = page.request.delete(f"{web_stack.api}/v1/me/inbox/{item['tracking_no']}", headers=demo_headers)
    assert answer.status == 204
    page.get_by_role("button", name="بررسی", exact=True).click()
    expect(status).to_have_text("پس‌گرفته‌شده")

    field.fill("ZZZZZZZZZZZZ")
    page.get_by_role("button", name="بررسی", exact=True).click()
    expect(page.locator("#verify-err")).to_have_text("سندی با این شناسه صادر نشده است. شناسه را دوباره بررسی کنید.")
    expect(page.locator("#verify-result")).to_be_hidden()


def test_result_links_to_its_own_verification(new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("wages")
    permit = demo.permit(item["tracking_no"])
    page = new_page()
    page.goto(web_stack.inquiry + "/")
    inquire(page, DEMO_NATIONAL_CODE, permit["passcode"])
    expect(page.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    expect(page.get_by_test_id("records-table")).to_have_count(0)  # a wages statement has no yearly history
    wages = page.get_by_test_id("wages-table")
    expect(wages).to_be_visible()
    page.get_by_label("سال", exact=True).select_option(label="۱۴۰۲")
    expect(wages.locator("tbody tr")).to_have_count(12)
    page.get_by_test_id("verify-link").click()
    expect(page.get_by_test_id("verify-status")).to_have_text("معتبر")
    assert f"verify={item['document_id']}" in page.url


def test_verify_shows_who_signed_and_checks_the_signature_of_a_file_held(new_page, web_stack, tmp_path):
    """A clerk opens the QR code's address: the document's electronic signature is named (who, when, valid), and
    the PDF the clerk holds is checked twice: its SHA-256 in the browser, its own signature by the service."""
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    link = demo.get(f"/v1/me/inbox/{item['tracking_no']}/document")
    pdf = requests.get(link["url"], timeout=30).content
    held = tmp_path / "statement.pdf"
    held.write_bytes(pdf)

    page = new_page()
    page.goto(f"{web_stack.inquiry}/?verify={item['document_id']}")
    signature = page.get_by_test_id("verify-signature")
    expect(signature).to_contain_text("این سند به‌صورت الکترونیکی امضا شده است: امضاکننده Social Security Organization "
                                      "(Sabeghe Development Signing)")
    expect(signature).to_contain_text("امضا معتبر است.")
    expect(signature).to_contain_text(to_fa(item["sent_at_jalali"]))
    expect(page.get_by_test_id("verify-fingerprint")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))

    page.locator("#compare-file").set_input_files(str(held))
    expect(page.get_by_test_id("compare-match")).to_have_text(
        "کد بررسی فایل با سند صادرشده یکسان است: فایل دست‌نخورده است.")
    checked = page.get_by_test_id("file-signature")
    expect(checked).to_contain_text("امضای الکترونیکی این فایل معتبر است: امضاکننده Social Security Organization")
    expect(checked).to_have_class("match-ok")
    shot(page, "panel-verify-signed-fa-1280")

    page.get_by_test_id("lang-toggle").click()  # the findings stay, in the other language
    expect(page.get_by_test_id("verify-signature")).to_contain_text(
        "Signed electronically by Social Security Organization (Sabeghe Development Signing) on")
    expect(page.get_by_test_id("verify-signature")).to_contain_text("; the signature is valid.")
    expect(checked).to_contain_text("The file's electronic signature is valid: signed by Social Security Organization")

    changed = bytearray(pdf)
    changed[len(changed) // 10] ^= 0x01  # one byte of the statement's content
    tampered = tmp_path / "changed.pdf"
    tampered.write_bytes(bytes(changed))
    page.locator("#compare-file").set_input_files(str(tampered))
    expect(page.get_by_test_id("compare-match")).to_have_text(
        "The file's check code does not match: this is not the issued document, or it was changed.")
    expect(checked).to_have_text("The file's signature does not hold: what was signed has been changed.")
    expect(checked).to_have_class("match-bad")

    extended = tmp_path / "extended.pdf"
    extended.write_bytes(pdf + b"\n% a note added later\n")
    page.locator("#compare-file").set_input_files(str(extended))
    expect(checked).to_contain_text("something was added to the file after it was signed")
    shot(page, "panel-verify-file-extended-en-1280")
