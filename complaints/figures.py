"""Figures of a year, without personal data: what management reads, and the start of the
annual evaluation (R13, E12)."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from complaints.models import (
    AdmissibilityDecision,
    Complaint,
    FinalAnswer,
    Satisfaction,
)


@dataclass
class DeadlineFigures:
    met: int = 0
    missed: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def share_met(self) -> float | None:
        total = self.met + self.missed
        return round(100 * self.met / total, 1) if total else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def mean_days(self) -> float | None:
        return round(statistics.mean(self.days), 1) if self.days else None


@dataclass
class YearFigures:
    year: int
    received: int
    by_channel: dict[str, int]
    by_category: dict[str, int]
    by_kind: dict[str, int]
    by_status: dict[str, int]
    decisions: dict[str, int]
    grounds: dict[str, int]
    outcomes: dict[str, int]
    acknowledged: DeadlineFigures
    answered: DeadlineFigures
    open_at_year_end: int
    extended: int
    satisfied: int
    not_satisfied: int


def _count(complaints: QuerySet[Complaint], field_name: str) -> dict[str, int]:
    rows = complaints.order_by().values_list(field_name).annotate(n=Count("pk"))
    return {str(key): n for key, n in rows}


def _days(start: datetime.datetime, end: datetime.datetime) -> int:
    return (timezone.localdate(end) - timezone.localdate(start)).days


def year_figures(year: int) -> YearFigures:
    complaints = Complaint.objects.filter(received_at__year=year)
    acknowledged, answered = DeadlineFigures(), DeadlineFigures()
    for received_at, ack_at, ack_due, answered_at, answer_due in complaints.values_list(
        "received_at", "acknowledged_at", "acknowledgement_due", "answered_at", "answer_due"
    ):
        if ack_at is not None:
            on_time = timezone.localdate(ack_at) <= ack_due
            acknowledged.met += on_time
            acknowledged.missed += not on_time
            acknowledged.days.append(_days(received_at, ack_at))
        if answered_at is not None:
            on_time = timezone.localdate(answered_at) <= answer_due
            answered.met += on_time
            answered.missed += not on_time
            answered.days.append(_days(received_at, answered_at))
    grounds: dict[str, int] = {}
    decisions = AdmissibilityDecision.objects.filter(complaint__in=complaints)
    for codes in decisions.filter(kind="inadmissible").values_list("grounds", flat=True):
        for code in codes:
            grounds[code] = grounds.get(code, 0) + 1
    year_end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    satisfaction = Satisfaction.objects.filter(complaint__in=complaints)
    return YearFigures(
        year=year,
        received=complaints.count(),
        by_channel=_count(complaints, "channel"),
        by_category=_count(complaints, "category__code"),
        by_kind=_count(complaints, "complainant_kind"),
        by_status=_count(complaints, "status"),
        decisions=dict(decisions.order_by().values_list("kind").annotate(n=Count("pk"))),
        grounds=dict(sorted(grounds.items())),
        outcomes=dict(
            FinalAnswer.objects.filter(complaint__in=complaints)
            .order_by()
            .values_list("outcome")
            .annotate(n=Count("pk"))
        ),
        acknowledged=acknowledged,
        answered=answered,
        open_at_year_end=complaints.exclude(closed_at__lt=year_end).count(),
        extended=complaints.filter(extensions__isnull=False).distinct().count(),
        satisfied=satisfaction.filter(satisfied=True).count(),
        not_satisfied=satisfaction.filter(satisfied=False).count(),
    )
