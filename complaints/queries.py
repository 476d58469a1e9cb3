"""Reading complaints by their deadlines: the next one as a database expression (to filter and
sort the work list) and every open one as Python values (to show and to remind); counting them
without reading a million rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F, OrderBy, Q, QuerySet
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from complaints.models import (
    CLOSED,
    FAR,
    UNDECIDED,
    Complaint,
    OmbudsmanRequest,
    Status,
    next_due_expression,
)
from configuration.models import DeadlineKind

# Counts up to this are exact; above it, PostgreSQL's estimate (see ``count_per_status``).
EXACT_UP_TO = 1000


class NextDue(TypedDict):
    next_due: datetime.date | None


if TYPE_CHECKING:  # the two-argument form exists for the type checker only
    ComplaintWithNextDue = WithAnnotations[Complaint, NextDue]
else:
    ComplaintWithNextDue = Complaint


def with_next_due(complaints: QuerySet[Complaint]) -> QuerySet[ComplaintWithNextDue]:
    """Adds ``next_due``: the earliest deadline still open (acknowledgement, answer, or a
    reply to the Ombudsman), NULL when none is. Columns only, and indexed."""
    return complaints.annotate(next_due=next_due_expression())


# The work list's sortable columns: each sorts on a column of the complaint (with the id to
# break ties), read from an index on PostgreSQL (``complaint_sort_*``), so that the first page
# of a million complaints is found without sorting them. Unit, handler and category group
# their rows (by the unit's, handler's or category's id): ordering by a name would sort every
# row through a join.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("reference",),
    "received": ("received_at", "pk"),
    "status": ("status", "pk"),
    "channel": ("channel", "pk"),
    "language": ("language", "pk"),
    "category": ("category_id", "pk"),
    "unit": ("unit_id", "pk"),
    "handler": ("handler_id", "pk"),
}
DEFAULT_SORT = "next_due"
# What the sort parameter may say: a column, or a column after "-" for the reverse order.
SORT_KEYS = frozenset(
    {DEFAULT_SORT, *SORT_COLUMNS} | {f"-{key}" for key in {DEFAULT_SORT, *SORT_COLUMNS}}
)
# Earlier spellings of the sort parameter (saved links, bookmarks).
SORT_ALIASES = {"received_at": "received", "-received_at": "-received"}


def sorted_by(complaints: QuerySet[ComplaintWithNextDue], key: str) -> QuerySet[Any]:
    """``complaints`` (with ``next_due``) in the order ``key`` names; the next deadline first
    when the key is unknown. The next deadline keeps complaints without one last either way."""
    key = SORT_ALIASES.get(key, key)
    if key not in SORT_KEYS:
        key = DEFAULT_SORT
    descending = key.startswith("-")
    column = key.removeprefix("-")
    if column == DEFAULT_SORT:
        next_due = F("next_due")
        first = next_due.desc(nulls_last=True) if descending else next_due.asc(nulls_last=True)
        tie = F("received_at").desc() if descending else F("received_at").asc()
        return complaints.order_by(first, tie)
    order: list[OrderBy] = [
        F(name).desc() if descending else F(name).asc() for name in SORT_COLUMNS[column]
    ]
    return complaints.order_by(*order)


def next_deadline_kind(complaint: Complaint) -> DeadlineKind | None:
    """Which deadline ``next_due`` is, read from the same columns as the expression."""
    own: tuple[datetime.date, DeadlineKind] | None = None
    if not complaint.is_closed:
        if complaint.acknowledged_at is None:
            own = (complaint.acknowledgement_due, DeadlineKind.ACKNOWLEDGEMENT)
        elif complaint.answer_paused_since is None:  # a stopped clock runs no deadline
            own = (complaint.answer_due, DeadlineKind.ANSWER)
    ombudsman = complaint.ombudsman_due or FAR
    if own is None or ombudsman < own[0]:
        return DeadlineKind.OMBUDSMAN_REQUEST if ombudsman < FAR else None
    return own[1]


@dataclass(frozen=True)
class Tally:
    """How many complaints; ``exact`` false when it is the database's estimate."""

    n: int
    exact: bool = True

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, self.exact and other.exact)


@contextmanager
def without_table_scan(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """PostgreSQL's planner told to read the complaints through indexes while the block runs.
    A search's rows are found by its own indexes in a few ms; without this, the planner likes
    to read the table in order until it has found enough rows, which for a word it misjudges
    is the whole table."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("RESET enable_seqscan")


def count_per_status(
    complaints: QuerySet[Complaint],
    *,
    indexed_with_status: bool = True,
    more_than_exact: bool = False,
) -> dict[str, Tally]:
    """How many of ``complaints`` have each status, without reading them all.

    When an index holds the filter with the status (``indexed_with_status``: the work list's
    filters do, a search does not), one query counts each status up to ``EXACT_UP_TO + 1``
    from those indexes. Otherwise one query reads at most ``EXACT_UP_TO + 1`` of them: when
    that is all, the counts are exact (a search's few matches). What is still above the
    limit is, on PostgreSQL, the planner's estimate of the whole times the status's share in
    the table's statistics (ANALYZE keeps them, autovacuum runs it): "about 650,000" is what a
    work list needs, and an exact count of a million rows is a scan. On SQLite, a small
    installation, it is counted exactly.

    ``more_than_exact``: the caller knows there are more than ``EXACT_UP_TO`` (``Narrowed``),
    so the sample is skipped."""
    if complaints.query.is_empty():
        return {}
    complaints = complaints.order_by()
    if indexed_with_status:
        counted = _count_each_status(complaints)
    else:
        if not more_than_exact:
            counted = _sampled(complaints)
            if sum(counted.values()) <= EXACT_UP_TO:
                return {status: Tally(n) for status, n in counted.items()}
        counted = dict.fromkeys(Status, EXACT_UP_TO + 1)
    tallies = {status: Tally(n) for status, n in counted.items() if n <= EXACT_UP_TO}
    beyond = [status for status in counted if status not in tallies]
    if not beyond:
        return tallies
    connection = connections[complaints.db]
    if connection.vendor != "postgresql":
        rest = complaints.filter(status__in=beyond).values_list("status").annotate(n=Count("pk"))
        return tallies | {status: Tally(n) for status, n in rest}
    total = _estimated_rows(complaints)
    share = _status_shares(connection)
    for name in beyond:
        estimate = two_digits(total * share.get(name, 0.0))
        if indexed_with_status:  # counted past the limit: at least that many
            estimate = max(estimate, EXACT_UP_TO + 1)
        tallies[name] = Tally(estimate, exact=False)
    return tallies


def _sampled(complaints: QuerySet[Complaint]) -> dict[str, int]:
    """The statuses of at most ``EXACT_UP_TO + 1`` of ``complaints``, counted."""
    connection = connections[complaints.db]
    sample = complaints.values("status")[: EXACT_UP_TO + 1]
    sql, params = sample.query.get_compiler(connection=connection).as_sql()
    # Without an index that holds the filter with the status (a search), PostgreSQL's planner
    # likes to read the table in order until it has found enough rows: for a common word that
    # means tens of thousands of rows through six LIKEs (150 ms at a million complaints), for a
    # word it misjudges, the whole table. The search's own indexes find them in a few ms.
    with without_table_scan(connection), connection.cursor() as cursor:
        # The SQL is Django's own, compiled from the queryset; values stay parameters.
        grouped = f"SELECT status, COUNT(*) FROM ({sql}) AS sample GROUP BY status"  # noqa: S608
        cursor.execute(grouped, params)
        return dict(cursor.fetchall())


def _count_each_status(complaints: QuerySet[Complaint]) -> dict[str, int]:
    """Each status counted up to ``EXACT_UP_TO + 1``, in one query. The filter is compiled
    once; each status's count selects from it (both databases fold such a subquery into the
    outer query, so each count reads its status's index)."""
    connection = connections[complaints.db]
    sql, filter_params = (
        complaints.values("status").query.get_compiler(connection=connection).as_sql()
    )
    # The SQL is Django's own, compiled from the queryset; values stay parameters.
    part = (
        f"SELECT %s, COUNT(*) FROM (SELECT 1 FROM ({sql}) AS listed "  # noqa: S608
        "WHERE listed.status = %s LIMIT %s) AS capped"
    )
    params: list[Any] = []
    for status in Status:
        params += [status.value, *filter_params, status.value, EXACT_UP_TO + 1]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([part] * len(Status)), params)
        return dict(cursor.fetchall())


def two_digits(estimate: float) -> int:
    """An estimate rounded as one would say it: 46,123 is "about 46,000"."""
    digits = len(str(int(estimate)))
    return int(round(estimate, -max(0, digits - 2)))


def _estimated_rows(complaints: QuerySet[Complaint]) -> int:
    connection = connections[complaints.db]
    sql, params = complaints.values("pk").query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        row = cursor.fetchone()
    plan = row[0] if row else [{"Plan": {"Plan Rows": 0}}]
    return int(plan[0]["Plan"]["Plan Rows"])


def _status_shares(connection: Any) -> dict[str, float]:
    """Each status's share of the complaints table, from PostgreSQL's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'status'",
            [Complaint._meta.db_table],
        )
        row = cursor.fetchone()
    return dict(zip(row[0], row[1], strict=True)) if row else {}


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
        if complaint.answer_paused_since is None:  # a stopped clock runs no deadline
            found.append(Deadline(DeadlineKind.ANSWER, complaint.answer_due, complaint))
    for request in complaint.ombudsman_requests.filter(answered_at__isnull=True):
        found.append(Deadline(DeadlineKind.OMBUDSMAN_REQUEST, request.due, complaint, request))
    return sorted(found, key=lambda deadline: deadline.due)


# A reference typed in full is looked up, not searched for.
STATUS_GROUPS: dict[str, list[str]] = {
    "open": [s.value for s in Status if s.value not in CLOSED],
    "undecided": [s.value for s in UNDECIDED],
} | {s.value: [s.value] for s in Status}


@dataclass(frozen=True)
class Narrowed:
    """The complaints a list's filters leave; ``more_than_exact`` when they are known to be
    more than ``EXACT_UP_TO`` already (a search found more, and nothing else narrowed them):
    counting them again would repeat the search."""

    complaints: QuerySet[ComplaintWithNextDue]
    more_than_exact: bool = False


def narrowed(
    visible: QuerySet[Complaint], data: dict[str, Any], today: datetime.date | None = None
) -> Narrowed:
    """The work list's filters but the status (the work list counts per status first): the
    search ``q``, ``category``, ``channel``, ``unit``, ``handler`` and the next deadline
    (``due_within`` days, ``overdue``, ``due`` today or this week), with ``next_due``."""
    from complaints.search import Found, search  # which reads this module's limits

    today = today or timezone.localdate()
    found = search(visible, data["q"]) if data.get("q") else Found(visible)
    visible = found.complaints
    filters = [
        Q(**{name: data[name]})
        for name in ("category", "channel", "unit", "handler")
        if data.get(name)
    ]
    if data.get("due_within") is not None:
        filters.append(Q(next_due__lte=today + datetime.timedelta(days=data["due_within"])))
    if data.get("overdue"):
        filters.append(Q(next_due__lt=today))
    if data.get("due") == "today":
        filters.append(Q(next_due=today))
    elif data.get("due") == "week":
        filters.append(Q(next_due__gt=today, next_due__lte=today + datetime.timedelta(days=7)))
    complaints = with_next_due(visible).filter(*filters)
    # More than the exact limit is known when the search found more and nothing else narrows.
    return Narrowed(complaints, more_than_exact=found.many and not filters)


def timeline(complaint: Complaint) -> list[tuple[object, str, object]]:
    """Status changes, messages, notes, decisions and extensions, in order of time."""
    events: list[tuple[object, str, object]] = []
    events += [(c.at, "status", c) for c in complaint.history.select_related("actor")]
    events += [(m.created_at, "message", m) for m in complaint.messages.select_related("author")]
    events += [(n.at, "note", n) for n in complaint.notes.select_related("author")]
    events += [
        (d.decided_at, "decision", d)
        for d in complaint.decisions.select_related("decided_by", "competent_body")
    ]
    events += [(e.at, "extension", e) for e in complaint.extensions.select_related("by")]
    events += [(p.at, "pause", p) for p in complaint.pauses.all()]
    events += [(r.registered_at, "ombudsman", r) for r in complaint.ombudsman_requests.all()]
    return sorted(events, key=lambda event: (event[0], event[1]))
