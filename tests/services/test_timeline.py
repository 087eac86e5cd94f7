"""TimelineService ("My Social Security"): every interaction, newest first, a page at a time, titled in Persian."""
from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidValue
from devstack.seed import DEMO_PASSWORD, NEWCOMER

from .helpers import NC, ready


def test_the_timeline_is_newest_first_and_paginated(demo, clock):
    demo.accounts.login(NC, DEMO_PASSWORD, "198.51.100.7")
    clock.advance(1)
    tracking_no = demo.statements.request(NC, "summary", True)["tracking_no"]
    clock.advance(1)
    demo.rendering.render(NC, tracking_no)
    clock.advance(1)
    permit = demo.permits.issue(NC, tracking_no, "week")
    clock.advance(1)
    demo.permits.revoke(NC, tracking_no, permit["permit_id"])

    seen, cursor = [], None
    while True:
        page = demo.timeline.page(NC, cursor, 2)
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    assert [i["kind"] for i in seen] == ["permit_revoked", "permit_issued", "statement_ready", "statement_requested",
                                         "login"]
    assert len({i["id"] for i in seen}) == 5
    assert seen[-1]["details"] == {"client_ip": "198.51.100.7"}


def test_entries_are_titled_in_persian_with_jalali_times(demo):
    ready(demo)
    newest = demo.timeline.page(NC, None, 1)["items"][0]
    assert newest["at"] == "2025-06-15T08:30:00Z"
    assert newest["at_jalali"].startswith("1404/03/25")
    titles = {i["kind"]: (i["title_fa"], i["title_en"]) for i in demo.timeline.page(NC, None, 10)["items"]}
    assert titles["statement_requested"] == ("درخواست اعلام سابقه به موسسات", "Statement requested")
    assert titles["statement_ready"] == ("آماده شدن گواهی سابقه", "Statement ready")


def test_a_person_sees_only_their_own_timeline(demo):
    ready(demo)
    assert demo.timeline.page(NEWCOMER["national_code"], None, 10) == {"items": [], "next": None}


def test_a_cursor_the_service_did_not_give_out_is_refused(demo):
    with pytest.raises(InvalidValue) as refused:
        demo.timeline.page(NC, "bm90IGEgY3Vyc29y", 10)
    assert refused.value.code == "invalid_cursor"
