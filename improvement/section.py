"""What a complaint's page shows of the recurring themes and the action plan, and who may
edit the plan."""

from __future__ import annotations

from django.http import HttpRequest

from access.members import member_of
from access.models import Role
from complaints.models import Complaint
from improvement.plan import actions_for_complaint
from improvement.themes import similar_for

PLAN_EDITORS = (Role.MANAGER, Role.ADMINISTRATOR)
PLAN_READERS = (*PLAN_EDITORS, Role.MANAGEMENT)


def can_edit_plan(request: HttpRequest) -> bool:
    member = member_of(request.user)
    return member is not None and member.role in PLAN_EDITORS


def for_complaint(request: HttpRequest, complaint: Complaint) -> dict[str, object]:
    """What the complaint's page shows of the themes and the plan."""
    return {
        "similar": similar_for(complaint),
        "improvement_actions": actions_for_complaint(complaint),
        "can_edit_plan": can_edit_plan(request),
    }
