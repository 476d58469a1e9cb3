"""The answer clock: where the answer deadline's policy says so, the deadline stops while the
service waits for information it asked the complainant for (as help desks pause a case that is
pending on the customer). By default it keeps running.

While it stands still, ``Complaint.answer_paused_since`` holds the day it stopped. When it runs
again, ``answer_due`` moves by the days it stood still, counted as the policy counts, and an
``AnswerPause`` row keeps the move; queries go on filtering on the stored ``answer_due``.
Both functions run inside the caller's transaction, on the locked complaint.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from complaints import deadlines
from complaints.models import AnswerPause, Complaint
from configuration.models import DeadlineKind


def clock_pause(complaint: Complaint, *, at: datetime.datetime | None = None) -> None:
    policy = deadlines.policy_from_configuration(DeadlineKind.ANSWER)
    if not policy.pauses_while_waiting or complaint.answer_paused_since is not None:
        return
    complaint.answer_paused_since = timezone.localdate(at or timezone.now())
    complaint.save(update_fields=["answer_paused_since"])


def clock_resume(complaint: Complaint, *, at: datetime.datetime | None = None) -> None:
    paused_on = complaint.answer_paused_since
    if paused_on is None:
        return
    at = at or timezone.now()
    resumed_on = timezone.localdate(at)
    policy = deadlines.policy_from_configuration(DeadlineKind.ANSWER)
    calendar = deadlines.calendar_from_configuration()
    days = deadlines.days_between(paused_on, resumed_on, policy, calendar)
    new_due = deadlines.moved_by(complaint.answer_due, days, policy, calendar)
    AnswerPause.objects.create(
        complaint=complaint,
        paused_on=paused_on,
        resumed_on=resumed_on,
        days=days,
        previous_due=complaint.answer_due,
        new_due=new_due,
        at=at,
    )
    complaint.answer_due = new_due
    complaint.answer_paused_since = None
    complaint.save(update_fields=["answer_due", "answer_paused_since"])
