"""Deadlines are never missed silently (E19): the sweep mails the handler and the complaints
managers a configurable number of working days before each deadline, and again once it has
passed. Each reminder is a row, so running the sweep again sends nothing twice."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from complaints import deadlines
from complaints.models import CLOSED, Complaint, OmbudsmanRequest, Reminder, ReminderKind
from complaints.notify import notify_staff
from complaints.queries import Deadline
from configuration.models import DeadlineKind, DeadlinePolicy


def last_due_to_remind(
    today: datetime.date, days_before: int, calendar: deadlines.Calendar
) -> datetime.date:
    """The latest due date whose "upcoming" reminder goes out by ``today``: the reminder day
    (``working_days_before``) only moves forward with the due date, so walk forward from today."""
    last = today
    while (
        deadlines.working_days_before(last + datetime.timedelta(days=1), days_before, calendar)
        <= today
    ):
        last += datetime.timedelta(days=1)
    return last


def reminders_due(today: datetime.date) -> list[tuple[int, str, datetime.date, str]]:
    """Every (complaint, deadline, due date, reminder kind) that is due a reminder today and
    has none yet, in one query: each kind of deadline due by its last day to remind, with no
    ``Reminder`` row of the same four values (NOT EXISTS). Nothing to send reads no row twice."""
    calendar = deadlines.calendar_from_configuration()
    last = {
        kind: last_due_to_remind(today, DeadlinePolicy.for_kind(kind).remind_days_before, calendar)
        for kind in DeadlineKind
    }
    open_complaints = Complaint.objects.exclude(status__in=CLOSED)
    found = [
        open_complaints.filter(
            acknowledged_at__isnull=True,
            acknowledgement_due__lte=last[DeadlineKind.ACKNOWLEDGEMENT],
        ).annotate(
            complaint_pk=F("pk"),
            deadline_kind=Value(DeadlineKind.ACKNOWLEDGEMENT.value),
            due_on=F("acknowledgement_due"),
        ),
        # Not while its clock stands still (``clock.py``): the answer is not due then.
        open_complaints.filter(
            answer_paused_since__isnull=True, answer_due__lte=last[DeadlineKind.ANSWER]
        ).annotate(
            complaint_pk=F("pk"),
            deadline_kind=Value(DeadlineKind.ANSWER.value),
            due_on=F("answer_due"),
        ),
        OmbudsmanRequest.objects.filter(
            answered_at__isnull=True, due__lte=last[DeadlineKind.OMBUDSMAN_REQUEST]
        ).annotate(
            complaint_pk=F("complaint_id"),
            deadline_kind=Value(DeadlineKind.OMBUDSMAN_REQUEST.value),
            due_on=F("due"),
        ),
    ]
    not_sent = [
        deadlines_due.annotate(
            reminder_kind=Case(
                When(due_on__lt=today, then=Value(ReminderKind.OVERDUE.value)),
                default=Value(ReminderKind.UPCOMING.value),
            )
        )
        .filter(
            ~Exists(
                Reminder.objects.filter(
                    complaint=OuterRef("complaint_pk"),
                    deadline=OuterRef("deadline_kind"),
                    due=OuterRef("due_on"),
                    kind=OuterRef("reminder_kind"),
                )
            )
        )
        .order_by()
        .values_list("complaint_pk", "deadline_kind", "due_on", "reminder_kind")
        for deadlines_due in found
    ]
    return list(not_sent[0].union(*not_sent[1:], all=True).order_by())


def reminders_sweep(*, today: datetime.date | None = None) -> int:
    """Sends every reminder that is due today and was not sent yet; returns how many."""
    today = today or timezone.localdate()
    due = reminders_due(today)
    complaints = Complaint.objects.select_related("handler").in_bulk({row[0] for row in due})
    sent = 0
    for complaint_pk, deadline, due_on, kind in due:
        reminder = Deadline(DeadlineKind(deadline), due_on, complaints[complaint_pk])
        if _remind(reminder, ReminderKind(kind)):
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
