"""The staff page (`/staff` on the API address): a clerk logs in, compares an objection with the person's records,
decides it (a reason is required; an accepted one corrects the records), and sends an employer's monthly list and
reads its processing report."""
from __future__ import annotations

import os

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import Demo, to_fa

pytestmark = pytest.mark.browser

STAFF_USER, STAFF_PASSWORD = "staff", "Sabeghe-staff-1403"
WORKSHOP_B = "2000300040"  # the demo person's second workshop: every month of 1398 is on file, 31 days in Khordad
SHOTS = os.environ.get("SABEGHE_SCREENSHOTS", "/tmp")


def fa_grouped(n: int) -> str:
    return to_fa(f"{n:,}".replace(",", "٬"))


def file_objection(demo: Demo, **fields) -> str:
    body = {"kind": "deficient", "workshop_code": WORKSHOP_B, "from": "1398/03", "to": "1398/03",
            "description": "دستمزد خرداد کمتر از فیش حقوقی ثبت شده است", **fields}
    answer = requests.post(f"{demo.stack.api}/v1/me/objections", json=body, headers=demo.headers, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["tracking_no"]


def staff_token(stack) -> str:
    answer = requests.post(f"{stack.api}/v1/staff/auth/login",
                           json={"username": STAFF_USER, "password": STAFF_PASSWORD}, timeout=30)
    answer.raise_for_status()
    return answer.json()["token"]


def my_objection(demo: Demo, tracking_no: str) -> dict:
    return next(o for o in demo.get("/v1/me/objections")["items"] if o["tracking_no"] == tracking_no)


def khordad_1398_at_b(demo: Demo) -> dict:
    months = demo.get("/v1/me/records/wages?year=1398")["months"]
    month = next(m for m in months if m["month"] == 3)
    return next(w for w in month["workshops"] if w["workshop_code"] == WORKSHOP_B)


def staff_login(page, stack):
    page.goto(stack.api + "/staff")
    form = page.locator("#login-form")
    form.get_by_label("نام کاربری").fill(STAFF_USER)
    form.get_by_label("گذرواژه").fill(STAFF_PASSWORD)
    form.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("heading", name="اعتراض‌های در انتظار تصمیم")).to_be_visible()


def page_width_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_wrong_password_is_refused_and_logging_out_ends_the_session(new_page, web_stack):
    page = new_page()
    page.goto(web_stack.api + "/staff")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    form = page.locator("#login-form")
    form.get_by_label("نام کاربری").fill(STAFF_USER)
    form.get_by_label("گذرواژه").fill("Not-the-password-1")
    form.get_by_role("button", name="ورود", exact=True).click()
    expect(page.locator("#login-err")).to_have_text("نام کاربری یا گذرواژه نادرست است.")
    expect(page.get_by_role("navigation")).to_be_hidden()
    page.get_by_test_id("lang-toggle").click()
    form.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#login-err")).to_have_text("The username or password is wrong.")
    page.get_by_test_id("lang-toggle").click()

    form.get_by_label("گذرواژه").fill(STAFF_PASSWORD)
    form.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("heading", name="اعتراض‌های در انتظار تصمیم")).to_be_visible()
    expect(page.locator("#who")).to_have_text("کارشناس: staff")
    token = page.evaluate("sessionStorage.getItem('sabeghe.staff.token')")
    page.get_by_role("button", name="خروج").click()
    expect(page.get_by_role("heading", name="ورود کارکنان")).to_be_visible()
    expect(page.locator("#flash")).to_have_text("از سامانه خارج شدید.")
    gone = requests.get(f"{web_stack.api}/v1/staff/objections", headers={"Authorization": f"Bearer {token}"},
                        timeout=30)
    assert gone.status_code == 401


def test_a_clerk_compares_needs_a_reason_and_an_accepted_correction_changes_the_records(new_page, web_stack, demo):
    before = khordad_1398_at_b(demo)
    tracking_no = file_objection(demo)
    decided_elsewhere = file_objection(demo, kind="missing", workshop_code="3000400050",
                                       **{"from": "1399/08", "to": "1399/09"})

    page = new_page()
    staff_login(page, web_stack)
    card = page.locator(f'article[data-tracking="{tracking_no}"]')
    expect(card.get_by_role("heading", level=2)).to_have_text(f"اعتراض {to_fa(tracking_no)}")
    expect(card).to_contain_text("مریم رضایی")
    expect(card).to_contain_text(to_fa("0499370899"))
    # the record on file for Khordad 1398 at the workshop, beside the corrections prefilled from it
    on_file = card.get_by_test_id("records-on-file").locator('tr[data-month="1398/03"]')
    expect(on_file).to_contain_text("خرداد ۱۳۹۸")
    expect(on_file).to_contain_text(fa_grouped(before["wage"]))
    corrections = card.get_by_test_id("corrections")
    card.get_by_label("پذیرش و اصلاح سوابق").check()
    expect(corrections.locator("tbody tr")).to_have_count(1)
    expect(corrections.get_by_label("روز ردیف ۱")).to_have_value(to_fa(before["days"]))
    expect(corrections.get_by_label("دستمزد (ریال) ردیف ۱")).to_have_value(to_fa(before["wage"]))

    # rejecting without a reason is refused in the page, and nothing reaches the service
    card.get_by_label("رد اعتراض").check()
    card.get_by_role("button", name="رد اعتراض").click()
    expect(card.get_by_test_id("decision-error")).to_have_text("دلیل تصمیم را بنویسید؛ بیمه‌شده آن را می‌خواند.")
    expect(card.get_by_label("دلیل تصمیم")).to_be_focused()
    assert my_objection(demo, tracking_no)["status"] == "submitted"

    # accepted with a corrected wage (typed with Persian digits): it leaves the queue and the records change
    corrected = before["wage"] + 7_500_000
    card.get_by_label("پذیرش و اصلاح سوابق").check()
    corrections.get_by_label("دستمزد (ریال) ردیف ۱").fill(to_fa(corrected))
    card.get_by_label("دلیل تصمیم").fill("فیش‌های حقوقی خرداد ۱۳۹۸ دستمزد بیشتری نشان می‌دهد")
    card.get_by_role("button", name="پذیرش و ثبت اصلاحیه").click()
    expect(page.locator("#flash")).to_have_text(f"اعتراض {to_fa(tracking_no)} پذیرفته شد و سوابق بیمه‌شده اصلاح شد.")
    expect(card).to_have_count(0)
    after = khordad_1398_at_b(demo)
    assert (after["days"], after["wage"]) == (before["days"], corrected)
    decided = my_objection(demo, tracking_no)
    assert decided["status"] == "accepted" and decided["decision_reason"].startswith("فیش‌های حقوقی")

    # decided by someone else meanwhile: the service's Persian message is shown and it leaves the queue
    other = page.locator(f'article[data-tracking="{decided_elsewhere}"]')
    expect(other).to_be_visible()
    answer = requests.post(f"{web_stack.api}/v1/staff/objections/{decided_elsewhere}/decision",
                           json={"decision": "reject", "reason": "لیستی برای این ماه‌ها نرسیده است"},
                           headers={"Authorization": f"Bearer {staff_token(web_stack)}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    other.get_by_label("رد اعتراض").check()
    other.get_by_label("دلیل تصمیم").fill("مدرکی پیوست نشده است")
    other.get_by_role("button", name="رد اعتراض").click()
    expect(page.locator("#flash")).to_contain_text("درباره این اعتراض قبلاً تصمیم گرفته شده است.")
    expect(other).to_have_count(0)
    assert my_objection(demo, decided_elsewhere)["decision_reason"] == "لیستی برای این ماه‌ها نرسیده است"


def test_the_queue_fits_a_phone(new_page, web_stack, demo):
    tracking_no = file_objection(demo, kind="missing", **{"from": "1395/07", "to": "1395/07"})
    page = new_page(width=375, height=812, is_mobile=True, has_touch=True, device_scale_factor=2)
    staff_login(page, web_stack)
    card = page.locator(f'article[data-tracking="{tracking_no}"]')
    card.get_by_label("پذیرش و اصلاح سوابق").check()
    # the missing month is marked as missing, and its correction is prefilled with the month's 30 days
    expect(card.get_by_test_id("records-on-file").locator('tr.gap[data-month="1395/07"]')).to_be_visible()
    expect(card.get_by_test_id("corrections").get_by_label("روز ردیف ۱")).to_have_value("۳۰")
    assert page_width_overflow(page) <= 0
    box = card.get_by_role("button", name="پذیرش و ثبت اصلاحیه").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    card.scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-staff-375.png"))


def test_an_employers_list_is_sent_and_its_report_names_the_rejected_row(new_page, web_stack, tmp_path):
    from devstack.list_samples import invented_people, write_list

    people = invented_people(12, seed=11, year=1403, month=5)
    broken = 2  # 0-based: the list's third row
    zipped = tmp_path / "list-1403-05.zip"
    zipped.write_bytes(write_list(people, "1234567890", 1403, 5, breaks={broken: "invalid_national_code"}))
    page = new_page()
    staff_login(page, web_stack)
    page.get_by_role("link", name="لیست‌های کارفرمایان").click()
    form = page.locator("#upload-form")

    # one dBase file alone is not a list: the page says so before asking anything
    kar_only = tmp_path / "DSKKAR00.DBF"
    kar_only.write_bytes(write_list(people, "1234567890", 1403, 6, form="dbf")["DSKKAR00.DBF"])
    page.set_input_files("#list-file", str(kar_only))
    form.get_by_role("button", name="ارسال و بررسی").click()
    expect(page.locator("#upload-err")).to_contain_text("دو فایل DSKKAR00.DBF و DSKWOR00.DBF با هم")

    page.set_input_files("#list-file", str(zipped))
    form.get_by_role("button", name="ارسال و بررسی").click()
    report = page.get_by_test_id("list-report")
    expect(report.get_by_test_id("list-status")).to_have_text("پردازش شد", timeout=30_000)
    expect(report).to_contain_text("مرداد ۱۴۰۳")
    expect(report).to_contain_text("۱۲۳۴۵۶۷۸۹۰")
    totals = report.get_by_test_id("list-totals")
    everyone = sum(p.insurable_total for p in people)
    expect(totals.locator('tr[data-key="rows"] td')).to_have_text(["۱۲", "۱۱"])
    expect(totals.locator('tr[data-key="insurable_total"] td')).to_have_text(
        [fa_grouped(everyone), fa_grouped(everyone - people[broken].insurable_total)])
    rejected = report.get_by_test_id("rejected-rows").locator("tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("th")).to_have_text("۳")
    expect(rejected).to_contain_text(f"{people[broken].first_name} {people[broken].last_name}")
    expect(rejected.locator("td").last).to_have_text("کد ملی نامعتبر است (رقم کنترل نادرست)")
    accepted = report.get_by_test_id("accepted-rows")
    expect(accepted.locator("tbody tr")).to_have_count(0)  # collapsed until the clerk opens it
    accepted.locator("summary").click()
    expect(accepted.locator("tbody tr")).to_have_count(11)

    # the two dBase files chosen together, read in English; of a long list only the first 200 rows are drawn
    page.get_by_test_id("lang-toggle").click()
    crowd = invented_people(205, seed=12, year=1403, month=6)
    pair = write_list(crowd, "1234567890", 1403, 6, form="dbf", breaks={204: "days_out_of_range"})
    paths = []
    for name, data in pair.items():
        (tmp_path / "pair").mkdir(exist_ok=True)
        (tmp_path / "pair" / name).write_bytes(data)
        paths.append(str(tmp_path / "pair" / name))
    page.set_input_files("#list-file", paths)
    form.get_by_role("button", name="Send and check").click()
    expect(report.get_by_test_id("list-status")).to_have_text("Processed", timeout=30_000)
    expect(report).to_contain_text("Shahrivar 1403")
    expect(report.get_by_test_id("rejected-rows").locator("tbody td").last).to_have_text(
        "Days worked outside the month's days")
    accepted.locator("summary").click()
    expect(accepted.get_by_test_id("accepted-note")).to_have_text("Only the first 200 of 204 rows are shown.")
    expect(accepted.locator("tbody tr")).to_have_count(200)
    page.screenshot(path=os.path.join(SHOTS, "sabeghe-staff-list-1280.png"), full_page=True)
