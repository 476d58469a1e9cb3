"""Deadlines are never missed silently (E19): the sweep mails the handler and the complaints
managers a configurable number of working days before each deadline, and again once it has
passed. Each reminder is a row, so running the sweep again sends nothing twice."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from complaints import deadlines
from complaints.models import CLOSED_STATUSES, Complaint, Reminder, ReminderKind
from complaints.notify import notify_staff
from complaints.queries import Deadline, open_deadlines
from configuration.models import DeadlineKind, DeadlinePolicy


def reminder_due(
    deadline: Deadline,
    today: datetime.date,
    remind_days_before: int,
    calendar: deadlines.Calendar,
) -> ReminderKind | None:
    if today > deadline.due:
        return ReminderKind.OVERDUE
    if today >= deadlines.working_days_before(deadline.due, remind_days_before, calendar):
        return ReminderKind.UPCOMING
    return None


def reminders_sweep(*, today: datetime.date | None = None) -> int:
    """Sends every reminder that is due today and was not sent yet; returns how many."""
    today = today or timezone.localdate()
    calendar = deadlines.calendar_from_configuration()
    remind_before = {
        kind: DeadlinePolicy.for_kind(kind).remind_days_before for kind in DeadlineKind
    }
    complaints = Complaint.objects.filter(
        ~Q(status__in=list(CLOSED_STATUSES))
        | Q(ombudsman_requests__answered_at__isnull=True, ombudsman_requests__isnull=False)
    ).distinct()
    sent = 0
    for complaint in complaints:
        for deadline in open_deadlines(complaint):
            kind = reminder_due(deadline, today, remind_before[deadline.kind], calendar)
            if kind is not None and _remind(deadline, kind):
                sent += 1
    return sent


def _remind(deadline: Deadline, kind: ReminderKind) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.create(
                complaint=deadline.complaint,
                deadline=deadline.kind,
                due=deadline.due,
                kind=kind,
                sent_at=timezone.now(),
            )
            notify_staff(
                deadline.complaint,
                template="staff_reminder",
                managers=True,
                context={
                    "deadline_label": DeadlineKind(deadline.kind).label,
                    "due": deadline.due,
                    "overdue": kind == ReminderKind.OVERDUE,
                },
            )
    except IntegrityError:  # already reminded
        return False
    return True
