"""FollowUpService, driven by the permit changes a DynamoDB stream would carry (memory_state.changes): every view
becomes one timeline entry, the first view of a permit one SMS, and a replayed change adds nothing."""
from __future__ import annotations

import pytest

from chalicelib.services.follow_up import first_view_sms

from .helpers import MOBILE, NC, Stream, inquire, ready, stored, timeline


@pytest.fixture
def shared(demo):
    tracking_no = ready(demo)
    return tracking_no, demo.permits.issue(NC, tracking_no, "month")


def views(services) -> list:
    return [e for e in timeline(services) if e.kind == "institution_view"]


def test_a_view_becomes_one_timeline_entry_with_who_looked(demo, shared, clock):
    tracking_no, permit = shared
    stream = Stream(demo)
    stream.play()  # the permit's issue: nothing to follow up
    assert views(demo) == []

    clock.advance(1)
    inquire(demo, permit["passcode"], ip="203.0.113.9", user_agent="Embassy/2")
    assert views(demo) == []  # the institution's answer does not wait for the follow-up
    assert stream.play() == ["view"]
    [entry] = views(demo)
    assert entry.details == {"tracking_no": tracking_no, "permit_id": permit["permit_id"],
                             "client_ip": "203.0.113.9", "user_agent": "Embassy/2", "browser": "Embassy/2"}
    assert entry.at == stored(demo, tracking_no).permit(permit["permit_id"]).last_view.at
    page = demo.timeline.page(NC, None, 10)["items"]
    assert page[0]["kind"] == "institution_view" and page[0]["title_en"] == "Viewed by an institution"


def test_only_the_first_view_of_a_permit_sends_an_sms(demo, shared, clock):
    tracking_no, permit = shared
    stream = Stream(demo)
    inquire(demo, permit["passcode"])
    stream.play()
    assert demo.adapters.sms.sent == [(MOBILE, first_view_sms(stored(demo, tracking_no).permit(permit["permit_id"])))]
    assert tracking_no in demo.adapters.sms.sent[0][1]
    assert permit["permit_id"] not in demo.adapters.sms.sent[0][1]  # an id means nothing to the person

    for _ in range(2):
        clock.advance(60)
        inquire(demo, permit["passcode"], ip="198.51.100.99")
    assert stream.play() == ["view", "view"]
    assert len(views(demo)) == 3
    assert len(demo.adapters.sms.sent) == 1

    second = demo.permits.issue(NC, tracking_no, "week")  # each permit's own first view is reported
    inquire(demo, second["passcode"])
    stream.play()
    assert len(demo.adapters.sms.sent) == 2


def test_revoking_and_expiring_permits_are_not_views(demo, shared, clock):
    tracking_no, permit = shared
    day = demo.permits.issue(NC, tracking_no, "day")
    stream = Stream(demo)
    assert stream.play() == ["ignored", "ignored"]  # two permits issued
    inquire(demo, day["passcode"])
    assert stream.play() == ["view"]
    demo.permits.revoke(NC, tracking_no, permit["permit_id"])
    clock.advance(2 * 86_400)
    demo.cleanup.run()  # the viewed day permit expires
    assert stream.play() == ["ignored", "ignored"]
    assert len(views(demo)) == 1 and len(demo.adapters.sms.sent) == 1


def test_a_replayed_view_adds_no_second_entry(demo, shared, clock):
    _tracking_no, permit = shared
    stream = Stream(demo)
    for _ in range(2):
        inquire(demo, permit["passcode"])
        clock.advance(60)
    stream.play()
    before = [e.entry_id for e in timeline(demo)]
    stream.replay_all()  # the stream hands every change again (a retried batch)
    assert [e.entry_id for e in timeline(demo)] == before
    assert len(views(demo)) == 2


def test_a_replayed_first_view_sends_no_second_sms(demo, shared):
    _tracking_no, permit = shared
    stream = Stream(demo)
    inquire(demo, permit["passcode"])
    stream.play()
    assert len(demo.adapters.sms.sent) == 1
    stream.replay_all()
    assert len(demo.adapters.sms.sent) == 1


CHROME_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/131.0.0.0 Safari/537.36")


def test_a_labelled_permit_names_its_institution_in_the_inbox_the_timeline_and_the_sms(demo, clock):
    tracking_no = ready(demo)
    permit = demo.permits.issue(NC, tracking_no, "month", label="بانک ملی، وام")
    assert permit["label"] == "بانک ملی، وام"
    stream = Stream(demo)
    clock.advance(1)
    inquire(demo, permit["passcode"], user_agent=CHROME_ON_WINDOWS)
    stream.play()
    [entry] = views(demo)
    assert entry.details["label"] == "بانک ملی، وام" and entry.details["browser"] == "Chrome on Windows"
    assert "«بانک ملی، وام»" in demo.adapters.sms.sent[-1][1] and permit["permit_id"] not in demo.adapters.sms.sent[-1][1]
    [shown] = demo.statements.inbox(NC, None, 10)["items"][0]["permits"]
    assert shown["label"] == "بانک ملی، وام" and shown["last_view"]["browser"] == "Chrome on Windows"
    issued = [e for e in timeline(demo) if e.kind == "permit_issued"]
    assert issued[0].details["label"] == "بانک ملی، وام"


@pytest.mark.parametrize("agent,name", [
    (CHROME_ON_WINDOWS, "Chrome on Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", "Safari on iPhone"),
    ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
     "Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 Edg/131.0.0.0", "Edge on Windows"),
    ("BankMellat-Inquiry/2.1", "BankMellat-Inquiry/2.1"),
    ("", "unknown"),
])
def test_a_browser_is_named_as_people_say_it(agent, name):
    from chalicelib.domain.presenting import browser_name

    assert browser_name(agent) == name
