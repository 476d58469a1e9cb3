"""The action plan (E13): which actions belong to a period's plan, and the one write path per
change. Every change is recorded in the audit log in the same transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from improvement.models import ImprovementAction


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
