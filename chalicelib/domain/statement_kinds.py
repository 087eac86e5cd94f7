"""What a person can ask for, what they agree to, and how long things live."""
from __future__ import annotations

# One name per kind, saying what is inside, wherever a kind is named: the request form, the inbox, the PDF's title
# ("گواهی" + the name), the API's kind_title.
KINDS = {
    "summary": ("خلاصه سوابق و جمع کل", "Summary of insured days with totals"),
    "wages": ("روزها و دستمزد ماهانه", "Monthly days and wages"),
    "combined": ("سوابق کامل با دستمزد ماهانه", "Full record with monthly wages"),
}
# The languages a statement is drawn in: Persian, and English for embassies.
LANGUAGES = ("fa", "en")
SYSTEM = "سابقه"
SUBJECT = "اعلام سابقه به موسسات"

AGREEMENT_VERSION = "1403-2"
AGREEMENT_TITLE_FA = "موافقت‌نامه اعلام سابقه به موسسات"
AGREEMENT_ITEMS_FA = (
    "اینجانب درخواست می‌کنم گواهی سوابق بیمه‌ای من از نوع انتخاب‌شده تهیه و در «صندوق شخصی من» قرار گیرد.",
    "موافقم این گواهی به هر موسسه، سازمان یا دستگاهی که شناسه من و کد رمز مجوز استعلامی را که خودم صادر می‌کنم ارائه کند، نشان داده شود. نگهداری کد رمز و سپردن آن فقط به موسسه مورد نظر بر عهده خودم است.",
    "آگاهم که هر بار مشاهده سوابق به‌وسیله موسسات، همراه با زمان، نشانی اینترنتی و مشخصات مرورگر استعلام‌کننده ثبت می‌شود و در بخش «تامین اجتماعی من» به من نشان داده می‌شود.",
    "می‌دانم که هر زمان بخواهم می‌توانم مجوز استعلام را لغو یا درخواست را حذف کنم و از آن پس کد رمز پیشین کار نمی‌کند؛ نسخه‌ای که موسسه پیش از لغو دریافت و نگه داشته است، با لغو مجوز از میان نمی‌رود.",
    "گواهی برابر سوابق ثبت‌شده در سازمان در زمان صدور است و اصالت آن به‌صورت الکترونیکی قابل بررسی است، از این رو به مهر و امضا نیاز ندارد. اگر سوابقم ناقص است، پیش از ارسال از گزینه «اعتراض به سوابق» استفاده می‌کنم.",
)
AGREEMENT_TITLE_EN = "Agreement to share my record with institutions"
AGREEMENT_ITEMS_EN = (
    "I ask for a statement of my insurance record, of the chosen kind, to be prepared and placed in “My inbox”.",
    "I agree that this statement is shown to any institution, organisation or agency that presents my identifier and the passcode of an inquiry permit that I issue myself. Keeping the passcode and giving it only to the institution I choose is my responsibility.",
    "I know that every view of my record by an institution is logged with its time, IP address and browser, and shown to me under “My activity”.",
    "I know I can revoke the permit or delete the request at any time, after which the old passcode stops working; a copy an institution saved before that is not withdrawn by revoking.",
    "The statement reflects the fund's records when it is issued and can be checked electronically, so it needs no stamp or signature. If my record is incomplete, I will file an objection before sending it.",
)
# What is stored on each request as the text the person accepted (its SHA-256 beside it).
AGREEMENT_TEXT = AGREEMENT_TITLE_FA + "\n" + "\n".join(f"{i}. {item}" for i, item in enumerate(AGREEMENT_ITEMS_FA, 1))


def agreement() -> dict:
    return {"version": AGREEMENT_VERSION,
            "fa": {"title": AGREEMENT_TITLE_FA, "items": list(AGREEMENT_ITEMS_FA)},
            "en": {"title": AGREEMENT_TITLE_EN, "items": list(AGREEMENT_ITEMS_EN)}}


VALIDITY_SECONDS = {"day": 86_400, "week": 7 * 86_400, "month": 30 * 86_400, "year": 365 * 86_400}
RETENTION_SECONDS = 365 * 86_400  # a statement stays in the inbox for a year, longer if a permit outlives that
TOMBSTONE_SECONDS = 90 * 86_400  # deleted/expired requests are kept this long as an audit entry
MAX_LIVE_PERMITS = 10
