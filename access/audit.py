"""The audit log's one write function (E17)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.auth.models import User

from access.members import covered_by
from access.models import AuditAction, AuditEntry

if TYPE_CHECKING:  # a name for the type checker only: the domain sits above this layer
    from complaints.models import Complaint


def audit(
    *, user: User, action: AuditAction, complaint: Complaint | None, detail: str = ""
) -> None:
    """Records that ``user`` did ``action`` on ``complaint``, in the caller's transaction. An
    act on the complaint of a colleague ``user`` stands in for says so."""
    audit_many(user=user, action=action, entries=[(complaint, detail)])


def audit_many(
    *,
    user: User,
    action: AuditAction,
    entries: Sequence[tuple[Complaint | None, str]],
) -> None:
    """``audit`` for each (complaint, detail) of one act on many complaints: one row each,
    written in one statement in the caller's transaction."""
    covered = covered_by(user)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=action,
            complaint=complaint,
            detail=_substitute(complaint, covered, detail)[:300],
        )
        for complaint, detail in entries
    )


def _substitute(complaint: Complaint | None, covered: list[int], detail: str) -> str:
    if complaint is not None and complaint.handler_id in covered:
        return f"{detail} (substitute for {complaint.handler_id})".strip()
    return detail
