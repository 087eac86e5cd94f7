"""Timeline: newest first, one entry per id however often it is written, cursors that continue where a page
ended and stay within the person's own timeline."""
from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.clock import iso_precise
from chalicelib.domain.model.activity import ActivityEntry

from .builders import HOLDER, NOW, OTHER, all_pages


def entries(count: int, national_code: str = HOLDER, start: float = NOW) -> list[ActivityEntry]:
    kinds = ["login", "statement_requested", "statement_ready", "permit_issued", "institution_view", "logout"]
    return [ActivityEntry.new(national_code, kinds[i % len(kinds)], iso_precise(start + i * 61.5),
                              {"tracking_no": str(1_000_000_001 + i), "client_ip": "198.51.100.7"})
            for i in range(count)]


def test_empty_timeline(store):
    assert store.timeline.page(HOLDER, None, 20) == ([], None)


def test_page_is_newest_first(store):
    written = entries(5)
    for e in (written[2], written[0], written[4], written[1], written[3]):
        store.timeline.append(e)
    page, _ = store.timeline.page(HOLDER, None, 20)
    assert page == list(reversed(written))


def test_an_entry_round_trips(store):
    e = ActivityEntry.new(HOLDER, "institution_view", "2025-06-15T08:30:00.125Z",
                          {"tracking_no": "1000000042", "permit_id": "a1b2c3d4e5f6", "views": 3,
                           "institution": "بانک ملت", "first": True})
    store.timeline.append(e)
    assert store.timeline.page(HOLDER, None, 1)[0] == [e]


def test_an_entry_without_details(store):
    e = ActivityEntry.new(HOLDER, "logout", iso_precise(NOW))
    store.timeline.append(e)
    assert store.timeline.page(HOLDER, None, 5) == ([e], None)


def test_the_same_entry_twice_keeps_one(store):
    e = entries(1)[0]
    store.timeline.append(e)
    store.timeline.append(e)
    store.timeline.append(dataclasses.replace(e))
    assert store.timeline.page(HOLDER, None, 20) == ([e], None)


def test_two_entries_in_the_same_millisecond_stay_apart(store):
    at = iso_precise(NOW)
    first, second = ActivityEntry.new(HOLDER, "login", at), ActivityEntry.new(HOLDER, "login_failed", at)
    store.timeline.append(first)
    store.timeline.append(second)
    page, _ = store.timeline.page(HOLDER, None, 20)
    assert sorted(page, key=lambda e: e.entry_id) == sorted([first, second], key=lambda e: e.entry_id)


@pytest.mark.parametrize("limit", [1, 3, 4, 12, 13])
def test_pages_give_every_entry_once_newest_first(store, limit):
    written = entries(12)
    for e in written:
        store.timeline.append(e)
    for e in entries(3, OTHER):
        store.timeline.append(e)
    pages = all_pages(lambda after, n: store.timeline.page(HOLDER, after, n), limit)
    assert [e for page in pages for e in page] == list(reversed(written))
    assert all(page for page in pages[:-1])


def test_a_cursor_continues_after_its_entry(store):
    written = entries(6)
    for e in written:
        store.timeline.append(e)
    first, after = store.timeline.page(HOLDER, None, 2)
    assert after == first[-1].entry_id == written[4].entry_id
    second, _ = store.timeline.page(HOLDER, after, 2)
    assert second == [written[3], written[2]]
    # An entry written meanwhile is newer: it does not move the pages already read.
    store.timeline.append(entries(1, start=NOW + 3600)[0])
    assert store.timeline.page(HOLDER, after, 2)[0] == second


def test_a_cursor_reads_only_the_callers_timeline(store):
    for e in entries(4, HOLDER) + entries(4, OTHER, NOW + 5):
        store.timeline.append(e)
    _, after = store.timeline.page(OTHER, None, 2)
    page, _ = store.timeline.page(HOLDER, after, 10)
    assert {e.national_code for e in page} == {HOLDER}
