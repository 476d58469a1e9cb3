"""The audit log's one write function (E17)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User

from access.models import AuditAction, AuditEntry

if TYPE_CHECKING:  # a name for the type checker only: the domain sits above this layer
    from complaints.models import Complaint


def audit(
    *, user: User, action: AuditAction, complaint: Complaint | None, detail: str = ""
) -> None:
    """Records that ``user`` did ``action`` on ``complaint``, in the caller's transaction."""
    AuditEntry.objects.create(actor=user, action=action, complaint=complaint, detail=detail[:300])
