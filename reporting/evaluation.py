"""The evaluation of a period (R13, E12): every figure computed by the database.

Complaints belong to the period they were received in. Nearly every figure comes from one
GROUP BY over the period's complaints (``_cube``): grouped by the columns a table is cut by
(channel, category, complainant, unit, language, status) and the state of both deadlines, with
a filtered count per decision, outcome, extension, satisfaction and age of what was still open
at the end. What followed is read from the complaint's own copies of it
(``Complaint.decision_kind`` and the others, kept as the rows are saved), so that pass joins
nothing. Each table is then a sum over those groups, a few thousand at most, whatever the
number of complaints. The grounds of refusal and the norms breached, lists kept on the few
complaints refused or founded, are counted apart from those complaints alone. Days are
counted with the ``CalendarDay`` table (a join, so working days skip the configured closing
days) and come back as a histogram, from which the median and the mean are exact. The late
ones listed and the Ombudsman's requests take one query each. Nothing loops over complaints in
Python, and no query needs window functions: the same SQL runs on SQLite and PostgreSQL.

A figure is a function of the period and of the day it is drawn (``today``), never of the
clock: an act is counted only when it came on or before that day. A deadline is *met* when the
act came on or before the due date, *missed* when it came later or the due date has passed on
that day without it (closed or not), *pending* when the due date has not come yet. A complaint
withdrawn before a deadline without the act owed nothing: it is counted apart. What is still
open is counted, and aged, at the period's last day or, while the period runs, on the day
drawn (``Evaluation.as_of``). Each definition is written out in ``docs/figures.md``.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Case, CharField, Count, F, Min, Q, QuerySet, Value, When
from django.utils import timezone

from complaints.deadlines import policy_from_configuration
from complaints.models import (
    Complaint,
    DecisionKind,
    NotAComplaintKind,
    OmbudsmanRequest,
    Outcome,
    Status,
)
from configuration.models import DeadlineKind, Norm
from reporting.calendar import calendar_ensure
from reporting.models import CalendarDay
from reporting.periods import Period

# (act, due date, the day its clock stopped if it can): the two deadlines every complaint has.
DEADLINES = {
    "acknowledgement": ("acknowledged_on", "acknowledgement_due", None),
    "answer": ("answered_on", "answer_due", "answer_paused_since"),
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
# What followed, as the complaint keeps it: (table, column, the values counted).
FOLLOWED = (
    ("decision", "decision_kind", tuple(DecisionKind.values)),
    ("not_a_complaint", "not_a_complaint_kind", tuple(NotAComplaintKind.values)),
    ("outcome", "outcome", tuple(Outcome.values)),
)


def deadline_state(act: str, due: str, paused: str | None, today: datetime.date) -> Case:
    """``met``, ``missed``, ``pending`` or ``not_owed``: one deadline of a complaint, as a
    database expression over the local dates the complaint stores (nothing is converted). A
    deadline whose clock stood still on ``today`` (since the day in ``paused``) is pending."""
    stopped = [When(Q(**{f"{paused}__lte": today}), then=Value("pending"))] if paused else []
    return Case(
        When(
            Q(**{f"{act}__lte": today}),
            then=Case(
                When(Q(**{f"{act}__lte": F(due)}), then=Value("met")),
                default=Value("missed"),
            ),
        ),
        When(
            Q(status=Status.WITHDRAWN) & Q(closed_on__lte=F(due)) & Q(closed_on__lte=today),
            then=Value("not_owed"),
        ),
        *stopped,
        When(Q(**{f"{due}__lt": today}), then=Value("missed")),
        default=Value("pending"),
        output_field=CharField(),
    )


def with_deadline_states(
    complaints: QuerySet[Complaint], today: datetime.date
) -> QuerySet[Complaint]:
    """Adds ``acknowledgement`` and ``answer``: the state of each deadline."""
    return complaints.annotate(
        **{name: deadline_state(*columns, today) for name, columns in DEADLINES.items()}
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
    """One line of the indicators reported to the federal complaint-management network. The
    answer's deadline is counted over the admissible complaints (``docs/figures.md``)."""

    received: int = 0
    admissible: int = 0
    founded: int = 0
    partially_founded: int = 0
    answered_on_time: int = 0
    # Passed without the answer in time: missed, as the deadline figures count it.
    answer_due_passed: int = 0

    @property
    def on_time(self) -> Share:
        return Share(self.answered_on_time, self.answered_on_time + self.answer_due_passed)


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
    # Every final letter: an answer, a refusal, a forwarding, a not-a-complaint letter.
    answer: DeadlineFigures = field(default_factory=DeadlineFigures)
    # The admissible complaints alone: the service's quality, and the federal indicator.
    admissible_answer: DeadlineFigures = field(default_factory=DeadlineFigures)
    withdrawn: int = 0
    withdrawn_after_deadline: int = 0
    withdrawn_undecided: int = 0
    extended: int = 0
    open_at_end: Counter[str] = field(default_factory=Counter)
    oldest_open_days: int | None = None
    late_count: int = 0
    late: list[dict[str, Any]] = field(default_factory=list)
    satisfied: int = 0
    not_satisfied: int = 0
    ombudsman: OmbudsmanFigures = field(default_factory=OmbudsmanFigures)
    by_channel: dict[str, ChannelSummary] = field(default_factory=dict)

    @property
    def as_of(self) -> datetime.date:
        """The day the figures stand at: the period's last day, or the day drawn when the
        period is not over."""
        return min(self.today, self.period.end)

    @property
    def running(self) -> bool:
        """The period is not over on the day drawn: its figures will still change."""
        return self.today <= self.period.end

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
    def undecided(self) -> int:
        """No decision on admissibility yet, the withdrawn ones left out."""
        return self.received - sum(self.table("decision").values()) - self.withdrawn_undecided

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
    """Lets PostgreSQL group by hashing for this transaction, in parallel. It cannot estimate
    how many groups the deadline states make (a few thousand) and, guessing one per seven rows,
    would sort a year's rows on disk to group them, or group them in one process: with room
    for the groups it guesses, each parallel worker groups its share of the rows and the
    leader adds up their few thousand groups. The room is an allowance, not an allocation: the
    tables hold the groups there are (20 MB at a million complaints), and one that outgrows it
    spills to disk safely. Compiling the queries (JIT) costs more than it saves on a few
    simple sums: it is off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL jit = off")


def _evaluate(period: Period, today: datetime.date | None) -> Evaluation:
    today = today or timezone.localdate()
    complaints = Complaint.objects.filter(received_in(period))
    found = Evaluation(period=period, today=today)
    _cube(found, complaints, today)
    _grounds_and_norms(found, complaints)
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
    found.admissible_answer.working_days = answer.working_days
    found.acknowledgement.days, found.answer.days = days_histograms(
        complaints, acknowledgement.working_days, answer.working_days
    )
    _ombudsman(found, period)
    return found


def _cube(found: Evaluation, complaints: QuerySet[Complaint], today: datetime.date) -> None:
    """One GROUP BY over the complaint's own dimensions and the state of both deadlines, with
    a count per thing that followed and per age of what was still open at the end."""
    counted: dict[str, Aggregate] = {
        f"{table}_{number}": Count("pk", filter=Q(**{column: value}))
        for table, column, values in FOLLOWED
        for number, value in enumerate(values)
    }
    counted |= {"extended": Count("pk", filter=Q(extended=True))}
    counted |= {"satisfied_yes": Count("pk", filter=Q(satisfied=True))}
    counted |= {"satisfied_no": Count("pk", filter=Q(satisfied=False))}
    still_open, bands = _open_at_end(found.as_of)
    counted |= {f"open_{label}": Count("pk", filter=still_open & band) for label, band in bands}
    counted |= {"oldest_open": Min("received_on", filter=still_open)}
    groups = (
        with_deadline_states(complaints.order_by(), today)
        .values(*CUBE.values(), *DEADLINES)
        .annotate(n=Count("pk"), **counted)
    )
    # Read as plain rows (thousands of them, each with dozens of counts): converting every
    # count into a dictionary cost more than the sums below.
    sql, params = groups.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        at = {column[0]: number for number, column in enumerate(cursor.description)}
        rows = cursor.fetchall()

    def total(name: str) -> int:
        return sum(map(itemgetter(at[name]), rows))

    found.received = total("n")
    tables: dict[str, Counter[str]] = defaultdict(Counter)
    for table, _column, values in FOLLOWED:
        tables[table] = Counter(
            {value: total(f"{table}_{number}") for number, value in enumerate(values)}
        )
    found.extended = total("extended")
    found.satisfied, found.not_satisfied = total("satisfied_yes"), total("satisfied_no")
    found.open_at_end = Counter({label: total(f"open_{label}") for label, _ in bands})
    oldest = [row[at["oldest_open"]] for row in rows if row[at["oldest_open"]] is not None]
    if oldest:  # a date, or its ISO text on SQLite
        earliest = datetime.date.fromisoformat(str(min(oldest)))
        found.oldest_open_days = (found.as_of - earliest).days
    decided = [at[f"decision_{number}"] for number in DECISION_NUMBER.values()]
    admissible = at[f"decision_{DECISION_NUMBER[DecisionKind.ADMISSIBLE]}"]
    founded = at[f"outcome_{OUTCOME_NUMBER[Outcome.FOUNDED]}"]
    partially = at[f"outcome_{OUTCOME_NUMBER[Outcome.PARTIALLY_FOUNDED]}"]
    for row in rows:
        n = row[at["n"]]
        for name, column in CUBE.items():
            if row[at[column]] not in (None, ""):
                tables[name][str(row[at[column]])] += n
        states = {name: row[at[name]] for name in DEADLINES}
        for name, state in states.items():
            figures: DeadlineFigures = getattr(found, name)
            setattr(figures, state, getattr(figures, state) + n)
        if "missed" in states.values():
            found.late_count += n
        if row[at["status"]] == Status.WITHDRAWN:
            found.withdrawn += n
            found.withdrawn_after_deadline += n if "missed" in states.values() else 0
            found.withdrawn_undecided += n - sum(row[number] for number in decided)
        kept = found.admissible_answer
        setattr(kept, states["answer"], getattr(kept, states["answer"]) + row[admissible])
        line = found.by_channel.setdefault(row[at["channel"]], ChannelSummary())
        line.received += n
        line.answered_on_time += row[admissible] if states["answer"] == "met" else 0
        line.answer_due_passed += row[admissible] if states["answer"] == "missed" else 0
        line.admissible += row[admissible]
        line.founded += row[founded]
        line.partially_founded += row[partially]
    # Zeros are left out, and every age band is shown, empty or not.
    found.tables = {name: +table for name, table in tables.items()}


def _grounds_and_norms(found: Evaluation, complaints: QuerySet[Complaint]) -> None:
    """The grounds of refusal, and the norms breached by unit and category. Only the refused
    and the breaching complaints are read (each from its own partial index on PostgreSQL,
    ``complaint_refused`` and ``complaint_breached``), counted per list as kept: a handful of
    different lists, whatever the number of complaints."""
    refused = (
        complaints.filter(decision_kind=DecisionKind.INADMISSIBLE)
        .order_by()
        .values_list("refusal_grounds")
        .annotate(n=Count("*"))
    )
    for grounds, n in refused:
        for code in grounds:
            found.grounds[code] += n
    codes = dict(Norm.objects.values_list("pk", "code"))
    breaching = (
        complaints.filter(~Q(breached_norms=[]))
        .order_by()
        .values_list("unit_id", "category_id", "breached_norms")
        .annotate(n=Count("*"))
    )
    for unit, category, norms, n in breaching:
        for pk in norms:
            code = codes.get(int(pk))
            if code is not None:  # a norm deleted since
                found.norms_by_unit[(code, str(unit))] += n
                found.norms_by_category[(code, str(category))] += n


DECISION_NUMBER = {value: number for number, value in enumerate(FOLLOWED[0][2])}
OUTCOME_NUMBER = {value: number for number, value in enumerate(FOLLOWED[2][2])}


def _open_at_end(as_of: datetime.date) -> tuple[Q, list[tuple[str, Q]]]:
    """Still open at the end of the day ``as_of``, and each age band of those: received
    ``age`` days before that day."""
    _, end = Period(as_of, as_of).bounds()
    still_open = Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    bands = []
    for label, fewest, most in AGE_BANDS:
        band = Q(received_at__lt=end - datetime.timedelta(days=fewest))
        if most is not None:
            band &= Q(received_at__gte=end - datetime.timedelta(days=most + 1))
        bands.append((label, band))
    return still_open, bands


def late_complaints(complaints: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    return with_deadline_states(complaints, today).filter(
        Q(acknowledgement="missed") | Q(answer="missed")
    )


def days_histograms(
    complaints: QuerySet[Complaint], acknowledgement_working: bool, answer_working: bool
) -> tuple[Counter[int], Counter[int]]:
    """How many complaints were acknowledged, and answered, after how many days (working or
    calendar, as each policy counts them), the day of receipt being day 0. One scan: the
    complaint's local dates are counted per (received, acknowledged, answered), a few tens of
    thousands of rows in a year whatever the number of complaints, and only those are joined to
    ``CalendarDay``. On PostgreSQL the scan reads the index ``complaint_received_acts`` alone
    (it holds those dates; counting ``*``, not the id, keeps it so)."""
    acts = (
        complaints.filter(Q(acknowledged_on__isnull=False) | Q(answered_on__isnull=False))
        .order_by()
        .values("received_on", "acknowledged_on", "answered_on")
        .annotate(n=Count("*"))
    )
    sql, params = acts.query.sql_with_params()
    first = "working_ordinal" if acknowledgement_working else "ordinal"
    second = "working_ordinal" if answer_working else "ordinal"
    table = CalendarDay._meta.db_table
    # Identifiers from the code, values as parameters: nothing here comes from a request.
    query = (
        f"SELECT ack.{first} - received.{first}, answer.{second} - received.{second}, "  # noqa: S608
        f"SUM(acts.n) FROM ({sql}) acts "
        f"JOIN {table} received ON received.day = acts.received_on "
        f"LEFT JOIN {table} ack ON ack.day = acts.acknowledged_on "
        f"LEFT JOIN {table} answer ON answer.day = acts.answered_on GROUP BY 1, 2"
    )
    acknowledged, answered = Counter[int](), Counter[int]()
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for acknowledged_days, answered_days, n in cursor.fetchall():
            if acknowledged_days is not None:
                acknowledged[int(acknowledged_days)] += int(n)
            if answered_days is not None:
                answered[int(answered_days)] += int(n)
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
    """One pass over the years' complaints, grouped by the state of the answer's deadline,
    with a count per year of all, of the admissible and of the founded."""
    spans = {year: Period.year(year) for year in years}
    whole = Period(spans[min(years)].start, spans[max(years)].end)
    admissible = Q(decision_kind=DecisionKind.ADMISSIBLE)
    founded = Q(outcome__in=[Outcome.FOUNDED, Outcome.PARTIALLY_FOUNDED])
    counted = {}
    for year, span in spans.items():
        counted[f"received_{year}"] = Count("pk", filter=received_in(span))
        counted[f"admissible_{year}"] = Count("pk", filter=received_in(span) & admissible)
        counted[f"founded_{year}"] = Count("pk", filter=received_in(span) & founded)
    complaints = with_deadline_states(
        Complaint.objects.filter(received_in(whole)).order_by(), today
    )
    answer = "answer"  # the annotation's name, which the type checker cannot see
    rows = [dict(row) for row in complaints.values(answer).annotate(**counted)]
    found = {}
    for year in spans:

        def total(what: str, state: str | None = None, year: int = year) -> int:
            return sum(row[f"{what}_{year}"] for row in rows if state in (None, row[answer]))

        met = total("received", "met")
        found[year] = TrendYear(
            year=year,
            received=total("received"),
            admissible=total("admissible"),
            founded=total("founded"),
            answered_on_time=Share(met, met + total("received", "missed")),
        )
    return found
