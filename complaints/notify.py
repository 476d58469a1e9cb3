"""Mail to staff about a complaint (reminders, a complainant who wrote), each recipient in the
language they read, with a link to the complaint's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q

from complaints.models import Complaint
from configuration.models import Organisation
from messaging.outbox import outbox_enqueue, render_message


def staff_recipients(complaint: Complaint, *, managers: bool) -> list[tuple[User, str]]:
    """The complaint's handler, and the complaints managers when ``managers`` is true or when
    nobody handles it yet; each with the language they read."""
    from access.models import Role, StaffMember

    who = Q(user_id=complaint.handler_id) if complaint.handler_id else Q(pk__in=[])
    if managers or complaint.handler_id is None:
        who |= Q(role=Role.MANAGER)
    members = StaffMember.objects.select_related("user").filter(who, user__is_active=True)
    return [(m.user, m.language) for m in members if m.user.email]


def notify_staff(
    complaint: Complaint, *, template: str, context: dict[str, object], managers: bool
) -> int:
    """Queues ``messaging/<template>/`` to each recipient; returns how many."""
    recipients = staff_recipients(complaint, managers=managers)
    for user, language in recipients:
        full_context = {
            "complaint": complaint,
            "organisation": Organisation.current(),
            "staff_url": f"{settings.SITE_URL}/{language}/staff/complaints/{complaint.pk}/",
            **context,
        }
        subject, text, html = render_message(template, full_context, language)
        outbox_enqueue(to=user.email, subject=subject, text=text, html=html, language=language)
    return len(recipients)
