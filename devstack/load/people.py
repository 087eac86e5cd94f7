"""The insured people a run logs in as, seeded into the stack's storage through the adapters devstack/seed.py
writes with."""
from __future__ import annotations

import dataclasses
import random
from typing import TYPE_CHECKING

from devstack.load.storage import storage

if TYPE_CHECKING:
    from devstack.load.stack import LoadStack

PASSWORD = "Sabeghe-load-1404"  # every seeded person's


@dataclasses.dataclass
class Person:
    national_code: str
    mobile: str
    wrong_inquiries: int = 0
    token: str | None = None  # the session a user keeps for the person
    logins: int = 0  # logins answered 200


def national_code(first_nine: str) -> str:
    from chalicelib.domain.identifiers import national_code_check_digit

    return first_nine + str(national_code_check_digit(first_nine))


def seed_people(stack: LoadStack, run_no: int, count: int, seed: int) -> list[Person]:
    """Insured people for this run, through the adapters devstack/seed.py writes with: a registry profile and a
    career of 2 to 8 years at one or two of the demo workshops, and an active account. Every account carries one
    password hash of the service's real argon2 parameters (hashing each would take 0.1 s a person; logging in
    verifies it at full cost)."""
    from chalicelib.domain import passwords
    from chalicelib.domain.jalali import month_length
    from chalicelib.domain.model.accounts import AccountStatus
    from chalicelib.domain.model.accounts import Person as Account
    from chalicelib.domain.service_days import Contribution
    from devstack.seed import WORKSHOPS, seed_registry_person

    rng = random.Random(f"people/{seed}/{run_no}")
    shared_hash = passwords.hash_password(PASSWORD)
    people = []
    with storage(stack) as services:
        for i in range(count):
            person = Person(national_code(f"9{run_no % 100:02d}{i:06d}"), f"0935{run_no % 100:02d}{i:05d}")
            years = rng.randint(2, 8)
            first, change = 1404 - years, rng.randint(1, years)
            contributions = []
            for year in range(first, 1405):
                for month in range(1, 13 if year < 1404 else 7):
                    code, name, job = WORKSHOPS["A" if year < first + change else "B"]
                    wage = int(30_000_000 * 1.25 ** (year - first)) // 1000 * 1000
                    contributions.append(Contribution(year, month, code, name, month_length(year, month), wage, wage,
                                                      job))
            seed_registry_person(services, person.national_code, f"13{60 + i % 40}/0{1 + i % 9}/1{i % 9}",
                                 "کاربر", f"آزمون {i}", contributions)
            services.adapters.accounts.add_active(Account(
                national_code=person.national_code, mobile=person.mobile, birth_date=f"13{60 + i % 40}/01/01",
                password_hash=shared_hash, status=AccountStatus.ACTIVE))
            people.append(person)
    return people
