"""The complaint's workflow as one table of allowed moves.

Every status change goes through ``transition``; a move that is not in ``TRANSITIONS`` raises
``TransitionNotAllowed``. ``tests/test_workflow.py`` tries every pair of statuses.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from complaints.events import complaint_event
from complaints.models import CLOSED_STATUSES, ActorKind, Complaint, Status, StatusChange
from configuration.models import WebhookEvent

S = Status

TRANSITIONS: frozenset[tuple[Status, Status]] = frozenset(
    {
        # The acknowledgement has gone out.
        (S.RECEIVED, S.ACKNOWLEDGED),
        # The complaints manager's admissibility decision (E6), possibly before the
        # acknowledgement has been delivered.
        *(
            (source, target)
            for source in (S.RECEIVED, S.ACKNOWLEDGED)
            for target in (S.IN_HANDLING, S.INADMISSIBLE, S.NOT_A_COMPLAINT, S.FORWARDED)
        ),
        # Asking the complainant for information, and their reply.
        (S.IN_HANDLING, S.WAITING_FOR_COMPLAINANT),
        (S.WAITING_FOR_COMPLAINANT, S.IN_HANDLING),
        # The final answer.
        (S.IN_HANDLING, S.ANSWERED),
        (S.WAITING_FOR_COMPLAINANT, S.ANSWERED),
        # The complainant may withdraw any open complaint.
        *(
            (source, S.WITHDRAWN)
            for source in (S.RECEIVED, S.ACKNOWLEDGED, S.IN_HANDLING, S.WAITING_FOR_COMPLAINANT)
        ),
    }
)


class TransitionNotAllowed(Exception):
    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"a complaint cannot go from {source!r} to {target!r}")
        self.source = source
        self.target = target


def is_allowed(source: str, target: str) -> bool:
    return (Status(source), Status(target)) in TRANSITIONS


def transition(
    complaint: Complaint,
    target: Status,
    *,
    actor_kind: ActorKind,
    actor: User | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> StatusChange:
    """Moves ``complaint`` to ``target`` and appends the history row. The caller holds the
    transaction (and, for a concurrent-safe move, a row lock on the complaint)."""
    source = complaint.status
    if not is_allowed(source, target):
        raise TransitionNotAllowed(source, target)
    at = at or timezone.now()
    complaint.status = target
    fields = ["status"]
    if target in CLOSED_STATUSES:
        complaint.closed_at = at
        fields.append("closed_at")
    complaint.save(update_fields=fields)
    change = StatusChange.objects.create(
        complaint=complaint,
        from_status=source,
        to_status=target,
        actor_kind=actor_kind,
        actor=actor,
        note=note,
        at=at,
    )
    if target in CLOSED_STATUSES:
        complaint_event(complaint, WebhookEvent.CLOSED)
    return change
