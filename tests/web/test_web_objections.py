"""Objections in the portal: a person files one with a document, follows it to the staff's decision, sees the
statement the correction outdated and asks for a fresh one; the form says what is wrong before anything is sent;
and all of it works on a phone."""
from __future__ import annotations

import os
import re
import time

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import DEMO_NATIONAL_CODE, login, to_ascii, to_fa

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SABEGHE_SCREENSHOTS", "/tmp/shots")
MONTHS_FA = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
PDF = b"%PDF-1.4\n% a payslip\n" + bytes(range(256)) * 200  # about 50 KB, not text: the bytes must arrive as sent


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"objections-{name}.png"), full_page=True)


def page_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def staff(stack) -> dict:
    answer = requests.post(f"{stack.api}/v1/staff/auth/login",
                           json={"username": "staff", "password": "Sabeghe-staff-1403"}, timeout=30)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def decide(stack, tracking_no, body):
    answer = requests.post(f"{stack.api}/v1/staff/objections/{tracking_no}/decision", json=body,
                           headers=staff(stack), timeout=30)
    assert answer.status_code == 200, answer.text


def fill_objection(page, *, kind, workshop, start, end, description):
    form = page.locator("#objection-form")
    form.get_by_label(kind).check()
    form.get_by_role("combobox", name=re.compile("^کارگاه")).select_option(workshop)
    for which, (year, month) in (("شروع", start), ("پایان", end)):
        form.get_by_label(f"سال {which}").select_option(label=to_fa(year))
        form.get_by_label(f"ماه {which}").select_option(label=f"{MONTHS_FA[month - 1]} ({to_fa(f'{month:02d}')})")
    form.get_by_label("شرح اعتراض").fill(description)


def test_a_person_files_an_objection_with_a_payslip_and_follows_it_to_the_correction(portal, demo, web_stack):
    statement = demo.ready_statement("combined")  # issued before the correction, so the correction outdates it
    khordad = next(m for m in demo.get("/v1/me/records/wages?year=1400")["months"] if m["month"] == 3)
    reported = khordad["workshops"][0]
    objections_before = len(demo.get("/v1/me/objections")["items"])

    page = portal
    page.get_by_role("button", name="اعتراض به سوابق").click()
    expect(page.get_by_role("heading", name="ثبت اعتراض به سوابق")).to_be_visible()
    fill_objection(page, kind="کسری روز کارکرد یا دستمزد", workshop=reported["workshop_code"], start=(1400, 3),
                   end=(1400, 3), description="دستمزد خرداد کمتر از فیش حقوقی ثبت شده است.")
    page.get_by_label("مدرک پیوست").set_input_files(
        files=[{"name": "فیش-حقوقی.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="ثبت اعتراض", exact=True).click()

    receipt = page.get_by_test_id("objection-receipt")
    expect(receipt).to_contain_text("ثبت شد")
    tracking_no = to_ascii(re.search(r"[۰-۹]{6,}", receipt.get_by_test_id("objection-tracking").inner_text()).group(0))
    upload = receipt.get_by_test_id("upload-status")
    expect(upload).to_have_attribute("data-state", "done", timeout=20_000)
    expect(upload).to_contain_text("«فیش-حقوقی.pdf» بارگذاری شد")
    assert len(demo.get("/v1/me/objections")["items"]) == objections_before + 1
    # the document really reached storage: the staff's link hands back the very bytes the person chose
    waiting = requests.get(f"{web_stack.api}/v1/staff/objections", headers=staff(web_stack), timeout=30).json()["items"]
    [mine] = [o for o in waiting if o["tracking_no"] == tracking_no]
    assert requests.get(mine["attachment"]["url"], timeout=30).content == PDF

    receipt.get_by_role("link", name="اعتراض‌های من").click()
    card = page.locator(f'[data-testid=objection][data-tracking="{tracking_no}"]')
    expect(card.get_by_test_id("objection-status")).to_have_text("در حال بررسی")
    expect(card).to_contain_text("کسری روز کارکرد یا دستمزد")
    expect(card).to_contain_text(to_fa(reported["workshop_code"]))
    expect(card).to_contain_text("خرداد ۱۴۰۰")
    expect(card).to_contain_text(to_fa(mine["submitted_at_jalali"]))

    # the staff accept it with a higher wage (the days stay as they were)
    wage = reported["wage"] + 12_000_000
    correction = {"year": 1400, "month": 3, "workshop_code": reported["workshop_code"], "days": reported["days"],
                  "wage": wage}
    decide(web_stack, tracking_no, {"decision": "accept", "reason": "فیش حقوقی با لیست اصلاحی کارفرما تطبیق داده شد",
                                    "corrections": [correction]})
    page.reload()
    expect(card.get_by_test_id("objection-status")).to_have_text("پذیرفته شد")
    decision = card.get_by_test_id("objection-decision")
    expect(decision).to_contain_text("فیش حقوقی با لیست اصلاحی کارفرما تطبیق داده شد")
    [decided] = [o for o in demo.get("/v1/me/objections")["items"] if o["tracking_no"] == tracking_no]
    expect(decision).to_contain_text(to_fa(decided["decided_at_jalali"]))
    expect(decision.get_by_test_id("objection-corrections")).to_have_text(
        f"خرداد ۱۴۰۰، {to_fa(reported['days'])} روز، دستمزد {to_fa(f'{wage:,}').replace(',', '٬')} ریال")
    shot(page, "list-1280-fa")

    # the statement issued before the correction now says so, and offers a fresh one of the same kind
    deadline = time.monotonic() + 20
    while not (item := demo.item(statement["tracking_no"]))["outdated"]:
        assert time.monotonic() < deadline, "the statement was not marked outdated"
        time.sleep(0.3)
    year, month, day = item["outdated_since_jalali"].split("/")
    page.get_by_role("link", name="صندوق شخصی من").click()
    row = page.locator(f'tr[data-tracking="{statement["tracking_no"]}"]')
    note = row.get_by_test_id("outdated-note")
    expect(note).to_contain_text("سوابق تغییر کرده")
    since = f"{to_fa(int(day))} {MONTHS_FA[int(month) - 1]} {to_fa(year)}"  # "۵ آذر ۱۴۰۵"
    expect(note).to_contain_text(f"پس از صدور این گواهی، از {since}")
    expect(page.get_by_test_id("outdated-banner")).to_contain_text("گواهی تازه درخواست کنید")
    shot(page, "inbox-1280-fa")

    # a bank reading it through a permit is told the records changed after it was issued
    permit = requests.post(f"{web_stack.api}/v1/me/inbox/{statement['tracking_no']}/permits",
                           json={"validity": "month"}, headers=demo.headers, timeout=30)
    assert permit.status_code == 201, permit.text
    bank = page.context.new_page()
    bank.goto(web_stack.inquiry + "/")
    bank.get_by_label("شناسه (کد ملی / کد اشخاص حقوقی / کد کارگاه)").fill(DEMO_NATIONAL_CODE)
    bank.get_by_role("textbox", name="کد رمز", exact=True).fill(permit.json()["passcode"])
    bank.get_by_role("button", name="جستجو").click()
    expect(bank.get_by_test_id("outdated-notice")).to_contain_text("پس از صدور این گواهی تغییر کرده است")
    bank.close()
    note.get_by_role("button", name="درخواست گواهی تازه").click()
    expect(page.get_by_role("heading", name="اعلام سابقه به موسسات", level=1)).to_be_visible()
    expect(page.get_by_label("سوابق کامل با دستمزد ماهانه")).to_be_checked()
    expect(page.locator("#flash")).to_contain_text(f"برای جایگزینی گواهی {to_fa(statement['tracking_no'])}")

    # the timeline tells the same story
    page.get_by_role("link", name="تامین اجتماعی من").click()
    outdated = page.locator('li[data-kind="statement_outdated"]').first
    expect(outdated).to_contain_text("تغییر سوابق پس از صدور گواهی")
    expect(outdated).to_contain_text(to_fa(tracking_no))
    expect(outdated).to_contain_text("خرداد ۱۴۰۰")

    # and in English
    page.get_by_role("link", name="اعتراض‌های من").click()
    page.get_by_test_id("lang-toggle").click()
    expect(card.get_by_test_id("objection-status")).to_have_text("Accepted")
    expect(card).to_contain_text("Days or wage short")
    expect(card.get_by_test_id("objection-corrections")).to_have_text(
        f"Khordad 1400: {reported['days']} days, wage {wage:,} Rials")
    shot(page, "list-1280-en")


def test_the_form_says_what_is_wrong_before_anything_is_sent(portal, demo):
    filed_before = len(demo.get("/v1/me/objections")["items"])
    page = portal
    page.get_by_role("link", name="اعتراض‌های من").click()
    page.get_by_role("link", name="ثبت اعتراض جدید").click()
    form = page.locator("#objection-form")
    form.get_by_label("عدم درج سابقه").check()
    form.get_by_role("combobox", name=re.compile("^کارگاه")).select_option(label="کارگاه دیگر (وارد کردن کد کارگاه)")
    form.get_by_role("textbox", name=re.compile("^کد کارگاه")).fill("۱۲۳۴۵")
    form.get_by_label("سال شروع").select_option(label="۱۴۰۱")
    form.get_by_label("ماه شروع").select_option(label="مرداد (۰۵)")
    form.get_by_label("سال پایان").select_option(label="۱۴۰۱")
    form.get_by_label("ماه پایان").select_option(label="اردیبهشت (۰۲)")
    form.get_by_label("مدرک پیوست").set_input_files(files=[{
        "name": "رزومه.docx", "buffer": b"PK\x03\x04 not a payslip",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    expect(page.locator("#obj-file-err")).to_have_text(
        "فایل «رزومه.docx» پذیرفته نیست: پیوست باید PDF، JPEG یا PNG باشد.")
    form.get_by_role("button", name="ثبت اعتراض", exact=True).click()

    expect(page.locator("#obj-workshop-err")).to_have_text("کد کارگاه باید ۱۰ رقم باشد.")
    expect(page.locator("#obj-to-err")).to_have_text("ماه پایان نمی‌تواند پیش از ماه شروع باشد.")
    expect(page.locator("#obj-desc-err")).to_contain_text("شرح اعتراض را بنویسید")
    expect(form.get_by_label("ماه پایان")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.activeElement.id") == "obj-code"  # the first field to fix has the focus

    # a file over 5 MB is refused as soon as it is chosen
    form.get_by_label("مدرک پیوست").set_input_files(files=[{
        "name": "scan.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"\0" * (5 * 2**20)}])
    expect(page.locator("#obj-file-err")).to_contain_text("حداکثر ۵ مگابایت مجاز است")
    form.get_by_label("مدرک پیوست").set_input_files(files=[])
    expect(page.locator("#obj-file-err")).to_have_text("")

    # corrected, it goes to the service; a refusal of the service reaches the person in its own words (the request
    # is altered on its way, as nothing the form lets through is refused)
    form.get_by_role("textbox", name=re.compile("^کد کارگاه")).fill("20 0030 0040")
    form.get_by_label("ماه پایان").select_option(label="شهریور (۰۶)")
    form.get_by_label("شرح اعتراض").fill("مرداد و شهریور ۱۴۰۱ در این کارگاه کار کرده‌ام.")
    page.route("**/v1/me/objections", lambda route: route.continue_(
        post_data=route.request.post_data.replace('"to":"1401/06"', '"to":"1401/01"')))
    form.get_by_role("button", name="ثبت اعتراض", exact=True).click()
    expect(page.locator("#objection-err")).to_have_text(
        "بازه ماه‌ها معتبر نیست: از ماه اول تا ماه آخر، حداکثر ۲۴ ماه و نه پس از ماه جاری.")
    for field in ("#obj-workshop-err", "#obj-to-err", "#obj-desc-err", "#obj-file-err"):
        expect(page.locator(field)).to_have_text("")
    assert len(demo.get("/v1/me/objections")["items"]) == filed_before


def test_a_failed_upload_keeps_the_objection_and_can_be_tried_again(portal, demo):
    page = portal
    is_upload = lambda url: "/objections/" in url and "X-Amz-Signature=" in url  # noqa: E731 - the presigned PUT
    page.route(is_upload, lambda route: route.abort("connectionreset"))
    page.get_by_role("button", name="اعتراض به سوابق").click()
    fill_objection(page, kind="عدم درج سابقه", workshop="2000300040", start=(1398, 7), end=(1398, 7),
                   description="مهر ۱۳۹۸ در این کارگاه کار کرده‌ام.")
    page.get_by_label("مدرک پیوست").set_input_files(
        files=[{"name": "قرارداد.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"\x01" * 20_000}])
    page.get_by_role("button", name="ثبت اعتراض", exact=True).click()

    upload = page.get_by_test_id("upload-status")
    expect(upload).to_have_attribute("data-state", "failed")
    expect(upload).to_contain_text("اعتراض شما ثبت شده است و از بین نمی‌رود")
    expect(upload).to_contain_text(re.compile(r"تا ساعت [۰-۹]{2}:[۰-۹]{2} می‌توانید دوباره تلاش کنید"))
    tracking_no = to_ascii(re.search(r"[۰-۹]{6,}", page.get_by_test_id("objection-tracking").inner_text()).group(0))
    assert tracking_no in {o["tracking_no"] for o in demo.get("/v1/me/objections")["items"]}  # filed all the same
    shot(page, "upload-failed-1280-fa")

    page.unroute(is_upload)
    upload.get_by_role("button", name="تلاش دوباره برای بارگذاری پیوست").click()
    expect(upload).to_have_attribute("data-state", "done")
    expect(upload).to_contain_text("«قرارداد.jpg» بارگذاری شد")


def test_filing_and_following_objections_on_a_phone(new_page, demo, web_stack):
    # an earlier objection, already rejected, so the list shows a decision too
    filed = requests.post(f"{web_stack.api}/v1/me/objections", headers=demo.headers, timeout=30, json={
        "kind": "missing", "workshop_code": "2000300040", "from": "1394/11", "to": "1395/01",
        "description": "سه ماه اول کارم ثبت نشده است."})
    assert filed.status_code == 201, filed.text
    decide(web_stack, filed.json()["tracking_no"],
           {"decision": "reject", "reason": "کارفرما برای این ماه‌ها لیستی نداده است."})

    page = new_page(width=375, height=812, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, web_stack)
    page.get_by_role("button", name="اعتراض به سوابق").click()
    form = page.locator("#objection-form")
    expect(form).to_be_visible()
    assert page_overflow(page) <= 0
    outside = form.locator("input, select, textarea, button").evaluate_all("""els => els
        .filter(el => el.offsetParent && !el.closest('[hidden]'))
        .map(el => el.getBoundingClientRect()).filter(r => r.left < 0 || r.right > 375).length""")
    assert outside == 0, "a control of the form reaches past the screen"
    fill_objection(page, kind="عدم درج سابقه", workshop="2000300040", start=(1399, 1), end=(1399, 2),
                   description="فروردین و اردیبهشت ۱۳۹۹ کار کرده‌ام.")
    shot(page, "form-375-fa")
    form.get_by_role("button", name="ثبت اعتراض", exact=True).click()
    expect(page.get_by_test_id("objection-tracking")).to_contain_text("ثبت شد")
    page.get_by_test_id("objection-receipt").get_by_role("link", name="اعتراض‌های من").click()

    rejected = page.locator(f'[data-testid=objection][data-tracking="{filed.json()["tracking_no"]}"]')
    expect(rejected.get_by_test_id("objection-status")).to_have_text("پذیرفته نشد")
    expect(rejected).to_contain_text("بهمن ۱۳۹۴ تا فروردین ۱۳۹۵")
    expect(rejected.get_by_test_id("objection-decision")).to_contain_text("کارفرما برای این ماه‌ها لیستی نداده است.")
    newest = page.locator('[data-testid=objection][data-status="submitted"]').first
    expect(newest).to_contain_text("فروردین ۱۳۹۹ تا اردیبهشت ۱۳۹۹")
    assert page_overflow(page) <= 0
    box = rejected.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    shot(page, "list-375-fa")

    page.get_by_test_id("lang-toggle").click()
    expect(rejected.get_by_test_id("objection-status")).to_have_text("Rejected")
    expect(rejected).to_contain_text("Bahman 1394 to Farvardin 1395")
    assert page_overflow(page) <= 0
    shot(page, "list-375-en")
    page.get_by_role("link", name="File a new objection").click()
    expect(page.get_by_label("From month")).to_be_visible()
    assert page_overflow(page) <= 0
    shot(page, "form-375-en")
