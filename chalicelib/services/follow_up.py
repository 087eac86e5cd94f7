"""What follows a change, driven by the change itself (the requests table's stream on AWS): when a permit's view
count grows, the person's timeline gets the view and, on the permit's first view, an SMS.

Changes arrive at least once and in order per item; a replayed change writes the same timeline entry again
(same id), so the timeline never doubles; the first-view SMS of a replayed change is sent again."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.permits import Permit
from chalicelib.domain.ports import Sms, Timeline


def first_view_sms(permit: Permit) -> str:
    return (f"سابقه: گواهی {permit.tracking_no} شما برای نخستین بار با مجوز {permit.permit_id} توسط یک موسسه "
            f"مشاهده شد.")


class FollowUpService:
    def __init__(self, *, timeline: Timeline, sms: Sms):
        self.timeline = timeline
        self.sms = sms

    def permit_changed(self, before: Permit | None, after: Permit | None) -> str:
        if after is None or after.last_view is None or after.views <= (before.views if before else 0):
            return "ignored"
        view = after.last_view
        self.timeline.append(ActivityEntry(
            after.national_code, "institution_view", view.at,
            {"tracking_no": after.tracking_no, "permit_id": after.permit_id, "client_ip": view.client_ip,
             "user_agent": view.user_agent},
            nonce=f"{after.permit_id}.{after.views}"))
        if (before is None or before.first_viewed_at is None) and after.mobile:
            self.sms.send(after.mobile, first_view_sms(after))
        return "view"
