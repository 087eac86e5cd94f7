"""What follows a change, driven by the change itself (the requests table's stream on AWS):
- a task written with a change (a new request, an e-mailbox ask, a deletion) is done at once (services/tasks.py);
- when a permit's view count grows, the person's timeline gets the view and, on the permit's first view, an SMS.

Changes arrive at least once and in order per item. A replayed change writes the same timeline entry again (same
id) and queues the same SMS again (same message id, which the SMS worker sends once), so nothing is doubled."""
from __future__ import annotations

from chalicelib.domain.model.activity import ActivityEntry
from chalicelib.domain.model.permits import Permit
from chalicelib.domain.model.tasks import FollowUpTask
from chalicelib.domain.ports import Sms, Timeline
from chalicelib.domain.presenting import browser_name
from chalicelib.services.tasks import TaskService


def first_view_sms(permit: Permit) -> str:
    """Names the permit as the person knows it: their own label, else the day they issued it (never its id)."""
    from chalicelib.domain.digits import to_persian_digits
    from chalicelib.domain.presenting import jalali_or_none

    whom = f"«{permit.label}»" if permit.label else \
        f"صادرشده در {to_persian_digits(jalali_or_none(permit.issued_at) or '')}".strip()
    return (f"سابقه: گواهی {permit.tracking_no} شما برای نخستین بار با مجوز {whom} توسط یک "
            f"موسسه مشاهده شد.")


class FollowUpService:
    def __init__(self, *, timeline: Timeline, sms: Sms, tasks: TaskService):
        self.timeline = timeline
        self.sms = sms
        self.tasks = tasks

    def changed(self, before, after) -> str:
        if isinstance(after, FollowUpTask):
            return self.tasks.perform(after)
        if isinstance(after, Permit) or isinstance(before, Permit):
            return self.permit_changed(before, after)
        return "ignored"

    def permit_changed(self, before: Permit | None, after: Permit | None) -> str:
        if after is None or after.last_view is None or after.views <= (before.views if before else 0):
            return "ignored"
        view = after.last_view
        self.timeline.append(ActivityEntry(
            after.national_code, "institution_view", view.at,
            {"tracking_no": after.tracking_no, "permit_id": after.permit_id, "client_ip": view.client_ip,
             "user_agent": view.user_agent, "browser": browser_name(view.user_agent),
             **({"label": after.label} if after.label else {})},
            nonce=f"{after.permit_id}.{after.views}"))
        if (before is None or before.first_viewed_at is None) and after.mobile:
            self.sms.send(after.mobile, first_view_sms(after), message_id=f"first-view-{after.permit_id}")
        return "view"
