"""The action plan (E13): which actions belong to a period's plan, and the one write path per
change. Every change is recorded in the audit log in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.audit import audit, audit_many
from access.models import AuditAction
from complaints.access import complaints_for
from complaints.handling import ActionNotAllowed, Batch, complaint_answer
from complaints.models import Complaint, FinalAnswer
from improvement.models import ActionComplaint, ImprovementAction, Theme


@dataclass(frozen=True)
class PlanEntry:
    """An action as a period's plan shows it. ``carried_over``: created before the period and
    not yet done or dropped when it began."""

    action: ImprovementAction
    carried_over: bool


def actions_for_period(start: datetime.date, end: datetime.date) -> list[PlanEntry]:
    """The plan of ``start``..``end`` (both included), oldest first: the actions carried over
    from before the period (unfinished on ``start``), then those created or due in it. A
    reversed period has no plan."""
    if end < start:
        return []
    in_period = Q(created_on__range=(start, end)) | Q(due__range=(start, end))
    open_at_start = Q(created_on__lt=start) & (
        Q(finished_on__isnull=True) | Q(finished_on__gte=start)
    )
    actions = (
        ImprovementAction.objects.filter(created_on__lte=end)
        .filter(in_period | open_at_start)
        .select_related("owner_unit", "owner_staff")
        .order_by("created_on", "pk")
    )
    return [PlanEntry(action, carried_over=_open_on(action, start)) for action in actions]


def _open_on(action: ImprovementAction, day: datetime.date) -> bool:
    """Created before ``day`` and not yet done or dropped on it."""
    return action.created_on < day and (action.finished_on is None or action.finished_on >= day)


def action_save(
    *,
    action: ImprovementAction | None,
    data: dict[str, Any],
    by: User,
) -> ImprovementAction:
    """Creates or changes an action from the form's cleaned ``data``; records the change in
    the audit log in the same transaction. Done or dropped: the day is kept (``finished_on``),
    so next year's plan knows whether to carry the action over."""
    today = timezone.localdate()
    with transaction.atomic():
        if action is None:
            action = ImprovementAction(created_on=today, created_by=by)
            what = "created"
        else:
            action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
            what = (
                "changed"
                if action.status == data["status"]
                else f"{action.status} → {data['status']}"
            )
        for name in (
            "title",
            "description",
            "owner_unit",
            "owner_staff",
            "due",
            "status",
            "effect",
        ):
            setattr(action, name, data[name])
        if action.unfinished:
            action.finished_on = None
        elif action.finished_on is None:
            action.finished_on = today
        action.save()
        named = set(action.links.filter(in_answer=True).values_list("complaint_id", flat=True))
        action.links.exclude(complaint_id__in=named).delete()
        ActionComplaint.objects.bulk_create(
            [
                ActionComplaint(action=action, complaint=complaint)
                for complaint in data["references"]
                if complaint.pk not in named
            ]
        )
        action.categories.set(data["categories"])
        action.themes.set(data["themes"])
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"improvement action {action.pk} {what}",
        )
    return action


def action_link_theme(*, action: ImprovementAction, theme: Theme, by: User) -> None:
    with transaction.atomic():
        action.themes.add(theme)
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"improvement action {action.pk} linked to theme {theme.pk}",
        )


def action_link_complaint(*, action: ImprovementAction, complaint: Complaint, by: User) -> bool:
    """Puts ``complaint`` behind ``action`` (a complaint ``by`` may see); false when it
    already was. ``action_link_complaints`` for one."""
    batch = action_link_complaints(action=action, complaints=[complaint], by=by)
    batch.one()
    return bool(batch.done)


def action_link_complaints(
    *, action: ImprovementAction, complaints: Sequence[Complaint], by: User
) -> Batch:
    """Puts each complaint ``by`` may see behind ``action``, in one transaction, one audit row
    per new link; ``done``: the complaints newly linked (those already linked are neither done
    nor refused). Refused: those ``by`` may no longer see."""
    batch = Batch()
    wanted = {complaint.pk: complaint for complaint in complaints}
    with transaction.atomic():
        visible = set(complaints_for(by).filter(pk__in=wanted).values_list("pk", flat=True))
        linked = set(
            action.links.filter(complaint_id__in=visible).values_list("complaint_id", flat=True)
        )
        for pk, complaint in wanted.items():
            if pk not in visible:
                refusal = ActionNotAllowed(_("You can no longer act on this complaint."))
                batch.refused.append((complaint, refusal))
            elif pk not in linked:
                batch.done.append(complaint)
        ActionComplaint.objects.bulk_create(
            [ActionComplaint(action=action, complaint=complaint) for complaint in batch.done],
            ignore_conflicts=True,  # linked meanwhile by another request: linked all the same
        )
        audit_many(
            user=by,
            action=AuditAction.CHANGE,
            entries=[
                (complaint, f"linked to improvement action {action.pk}") for complaint in batch.done
            ],
        )
    return batch


def action_name_in_answer(*, action: ImprovementAction, complaint: Complaint, by: User) -> None:
    """Records that ``complaint``'s final answer named ``action`` ("what we changed")."""
    ActionComplaint.objects.update_or_create(
        action=action, complaint=complaint, defaults={"in_answer": True}
    )
    audit(
        user=by,
        action=AuditAction.CHANGE,
        complaint=complaint,
        detail=f"final answer names improvement action {action.pk}",
    )


def complaint_answer_naming_action(
    *, action: ImprovementAction | None, by: User, **answer: Any
) -> FinalAnswer:
    """``complaints.handling.complaint_answer``, and in the same transaction the record that
    the answer named ``action``."""
    with transaction.atomic():
        final = complaint_answer(by=by, **answer)
        if action is not None:
            action_name_in_answer(action=action, complaint=final.complaint, by=by)
    return final


def actions_for_complaint(complaint: Complaint) -> list[ImprovementAction]:
    return list(ImprovementAction.objects.filter(links__complaint=complaint).distinct())
