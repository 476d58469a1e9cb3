"""Reading complaints by their deadlines: the next one as a database expression (to filter and
sort the work list) and every open one as Python values (to show and to remind)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, DateField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least, NullIf
from django_stubs_ext import WithAnnotations

from complaints.models import CLOSED_STATUSES, Complaint, OmbudsmanRequest
from configuration.models import DeadlineKind

FAR = datetime.date(9999, 12, 31)


class NextDue(TypedDict):
    next_due: datetime.date | None


if TYPE_CHECKING:  # the two-argument form exists for the type checker only
    ComplaintWithNextDue = WithAnnotations[Complaint, NextDue]
else:
    ComplaintWithNextDue = Complaint


def with_next_due(complaints: QuerySet[Complaint]) -> QuerySet[ComplaintWithNextDue]:
    """Adds ``next_due``: the earliest deadline still open (acknowledgement, answer, or a
    reply to the Ombudsman), NULL when none is. Columns only: it costs nothing per row."""
    own = Case(
        When(status__in=list(CLOSED_STATUSES), then=Value(FAR)),
        When(acknowledged_at__isnull=True, then=F("acknowledgement_due")),
        default=F("answer_due"),
        output_field=DateField(),
    )
    return complaints.annotate(
        next_due=NullIf(
            Least(own, Coalesce(F("ombudsman_due"), Value(FAR))),
            Value(FAR),
            output_field=DateField(),
        ),
    )


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: datetime.date
    complaint: Complaint
    ombudsman_request: OmbudsmanRequest | None = None


def open_deadlines(complaint: Complaint) -> list[Deadline]:
    """Every deadline of ``complaint`` that is still to be met, earliest first."""
    found: list[Deadline] = []
    if not complaint.is_closed:
        if complaint.acknowledged_at is None:
            found.append(
                Deadline(DeadlineKind.ACKNOWLEDGEMENT, complaint.acknowledgement_due, complaint)
            )
        found.append(Deadline(DeadlineKind.ANSWER, complaint.answer_due, complaint))
    for request in complaint.ombudsman_requests.filter(answered_at__isnull=True):
        found.append(Deadline(DeadlineKind.OMBUDSMAN_REQUEST, request.due, complaint, request))
    return sorted(found, key=lambda deadline: deadline.due)
