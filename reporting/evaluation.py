"""The evaluation of a period (R13, E12): every figure computed by the database.

Complaints belong to the period they were received in. Most figures come from one GROUP BY
over every dimension a figure is cut by (channel, category, complainant, unit, language,
status, decision, outcome, satisfaction) with conditional counts for the deadlines
(``_cube``); each table is then a sum over those groups, a few thousand at most, whatever the
number of complaints. Days are counted with the ``CalendarDay`` table (a join, so working days
skip the configured closing days) and come back as a histogram, from which the median and the
mean are exact. Nothing loops over complaints in Python.

A deadline is *met* when the act came on or before the due date, *missed* when it came later
or the due date has passed without it (closed or not), *pending* when the due date has not come
yet. A complaint withdrawn before a deadline without the act owed nothing: it is counted apart.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from complaints.deadlines import policy_from_configuration
from complaints.models import (
    AdmissibilityDecision,
    Complaint,
    DecisionKind,
    Extension,
    FinalAnswer,
    OmbudsmanRequest,
    Outcome,
    Status,
)
from configuration.models import DeadlineKind, Ground
from reporting.calendar import calendar_ensure
from reporting.models import CalendarDay
from reporting.periods import Period

# (act, due date): the two deadlines every complaint has.
DEADLINES = {
    "acknowledgement": ("acknowledged_at", "acknowledgement_due"),
    "answer": ("answered_at", "answer_due"),
}
DIMENSIONS = {
    "channel": "channel",
    "category": "category_id",
    "kind": "complainant_kind",
    "unit": "unit_id",
    "language": "language",
    "status": "status",
    "decision": "decisions__kind",
    "not_a_complaint": "decisions__not_a_complaint_kind",
    "outcome": "final_answer__outcome",
    "satisfied": "satisfaction__satisfied",
}
# Open complaints on the period's last day, by age in days: (label, fewest, most).
AGE_BANDS = (("0-14", 0, 14), ("15-30", 15, 30), ("31-90", 31, 90), ("91+", 91, None))
LATE_SHOWN = 100


def deadline_states(act: str, due: str, today: datetime.date) -> dict[str, Q]:
    """The four states of one deadline, as conditions on a complaint's columns."""
    unacted = Q(**{f"{act}__isnull": True})
    not_owed = unacted & Q(status=Status.WITHDRAWN, **{"closed_at__date__lte": F(due)})
    owed = unacted & (~Q(status=Status.WITHDRAWN) | Q(**{"closed_at__date__gt": F(due)}))
    return {
        "met": Q(**{f"{act}__date__lte": F(due)}),
        "missed": Q(**{f"{act}__date__gt": F(due)}) | (owed & Q(**{f"{due}__lt": today})),
        "pending": owed & Q(**{f"{due}__gte": today}),
        "not_owed": not_owed,
    }


@dataclass
class Share:
    """``count`` out of ``of``: every share on the page names its denominator."""

    count: int
    of: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.of, 1) if self.of else None


@dataclass
class DeadlineFigures:
    met: int = 0
    missed: int = 0
    pending: int = 0
    not_owed: int = 0
    working_days: bool = False
    days: Counter[int] = field(default_factory=Counter)

    @property
    def on_time(self) -> Share:
        """Met out of every deadline that has passed or was acted on."""
        return Share(self.met, self.met + self.missed)

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    @property
    def mean_days(self) -> float | None:
        total = sum(self.days.values())
        if not total:
            return None
        return round(sum(days * n for days, n in self.days.items()) / total, 1)


def median(histogram: Counter[int]) -> float | None:
    """The median of values given as ``{value: how many}``."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value, n in sorted(histogram.items()):
        found += [value for position in wanted if seen <= position < seen + n]
        seen += n
    return sum(found) / 2


@dataclass
class ChannelSummary:
    """One line of the indicators reported to the federal complaint-management network."""

    received: int = 0
    admissible: int = 0
    founded: int = 0
    partially_founded: int = 0
    answered_on_time: int = 0
    answer_due_passed: int = 0

    @property
    def on_time(self) -> Share:
        return Share(self.answered_on_time, self.answer_due_passed)


@dataclass
class OmbudsmanFigures:
    received: int = 0
    replied_on_time: int = 0
    replied_late: int = 0
    open_overdue: int = 0
    open_pending: int = 0


@dataclass
class Evaluation:
    period: Period
    today: datetime.date
    received: int = 0
    tables: dict[str, Counter[str]] = field(default_factory=dict)
    grounds: Counter[str] = field(default_factory=Counter)
    norms_by_unit: Counter[tuple[str, str]] = field(default_factory=Counter)
    norms_by_category: Counter[tuple[str, str]] = field(default_factory=Counter)
    acknowledgement: DeadlineFigures = field(default_factory=DeadlineFigures)
    answer: DeadlineFigures = field(default_factory=DeadlineFigures)
    extended: int = 0
    open_at_end: Counter[str] = field(default_factory=Counter)
    oldest_open_days: int | None = None
    late_count: int = 0
    late: list[dict[str, Any]] = field(default_factory=list)
    satisfied: int = 0
    not_satisfied: int = 0
    ombudsman: OmbudsmanFigures = field(default_factory=OmbudsmanFigures)
    by_channel: dict[str, ChannelSummary] = field(default_factory=dict)

    def table(self, name: str) -> Counter[str]:
        return self.tables.get(name, Counter())

    @property
    def admissible(self) -> int:
        return self.table("decision")[DecisionKind.ADMISSIBLE]

    @property
    def inadmissible(self) -> int:
        return self.table("decision")[DecisionKind.INADMISSIBLE]

    @property
    def not_a_complaint(self) -> int:
        return self.table("decision")[DecisionKind.NOT_A_COMPLAINT]

    @property
    def forwarded(self) -> int:
        return self.table("decision")[DecisionKind.NOT_COMPETENT]

    @property
    def open_count(self) -> int:
        return sum(self.open_at_end.values())

    @property
    def total(self) -> ChannelSummary:
        total = ChannelSummary()
        for line in self.by_channel.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(line, name))
        return total


def received_in(period: Period) -> QuerySet[Complaint]:
    start, end = period.bounds()
    return Complaint.objects.filter(received_at__gte=start, received_at__lt=end)


def evaluate(period: Period, today: datetime.date | None = None) -> Evaluation:
    today = today or timezone.localdate()
    complaints = received_in(period)
    found = Evaluation(period=period, today=today)
    _cube(found, complaints, today)
    _decisions(found, complaints)
    _norms(found, complaints)
    _open_at_end(found, complaints)
    _late(found, complaints, today)
    # Acts come up to the real today, whatever ``today`` the figures are taken on.
    calendar_ensure(period.start, max(today, period.end, timezone.localdate()))
    for name, deadline in (("acknowledgement", found.acknowledgement), ("answer", found.answer)):
        act, _due = DEADLINES[name]
        policy = policy_from_configuration(
            DeadlineKind.ACKNOWLEDGEMENT if name == "acknowledgement" else DeadlineKind.ANSWER
        )
        deadline.working_days = policy.working_days
        deadline.days = days_histogram(complaints, act, working=policy.working_days)
    found.extended = Extension.objects.filter(complaint__in=complaints).aggregate(
        n=Count("complaint", distinct=True)
    )["n"]
    _ombudsman(found, period)
    return found


def _cube(found: Evaluation, complaints: QuerySet[Complaint], today: datetime.date) -> None:
    counts: dict[str, Any] = {"n": Count("pk")}
    for name, (act, due) in DEADLINES.items():
        for state, condition in deadline_states(act, due, today).items():
            counts[f"{name}_{state}"] = Count("pk", filter=condition)
    groups = complaints.order_by().values(*DIMENSIONS.values()).annotate(**counts)
    tables: dict[str, Counter[str]] = defaultdict(Counter)
    for group in groups:
        n = group["n"]
        found.received += n
        for name, column in DIMENSIONS.items():
            if group[column] not in (None, ""):
                tables[name][str(group[column])] += n
        for name in DEADLINES:
            figures: DeadlineFigures = getattr(found, name)
            for state in ("met", "missed", "pending", "not_owed"):
                setattr(figures, state, getattr(figures, state) + group[f"{name}_{state}"])
        line = found.by_channel.setdefault(group["channel"], ChannelSummary())
        line.received += n
        decision, outcome = group["decisions__kind"], group["final_answer__outcome"]
        line.admissible += n if decision == DecisionKind.ADMISSIBLE else 0
        line.founded += n if outcome == Outcome.FOUNDED else 0
        line.partially_founded += n if outcome == Outcome.PARTIALLY_FOUNDED else 0
        line.answered_on_time += group["answer_met"]
        line.answer_due_passed += group["answer_met"] + group["answer_missed"]
    found.tables = dict(tables)
    found.satisfied = tables["satisfied"]["True"]
    found.not_satisfied = tables["satisfied"]["False"]


def _decisions(found: Evaluation, complaints: QuerySet[Complaint]) -> None:
    """Grounds of inadmissibility; one refusal may name several."""
    refusals = AdmissibilityDecision.objects.filter(
        complaint__in=complaints, kind=DecisionKind.INADMISSIBLE
    )
    # The grounds are a JSON list of codes; "G1" in quotes matches no other code.
    counts = refusals.aggregate(
        **{code: Count("pk", filter=Q(grounds__icontains=f'"{code}"')) for code in Ground.values}
    )
    found.grounds = Counter({code: n for code, n in counts.items() if n})


def _norms(found: Evaluation, complaints: QuerySet[Complaint]) -> None:
    breaches = FinalAnswer.norms_breached.through.objects.filter(
        finalanswer__complaint__in=complaints
    )
    rows = breaches.values_list(
        "norm__code", "finalanswer__complaint__unit_id", "finalanswer__complaint__category_id"
    ).annotate(n=Count("pk"))
    for norm, unit, category, n in rows:
        found.norms_by_unit[(norm, str(unit))] += n
        found.norms_by_category[(norm, str(category))] += n


def _open_at_end(found: Evaluation, complaints: QuerySet[Complaint]) -> None:
    _, end = found.period.bounds()
    still_open = complaints.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    bands: dict[str, Any] = {}
    for label, fewest, most in AGE_BANDS:
        # Received ``age`` days before the period's last day.
        condition = Q(received_at__lt=end - datetime.timedelta(days=fewest))
        if most is not None:
            condition &= Q(received_at__gte=end - datetime.timedelta(days=most + 1))
        bands[label] = Count("pk", filter=condition)
    counts = still_open.aggregate(oldest=Min("received_at"), **bands)
    oldest = counts.pop("oldest")
    found.open_at_end = Counter({label: counts[label] for label, *_ in AGE_BANDS})
    if oldest is not None:
        found.oldest_open_days = (found.period.end - timezone.localdate(oldest)).days


def late_complaints(complaints: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    missed = Q()
    for act, due in DEADLINES.values():
        missed |= deadline_states(act, due, today)["missed"]
    return complaints.filter(missed)


def _late(found: Evaluation, complaints: QuerySet[Complaint], today: datetime.date) -> None:
    late = late_complaints(complaints, today).order_by("received_at", "pk")
    found.late_count = late.count()
    found.late = [
        dict(row)
        for row in late.values(
            "pk",
            "reference",
            "received_at",
            "acknowledgement_due",
            "acknowledged_at",
            "answer_due",
            "answered_at",
        )[:LATE_SHOWN]
    ]


def days_histogram(complaints: QuerySet[Complaint], act: str, *, working: bool) -> Counter[int]:
    """How many complaints got the act after how many days (working or calendar), the day of
    receipt being day 0. The complaints' local dates are joined to ``CalendarDay``."""
    acts = (
        complaints.filter(**{f"{act}__isnull": False})
        .order_by()
        .annotate(received_on=TruncDate("received_at"), acted_on=TruncDate(act))
        .values("received_on", "acted_on")
    )
    sql, params = acts.query.sql_with_params()
    column = "working_ordinal" if working else "ordinal"
    table = CalendarDay._meta.db_table
    # Identifiers from the code, values as parameters: nothing here comes from a request.
    query = (
        f"SELECT acted.{column} - received.{column}, COUNT(*) FROM ({sql}) acts "  # noqa: S608
        f"JOIN {table} received ON received.day = acts.received_on "
        f"JOIN {table} acted ON acted.day = acts.acted_on GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return Counter({int(days): n for days, n in cursor.fetchall()})


def _ombudsman(found: Evaluation, period: Period) -> None:
    requests = OmbudsmanRequest.objects.filter(
        received_on__gte=period.start, received_on__lte=period.end
    )
    counts = requests.aggregate(
        received=Count("pk"),
        replied_on_time=Count("pk", filter=Q(answered_at__date__lte=F("due"))),
        replied_late=Count("pk", filter=Q(answered_at__date__gt=F("due"))),
        open_overdue=Count("pk", filter=Q(answered_at__isnull=True, due__lt=found.today)),
        open_pending=Count("pk", filter=Q(answered_at__isnull=True, due__gte=found.today)),
    )
    found.ombudsman = OmbudsmanFigures(**counts)


@dataclass
class TrendYear:
    year: int
    received: int
    admissible: int
    founded: int
    answered_on_time: Share


def trend(last_year: int, years: int = 5, today: datetime.date | None = None) -> list[TrendYear]:
    """The main figures of each of the ``years`` years up to ``last_year``, in one query."""
    today = today or timezone.localdate()
    first_year = last_year - years + 1
    complaints = received_in(
        Period(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
    )
    states = deadline_states(*DEADLINES["answer"], today)
    rows = (
        complaints.order_by()
        .annotate(year=ExtractYear("received_at"))
        .values("year")
        .annotate(
            received=Count("pk"),
            admissible=Count("pk", filter=Q(decisions__kind=DecisionKind.ADMISSIBLE)),
            founded=Count(
                "pk",
                filter=Q(final_answer__outcome__in=[Outcome.FOUNDED, Outcome.PARTIALLY_FOUNDED]),
            ),
            met=Count("pk", filter=states["met"]),
            missed=Count("pk", filter=states["missed"]),
        )
    )
    by_year: dict[int, dict[str, int]] = {
        row["year"]: {name: cast(int, value) for name, value in row.items()} for row in rows
    }
    empty = {"received": 0, "admissible": 0, "founded": 0, "met": 0, "missed": 0}
    found = []
    for year in range(first_year, last_year + 1):
        row = by_year.get(year, empty)
        found.append(
            TrendYear(
                year=year,
                received=row["received"],
                admissible=row["admissible"],
                founded=row["founded"],
                answered_on_time=Share(row["met"], row["met"] + row["missed"]),
            )
        )
    return found
