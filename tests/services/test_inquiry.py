"""InquiryService: an institution reads a statement with the holder's identifier and a passcode; every refusal
looks the same, and guessing is throttled and reported to the person."""
from __future__ import annotations

import pytest

from chalicelib.domain import throttling
from chalicelib.domain.errors import InvalidValue, NotFound, Throttled
from chalicelib.domain.identifiers import national_code_check_digit
from chalicelib.services.inquiry import GUESSING_SMS
from devstack.seed import NEWCOMER

from .helpers import DAY, MOBILE, NC, VERIFY_BASE, inquire, kinds, ready, stored

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def shared(demo):
    """A ready 'combined' statement with one month-long permit: (tracking number, permit as shown once)."""
    tracking_no = ready(demo)
    return tracking_no, demo.permits.issue(NC, tracking_no, "month")


def wrong(passcode: str) -> str:
    """Another passcode of the same shape."""
    digits = passcode.replace("-", "")
    return f"{(int(digits) + 1) % 10**15:015d}"


def refusal(call) -> tuple:
    with pytest.raises(NotFound) as refused:
        call()
    return type(refused.value), refused.value.status, refused.value.code, refused.value.message


def national_codes(count: int) -> list[str]:
    nines = (f"{100000000 + i * 7919:09d}" for i in range(count))
    return [nine + str(national_code_check_digit(nine)) for nine in nines]


def test_the_right_passcode_answers_with_the_statement(demo, shared):
    tracking_no, permit = shared
    answer = inquire(demo, permit["passcode"], user_agent="Embassy/2")
    document = stored(demo, tracking_no).document
    assert answer["tracking_no"] == tracking_no and answer["kind"] == "combined"
    assert answer["holder"]["national_code"] == NC and answer["holder"]["last_name"] == "رضایی"
    assert {"history", "wages", "totals"} <= answer["statement"].keys()
    assert answer["statement"]["totals"]["years"] >= 15
    assert answer["document_id"] == document.document_id and answer["sha256"] == document.sha256
    assert answer["document_url"].startswith(f"memory://{document.s3_key}")
    assert answer["document_url_expires_in"] == 300
    assert answer["verify_url"] == f"{VERIFY_BASE}/verify/{document.document_id}"
    assert answer["inquirable_until"] == permit["expires_at"]
    viewed = stored(demo, tracking_no).permit(permit["permit_id"])
    assert viewed.views == 1 and viewed.last_view.user_agent == "Embassy/2"
    item = demo.statements.item(NC, tracking_no)  # the person's inbox shows the view at once
    assert item["viewed_at"] == "2025-06-15T08:30:00Z" and item["permits"][0]["views"] == 1


def test_persian_digits_spaces_and_hyphens_are_accepted(demo, shared):
    tracking_no, permit = shared
    persian = permit["passcode"].translate(PERSIAN).replace("-", " - ")
    assert inquire(demo, persian, identifier="۰۴۹۹ ۳۷۰ ۸۹۹")["tracking_no"] == tracking_no
    arabic_indic = permit["passcode"].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert inquire(demo, arabic_indic)["tracking_no"] == tracking_no
    # A spreadsheet that dropped the code's leading zero: the service restores it.
    assert inquire(demo, permit["passcode"], identifier=NC.lstrip("0"))["tracking_no"] == tracking_no


def test_wrong_revoked_expired_and_deleted_passcodes_all_get_the_same_not_found(demo, shared, clock):
    tracking_no, permit = shared
    revoked = demo.permits.issue(NC, tracking_no, "year")
    demo.permits.revoke(NC, tracking_no, revoked["permit_id"])
    expiring = demo.permits.issue(NC, tracking_no, "day")
    refusals = [refusal(lambda: inquire(demo, wrong(permit["passcode"]))),
                refusal(lambda: inquire(demo, revoked["passcode"]))]
    clock.advance(DAY)
    refusals.append(refusal(lambda: inquire(demo, expiring["passcode"])))
    demo.statements.delete(NC, tracking_no)
    refusals.append(refusal(lambda: inquire(demo, permit["passcode"])))
    assert len(set(refusals)) == 1 and refusals[0][1:3] == (404, "not_found")
    assert all(p.views == 0 for p in stored(demo, tracking_no).permits)


def test_an_expired_grant_is_refused_even_before_the_cleanup_removes_it(demo, clock):
    tracking_no = ready(demo)
    permit = demo.permits.issue(NC, tracking_no, "day")
    grant_key = stored(demo, tracking_no).permit(permit["permit_id"]).grant_key
    clock.advance(DAY + 60)
    with pytest.raises(NotFound):
        inquire(demo, permit["passcode"])
    assert grant_key in demo.memory_state.grants  # still stored: the service itself refused it
    assert stored(demo, tracking_no).permit(permit["permit_id"]).views == 0


def test_a_right_passcode_with_another_identifier_is_refused(demo, shared):
    _tracking_no, permit = shared
    with pytest.raises(NotFound):
        inquire(demo, permit["passcode"], identifier=NEWCOMER["national_code"])
    with pytest.raises(NotFound):
        inquire(demo, permit["passcode"], identifier="10380284790")  # a legal-entity id
    with pytest.raises(InvalidValue) as malformed:
        inquire(demo, permit["passcode"], identifier="12")
    assert malformed.value.code == "invalid_identifier"


def test_junk_from_strangers_never_blocks_the_institution_that_holds_the_passcode(demo, shared, clock):
    tracking_no, permit = shared
    for i in range(100):  # a hundred addresses, five wrong passcodes each, all for this identifier
        for _ in range(5):
            with pytest.raises(NotFound):
                inquire(demo, wrong(permit["passcode"]), ip=f"10.0.{i}.1")
    assert inquire(demo, permit["passcode"], ip="192.0.2.200")["tracking_no"] == tracking_no
    assert stored(demo, tracking_no).permit(permit["permit_id"]).views == 1


def test_five_failures_for_one_identifier_lock_that_client_for_it_even_for_the_right_passcode(demo, shared, clock):
    tracking_no, permit = shared
    for _ in range(5):
        with pytest.raises(NotFound):
            inquire(demo, wrong(permit["passcode"]), ip="192.0.2.9")
    with pytest.raises(Throttled) as locked:
        inquire(demo, permit["passcode"], ip="192.0.2.9")  # a locked client learns nothing, right or wrong
    assert locked.value.retry_after == 30 and locked.value.status == 429
    assert stored(demo, tracking_no).permit(permit["permit_id"]).views == 0
    with pytest.raises(NotFound):  # the same client may still ask about other identifiers
        inquire(demo, "11111-11111-11111", identifier=NEWCOMER["national_code"], ip="192.0.2.9")
    clock.advance(30)
    assert inquire(demo, permit["passcode"], ip="192.0.2.9")["tracking_no"] == tracking_no


def test_a_passcode_of_the_wrong_shape_is_a_typo_not_a_guess(demo, shared):
    tracking_no, permit = shared
    for typo in ("not a passcode", "1234-5678", "53389-74620-3717", "²" * 15):
        with pytest.raises(InvalidValue) as refused:
            inquire(demo, typo, ip="192.0.2.9")
        assert refused.value.code == "invalid_passcode"
    assert demo.adapters.throttles.count(throttling.INQUIRY_PER_ADDRESS, "192.0.2.9") is None
    slashed = permit["passcode"].replace("-", "/")
    assert inquire(demo, slashed, ip="192.0.2.9")["tracking_no"] == tracking_no


def test_twenty_failures_from_one_client_lock_that_client(demo, shared, clock):
    tracking_no, permit = shared
    for identifier in national_codes(20):  # four different identifiers would never reach their own lock
        with pytest.raises(NotFound):
            inquire(demo, "11111-11111-11111", identifier=identifier, ip="192.0.2.77")
    with pytest.raises(Throttled) as locked:
        inquire(demo, permit["passcode"], ip="192.0.2.77")
    assert locked.value.retry_after == 60
    assert inquire(demo, permit["passcode"], ip="192.0.2.78")["tracking_no"] == tracking_no  # other clients read on
    clock.advance(60)
    assert inquire(demo, permit["passcode"], ip="192.0.2.77")["tracking_no"] == tracking_no


def test_a_clerk_whose_desk_earned_a_token_is_not_locked_by_the_typos_of_others_behind_the_branch_address(
        demo, shared, clock):
    tracking_no, permit = shared
    branch = "192.0.2.80"
    desk = inquire(demo, permit["passcode"], ip=branch)["desk_token"]
    for identifier in national_codes(20):  # another clerk (or a stranger) on the branch's network, without a token
        with pytest.raises(NotFound):
            inquire(demo, "11111-11111-11111", identifier=identifier, ip=branch)
    with pytest.raises(Throttled):
        inquire(demo, permit["passcode"], ip=branch)  # everyone without a token shares that lock
    clock.advance(30)  # the shared lock lasts a minute
    answer = inquire(demo, permit["passcode"], ip=branch, desk_token=desk)
    assert answer["tracking_no"] == tracking_no
    renewed = answer["desk_token"].split(".")
    assert renewed[1] == desk.split(".")[1] and int(renewed[2]) == int(desk.split(".")[2]) + 30  # same desk, renewed


def test_a_desk_locks_itself_only_and_the_address_stops_all_its_desks_at_sixty(demo, shared, clock):
    _tracking_no, permit = shared
    branch = "192.0.2.81"
    desks = [inquire(demo, permit["passcode"], ip=branch)["desk_token"] for _ in range(4)]
    assert len({d.split(".")[1] for d in desks}) == 4  # each desk that earned a token is its own
    codes = iter(national_codes(80))
    for _ in range(20):
        with pytest.raises(NotFound):
            inquire(demo, "11111-11111-11111", identifier=next(codes), ip=branch, desk_token=desks[0])
    with pytest.raises(Throttled):
        inquire(demo, permit["passcode"], ip=branch, desk_token=desks[0])
    assert inquire(demo, permit["passcode"], ip=branch, desk_token=desks[1])["desk_token"]
    for desk in desks[1:3]:
        for _ in range(20):
            with pytest.raises(NotFound):
                inquire(demo, "11111-11111-11111", identifier=next(codes), ip=branch, desk_token=desk)
    with pytest.raises(Throttled) as everyone:  # sixty behind one address: every desk there waits
        inquire(demo, permit["passcode"], ip=branch, desk_token=desks[3])
    assert everyone.value.retry_after == throttling.INQUIRY_PER_ADDRESS.base_lock
    assert inquire(demo, permit["passcode"], ip="192.0.2.82", desk_token=desks[3])["tracking_no"]


def test_a_forged_altered_or_expired_desk_token_only_shares_the_address_count(demo, shared, clock):
    _tracking_no, permit = shared
    branch = "192.0.2.83"
    desk = inquire(demo, permit["passcode"], ip=branch)["desk_token"]
    _, name, expires, signature = desk.split(".")
    forged = [f"d1.{'A' * 16}.{expires}.{signature}", f"d1.{name}.{int(expires) + 86400}.{signature}",
              "d1.not-a-desk", "x" * 80]
    for n, identifier in enumerate(national_codes(20)):
        with pytest.raises(NotFound):
            inquire(demo, "11111-11111-11111", identifier=identifier, ip=branch, desk_token=forged[n % 4])
    with pytest.raises(Throttled):
        inquire(demo, permit["passcode"], ip=branch)
    assert inquire(demo, permit["passcode"], ip=branch, desk_token=desk)["tracking_no"]
    clock.advance(91 * DAY)  # the permit is long gone too: the token's age alone is what is tested here
    from chalicelib.domain import desks
    assert desks.read(desks.signing_key(demo.adapters.keys.key("passcode_key")), desk, clock.epoch()) is None


def test_the_person_is_told_of_guessing_once_per_window(demo, shared, clock):
    _tracking_no, permit = shared

    def guess(ip: str):
        with pytest.raises(NotFound):
            inquire(demo, wrong(permit["passcode"]), ip=ip)

    def warnings():
        return [sms for sms in demo.adapters.sms.sent if sms[1] == GUESSING_SMS]

    for i in range(4):
        guess(f"192.0.2.{i}")
    assert warnings() == []
    guess("192.0.2.4")
    assert warnings() == [(MOBILE, GUESSING_SMS)]
    assert kinds(demo).count("inquiry_failures") == 1

    clock.advance(30)  # the lock has passed; more guessing inside the same window is not sent again
    guess("192.0.2.5")
    assert len(warnings()) == 1

    clock.advance(6 * 3600)  # a quiet window later the count starts over, and a new round is reported
    for i in range(5):
        guess(f"192.0.2.{10 + i}")
    assert len(warnings()) == 2
    assert kinds(demo).count("inquiry_failures") == 2


def test_guessing_an_identifier_without_an_account_sends_nothing(demo):
    for i in range(5):
        with pytest.raises(NotFound):
            inquire(demo, "11111-11111-11111", identifier=NEWCOMER["national_code"], ip=f"192.0.2.{i}")
    assert demo.adapters.sms.sent == []
