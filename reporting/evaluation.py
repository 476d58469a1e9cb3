"""The evaluation of a period (R13, E12): every figure computed by the database.

Complaints belong to the period they were received in. The complaint's own figures come from
one GROUP BY over the columns a table is cut by (channel, category, complainant, unit,
language, status) and the state of both deadlines (``_cube``); each table is then a sum over
those groups, a few thousand at most, whatever the number of complaints. What followed
(decision, outcome, satisfaction) is a second GROUP BY over the complaints joined to those rows;
grounds, norms, extensions and Ombudsman requests one each. Days are counted with the
``CalendarDay`` table (a join, so working days skip the configured closing days) and come back
as a histogram, from which the median and the mean are exact. Nothing loops over complaints in
Python, and no query needs window functions: the same SQL runs on SQLite and PostgreSQL.

A deadline is *met* when the act came on or before the due date, *missed* when it came later
or the due date has passed without it (closed or not), *pending* when the due date has not come
yet. A complaint withdrawn before a deadline without the act owed nothing: it is counted apart.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Value, When
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
    "acknowledgement": ("acknowledged_on", "acknowledgement_due"),
    "answer": ("answered_on", "answer_due"),
}
# The complaint's own columns that tables are cut by.
CUBE = {
    "channel": "channel",
    "category": "category_id",
    "kind": "complainant_kind",
    "unit": "unit_id",
    "language": "language",
    "status": "status",
}
# Open complaints on the period's last day, by age in days: (label, fewest, most).
AGE_BANDS = (("0-14", 0, 14), ("15-30", 15, 30), ("31-90", 31, 90), ("91+", 91, None))
LATE_SHOWN = 100
GROUNDS = tuple(Ground.values)


def deadline_state(act: str, due: str, today: datetime.date) -> Case:
    """``met``, ``missed``, ``pending`` or ``not_owed``: one deadline of a complaint, as a
    database expression over the local dates the complaint stores (nothing is converted)."""
    return Case(
        When(
            Q(**{f"{act}__isnull": False}),
            then=Case(
                When(Q(**{f"{act}__lte": F(due)}), then=Value("met")),
                default=Value("missed"),
            ),
        ),
        When(Q(status=Status.WITHDRAWN) & Q(closed_on__lte=F(due)), then=Value("not_owed")),
        When(Q(**{f"{due}__lt": today}), then=Value("missed")),
        default=Value("pending"),
        output_field=CharField(),
    )


def with_deadline_states(
    complaints: QuerySet[Complaint], today: datetime.date
) -> QuerySet[Complaint]:
    """Adds ``acknowledgement`` and ``answer``: the state of each deadline."""
    return complaints.annotate(
        **{name: deadline_state(act, due, today) for name, (act, due) in DEADLINES.items()}
    )


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


def received_in(period: Period, prefix: str = "") -> Q:
    """Received in ``period``; ``prefix`` reaches the complaint from a related row."""
    start, end = period.bounds()
    return Q(**{f"{prefix}received_at__gte": start, f"{prefix}received_at__lt": end})


def evaluate(period: Period, today: datetime.date | None = None) -> Evaluation:
    with transaction.atomic():
        roomy_aggregation()
        return _evaluate(period, today)


def roomy_aggregation() -> None:
    """Lets PostgreSQL group by hashing for this transaction. It cannot estimate how many
    groups the deadline states make (a few thousand) and, guessing one per row, would sort a
    year's rows on disk to group them; a hash table that outgrows ``work_mem`` spills safely.
    Compiling the queries (JIT) costs more than it saves on a few simple sums: it is off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL jit = off")


def _evaluate(period: Period, today: datetime.date | None) -> Evaluation:
    today = today or timezone.localdate()
    complaints = Complaint.objects.filter(received_in(period))
    found = Evaluation(period=period, today=today)
    _cube(found, complaints, today)
    _what_followed(found, complaints)
    _norms(found, period)
    _open_at_end(found, complaints)
    found.late = [
        dict(row)
        for row in late_complaints(complaints, today)
        .order_by("received_at", "pk")
        .values(
            "pk",
            "reference",
            "received_at",
            "acknowledgement_due",
            "acknowledged_at",
            "answer_due",
            "answered_at",
        )[:LATE_SHOWN]
    ]
    # Acts come up to the real today, whatever ``today`` the figures are taken on.
    calendar_ensure(period.start, max(today, period.end, timezone.localdate()))
    acknowledgement = policy_from_configuration(DeadlineKind.ACKNOWLEDGEMENT)
    answer = policy_from_configuration(DeadlineKind.ANSWER)
    found.acknowledgement.working_days = acknowledgement.working_days
    found.answer.working_days = answer.working_days
    found.acknowledgement.days, found.answer.days = days_histograms(
        complaints, acknowledgement.working_days, answer.working_days
    )
    found.extended = Extension.objects.filter(received_in(period, "complaint__")).aggregate(
        n=Count("complaint", distinct=True)
    )["n"]
    _ombudsman(found, period)
    return found


def _cube(found: Evaluation, complaints: QuerySet[Complaint], today: datetime.date) -> None:
    """One GROUP BY over the complaint's own dimensions and the state of both deadlines."""
    groups = (
        with_deadline_states(complaints.order_by(), today)
        .values(*CUBE.values(), *DEADLINES)
        .annotate(n=Count("pk"))
    )
    tables: dict[str, Counter[str]] = defaultdict(Counter)
    for group in groups:
        n = group["n"]
        found.received += n
        for name, column in CUBE.items():
            if group[column] not in (None, ""):
                tables[name][str(group[column])] += n
        for name in DEADLINES:
            figures: DeadlineFigures = getattr(found, name)
            setattr(figures, group[name], getattr(figures, group[name]) + n)
        if "missed" in (group["acknowledgement"], group["answer"]):
            found.late_count += n
        line = found.by_channel.setdefault(group["channel"], ChannelSummary())
        line.received += n
        line.answered_on_time += n if group["answer"] == "met" else 0
        line.answer_due_passed += n if group["answer"] in ("met", "missed") else 0
    found.tables = dict(tables)


def _what_followed(found: Evaluation, complaints: QuerySet[Complaint]) -> None:
    """The decision on admissibility, the outcome of the answer, the complainant's
    satisfaction and the grounds of the refusals (one refusal may name several), in one pass
    over the period's complaints and what hangs on them (one decision per complaint: the
    workflow decides only once)."""
    refused = Q(decisions__kind=DecisionKind.INADMISSIBLE)
    rows = (
        complaints.order_by()
        .values_list(
            "channel",
            "decisions__kind",
            "decisions__not_a_complaint_kind",
            "final_answer__outcome",
            "satisfaction__satisfied",
        )
        .annotate(
            n=Count("pk"),
            **{
                f"refused_for_{code}": Count(
                    "pk", filter=refused & names_ground(code, "decisions__")
                )
                for code in GROUNDS
            },
        )
    )
    decisions, not_a_complaint, outcomes = Counter[str](), Counter[str](), Counter[str]()
    for channel, kind, what_instead, outcome, satisfied, n, *grounds in rows:
        line = found.by_channel.setdefault(channel, ChannelSummary())
        if kind:
            decisions[kind] += n
        if what_instead:
            not_a_complaint[what_instead] += n
        line.admissible += n if kind == DecisionKind.ADMISSIBLE else 0
        if outcome:
            outcomes[outcome] += n
        line.founded += n if outcome == Outcome.FOUNDED else 0
        line.partially_founded += n if outcome == Outcome.PARTIALLY_FOUNDED else 0
        found.satisfied += n if satisfied is True else 0
        found.not_satisfied += n if satisfied is False else 0
        found.grounds.update(dict(zip(GROUNDS, grounds, strict=True)))
    found.tables.update(decision=decisions, not_a_complaint=not_a_complaint, outcome=outcomes)
    found.grounds = +found.grounds  # without the zeros


def names_ground(code: str, prefix: str = "") -> Q:
    """The decision's list of grounds holds ``code``: JSON containment where the database
    has it (PostgreSQL's ``@>``), else the code in quotes in the JSON text ("G1" matches no
    other code); ``prefix`` reaches the decision from the complaint."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{prefix}grounds__contains": [code]})
    return Q(**{f"{prefix}grounds__icontains": f'"{code}"'})


def _norms(found: Evaluation, period: Period) -> None:
    """The norms of good administration the final answers found breached."""
    breaches = FinalAnswer.norms_breached.through.objects.filter(
        received_in(period, "finalanswer__complaint__")
    )
    for norm, unit, category, n in (
        breaches.order_by()
        .values_list(
            "norm__code",
            "finalanswer__complaint__unit_id",
            "finalanswer__complaint__category_id",
        )
        .annotate(n=Count("pk"))
    ):
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
    counts = still_open.aggregate(oldest=Min("received_on"), **bands)
    oldest = counts.pop("oldest")
    found.open_at_end = Counter({label: counts[label] for label, *_ in AGE_BANDS})
    if oldest is not None:
        found.oldest_open_days = (found.period.end - oldest).days


def late_complaints(complaints: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    return with_deadline_states(complaints, today).filter(
        Q(acknowledgement="missed") | Q(answer="missed")
    )


def days_histograms(
    complaints: QuerySet[Complaint], acknowledgement_working: bool, answer_working: bool
) -> tuple[Counter[int], Counter[int]]:
    """How many complaints were acknowledged, and answered, after how many days (working or
    calendar, as each policy counts them), the day of receipt being day 0. One scan: the
    complaint's local dates are joined to ``CalendarDay``."""
    acts = (
        complaints.filter(Q(acknowledged_on__isnull=False) | Q(answered_on__isnull=False))
        .order_by()
        .values("received_on", "acknowledged_on", "answered_on")
    )
    sql, params = acts.query.sql_with_params()
    first = "working_ordinal" if acknowledgement_working else "ordinal"
    second = "working_ordinal" if answer_working else "ordinal"
    table = CalendarDay._meta.db_table
    # Identifiers from the code, values as parameters: nothing here comes from a request.
    query = (
        f"SELECT ack.{first} - received.{first}, answer.{second} - received.{second}, "  # noqa: S608
        f"COUNT(*) FROM ({sql}) acts "
        f"JOIN {table} received ON received.day = acts.received_on "
        f"LEFT JOIN {table} ack ON ack.day = acts.acknowledged_on "
        f"LEFT JOIN {table} answer ON answer.day = acts.answered_on GROUP BY 1, 2"
    )
    acknowledged, answered = Counter[int](), Counter[int]()
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for acknowledged_days, answered_days, n in cursor.fetchall():
            if acknowledged_days is not None:
                acknowledged[int(acknowledged_days)] += n
            if answered_days is not None:
                answered[int(answered_days)] += n
    return acknowledged, answered


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

    @classmethod
    def of(cls, evaluation: Evaluation) -> TrendYear:
        outcomes = evaluation.table("outcome")
        return cls(
            year=evaluation.period.start.year,
            received=evaluation.received,
            admissible=evaluation.admissible,
            founded=outcomes[Outcome.FOUNDED] + outcomes[Outcome.PARTIALLY_FOUNDED],
            answered_on_time=evaluation.answer.on_time,
        )


def trend(
    last_year: int,
    years: int = 5,
    today: datetime.date | None = None,
    known: Iterable[Evaluation] = (),
) -> list[TrendYear]:
    """The main figures of each of the ``years`` years up to ``last_year``. A year already
    evaluated (``known``: the page's period and the one before) is not counted again; the
    others take one query per table, a count per year by the received time."""
    today = today or timezone.localdate()
    found = {
        evaluation.period.start.year: TrendYear.of(evaluation)
        for evaluation in known
        if evaluation.period.is_year
    }
    missing = [year for year in range(last_year - years + 1, last_year + 1) if year not in found]
    if missing:
        with transaction.atomic():
            roomy_aggregation()
            found.update(_count_years(missing, today))
    return [found[year] for year in sorted(found)]


def _count_years(years: list[int], today: datetime.date) -> dict[int, TrendYear]:
    spans = {year: Period.year(year) for year in years}
    whole = Period(spans[min(years)].start, spans[max(years)].end)

    def per_year(prefix: str = "") -> dict[str, Any]:
        return {
            str(year): Count("pk", filter=received_in(span, prefix)) for year, span in spans.items()
        }

    complaints = with_deadline_states(
        Complaint.objects.filter(received_in(whole)).order_by(), today
    )
    answer = "answer"  # the annotation's name, which the type checker cannot see
    rows = complaints.values(answer).annotate(**per_year())
    by_state = {row[answer]: row for row in map(dict[str, Any], rows)}
    admissible = AdmissibilityDecision.objects.filter(
        received_in(whole, "complaint__"), kind=DecisionKind.ADMISSIBLE
    )
    admitted = admissible.aggregate(**per_year("complaint__"))
    founded_answers = FinalAnswer.objects.filter(
        received_in(whole, "complaint__"),
        outcome__in=[Outcome.FOUNDED, Outcome.PARTIALLY_FOUNDED],
    )
    founded = founded_answers.aggregate(**per_year("complaint__"))
    found = {}
    for year in spans:
        counts = {state: row[str(year)] for state, row in by_state.items()}
        found[year] = TrendYear(
            year=year,
            received=sum(counts.values()),
            admissible=admitted[str(year)],
            founded=founded[str(year)],
            answered_on_time=Share(
                counts.get("met", 0), counts.get("met", 0) + counts.get("missed", 0)
            ),
        )
    return found
