"""Absences and who covers them: the write paths. What a substitute may see follows from the
rows (``members.covered_by``, ``complaints.access.complaints_for``)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from access.audit import audit
from access.models import Absence, AuditAction, Role


class AbsenceError(Exception):
    """An absence the rules do not allow; the message is shown to the user."""


def absence_register(
    *,
    person: User,
    substitute: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: User,
) -> Absence:
    """Records that ``person`` is away from ``starts_on`` to ``ends_on`` (included) and that
    ``substitute`` covers for them."""
    if ends_on < starts_on:
        raise AbsenceError(_("The absence cannot end before it starts."))
    if person.pk == substitute.pk:
        raise AbsenceError(_("Choose a colleague as the substitute."))
    member = getattr(substitute, "staff_member", None)
    if member is None or member.role not in {Role.HANDLER, Role.MANAGER}:
        raise AbsenceError(_("Only a handler or the complaints manager can stand in."))
    with transaction.atomic():
        absence = Absence.objects.create(
            person=person, substitute=substitute, starts_on=starts_on, ends_on=ends_on
        )
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"absence of {person.pk} {starts_on}..{ends_on}, substitute {substitute.pk}",
        )
    return absence


def absence_delete(*, absence: Absence, by: User) -> None:
    with transaction.atomic():
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"absence of {absence.person_id} from {absence.starts_on} deleted",
        )
        absence.delete()
