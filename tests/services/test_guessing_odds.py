"""The odds of guessing a live passcode, measured on the service itself: simulated attackers send wrong passcodes
as fast as the service lets them for a simulated day, one strategy per test, and the figures are printed (run with
-s to see them; docs/guessing.md keeps them). Junk never blocks the institution that holds the passcode."""
from __future__ import annotations

import pytest

from chalicelib.domain import passcodes
from chalicelib.domain.errors import NotFound, Throttled
from chalicelib.domain.identifiers import national_code_check_digit
from chalicelib.services.permits import MAX_LIVE_PERMITS

from .helpers import NC, inquire, ready

DAY = 86_400
ATTACKER_ADDRESSES = 10_000
SAMPLED_ADDRESSES = 6  # every address meets the same limits: a few measured ones stand for all of them
PASSCODE_SPACE = 10 ** passcodes.LENGTH
LIVE_PASSCODES = 10 * MAX_LIVE_PERMITS  # ten statements, each with every permit it may have: far above real use
TARGET = 1e-6


def identifiers(count: int, seed: int = 0) -> list[str]:
    nines = (f"{200000000 + seed * 100_003 + i * 7919:09d}" for i in range(count))
    return [n + str(national_code_check_digit(n)) for n in nines]


def answered_in_a_day(services, clock, ip: str, targets: list[str], desks: list[str | None] = (None,)) -> int:
    """Wrong passcodes this address gets answered (404) in a day, waiting out every Retry-After, cycling through
    the targets and moving to its next desk token whenever one is locked. Returns how many of its guesses learned
    anything."""
    start, answered, attempt, locked = clock.epoch(), 0, 0, []
    while clock.epoch() < start + DAY:
        target = targets[attempt % len(targets)]
        guess = f"{attempt % 100000:05d}-{(attempt * 7) % 100000:05d}-00000"
        attempt += 1
        try:
            inquire(services, guess, identifier=target, ip=ip, desk_token=desks[len(locked) % len(desks)])
            locked = []
        except NotFound:
            answered += 1
            locked = []
        except Throttled as wait:
            locked.append(wait.retry_after)
            if len(locked) >= len(desks):  # every desk waits: so does the attacker
                clock.advance(min(locked))
                locked = []
    clock.advance(start + DAY - clock.epoch())
    return answered


def earned_desks(services, ip: str, count: int) -> list[str]:
    """Desk tokens an attacker earns with a permit of its own (right answers are never limited)."""
    tracking_no = ready(services)
    permit = services.permits.issue(NC, tracking_no, "month")
    return [inquire(services, permit["passcode"], ip=ip)["desk_token"] for _ in range(count)]


@pytest.mark.parametrize("strategy,targets,desks", [("one identifier per address", 1, 0),
                                                    ("many identifiers per address", 50, 0),
                                                    ("many identifiers, ten desk tokens per address", 50, 10)])
def test_an_attacker_with_ten_thousand_addresses_guesses_a_live_passcode_with_odds_below_one_in_a_million(
        demo, clock, strategy, targets, desks):
    per_address = max(answered_in_a_day(demo, clock, f"10.1.{i}.{targets}", identifiers(targets, seed=i),
                                        earned_desks(demo, f"10.1.{i}.{targets}", desks) if desks else [None])
                      for i in range(SAMPLED_ADDRESSES))
    guesses_per_day = ATTACKER_ADDRESSES * per_address
    # Each answered guess names one identifier; it wins only if it hits one of that identifier's live passcodes.
    odds = guesses_per_day * LIVE_PASSCODES / PASSCODE_SPACE
    print(f"\n{strategy}: {per_address} answered guesses per address per day; {ATTACKER_ADDRESSES:,} addresses: "
          f"{guesses_per_day:,} a day; odds of hitting one of {LIVE_PASSCODES} live passcodes of an identifier "
          f"in a day: {odds:.1e} (target {TARGET:.0e})")
    assert per_address > 0
    assert odds < TARGET


def test_junk_from_a_thousand_addresses_never_blocks_the_right_passcode(demo, clock):
    tracking_no = ready(demo)
    permit = demo.permits.issue(NC, tracking_no, "month")
    refused = 0
    for i in range(1000):
        for _ in range(3):
            try:
                inquire(demo, "12345-67890-12345", ip=f"10.9.{i // 250}.{i % 250}")
            except (NotFound, Throttled):
                refused += 1
        if i % 100 == 99:  # the holder's institution asks now and then, in the middle of it all
            assert inquire(demo, permit["passcode"], ip="192.0.2.10")["tracking_no"] == tracking_no
    assert refused == 3000
    print(f"\n3,000 wrong passcodes from 1,000 addresses: the institution with the passcode was answered 10 times "
          f"out of 10")
