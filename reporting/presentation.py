"""The evaluation as labelled tables, each row beside the previous period: what the page, the
exports and the PDF show. Labels are read in the active language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import (
    Channel,
    ComplainantKind,
    DecisionKind,
    NotAComplaintKind,
    Outcome,
    Status,
)
from configuration.models import Category, Ground, Norm, Unit
from reporting.charts import bar_chart, line_chart
from reporting.evaluation import AGE_BANDS, ChannelSummary, Evaluation, TrendYear
from reporting.periods import Period


@dataclass
class Row:
    label: str
    now: int
    before: int | None

    def __post_init__(self) -> None:
        self.label = capfirst(self.label)


@dataclass
class Table:
    slug: str
    caption: str | Promise
    rows: list[Row]
    periods: tuple[str, str] = ("", "")

    @property
    def chart(self) -> SafeString:
        rows = [(row.label, row.now, row.before) for row in self.rows]
        return bar_chart(str(self.caption), rows, self.periods)


def period_label(period: Period) -> str:
    if period.is_year:
        return str(period.start.year)
    return f"{date_format(period.start)} - {date_format(period.end)}"


def as_of_label(found: Evaluation) -> str:
    """What the figures stand at: the day drawn, and, while the period runs, that they will
    still change."""
    label = _("Figures as of %(date)s.") % {"date": date_format(found.today)}
    if found.running:
        label += " " + _(
            "This period is not over: deadlines are judged, and what is still open is counted"
            " and aged, on that day."
        )
    return label


def drawn_column(found: Evaluation) -> str:
    """A period as an export's column names it: ``2026, as of 2026-12-06``."""
    return _("%(period)s, as of %(date)s") % {
        "period": period_label(found.period),
        "date": found.today.isoformat(),
    }


def _rows(choices: Iterable[tuple[Any, Any]], now: Counter[str], before: Counter[str]) -> list[Row]:
    return [Row(str(label), now[str(value)], before[str(value)]) for value, label in choices]


def _pairs(
    now: Counter[tuple[str, str]],
    before: Counter[tuple[str, str]],
    norms: dict[str, str],
    others: dict[str, str],
) -> list[Row]:
    keys = sorted(
        set(now) | set(before), key=lambda key: (norms.get(key[0], ""), others.get(key[1], ""))
    )
    return [
        Row(
            f"{norms.get(norm, norm)}: {others.get(other, _('no unit'))}",
            now[(norm, other)],
            before[(norm, other)],
        )
        for norm, other in keys
    ]


def tables(now: Evaluation, before: Evaluation) -> list[Table]:
    """Every table of the evaluation, each row beside the previous period."""
    found = _tables(now, before)
    for table in found:
        table.periods = (period_label(now.period), period_label(before.period))
    return found


def _tables(now: Evaluation, before: Evaluation) -> list[Table]:
    categories = [(str(c.pk), c.translated("label")) for c in Category.objects.all()]
    units = [(str(u.pk), u.translated("name")) for u in Unit.objects.all()]
    norms = {n.code: n.translated("label") for n in Norm.objects.all()}

    def without_unit(found: Evaluation) -> int:
        return found.received - sum(found.table("unit").values())

    by_unit = _rows(units, now.table("unit"), before.table("unit"))
    by_unit.append(Row(_("not assigned to a unit"), without_unit(now), without_unit(before)))
    decisions = _rows(DecisionKind.choices, now.table("decision"), before.table("decision"))
    decisions.append(
        Row(_("withdrawn before a decision"), now.withdrawn_undecided, before.withdrawn_undecided)
    )
    decisions.append(Row(_("no decision yet"), now.undecided, before.undecided))
    ombudsman = [
        (gettext_lazy("requests received"), "received"),
        (gettext_lazy("replied within the deadline"), "replied_on_time"),
        (gettext_lazy("replied late"), "replied_late"),
        (gettext_lazy("not replied, deadline passed"), "open_overdue"),
        (gettext_lazy("not replied, deadline to come"), "open_pending"),
    ]
    return [
        Table(
            "channel",
            gettext_lazy("Received by channel"),
            _rows(Channel.choices, now.table("channel"), before.table("channel")),
        ),
        Table(
            "category",
            gettext_lazy("Received by category"),
            _rows(categories, now.table("category"), before.table("category")),
        ),
        Table(
            "complainant",
            gettext_lazy("Received by complainant"),
            _rows(ComplainantKind.choices, now.table("kind"), before.table("kind")),
        ),
        Table("unit", gettext_lazy("Received by unit"), by_unit),
        Table(
            "language",
            gettext_lazy("Received by language"),
            _rows(settings.LANGUAGES, now.table("language"), before.table("language")),
        ),
        Table(
            "status",
            gettext_lazy("By status on the day drawn"),
            _rows(Status.choices, now.table("status"), before.table("status")),
        ),
        Table("admissibility", gettext_lazy("Admissibility"), decisions),
        Table(
            "not-a-complaint",
            gettext_lazy("Not a complaint"),
            _rows(
                NotAComplaintKind.choices,
                now.table("not_a_complaint"),
                before.table("not_a_complaint"),
            ),
        ),
        Table(
            "grounds",
            gettext_lazy("Grounds of inadmissibility"),
            _rows(Ground.choices, now.grounds, before.grounds),
        ),
        Table(
            "outcome",
            gettext_lazy("Outcome of admissible complaints"),
            _rows(Outcome.choices, now.table("outcome"), before.table("outcome")),
        ),
        Table(
            "norms-by-unit",
            gettext_lazy("Norms of good administration breached, by unit"),
            _pairs(now.norms_by_unit, before.norms_by_unit, norms, dict(units)),
        ),
        Table(
            "norms-by-category",
            gettext_lazy("Norms of good administration breached, by category"),
            _pairs(now.norms_by_category, before.norms_by_category, norms, dict(categories)),
        ),
        Table("deadlines", gettext_lazy("Deadlines"), deadline_rows(now, before)),
        Table(
            "open",
            gettext_lazy("Still open on the day drawn, by age in days")
            if now.running
            else gettext_lazy("Still open on the last day, by age in days"),
            [
                Row(label, now.open_at_end[label], before.open_at_end[label])
                for label, *_ in AGE_BANDS
            ],
        ),
        Table(
            "satisfaction",
            gettext_lazy("After the answer"),
            [
                Row(_("satisfied"), now.satisfied, before.satisfied),
                Row(_("not satisfied"), now.not_satisfied, before.not_satisfied),
            ],
        ),
        Table(
            "ombudsman",
            gettext_lazy("Requests of the Federal Ombudsman"),
            [
                Row(str(label), getattr(now.ombudsman, name), getattr(before.ombudsman, name))
                for label, name in ombudsman
            ],
        ),
    ]


def deadline_rows(now: Evaluation, before: Evaluation) -> list[Row]:
    rows = []
    for name, labels in (
        (
            "acknowledgement",
            (
                _("acknowledged on time"),
                _("acknowledgement missed"),
                _("acknowledgement to come"),
                _("acknowledgement not owed (withdrawn)"),
            ),
        ),
        (
            "answer",
            (
                _("final letter on time (every kind)"),
                _("final letter missed (every kind)"),
                _("final letter to come (every kind)"),
                _("final letter not owed (withdrawn)"),
            ),
        ),
        (
            "admissible_answer",
            (
                _("admissible complaints answered on time"),
                _("admissible complaints whose answer deadline was missed"),
                _("admissible complaints whose answer is to come"),
                _("admissible complaints withdrawn before the answer deadline"),
            ),
        ),
    ):
        for label, state in zip(labels, ("met", "missed", "pending", "not_owed"), strict=True):
            rows.append(
                Row(
                    label, getattr(getattr(now, name), state), getattr(getattr(before, name), state)
                )
            )
    rows.append(Row(_("answer date moved by an interim message"), now.extended, before.extended))
    rows.append(
        Row(
            _("withdrawn after a deadline had passed"),
            now.withdrawn_after_deadline,
            before.withdrawn_after_deadline,
        )
    )
    return rows


def summary(found: Evaluation) -> list[tuple[str, ChannelSummary]]:
    """The indicators reported each year to the federal complaint-management network and the
    Federal Ombudsman, per channel and in total."""
    lines = [
        (capfirst(str(label)), found.by_channel[value])
        for value, label in Channel.choices
        if value in found.by_channel
    ]
    return [*lines, (_("Total"), found.total)]


def summary_rows(found: Evaluation) -> list[list[object]]:
    return [
        [
            label,
            line.received,
            line.admissible,
            line.founded,
            line.partially_founded,
            line.answered_on_time,
            line.answer_due_passed,
        ]
        for label, line in summary(found)
    ]


SUMMARY_COLUMNS: Sequence[Promise] = (
    gettext_lazy("Channel"),
    gettext_lazy("Received"),
    gettext_lazy("Admissible"),
    gettext_lazy("Founded"),
    gettext_lazy("Partially founded"),
    gettext_lazy("Admissible complaints answered within the answer deadline"),
    gettext_lazy("Admissible complaints whose answer deadline passed without an answer"),
)


def trend_chart(years: list[TrendYear]) -> SafeString:
    return line_chart(
        _("Complaints received, last five years"), [(str(y.year), y.received) for y in years]
    )
