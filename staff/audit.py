"""The audit log's one write function (E17)."""

from __future__ import annotations

from django.contrib.auth.models import User

from complaints.models import Complaint
from staff.models import AuditAction, AuditEntry


def audit(
    *, user: User, action: AuditAction, complaint: Complaint | None, detail: str = ""
) -> None:
    AuditEntry.objects.create(actor=user, action=action, complaint=complaint, detail=detail[:300])
