"""Demo data for the local stack and the tests: the contract's demo insured person (a 17-year career at
three workshops, with a month reported by two workshops and the 30-day Esfand of leap year 1403) and the
demo staff user."""
from __future__ import annotations

from chalicelib.domain import passwords
from chalicelib.domain.jalali import month_length
from chalicelib.domain.model.accounts import AccountStatus, InsuredProfile, Person, StaffMember
from chalicelib.domain.service_days import Contribution

DEMO_NATIONAL_CODE = "0499370899"
DEMO_PASSWORD = "Sabeghe-demo-1403"
DEMO_MOBILE = "09120000000"
DEMO_BIRTH_DATE = "1362/04/12"
STAFF_USERNAME = "staff"
STAFF_PASSWORD = "Sabeghe-staff-1403"

DEMO_PROFILE = InsuredProfile(DEMO_NATIONAL_CODE, first_name="مریم", last_name="رضایی", father_name="علی",
                              birth_date=DEMO_BIRTH_DATE, insurance_no="0012345678", gender="female")

WORKSHOPS = {
    "A": ("1000200030", "شرکت صنایع غذایی البرز", "کارشناس کنترل کیفیت"),
    "B": ("2000300040", "شرکت مهندسی پارس", "کارشناس ارشد فرآیند"),
    "C": ("3000400050", "موسسه آموزشی دانش", "مدرس پاره‌وقت"),
}


def _months(first: tuple[int, int], last: tuple[int, int]):
    year, month = first
    while (year, month) <= last:
        yield year, month
        month += 1
        if month == 13:
            year, month = year + 1, 1


def _monthly_wage(year: int) -> int:
    # Roughly the path of Iran's minimum wage: ~2.6 million Rials a month in 1388, growing ~27% a year.
    return int(26_000_000 * 1.27 ** (year - 1388)) // 1000 * 1000


def demo_contributions() -> list[Contribution]:
    out = []
    code, name, job = WORKSHOPS["A"]
    for y, m in _months((1388, 1), (1395, 6)):
        wage = int(_monthly_wage(y) * 1.2)
        out.append(Contribution(y, m, code, name, month_length(y, m), wage, wage, job))
    code, name, job = WORKSHOPS["B"]
    for y, m in _months((1395, 8), (1405, 8)):  # one month's gap (1395/07) between the two jobs
        wage = int(_monthly_wage(y) * 1.6)
        out.append(Contribution(y, m, code, name, month_length(y, m), wage, wage, job))
    code, name, job = WORKSHOPS["C"]
    for y, m in _months((1399, 5), (1399, 7)):  # part-time teaching beside a full-time job: overlapping months
        wage = _monthly_wage(y) // 2
        out.append(Contribution(y, m, code, name, 12, wage, wage, job))
    return out


# Known to the fund but without an account yet: try registration with these (the one-time code arrives in the
# outbox file).
NEWCOMER = {"national_code": "0013542419", "birth_date": "1370/01/15", "first_name": "رضا", "last_name": "کریمی",
            "mobile": "09121234567"}  # the line the operators' directory has in his name


def newcomer_contributions() -> list[Contribution]:
    code, name, job = WORKSHOPS["A"]
    return [Contribution(y, m, code, name, month_length(y, m), _monthly_wage(y), _monthly_wage(y), job)
            for y, m in _months((1398, 1), (1405, 7))]


def seed_demo(services) -> None:
    """Write the demo person (active account, registry profile, records) and the staff user. Idempotent."""
    registry, accounts = services.adapters.registry, services.adapters.accounts
    registry.add_profile(DEMO_PROFILE)
    registry.add_contributions(DEMO_NATIONAL_CODE, demo_contributions())
    accounts.add_active(Person(national_code=DEMO_NATIONAL_CODE, mobile=DEMO_MOBILE, birth_date=DEMO_BIRTH_DATE,
                               password_hash=passwords.hash_password(DEMO_PASSWORD), status=AccountStatus.ACTIVE,
                               email="maryam.rezaei@example.ir"))
    accounts.add_staff(StaffMember(STAFF_USERNAME, passwords.hash_password(STAFF_PASSWORD), "کارشناس سوابق"))
    seed_registry_person(services, NEWCOMER["national_code"], NEWCOMER["birth_date"], NEWCOMER["first_name"],
                         NEWCOMER["last_name"], newcomer_contributions(), mobile=NEWCOMER["mobile"])
    services.adapters.ownership.add_line(DEMO_NATIONAL_CODE, DEMO_MOBILE)


def seed_registry_person(services, national_code: str, birth_date: str, first_name: str, last_name: str,
                         contributions: list[Contribution] = (), mobile: str | None = None) -> None:
    """An insured person the fund knows but who has no account yet (for registration), and the line the operators'
    directory has in their name."""
    if mobile:
        services.adapters.ownership.add_line(national_code, mobile)
    services.adapters.registry.add_profile(InsuredProfile(national_code, first_name=first_name, last_name=last_name,
                                                          birth_date=birth_date))
    if contributions:
        services.adapters.registry.add_contributions(national_code, list(contributions))


def seed_active_person(services, national_code: str, mobile: str, birth_date: str, password: str) -> None:
    """An account that is active from the start (tests of a second person)."""
    services.adapters.ownership.add_line(national_code, mobile)
    services.adapters.accounts.add_active(Person(national_code=national_code, mobile=mobile, birth_date=birth_date,
                                                 password_hash=passwords.hash_password(password),
                                                 status=AccountStatus.ACTIVE))
