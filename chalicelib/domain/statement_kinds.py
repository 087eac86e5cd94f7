"""What a person can ask for, what they agree to, and how long things live."""
from __future__ import annotations

KINDS = {
    "summary": ("سوابق بیمه‌ای به تفکیک سال و کارگاه", "Contribution history per year and workshop"),
    "wages": ("دستمزد ماهانه", "Monthly wages"),
    "combined": ("سوابق بیمه‌ای با جمع کل", "Contribution history with totals"),
}
SYSTEM = "سابقه"
SUBJECT = "اعلام سابقه به موسسات"

AGREEMENT_VERSION = "1403-1"
AGREEMENT_TEXT = (
    "اینجانب موافقت می‌کنم گواهی سوابق بیمه‌ای من تهیه و در صندوق شخصی‌ام نگهداری شود و هر موسسه‌ای که شناسه و "
    "کد رمز صادرشده توسط من را ارائه کند، تا پایان اعتبار همان مجوز بتواند آن را مشاهده و دریافت کند. می‌دانم هر "
    "مشاهده ثبت و به من اطلاع داده می‌شود و می‌توانم هر مجوز را در هر زمان لغو یا درخواست را حذف کنم."
)

VALIDITY_SECONDS = {"day": 86_400, "week": 7 * 86_400, "month": 30 * 86_400, "year": 365 * 86_400}
RETENTION_SECONDS = 365 * 86_400  # a statement stays in the inbox for a year, longer if a permit outlives that
TOMBSTONE_SECONDS = 90 * 86_400  # deleted/expired requests are kept this long as an audit entry
MAX_LIVE_PERMITS = 10
