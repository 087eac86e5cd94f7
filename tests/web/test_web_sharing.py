"""Sharing a statement: ask for it, watch it get ready in the inbox, issue a passcode, let an institution read it
with that passcode, revoke, delete, and see every institution view in the timeline."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import (DEMO_NATIONAL_CODE, NOT_FOUND_FA, Demo, passcode_pattern, to_ascii, to_fa)

pytestmark = pytest.mark.browser


def inbox_row(page, tracking_no):
    return page.locator(f'tr[data-tracking="{tracking_no}"]')


def open_operations(row):
    details = row.locator("details.ops")
    if not details.evaluate("d => d.open"):
        row.locator("summary").click()
    return row.locator(".ops-menu")


def institution_inquiry(page, stack, identifier, passcode):
    if not page.url.startswith(stack.inquiry):
        page.goto(stack.inquiry + "/")
    page.get_by_label("شناسه (کد ملی / کد اشخاص حقوقی / کد کارگاه)").fill(identifier)
    page.get_by_role("textbox", name="کد رمز", exact=True).fill(passcode)
    page.get_by_role("button", name="جستجو").click()


def test_statement_reaches_the_inbox_and_an_institution_reads_it_with_the_passcode(portal, new_page, web_stack):
    page = portal
    page.get_by_role("link", name="اعلام سابقه به موسسات").first.click()
    expect(page.get_by_role("heading", name="اعلام سابقه به موسسات", level=1)).to_be_visible()
    agreement = page.get_by_role("region", name="موافقت‌نامه")
    expect(agreement).to_contain_text("هر بار مشاهده سوابق")
    expect(agreement).to_contain_text("لغو")
    served = requests.get(f"{web_stack.api}/v1/agreement", timeout=30).json()
    for item in served["fa"]["items"]:  # the text shown is the text the server records as accepted
        expect(agreement).to_contain_text(item)
    expect(agreement).to_have_attribute("data-version", served["version"])
    page.get_by_label("سوابق کامل با دستمزد ماهانه").check()
    page.get_by_role("button", name="موافقم و ارسال به صندوق شخصی").click()
    receipt = page.get_by_test_id("statement-tracking")
    expect(receipt).to_contain_text("شماره پیگیری")
    tracking_fa = re.search(r"[۰-۹]{6,}", receipt.inner_text()).group(0)
    tracking_no = to_ascii(tracking_fa)

    page.get_by_role("link", name="رفتن به صندوق شخصی من").click()
    table = page.get_by_test_id("inbox-table")
    expect(table).to_be_visible()
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["شماره پیگیری", "تاریخ ارسال", "سیستم", "موضوع", "کد ملی", "موبایل", "ایمیل", "تاریخ مشاهده",
                       "قابل استعلام تا", "وضعیت", "عملیات"]
    row = inbox_row(page, tracking_no)
    expect(row).to_contain_text(tracking_fa)
    # it turns ready by itself (the page polls while a request is pending)
    expect(row).to_have_attribute("data-status", "ready", timeout=30_000)
    expect(row.get_by_test_id("inbox-status")).to_have_text("آماده")
    expect(row).to_contain_text("ندارد")  # not inquirable yet: no permit

    menu = open_operations(row)
    menu.get_by_role("button", name="صدور مجوز استعلام").click()
    dialog = page.get_by_role("dialog", name="مجوز استعلام")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("یک ماه (پیشنهادی)")).to_be_checked()
    dialog.get_by_role("button", name="صدور مجوز استعلام").click()
    shown = dialog.get_by_test_id("passcode")
    expect(shown).to_be_visible()
    passcode_fa = shown.inner_text().strip()
    assert passcode_pattern().match(passcode_fa), passcode_fa
    expect(dialog).to_contain_text("فقط همین یک بار نمایش داده می‌شود")
    # copying gives the ASCII digits an institution's system expects
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web_stack.api)
    dialog.get_by_role("button", name="کپی کد رمز").click()
    expect(dialog).to_contain_text("کد رمز کپی شد.")
    assert page.evaluate("navigator.clipboard.readText()") == to_ascii(passcode_fa)
    expect(dialog.locator("[data-permit]")).to_have_count(1)
    expect(dialog.locator("[data-permit]")).to_contain_text("فعال")

    dialog.get_by_role("button", name="بستن").click()
    expect(dialog).to_be_hidden()
    html = page.content()
    assert passcode_fa not in html and to_ascii(passcode_fa) not in html, "the passcode must be shown only once"
    expect(row).to_contain_text("۱ مجوز فعال")
    expect(row.locator("td").nth(7)).not_to_contain_text("ندارد")  # inquirable until a date now

    # the permits list can be opened again, without the passcode
    open_operations(row).get_by_role("button", name=re.compile("مجوزهای استعلام")).click()
    expect(dialog.locator("[data-permit]")).to_have_count(1)
    expect(dialog.get_by_test_id("passcode")).to_have_count(0)
    dialog.get_by_role("button", name="بستن").click()

    # an institution, in its own browser, types the code with Persian digits, spaces and hyphens
    bank = new_page()
    bank.goto(web_stack.inquiry + "/")
    expect(bank.get_by_role("heading", name="پنل دستگاه‌های دولتی و مراجع استعلام رسمی — استعلام سند")).to_be_visible()
    assert bank.evaluate("document.documentElement.dir") == "rtl"
    institution_inquiry(bank, web_stack, to_fa(DEMO_NATIONAL_CODE), passcode_fa.replace("-", " - "))
    expect(bank.get_by_test_id("holder-name")).to_have_text("مریم رضایی")
    expect(bank.get_by_test_id("tracking-no")).to_have_text(tracking_fa)
    totals = bank.get_by_test_id("statement-totals")
    expect(totals.get_by_test_id("service-span")).to_have_text("۱۷ سال، ۷ ماه و ۱۰ روز")
    assert not re.search(r"[0-9]", totals.inner_text())
    expect(bank.get_by_test_id("records-table")).to_be_visible()
    expect(bank.get_by_test_id("wages-table")).to_be_visible()
    expect(bank.get_by_test_id("no-stamp")).to_contain_text("نیازی به مهر و امضا ندارد")
    pdf = bank.get_by_role("link", name="دریافت فایل PDF")
    href = pdf.get_attribute("href")
    assert href and href.startswith("http")
    document = requests.get(href, timeout=30)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")

    # ... and the owner sees that it was viewed
    page.reload()
    row = inbox_row(page, tracking_no)
    expect(row.locator("td").nth(6)).not_to_contain_text("—")


def test_revoked_permit_stops_the_institution_at_once(portal, new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    permit = demo.permit(item["tracking_no"], "week")

    bank = new_page()
    institution_inquiry(bank, web_stack, DEMO_NATIONAL_CODE, to_fa(permit["passcode"]))
    expect(bank.get_by_test_id("holder-name")).to_have_text("مریم رضایی")

    page = portal
    page.get_by_role("link", name="صندوق شخصی من").click()
    row = inbox_row(page, item["tracking_no"])
    expect(row).to_have_attribute("data-status", "ready")
    open_operations(row).get_by_role("button", name=re.compile("مجوزهای استعلام")).click()
    dialog = page.get_by_role("dialog", name="مجوز استعلام")
    entry = dialog.locator(f'[data-permit="{permit["permit_id"]}"]')
    expect(entry).to_contain_text("فعال")
    expect(entry).to_contain_text("یک هفته")
    entry.get_by_role("button", name="لغو مجوز").click()
    confirm = page.get_by_role("dialog", name="لغو مجوز استعلام")
    confirm.get_by_role("button", name="بله، لغو شود").click()
    expect(dialog.locator(f'[data-permit="{permit["permit_id"]}"]')).to_have_attribute("data-status", "revoked")
    expect(dialog.locator(f'[data-permit="{permit["permit_id"]}"]')).to_contain_text("لغو شده")
    dialog.get_by_role("button", name="بستن").click()
    expect(row).not_to_contain_text("مجوز فعال")

    bank.get_by_role("button", name="جستجو").click()  # the institution tries again with the same code
    expect(bank.locator("#inquiry-err")).to_have_text(NOT_FOUND_FA)
    expect(bank.get_by_test_id("holder-name")).to_have_count(0)


def test_timeline_highlights_each_institution_view(portal, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("wages")
    permit = demo.permit(item["tracking_no"], "day")
    answer = requests.post(web_stack.inquiry + "/", json={"identifier": DEMO_NATIONAL_CODE, "passcode": permit["passcode"]},
                           headers={"User-Agent": "BankMelli-Inquiry/2.1"}, timeout=30)
    assert answer.status_code == 200, answer.text
    demo.wait_for_activity("institution_view", "BankMelli-Inquiry/2.1")

    page = portal
    page.get_by_role("link", name="تامین اجتماعی من").click()
    expect(page.get_by_role("heading", name="تامین اجتماعی من")).to_be_visible()
    view = page.locator('li[data-kind="institution_view"]').first
    expect(view).to_be_visible()
    expect(view).to_have_class(re.compile(r"\binst\b"))
    expect(view).to_contain_text("مشاهده سابقه توسط موسسه")
    expect(view).to_contain_text("BankMelli-Inquiry/2.1")
    expect(view).to_contain_text(to_fa(item["tracking_no"]))
    # newest first: the view is above the permit that allowed it
    kinds = page.locator("ol.timeline > li").evaluate_all("items => items.map(li => li.dataset.kind)")
    assert kinds.index("institution_view") < kinds.index("permit_issued"), kinds
    background = view.evaluate("el => getComputedStyle(el).backgroundColor")
    plain = page.locator('li[data-kind="permit_issued"]').first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background != plain


def test_timeline_pages_with_more(portal, web_stack):
    page = portal
    for _ in range(21):  # plenty of activity: every login is an entry
        Demo(web_stack)
    page.get_by_role("link", name="تامین اجتماعی من").click()
    items = page.locator("ol.timeline > li")
    expect(items).to_have_count(20)
    more = page.get_by_role("button", name="بیشتر")
    expect(more).to_be_visible()
    more.click()
    expect(items.nth(20)).to_be_visible()
    ids = items.evaluate_all("items => items.map(li => li.textContent)")
    assert len(ids) > 20


def test_open_document_and_send_to_national_mailbox(portal, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("summary")
    page = portal
    page.get_by_role("link", name="صندوق شخصی من").click()
    row = inbox_row(page, item["tracking_no"])
    expect(row).to_have_attribute("data-status", "ready")

    with page.expect_popup() as popup:
        open_operations(row).get_by_role("button", name="رویت مکاتبه").click()
    tab = popup.value
    tab.wait_for_url(re.compile(r"\.pdf\?"))
    assert "X-Amz-Expires" in tab.url, tab.url
    tab.close()

    open_operations(row).get_by_role("button", name=re.compile("ارسال به صندوق الکترونیکی ملی")).click()
    expect(page.locator("#flash")).to_have_text("درخواست ارسال به صندوق الکترونیکی ملی ثبت شد.")
    expect(row.get_by_test_id("mailbox-status")).to_contain_text("تحویل به صندوق ملی", timeout=30_000)


def test_delete_removes_the_row_and_the_passcode_stops_working(portal, new_page, web_stack):
    demo = Demo(web_stack)
    item = demo.ready_statement("combined")
    permit = demo.permit(item["tracking_no"])
    page = portal
    page.get_by_role("link", name="صندوق شخصی من").click()
    row = inbox_row(page, item["tracking_no"])
    expect(row).to_have_attribute("data-status", "ready")

    open_operations(row).get_by_role("button", name="حذف").click()
    confirm = page.get_by_role("dialog", name="حذف درخواست")
    expect(confirm).to_contain_text(to_fa(item["tracking_no"]))
    confirm.get_by_role("button", name="انصراف").click()
    expect(row).to_be_visible()

    open_operations(row).get_by_role("button", name="حذف").click()
    confirm.get_by_role("button", name="بله، حذف شود").click()
    expect(row).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text("حذف شد")
    assert demo.item(item["tracking_no"]) is None

    bank = new_page()
    institution_inquiry(bank, web_stack, DEMO_NATIONAL_CODE, permit["passcode"])
    expect(bank.locator("#inquiry-err")).to_have_text(NOT_FOUND_FA)


def test_inbox_more_loads_the_next_page(portal, web_stack):
    demo = Demo(web_stack)
    have = len(demo.get("/v1/me/inbox?limit=100")["items"])
    for _ in range(max(0, 21 - have)):
        answer = requests.post(f"{web_stack.api}/v1/me/statements", json={"kind": "summary", "agree": True},
                               headers=demo.headers, timeout=30)
        assert answer.status_code == 201
    total = len(demo.get("/v1/me/inbox?limit=100")["items"])
    page = portal
    page.get_by_role("link", name="صندوق شخصی من").click()
    rows = page.locator("[data-testid=inbox-table] tbody tr")
    more = page.get_by_role("button", name="بیشتر")
    expect(more).to_be_visible()
    # a page holds at most 20 (fewer when deleted requests' tombstones fall inside it)
    assert 0 < rows.count() <= 20 < total
    while more.is_visible():
        count = rows.count()
        more.click()
        expect(rows).not_to_have_count(count)
    expect(rows).to_have_count(total)
    numbers = rows.evaluate_all("rows => rows.map(r => r.dataset.tracking)")
    assert len(set(numbers)) == total
    assert numbers == sorted(numbers, reverse=True)  # newest first
